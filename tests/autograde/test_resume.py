"""Resuming, --student and --force (runs kernels)."""

import shutil

import pytest
from autograde_corpus import ASSIGNMENT, NOTEBOOK, RIGHT, WRONG, answered, auto_total, grades, submit

from trainkit.autograde import autograde

pytestmark = pytest.mark.slow


def graded(summary):
    return sorted(r.student for r in summary.results)


def test_resume_student_and_force(make_course):
    course = make_course()
    for student, answers in (("S1", RIGHT), ("S2", WRONG), ("S3", RIGHT)):
        submit(course, student, {f"{NOTEBOOK}.ipynb": answered(course, answers)})

    assert graded(autograde(course, ASSIGNMENT, jobs=2, students=("S2",))) == ["S2"]
    first = autograde(course, ASSIGNMENT, jobs=2)
    assert graded(first) == ["S1", "S3"] and first.skipped == ["S2"]  # already autograded
    assert [auto_total(course, s) for s in ("S1", "S2", "S3")] == [8, 0, 8]

    again = autograde(course, ASSIGNMENT, jobs=2)
    assert graded(again) == [] and sorted(again.skipped) == ["S1", "S2", "S3"]

    # S2 resubmits, later: only S2 is graded again
    submit(course, "S2", {f"{NOTEBOOK}.ipynb": answered(course, RIGHT)}, stamp="2026-10-09 08:00:00.000000 UTC")
    resubmitted = autograde(course, ASSIGNMENT, jobs=2)
    assert graded(resubmitted) == ["S2"] and auto_total(course, "S2") == 8

    # a run that stopped before S3's grades were committed left no autograded/ folder for it
    shutil.rmtree(course / "autograded" / "S3")
    (course / ".trainkit" / "autograde" / "staging" / ASSIGNMENT / "S3").mkdir(parents=True)
    assert graded(autograde(course, ASSIGNMENT, jobs=2)) == ["S3"]

    forced = autograde(course, ASSIGNMENT, jobs=2, force=True, students=("S1", "S9"))
    assert graded(forced) == ["S1"] and forced.unknown == ["S9"]


def test_a_manual_grade_survives_a_forced_regrade_and_is_flagged_for_review(make_course):
    from nbgrader.api import Gradebook

    course = make_course()
    submit(course, "S1", {f"{NOTEBOOK}.ipynb": answered(course, RIGHT, written="我的书面作答")})
    autograde(course, ASSIGNMENT, jobs=1)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q7-plan", NOTEBOOK, ASSIGNMENT, "S1")
        grade.manual_score, grade.needs_manual_grade = 2, False
        gb.db.commit()
    autograde(course, ASSIGNMENT, jobs=1, force=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q7-plan", NOTEBOOK, ASSIGNMENT, "S1")
        assert grade.manual_score == 2 and grade.needs_manual_grade  # as nbgrader autograde does


def test_the_time_limit_bounds_the_whole_notebook(make_course):
    loop = "while True:\n    pass"
    course = make_course()
    submit(course, "S1", {f"{NOTEBOOK}.ipynb": answered(course, {**RIGHT, "人数": loop, "月收入": loop})})
    summary = autograde(course, ASSIGNMENT, jobs=1, timeout=5)
    [result] = summary.results
    said = " ".join(result.problems)
    assert result.status == "失败" and "整本作业运行超过 5 秒的时间限制" in said and "死循环" in said
    assert auto_total(course, "S1") == 0  # nothing after the limit ran, so nothing passed


def test_learner_code_that_kills_its_parent_does_not_touch_other_learners(make_course):
    """S1's kernel kills the process it was forked from, while S2 and S3's kernels (forked
    from the same process) are already booting: they must grade as if nothing happened."""
    course = make_course()
    kill = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n第5题 = 'B'"
    submit(course, "S1", {f"{NOTEBOOK}.ipynb": answered(course, {**RIGHT, "第5题": kill})})
    for student in ("S2", "S3", "S4"):
        submit(course, student, {f"{NOTEBOOK}.ipynb": answered(course, RIGHT)})
    summary = autograde(course, ASSIGNMENT, jobs=1)
    results = {r.student: r for r in summary.results}
    for student in ("S2", "S3", "S4"):
        assert results[student].status == "已评分" and not results[student].problems, results[student]
        assert auto_total(course, student) == 8
    assert results["S1"].status in ("已评分", "失败")


@pytest.mark.postgres
def test_grades_go_to_a_postgresql_gradebook_too(make_course, pg_url):
    from trainkit.grading import nbgrader

    course = make_course()
    config = course / "nbgrader_config.py"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\nc.CourseDirectory.db_url = {pg_url!r}\n", encoding="utf-8"
    )
    assert nbgrader("generate_assignment", ASSIGNMENT, "--force", course=course).returncode == 0
    (course / "gradebook.db").unlink()
    submit(course, "S1", {f"{NOTEBOOK}.ipynb": answered(course, RIGHT)})
    submit(course, "S2", {f"{NOTEBOOK}.ipynb": b""})
    summary = autograde(course, ASSIGNMENT, jobs=2)
    assert sorted(r.status for r in summary.results) == ["失败", "已评分"]
    found = grades(course, db_url=pg_url)
    assert sum(v[0] or 0 for (s, g), v in found.items() if s == "S1" and g.endswith("-check")) == 8
    assert {v[0] for (s, g), v in found.items() if s == "S2"} == {0.0}
    assert not (course / "gradebook.db").exists()
