"""Walk a case by clicking, as a learner would, and check the evidence and the debrief."""

import shutil
from pathlib import Path

import pytest

from trainkit.evidence import open_store
from trainkit.roster import load_roster
from trainkit.widgets import case_walkthrough, law_lookup
from trainkit.widgets._models import model_ids

FIXTURE = Path(__file__).parents[1] / "data" / "test-water-cutoff.yaml"


@pytest.fixture
def walk(casebank, tmp_path):
    folder = casebank / "cases" / "property_service"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder)
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    return case_walkthrough("test-water-cutoff", worker=load_roster()["W001"], store=store), store


def test_a_poor_first_choice_takes_the_repair_branch_and_every_step_is_evidence(walk):
    widget, store = walk
    widget.buttons[1].click()  # B: judge her at once
    assert widget.step.id == "s2b"
    assert "社区和物业是一伙的" in widget.current.children[0].value
    widget.buttons[0].click()  # apologise and listen
    widget.buttons[0].click()  # ask the manager to restore water
    widget.buttons[0].click()  # hold a mediation meeting
    assert widget.finished
    rows = store.rows(worker_id="W001")
    assert [r.ref.split(":")[2] for r in rows] == ["s1", "s2b", "s2", "s3"]
    assert [r.ref.endswith(":end") for r in rows] == [False, False, False, True]  # the finished walk
    assert [r.score for r in rows] == [0.0, 0.8, 1.0, 1.0]
    assert all(r.source == "case_walkthrough" and r.item_id == "mediate_property_service" for r in rows)
    debrief = widget.current.children[0].value
    assert "70%" in debrief  # (0 + 0.8 + 1 + 1) / 4
    assert "物业服务人不得采取停止供电、供水、供热、供燃气等方式催交物业费" in debrief
    assert "诉讼" in debrief and "评分细则" in debrief


def test_the_walkthrough_can_be_restarted(walk):
    widget, store = walk
    widget.choose("B")
    widget.choose("B")  # tell her to sue: the path ends
    assert widget.finished and widget.score == pytest.approx(0.1)
    widget.restart.click()
    assert widget.step.id == "s1" and widget.path == []
    assert len(store.rows()) == 2


def test_law_lookup_reads_the_official_text_and_explains_bad_input():
    box = law_lookup()
    law, number, go = box.children[0].children
    law.value = "civil_code"
    number.value = "第1077条"
    assert "冷静" in box.children[1].value or "撤回离婚登记申请" in box.children[1].value
    number.value = "九九"
    assert "阿拉伯数字" in box.children[1].value
    number.value = "99999"
    assert "没有第99999条" in box.children[1].value


def test_every_case_reads_without_doubled_quotes_or_folded_line_spaces():
    """Party statements already in quotes are not quoted again; YAML line folds leave no space between
    two Chinese characters; option buttons wrap instead of cutting the (often right) long option."""
    import re

    from trainkit.cases import load_cases
    from trainkit.widgets.case import _intro

    for case in load_cases().values():
        page = _intro(case)
        assert "““" not in page and "””" not in page, case.id
        assert not re.search(r"[\u4e00-\u9fff][ \n]+[\u4e00-\u9fff]", page), case.id
    walk = case_walkthrough(next(iter(load_cases())))
    style = "".join(getattr(c, "value", "") for c in walk.children if hasattr(c, "value"))
    assert "tk-option" in style and "white-space:normal" in style


def test_an_open_walk_is_few_models_and_its_looks_are_shared(walk):
    widget, _store = walk
    again = case_walkthrough("test-water-cutoff")
    shared = model_ids(widget) & model_ids(again)
    # each text block, step box and option button would bring its own layout and style: shared,
    # a step is one model per option plus the boxes and texts around them
    assert widget.history.layout is again.current.layout and len(shared) >= 3, shared
    assert len(model_ids(widget) - shared) <= len(widget.buttons) + 6, len(model_ids(widget))
    assert widget._restart is None  # 重新演练 is built only when a walk is finished
    while not widget.finished:
        widget.buttons[0].click()
    assert widget.restart in widget.current.children
    widget.restart.click()
    assert widget.step.id == "s1" and widget.history.children == ()
