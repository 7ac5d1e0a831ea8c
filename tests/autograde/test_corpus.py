"""Every kind of damaged submission in one batch next to good ones (runs kernels)."""

import json

import nbformat
import pytest
from autograde_corpus import ASSIGNMENT, EXPECTED_AUTO, NOTEBOOK, auto_total, good, grades

from trainkit.autograde import render_summary

pytestmark = pytest.mark.slow


def test_the_batch_completes_and_every_submission_has_a_result(corpus):
    course, summary, expected = corpus
    students = {r.student for r in summary.results}
    assert students == set(expected) | set(good(course))
    assert not summary.interrupted


def test_each_damaged_submission_is_repaired_or_failed_with_its_reason(corpus):
    course, summary, expected = corpus
    by_student = {r.student: r for r in summary.results}
    for student, (status, phrase) in expected.items():
        result = by_student[student]
        said = " ".join(result.repairs + result.problems)
        assert result.status == status, (student, result)
        assert phrase in said, (student, said)


def test_damage_costs_only_the_damaged_answers(corpus):
    course, _, _ = corpus
    for student, points in EXPECTED_AUTO.items():
        assert auto_total(course, student) == points, student


def test_good_submissions_score_exactly_as_nbgrader_scores_them(corpus, reference):
    course, summary, _ = corpus
    ours = grades(course, students=set(good(course)))
    theirs = grades(reference)
    assert ours == theirs and len(theirs) == len(good(course)) * 10
    by_student = {r.student: r for r in summary.results if r.student in good(course)}
    honest = {s for s in by_student if not s.startswith("G-cheat")}
    assert {by_student[s].status for s in honest} == {"已评分"}
    # the cheats score what nbgrader gives them, and the trainer is told what was put back
    for student, says in (("G-cheat-test", "被改动过"), ("G-cheat-points", "评分标记"), ("G-cheat-locked", "被改动过")):
        assert by_student[student].status == "已修复" and says in " ".join(by_student[student].repairs), student


def test_pandas_imports_under_the_memory_cap(corpus):
    course, _, _ = corpus
    assert grades(course)[("G-pandas", "q2-check")][0] == 1.0  # the corpus runs with memory_mb=1024


def test_a_warning_on_stderr_does_not_zero_a_right_answer(corpus):
    course, _, _ = corpus
    assert grades(course)[("G-warning", "q4-check")][0] == 2.0
    executed = nbformat.read(course / "autograded" / "G-warning" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    check = next(c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q4-check")
    assert check.outputs == []  # the warning was printed, and nbgrader's IgnorePattern removed it


def test_damaged_files_are_published_only_when_their_grades_are_recorded(corpus):
    course, _, _ = corpus
    autograded = course / "autograded"
    assert (autograded / "D-gbk" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
    assert (autograded / "D-renamed" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
    assert (autograded / "D-missing" / ASSIGNMENT).is_dir()  # zeros recorded, nothing to show
    assert not (autograded / "D-kills-worker").exists()  # not recorded: graded again next run
    assert grades(course)[("D-kills-worker", "q1-check")][0] is None
    assert ("D-two-candidates", "q1-check") not in grades(course) or grades(course)[("D-two-candidates", "q1-check")][
        0
    ] is None  # undecided: nothing recorded
    assert not (autograded / "D-two-candidates").exists()
    assert not list((course / ".trainkit" / "autograde" / "staging").rglob("*.ipynb"))


def test_the_report_explains_unparseable_answers_and_never_shows_hidden_tests(corpus):
    course, _, _ = corpus
    reports = course / ".trainkit" / "autograde" / "reports" / ASSIGNMENT
    report = json.loads((reports / "D-unparseable.json").read_text(encoding="utf-8"))
    checks = {c["grade_id"]: c for c in report["notebooks"][NOTEBOOK]["checks"]}
    assert "阿拉伯数字" in checks["q4-check"]["message"] and checks["q4-check"]["score"] == 0
    every = " ".join(p.read_text(encoding="utf-8") for p in reports.glob("*.json"))
    for hidden in ("HIDDEN TESTS", "计入人数不对", "补差不对", "结论不对", "可计入收入不对"):
        assert hidden not in every


def test_after_a_dead_kernel_a_missed_check_says_so_not_that_the_answer_was_empty(corpus):
    course, _, _ = corpus
    reports = course / ".trainkit" / "autograde" / "reports" / ASSIGNMENT
    report = json.loads((reports / "D-killed-kernel.json").read_text(encoding="utf-8"))
    missed = [c["message"] for c in report["notebooks"][NOTEBOOK]["checks"] if c["kind"] == "auto" and not c["score"]]
    assert missed and all("新内核" in m and "答案格是空的" not in m for m in missed), missed


def test_the_summary_table_counts_and_explains(corpus):
    _, summary, expected = corpus
    text = render_summary(summary)
    failed = sum(status == "失败" for status, _ in expected.values())
    assert f"失败              {failed}" in text and "失败（原因）：" in text and "已评分（有修复）：" in text
    failed_section = text.split("失败（原因）：")[1]
    assert "D-exit-at-end" not in failed_section  # full marks are never listed as failed
    assert "D-os-exit" in text and "os._exit" in text and "GBK" in text
