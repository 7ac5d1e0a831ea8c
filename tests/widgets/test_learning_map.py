"""The 学习地图 from the evidence: who I am, my level per domain, each lesson's state, what next."""

from datetime import UTC, datetime, timedelta

import pytest

from trainkit.framework import load_framework
from trainkit.lessons import load_lessons
from trainkit.quiz import load_banks
from trainkit.roster import load_roster
from trainkit.widgets import assignments_help, case_walkthrough, learning_map
from trainkit.widgets.learning_map import lesson_progress, map_data

LESSON = "elderly-longevity-allowance"  # its banks and one case


@pytest.fixture
def worker():
    return load_roster()["W004"]


def _lesson(lesson_id):
    return next(x for x in load_lessons() if x.id == lesson_id)


def _answer_bank(store, worker, bank_id, score=1.0, when=None, skip=0):
    """Answer every item of a bank (but the last ``skip``) with ``score``."""
    fw = load_framework()
    items = load_banks()[bank_id].items
    store.record_many(
        {
            "worker_id": worker.worker_id,
            "item_id": s,
            "domain": fw.domain_of(s),
            "source": "self_check",
            "ref": f"quiz:{bank_id}:{item.id}",
            "score": score,
            "recorded_at": when or datetime.now(UTC),
        }
        for item in items[: len(items) - skip]
        for s in item.items
    )


def _row(data, lesson_id):
    return next(r for r in data.lessons if r.lesson.id == lesson_id)


def test_a_new_learner_sees_every_domain_unassessed_and_every_lesson_not_started(evidence, worker):
    box = learning_map(worker=worker, store=evidence)
    assert box._dom_classes == ("tk-learning-map",)
    greeting, view, search, help_panel = box.children
    assert "tk-search" in search._dom_classes
    assert worker.display_name in greeting.value and worker.worker_id in greeting.value
    html = view.value
    for d in load_framework().domains:
        assert f"data-domain='{d.id}'" in html
    assert html.count("tk-status-new") == len(load_lessons()) and "tk-status-done" not in html
    first = min(load_lessons(), key=lambda x: x.order)
    assert f"建议下一课：<a class='tk-lesson-link' href='{first.notebook}'" in html
    assert "01-daily-practice.ipynb" in html and "02-contest.ipynb" in html
    assert help_panel is not None and "Fetch" in help_panel.children[0].value


def test_a_lesson_is_done_only_when_every_item_is_answered_and_every_case_walked_to_the_end(evidence, worker):
    lesson = _lesson(LESSON)
    assert lesson.banks and lesson.cases
    for bank in lesson.banks:
        _answer_bank(evidence, worker, bank)
    data = map_data(worker, evidence)
    row = _row(data, LESSON)
    assert (row.status, row.quiz_done, row.quiz_total, row.cases_done) == ("started", row.quiz_total, row.quiz_total, 0)

    walk = case_walkthrough(lesson.cases[0], worker=worker, store=evidence)
    for key in ("A", "A", "A"):
        walk.choose(key)
    assert not walk.finished and _row(map_data(worker, evidence), LESSON).status == "started"
    walk.choose("A")
    walk.choose("A")  # the last step: recorded with its :end ref
    assert walk.finished
    row = _row(map_data(worker, evidence), LESSON)
    assert (row.status, row.cases_done) == ("done", 1)
    html = learning_map(worker=worker, store=evidence).children[1].value
    assert f"data-lesson='{LESSON}'" in html and f"自测 {row.quiz_total}/{row.quiz_total} · 案例 1/1" in html
    refs = {r.ref for r in evidence.rows(worker_id=worker.worker_id)}
    assert lesson_progress(lesson, refs) == "done"
    assert lesson_progress(lesson, {r for r in refs if not r.endswith(":end")}) == "started"


def test_the_suggestion_is_an_unfinished_lesson_of_my_lowest_rated_domain(evidence, worker):
    when = datetime.now(UTC) - timedelta(days=1)
    for bank in load_banks().values():  # every domain: self-check evidence, all right …
        if bank.domain != "employment":
            _answer_bank(evidence, worker, bank.id, score=1.0, when=when)
    _answer_bank(evidence, worker, "employment", score=0.0, when=when, skip=1)  # … but wrong in 社区就业
    data = map_data(worker, evidence)
    levels = {d.id: d.level_title for d in data.domains}
    assert levels["employment"] == "待提高" and levels["elderly"] == "待提高"
    assert data.suggestion is not None and data.suggestion.lesson.id == "employment-difficulty-subsidy"
    assert "社区就业" in data.why and "待提高" in data.why
    last = load_banks()["employment"].items[-1]
    evidence.record(
        worker_id=worker.worker_id,
        item_id=last.items[0],
        domain="employment",
        source="self_check",
        ref=f"quiz:employment:{last.id}",
        score=0.0,
    )
    data = map_data(worker, evidence)  # its lesson is now done (answered, if badly): the next gap
    assert _row(data, "employment-difficulty-subsidy").status == "done"
    assert data.suggestion.lesson.domain != "employment" and data.suggestion.status != "done"


