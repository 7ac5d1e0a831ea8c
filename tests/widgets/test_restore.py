"""Reopening a lesson shows what the evidence holds: the latest answer of every self-check item
and the last finished case walk-through. Widget state is lost on re-execution; evidence is not."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from widget_drive import answer, right_answer, wrong_answer

from trainkit.roster import load_roster
from trainkit.widgets import case_walkthrough, quiz
from trainkit.widgets.case import finished_cases

BANK = "social-assistance-dibao"
FIXTURE = Path(__file__).parents[1] / "data" / "test-water-cutoff.yaml"


@pytest.fixture
def worker():
    return load_roster()["W003"]


def _card(widget, kind):
    return next(c for c in widget.cards if c.item.type == kind and c.item.template is None)


def test_reopening_a_bank_fills_in_my_latest_answers_with_their_feedback(evidence, worker):
    first = quiz(BANK, worker=worker, store=evidence)
    single, numeric, multiple = _card(first, "single"), _card(first, "numeric"), _card(first, "multiple")
    answer(single, wrong_answer(single.item))
    answer(single, right_answer(single.item))  # the latest answer is the one shown
    answer(numeric, wrong_answer(numeric.item))
    answer(multiple, right_answer(multiple.item))
    rows_before = len(evidence.rows())

    again = quiz(BANK, worker=worker, store=evidence)  # the notebook is run again
    assert len(evidence.rows()) == rows_before  # opening records nothing
    assert again.restored == 3
    single2, numeric2, multiple2 = (_card(again, k) for k in ("single", "numeric", "multiple"))
    assert single2.input.value == single.item.answer and single2.attempts == 2
    assert "上次作答" in single2.feedback.value and date.today().isoformat() in single2.feedback.value
    assert "回答正确" in single2.feedback.value
    assert numeric2.input.value == wrong_answer(numeric.item)
    assert "不对" in numeric2.feedback.value and "上次作答" in numeric2.feedback.value
    assert multiple2.value == sorted(multiple.item.answer)
    untouched = next(c for c in again.cards if c.ref not in {single2.ref, numeric2.ref, multiple2.ref})
    assert untouched.feedback.value == "" and untouched.attempts == 0
    assert "您已作答其中 3 题" in again.children[0].value


def test_a_restored_answer_is_not_recorded_twice_but_a_new_one_is(evidence, worker):
    single = _card(quiz(BANK, worker=worker, store=evidence), "single")
    answer(single, wrong_answer(single.item))
    card = _card(quiz(BANK, worker=worker, store=evidence), "single")
    card.submit.click()  # the same answer again: nothing new
    assert len(evidence.rows(ref=card.ref)) == len(card.item.items)
    answer(card, right_answer(card.item))
    rows = evidence.rows(ref=card.ref)
    assert [r.score for r in rows] == [0.0] * len(card.item.items) + [1.0] * len(card.item.items)
    assert rows[-1].answer["attempt"] == 2  # counted on from the evidence


def test_enter_in_a_number_box_submits_once(evidence, worker):
    card = _card(quiz(BANK, worker=worker, store=evidence), "numeric")
    card.input.value = right_answer(card.item)  # Enter: the box sends its value
    assert "回答正确" in card.feedback.value
    card.submit.click()  # then a click on 提交: no second row
    assert len(evidence.rows()) == len(card.item.items)
    assert card.input.continuous_update is False


@pytest.mark.parametrize(
    "typed, says", [("-633", "负数"), ("6330000000", "明显过大"), ("abc", "不是一个数字"), ("", "还没有作答")]
)
def test_bad_numbers_get_a_friendly_message_and_are_not_recorded(evidence, worker, typed, says):
    card = _card(quiz(BANK, worker=worker, store=evidence), "numeric")
    card.input.value = typed
    card.submit.click()
    assert says in card.feedback.value and "Traceback" not in card.feedback.value
    assert evidence.rows() == []


def test_an_absurd_age_is_questioned(evidence, worker):
    widget = quiz("mediation-elder-support", worker=worker, store=evidence)
    card = next(c for c in widget.cards if c.item.unit == "周岁")
    card.input.value = "600"
    assert "不合常理" in card.feedback.value and evidence.rows() == []


def test_a_variant_answer_is_shown_as_such_not_filled_into_the_original(evidence, worker):
    card = next(c for c in quiz(BANK, worker=worker, store=evidence).cards if c.item.template is not None)
    answer(card, wrong_answer(card.item))
    card.another.click()
    variant_prompt = card.item.prompt
    answer(card, right_answer(card.item))
    assert evidence.rows()[-1].answer["variant"] == variant_prompt
    reopened = next(c for c in quiz(BANK, worker=worker, store=evidence).cards if c.ref == card.ref)
    assert reopened.input.value == "" and "变式题" in reopened.feedback.value and "回答正确" in reopened.feedback.value


def test_a_hub_user_missing_from_the_roster_gets_a_message_not_a_traceback(evidence, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "nobody")
    widget = quiz(BANK, store=evidence)
    assert "花名册中没有工号 nobody" in widget.children[0].value
    answer(widget.cards[0], right_answer(widget.cards[0].item))
    assert "工号" in widget.cards[0].feedback.value and evidence.rows() == []


@pytest.fixture
def water_case(casebank):
    folder = casebank / "cases" / "property_service"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder)
    return "test-water-cutoff"


def test_reopening_a_case_shows_my_last_finished_path_and_its_debrief(water_case, evidence, worker):
    walk = case_walkthrough(water_case, worker=worker, store=evidence)
    for key in ("B", "A", "A", "A"):
        walk.choose(key)
    assert walk.finished
    assert finished_cases(r.ref for r in evidence.rows()) == {water_case}
    unfinished = case_walkthrough(water_case, worker=worker, store=evidence)
    unfinished.restart.click()
    unfinished.choose("A")  # begun again, not finished: not what is shown

    reopened = case_walkthrough(water_case, worker=worker, store=evidence)
    assert reopened.finished and [p[:2] for p in reopened.path] == [("s1", "B"), ("s2b", "A"), ("s2", "A"), ("s3", "A")]
    assert len(reopened.history.children) == 4
    debrief = reopened.current.children[0].value
    assert "上次完成的演练" in debrief and "70%" in debrief
    rows = len(evidence.rows())
    reopened.restart.click()
    assert reopened.step.id == "s1" and reopened.history.children == () and len(evidence.rows()) == rows


def test_a_case_never_finished_opens_at_the_first_step(water_case, evidence, worker):
    case_walkthrough(water_case, worker=worker, store=evidence).choose("A")
    reopened = case_walkthrough(water_case, worker=worker, store=evidence)
    assert not reopened.finished and reopened.step.id == "s1" and reopened.restored_at is None
    assert finished_cases(r.ref for r in evidence.rows()) == set()


def test_a_choice_that_is_not_there_is_a_message(water_case, evidence, worker):
    walk = case_walkthrough(water_case, worker=worker, store=evidence)
    walk.choose("Z")
    assert "没有选项 Z" in walk.current.children[-1].value and evidence.rows() == [] and walk.step.id == "s1"
