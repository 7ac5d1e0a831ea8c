"""``trainkit autograde`` and ``trainkit feedback`` as a trainer runs them (runs kernels)."""

import os
import subprocess
import sys

import pytest
from autograde_corpus import ASSIGNMENT, EXPLAINED, NOTEBOOK, RIGHT, WRONG, answered, auto_total, submit
from click.testing import CliRunner

from trainkit.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory, template_course):
    """Three submissions autograded by the real command, in a process of its own."""
    import shutil

    course = tmp_path_factory.mktemp("cli") / "course"
    shutil.copytree(template_course, course)
    submit(course, "W001", {f"{NOTEBOOK}.ipynb": answered(course, RIGHT)})
    submit(course, "W002", {f"{NOTEBOOK}.ipynb": answered(course, {**WRONG, "第3题": "“A”"})})
    submit(course, "W003", {f"{NOTEBOOK}.ipynb": b'{"cells": ['})
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-m", "trainkit", "autograde", ASSIGNMENT, "--course", str(course), "--jobs", "2"],
        cwd=course.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return course, result


def test_autograde_prints_progress_on_stderr_and_the_summary_on_stdout(graded):
    course, result = graded
    assert result.returncode == 1, result.stderr  # W003's submission failed: the run says so
    assert "自动评分 [" in result.stderr and "3/3" in result.stderr and "预计还需" in result.stderr
    assert "自动评分汇总：social-assistance-dibao" in result.stdout
    assert "已评分            1" in result.stdout and "已评分（有修复）  1" in result.stdout
    assert "失败              1" in result.stdout
    assert "W003" in result.stdout and "读不出任何格子" in result.stdout
    assert auto_total(course, "W001") == 8 and auto_total(course, "W002") == 1


def test_a_second_run_skips_what_is_done(graded):
    course, _ = graded
    again = CliRunner().invoke(main, ["autograde", ASSIGNMENT, "--course", str(course)])
    assert again.exit_code == 0, again.output  # nothing graded, nothing failed
    assert "已跳过            3（此前已评分且没有重新提交；加 --force 重新评分）" in again.output
    chosen = CliRunner().invoke(
        main,
        ["autograde", ASSIGNMENT, "--course", str(course), "--force", "--student", "W001,W003", "--student", "W404"],
    )
    assert chosen.exit_code == 1, chosen.output  # W003 fails again
    assert "本次评分 2 份 notebook" in chosen.output and "没有找到这些学员的提交：W404" in chosen.output


def test_feedback_writes_chinese_pages_with_the_explanation_and_its_source(graded):
    course, _ = graded
    from datetime import UTC, datetime, timedelta

    from nbgrader.api import Gradebook

    run = CliRunner().invoke
    undated = run(main, ["feedback", ASSIGNMENT, "--course", str(course)])
    assert undated.exit_code == 1 and "没有设截止时间" in undated.output and "--force" in undated.output
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=datetime.now(UTC) + timedelta(days=2))
    early = run(main, ["feedback", ASSIGNMENT, "--course", str(course)])
    assert early.exit_code == 1 and "截止时间是" in early.output and "北京时间" in early.output
    assert not (course / "feedback").exists()  # nothing revealed early
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=datetime.now(UTC) - timedelta(hours=1))
    result = run(main, ["feedback", ASSIGNMENT, "--course", str(course)])
    assert result.exit_code == 0, result.output
    assert "共生成 3 份反馈" in result.output
    page = (course / "feedback" / "W002" / ASSIGNMENT / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert EXPLAINED["q1-check"]["explanation"] in page and "社会救助暂行办法" in page and "第九条" in page
    assert "中文引号" in page  # what was normalised before grading


def test_errors_are_explained_in_chinese(graded, tmp_path):
    course, _ = graded
    missing = CliRunner().invoke(main, ["autograde", "no-such-exercise", "--course", str(course)])
    assert missing.exit_code == 1 and "nbgrader generate_assignment no-such-exercise" in missing.output
    nowhere = CliRunner().invoke(main, ["autograde", ASSIGNMENT, "--course", str(tmp_path / "nowhere")])
    assert nowhere.exit_code == 1 and "找不到课程目录" in nowhere.output
    feedback = CliRunner().invoke(main, ["feedback", "no-such-exercise", "--course", str(course)])
    assert feedback.exit_code == 1 and "成绩库中没有作业" in feedback.output