def test_a_learner_missing_from_the_roster_gets_a_message(evidence, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "nobody")
    box = learning_map(store=evidence)
    assert "花名册中没有工号 nobody" in box.children[0].value


def test_the_hub_user_is_the_learner(evidence, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "W002")
    box = learning_map(store=evidence)
    assert "赵建国" in box.children[0].value


def test_the_assignments_help_explains_the_english_buttons_in_chinese():
    panel = assignments_help()
    text = panel.children[0].value
    for english, chinese in (
        ("Fetch", "领取"),
        ("Validate", "检查"),
        ("Submit", "提交"),
        ("Fetch Feedback", "领取反馈"),
        ("Assignment List", "作业列表"),
    ):
        assert f"{english}</b>（{chinese}）" in text
    assert panel.selected_index is None and "Assignments" in panel.titles[0]


def test_a_residents_feedback_on_an_item_does_not_count_as_its_lesson_learned(evidence, worker):
    evidence.record(
        worker_id=worker.worker_id,
        item_id="resident_register_analysis",
        domain="needs_analysis",
        source="resident_feedback",
        ref="resident:示例-HF-1",
        score=4,
        max_score=4,
        key="feedback:test",
    )
    assert _row(map_data(worker, evidence), "needs-analysis-register").status == "new"
    evidence.record(
        worker_id=worker.worker_id,
        item_id="resident_register_analysis",
        domain="needs_analysis",
        source="graded_exercise",
        ref="exercise:x:n:q1",
        score=1,
    )
    assert _row(map_data(worker, evidence), "needs-analysis-register").status == "done"


def test_the_map_shows_how_many_questions_are_due_for_review_today(evidence, worker):
    today = datetime.now(UTC)
    wrong_bank, right_bank = list(load_banks())[:2]
    skip = len(load_banks()[wrong_bank].items) - 3
    _answer_bank(evidence, worker, wrong_bank, score=0.0, when=today - timedelta(days=2), skip=skip)  # 3 wrong
    _answer_bank(evidence, worker, right_bank, score=1.0, when=today - timedelta(hours=2))  # all right
    assert map_data(worker, evidence, now=today).due == 3
    assert map_data(worker, evidence, now=today - timedelta(days=2)).due == 0  # just answered then
    page = learning_map(worker=worker, store=evidence).children[1].value
    assert "今日待复习 3 题" in page


def test_a_new_learner_has_nothing_to_review(evidence, worker):
    assert map_data(worker, evidence).due == 0
    assert "今日待复习 0 题" in learning_map(worker=worker, store=evidence).children[1].value


def test_the_map_has_a_search_box_whose_results_open_the_lessons(evidence, worker):
    from trainkit.widgets.search_box import search_box

    view = learning_map(worker=worker, store=evidence)
    boxes = [c for c in view.children if "tk-search" in c._dom_classes]
    assert len(boxes) == 1
    panel = search_box()
    text, out = panel.children[0].children[0], panel.children[1]
    text.value = "高龄津贴"  # typed, then Enter: the box submits its value
    lesson = _lesson(LESSON)
    assert "高龄津贴" in out.value and f"href='{lesson.notebook}'" in out.value
    text.value = ""
    assert out.value == ""


def test_the_map_draws_itself_once_a_new_learner_confirms_a_worker_id(evidence, tmp_path, monkeypatch):
    """No re-running the cell: picking a 工号 and pressing 确认 replaces the picker with the map."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("TRAINKIT_WORKER", raising=False)
    monkeypatch.setenv("TRAINKIT_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    box = learning_map(store=evidence)
    picker_box = box.children[0]
    picker, confirm = picker_box.children[1].children
    assert "<table class='tk-lessons'>" not in "".join(getattr(c, "value", "") for c in box.children)
    picker.value = "W003"
    confirm.click()
    greeting, view, *_rest = box.children  # then the search box and the help
    assert load_roster()["W003"].display_name in greeting.value
    assert "<table class='tk-lessons'>" in view.value


def test_lesson_links_are_rendered_by_the_notebook_so_jupyterlab_opens_them_in_a_tab(evidence, worker):
    """The map is a text/html output (JupyterLab's renderer handles its relative links), not an
    HTML widget whose links make the browser leave JupyterLab."""
    view = learning_map(worker=worker, store=evidence).children[1]
    (output,) = view.outputs
    assert output["output_type"] == "display_data"
    html = output["data"]["text/html"]
    lesson = load_lessons()[0]
    assert f"href='{lesson.notebook}'" in html and "href='/" not in html and "http" not in html
