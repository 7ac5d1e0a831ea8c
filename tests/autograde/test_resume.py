"""Resuming, --student and --force (runs kernels)."""

import shutil

import pytest
from autograde_corpus import ASSIGNMENT, NOTEBOOK, RIGHT, WRONG, answered, auto_total, submit

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
