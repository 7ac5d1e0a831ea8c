"""``trainkit autograde`` and ``trainkit feedback`` as a trainer runs them (runs kernels)."""

import os
import subprocess
import sys

import pytest
from autograde_corpus import ASSIGNMENT, NOTEBOOK, RIGHT, WRONG, answered, auto_total, new_course, submit

pytestmark = pytest.mark.slow

EXPLAINED = {"q1-check": {"explanation": "共同生活的家庭成员看户籍和实际居住：读研究生且不同住的女儿不计入。",
                          "citation": {"law": "social_assistance_measures", "article": 9}}}


def trainkit(*args, cwd):
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "trainkit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("cli") / "course", trainkit_metadata=EXPLAINED)
    submit(course, "W001", {f"{NOTEBOOK}.ipynb": answered(course, RIGHT)})
    submit(course, "W002", {f"{NOTEBOOK}.ipynb": answered(course, {**WRONG, "第3题": "“A”"})})
    submit(course, "W003", {f"{NOTEBOOK}.ipynb": b"{\"cells\": ["})
    return course


def test_autograde_prints_progress_on_stderr_and_the_summary_on_stdout(course):
    result = trainkit("autograde", ASSIGNMENT, "--course", str(course), "--jobs", "2", cwd=course.parent)
    assert result.returncode == 0, result.stderr
    assert "自动评分 [" in result.stderr and "3/3" in result.stderr and "预计还需" in result.stderr
    assert "自动评分汇总：social-assistance-dibao" in result.stdout
    assert "已评分  1" in result.stdout and "已修复  1" in result.stdout and "失败    1" in result.stdout
    assert "W003" in result.stdout and "读不出任何格子" in result.stdout
    assert auto_total(course, "W001") == 8 and auto_total(course, "W002") == 1

    again = trainkit("autograde", ASSIGNMENT, "--course", str(course), cwd=course.parent)
    assert again.returncode == 0 and "已跳过  3" in again.stdout


def test_feedback_writes_chinese_pages_with_the_explanation_and_its_source(course):
    graded = trainkit("autograde", ASSIGNMENT, "--course", str(course), cwd=course.parent)
    assert graded.returncode == 0, graded.stderr
    result = trainkit("feedback", ASSIGNMENT, "--course", str(course), cwd=course.parent)
    assert result.returncode == 0, result.stderr
    assert "共生成 3 份反馈" in result.stdout
    page = (course / "feedback" / "W002" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert EXPLAINED["q1-check"]["explanation"] in page and "社会救助暂行办法" in page and "第九条" in page
    assert "中文引号" in page  # what was normalised before grading


def test_errors_are_explained_in_chinese(course, tmp_path):
    missing = trainkit("autograde", "no-such-exercise", "--course", str(course), cwd=course.parent)
    assert missing.returncode == 1 and "nbgrader generate_assignment no-such-exercise" in missing.stderr
    nowhere = trainkit("autograde", ASSIGNMENT, "--course", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert nowhere.returncode != 0 and "课程" in nowhere.stderr
