"""Double-marking (双评): two independent marks, arbitration past the gap, agreed marks into the
gradebook and from there into evidence; agreement statistics for the trainers."""

from __future__ import annotations

import math
import shutil

import nbformat
import pytest
from click.testing import CliRunner

from trainkit.cli import main
from trainkit.content import exercises_root
from trainkit.evidence import open_store
from trainkit.grading import import_grades, nbgrader
from trainkit.marking import agreement, criteria, latest_plan, marking_status, record_mark, set_plan
from trainkit.widgets.marking import marking_form

ASSIGNMENT = "social-assistance-dibao"
NB = "dibao-exercise"
PLANS = {
    "W001": "王阿姨，您家计入四个人，助学金和抚恤金不算收入。请写书面申请交街道，入户调查后公示，区民政局审批。",
    "W002": "您家可以申请低保，请准备材料。",
    "W003": "计入四人；只算老李工资 2000 元；家里情况有变化要及时告诉街道。",
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The 低保 exercise, three written answers, autograded by nbgrader."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(exercises_root() / "nbgrader_config.py", course)
    shutil.copytree(exercises_root() / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    assert nbgrader("generate_assignment", ASSIGNMENT, course=course).returncode == 0
    for student, text in PLANS.items():
        nb = nbformat.read(course / "release" / ASSIGNMENT / f"{NB}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "q7-plan":
                cell.source = text
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NB}.ipynb")
        (folder / "timestamp.txt").write_text("2026-10-08 09:30:00.000000 UTC")
    result = nbgrader("autograde", ASSIGNMENT, course=course)
    assert result.returncode == 0, result.stderr[-2000:]
    return course


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'e.db'}")


def _mark_all(store, course, marks_by_marker):
    for marker, marks in marks_by_marker.items():
        for (student, grade_id), score in marks.items():
            record_mark(
                store, course, assignment=ASSIGNMENT, student=student, grade_id=grade_id, marker=marker, score=score
            )


# hand-worked: (student, criterion) → (T1, T2)
MARKS = {
    ("W001", "q7-plan"): (2, 0),  # 2 apart: arbitration
    ("W001", "q7-income"): (2, 2),
    ("W001", "q7-procedure"): (2, 1.5),
    ("W001", "q7-duties"): (0.5, 0.5),
    ("W002", "q7-plan"): (0, 0.5),
    ("W002", "q7-income"): (0, 0),
    ("W002", "q7-procedure"): (0.5, 0),
    ("W002", "q7-duties"): (0, 0),
    ("W003", "q7-plan"): (1, 2),  # exactly the gap apart: no arbitration
    ("W003", "q7-income"): (1.5, 2),
    ("W003", "q7-procedure"): (0, 0),
    ("W003", "q7-duties"): (1, 1),
}


@pytest.mark.slow
def test_the_written_answer_and_its_rubric_criteria_are_the_marked_cells(course):
    found = [(c.grade_id, c.points, c.answer_id) for c in criteria(course, ASSIGNMENT)]
    assert found == [
        ("q7-plan", 2, "q7-plan"),
        ("q7-income", 2, "q7-plan"),
        ("q7-procedure", 2, "q7-plan"),
        ("q7-duties", 1, "q7-plan"),
    ]


@pytest.mark.slow
def test_two_marks_within_the_gap_average_and_past_it_go_to_the_arbiter(course, store):
    set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T2"), arbiter="T3", gap=1, created_by="T3")
    _mark_all(store, course, {"T1": {k: v[0] for k, v in MARKS.items()}})
    status = marking_status(store, course, ASSIGNMENT).set_index(["student", "grade_id"])
    assert set(status["state"]) == {"second"}
    _mark_all(store, course, {"T2": {k: v[1] for k, v in MARKS.items()}})
    status = marking_status(store, course, ASSIGNMENT).set_index(["student", "grade_id"])
    assert status.loc[("W001", "q7-plan"), "state"] == "arbitration"
    assert status.loc[("W001", "q7-procedure"), "final"] == 1.75
    assert status.loc[("W003", "q7-plan"), "state"] == "agreed" and status.loc[("W003", "q7-plan"), "final"] == 1.5
    assert status.loc[("W003", "q7-income"), "final"] == 1.75
    with pytest.raises(ValueError, match="不需要仲裁"):
        record_mark(store, course, assignment=ASSIGNMENT, student="W003", grade_id="q7-income", marker="T3", score=2)
    record_mark(store, course, assignment=ASSIGNMENT, student="W001", grade_id="q7-plan", marker="T3", score=1)
    status = marking_status(store, course, ASSIGNMENT).set_index(["student", "grade_id"])
    assert set(status["state"]) == {"agreed"} and status.loc[("W001", "q7-plan"), "final"] == 1


@pytest.mark.slow
def test_agreement_per_criterion_and_per_marker(course, store):
    set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T2"), arbiter="T3", gap=1, created_by="T3")
    _mark_all(store, course, {m: {k: v[i] for k, v in MARKS.items()} for i, m in enumerate(("T1", "T2"))})
    per_criterion, per_marker = agreement(marking_status(store, course, ASSIGNMENT), latest_plan(store, ASSIGNMENT))
    rows = per_criterion.set_index("grade_id")
    assert rows.loc["q7-duties", "exact"] == 1 and rows.loc["q7-duties", "alpha"] == pytest.approx(1)
    assert rows.loc["q7-plan", "exact"] == 0 and rows.loc["q7-plan", "adjacent"] == pytest.approx(2 / 3)
    assert rows.loc["q7-plan", "arbitrated"] == 1 and rows.loc["q7-plan", "alpha"] < rows.loc["q7-duties", "alpha"]
    assert not math.isnan(rows.loc["q7-income", "alpha"])
    # T1 - T2 over the 12 answers: (2 + 0 + 0.5 + 0 - 0.5 + 0 + 0.5 + 0 - 1 - 0.5 + 0 + 0) / 12 = 1 / 12
    t1 = per_marker.set_index("marker").loc["T1"]
    assert t1["marked"] == 12 and t1["vs_other"] == pytest.approx(1 / 12)


@pytest.mark.slow
def test_marks_are_refused_outside_the_plan_and_the_scale(course, store):
    with pytest.raises(ValueError, match="还没有双评安排"):
        record_mark(store, course, assignment=ASSIGNMENT, student="W001", grade_id="q7-plan", marker="T1", score=1)
    with pytest.raises(ValueError, match="两位不同的评分人"):
        set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T1"), arbiter="T3", gap=1, created_by="T3")
    with pytest.raises(ValueError, match="第三位"):
        set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T2"), arbiter="T2", gap=1, created_by="T3")
    set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T2"), arbiter="T3", gap=1, created_by="T3")
    for marker, score, message in (("T9", 1, "不在作业"), ("T1", 1.3, "0.5 分"), ("T1", 3, "满分 2 分")):
        with pytest.raises(ValueError, match=message):
            record_mark(
                store, course, assignment=ASSIGNMENT, student="W001", grade_id="q7-plan", marker=marker, score=score
            )
    with pytest.raises(ValueError, match="没有找到 W404"):
        record_mark(store, course, assignment=ASSIGNMENT, student="W404", grade_id="q7-plan", marker="T1", score=1)


@pytest.mark.slow
def test_agreed_marks_reach_the_gradebook_and_then_the_evidence(course, store, tmp_path):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    run = CliRunner().invoke
    args = ["--course", str(course), "--db", db]
    assert (
        run(main, ["mark", "plan", ASSIGNMENT, "--markers", "T1,T2", "--arbiter", "T3", "--by", "T3", *args]).exit_code
        == 0
    )
    _mark_all(store, course, {m: {k: v[i] for k, v in MARKS.items()} for i, m in enumerate(("T1", "T2"))})
    record_mark(store, course, assignment=ASSIGNMENT, student="W001", grade_id="q7-plan", marker="T3", score=1)
    blind = run(main, ["mark", "status", ASSIGNMENT, *args])
    assert blind.exit_code == 0 and "答卷 03" in blind.output and "W00" not in blind.output  # blind marking holds
    named = run(main, ["mark", "status", ASSIGNMENT, "--show-ids", *args])
    assert {line.split()[0] for line in named.output.splitlines()} == set(PLANS)
    applied = run(main, ["mark", "apply", ASSIGNMENT, *args])
    assert applied.exit_code == 0 and "写入成绩库 12 项" in applied.output
    page = tmp_path / "双评.html"
    shown = run(main, ["mark", "report", ASSIGNMENT, "--out", str(page), *args])
    html = page.read_text(encoding="utf-8")
    assert shown.exit_code == 0 and "Krippendorff" in html
    assert "<h1>双评情况：城市低保的受理与计算</h1>" in html  # the exercise as trainers know it, not its folder
    evidence = open_store(db)
    import_grades(evidence, course)
    scores = {(r.worker_id, r.ref.rsplit(":", 1)[1]): r.score for r in evidence.rows()}
    assert scores[("W001", "q7-plan")] == 1 and scores[("W001", "q7-procedure")] == 1.75
    assert scores[("W002", "q7-income")] == 0


@pytest.mark.slow
def test_the_form_hides_the_other_markers_score_and_the_arbiter_sees_both(course, store):
    set_plan(store, assignment=ASSIGNMENT, markers=("T1", "T2"), arbiter="T3", gap=1, created_by="T3")
    record_mark(store, course, assignment=ASSIGNMENT, student="W001", grade_id="q7-plan", marker="T1", score=2)
    form = marking_form(ASSIGNMENT, course=course, marker="T2", store=store)
    head, body, score, _comment, save, message = form.children
    assert "待评 12 项" in head.value and "王阿姨" in body.value and "2 分与" not in body.value
    score.value = 0
    save.click()
    assert "已保存" in message.value and "待评 11 项" in head.value
    arbiter = marking_form(ASSIGNMENT, course=course, marker="T3", store=store)
    assert "2 分与 0 分" in arbiter.children[1].value
    outsider = marking_form(ASSIGNMENT, course=course, marker="T9", store=store)
    assert "不在作业" in outsider.children[0].value
