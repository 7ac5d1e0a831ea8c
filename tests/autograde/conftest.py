"""Fixtures: a course with the kit's 低保 exercise, and the damaged-submission corpus graded once."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from autograde_corpus import ASSIGNMENT, EXPLAINED, NOTEBOOK, damaged, good, new_course, submit

from trainkit.grading import nbgrader


@pytest.fixture(scope="session")
def template_course(tmp_path_factory) -> Path:
    return new_course(tmp_path_factory.mktemp("ag") / "template", trainkit_metadata=EXPLAINED)


@pytest.fixture
def make_course(template_course, tmp_path) -> Callable[..., Path]:
    """A fresh copy of the generated course, with the given submissions."""

    def make(name: str = "course", submissions: dict[str, dict] | None = None) -> Path:
        course = tmp_path / name
        shutil.copytree(template_course, course)
        for student, files in (submissions or {}).items():
            submit(course, student, files)
        return course

    return make


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, template_course):
    """Every kind of damage next to the good submissions, autograded in one trainkit run."""
    from trainkit.autograde import autograde

    course = tmp_path_factory.mktemp("corpus") / "course"
    shutil.copytree(template_course, course)
    for student, nb in good(course).items():
        submit(course, student, {f"{NOTEBOOK}.ipynb": nb})
    expected = {}
    for student, (files, status, phrase) in damaged(course).items():
        submit(course, student, files)
        expected[student] = (status, phrase)
    summary = autograde(course, ASSIGNMENT, jobs=2, timeout=20, memory_mb=1024)
    return course, summary, expected


@pytest.fixture(scope="session")
def reference(tmp_path_factory, template_course):
    """The good submissions alone, autograded by plain ``nbgrader autograde``."""
    course = tmp_path_factory.mktemp("reference") / "course"
    shutil.copytree(template_course, course)
    for student, nb in good(course).items():
        submit(course, student, {f"{NOTEBOOK}.ipynb": nb})
    result = nbgrader("autograde", ASSIGNMENT, course=course)
    assert result.returncode == 0, result.stderr[-3000:]
    return course
