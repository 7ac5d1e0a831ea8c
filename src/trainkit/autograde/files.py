"""A submission's files: the folder its notebooks run in, its ``autograded/`` folder, and
trainkit's report of what was repaired and why anything failed.

The staging folder is built as ``nbgrader autograde`` builds ``autograded/<student>/<assignment>/``
(the learner's other files, then the source's, overwriting) but inside the git-ignored
``.trainkit/`` folder; it becomes ``autograded/…`` only once the submission's grades are
committed — so "autograded" always means "grades recorded", and a stopped run resumes.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from .course import Course
from .plan import Submission

__all__ = ["publish", "stage", "write_report"]

NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}  # written by nbgrader submit / collect


def stage(course: Course, assignment: str, sub: Submission) -> tuple[Path, list[str]]:
    """The folder the submission's notebooks run in, and what is worth saying about its files."""
    from nbgrader.utils import find_all_files

    folder = course.state("staging", assignment, sub.student)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = [*course.coursedir.ignore, "*.ipynb"]
    notes = [f"另外提交的 {name} 不属于本作业，未评分" for name in sub.extra]
    if sub.timestamp_note:
        notes.append(sub.timestamp_note)
    limit = course.coursedir.max_file_size * 1024
    source = course.path("source", ".", assignment)
    for file in map(Path, find_all_files(str(sub.folder), ignore)):
        rel = file.relative_to(sub.folder)
        if file.stat().st_size > limit:
            notes.append(f"附带的文件 {rel.as_posix()} 超过 {limit // 1024} KB，没有复制")
            continue
        if rel.as_posix() not in NBGRADER_FILES and not (source / rel).exists():
            notes.append(f"另外提交的文件 {rel.as_posix()} 已保留，不评分")
        _copy(file, folder / rel)
    keep = set(course.converter.exclude_overwriting.get(assignment, []))
    for file in map(Path, find_all_files(str(source), ignore)):
        if file.relative_to(source).as_posix() not in keep:
            _copy(file, folder / file.relative_to(source))
    return folder, notes


def publish(course: Course, assignment: str, student: str, staged: Path) -> None:
    """The staged folder becomes ``autograded/<student>/<assignment>/``, with nbgrader's permissions."""
    dest = course.path("autograded", student, assignment)
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged.replace(dest)
    course.converter.set_permissions(assignment, student)


def write_report(
    course: Course, assignment: str, sub: Submission, *, recorded: bool, results: dict, checks: dict[str, list[dict]]
) -> Path:
    """``.trainkit/autograde/reports/<assignment>/<student>.json``: read by ``trainkit feedback``."""
    report = {
        "student": sub.student,
        "assignment": assignment,
        "graded_by": "trainkit autograde",
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "submitted_at": sub.timestamp.isoformat() if sub.timestamp else None,
        "recorded": recorded,
        "notebooks": {
            name: {"status": r.status, "repairs": r.repairs, "problems": r.problems, "checks": checks.get(name, [])}
            for name, r in results.items()
        },
    }
    path = course.state("reports", assignment, f"{sub.student}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    shutil.copy(src, dest)
