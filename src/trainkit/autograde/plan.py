"""Which submissions to grade, and which file stands for each of the assignment's notebooks.

A submission already autograded since its timestamp is skipped unless forced — the rule
``nbgrader autograde`` applies (``BaseConverter.init_destination``). A notebook that is
missing may have been renamed (``dibao-exercise (1).ipynb``, ``Untitled.ipynb``, a copy in a
sub-folder): the unclaimed notebook sharing most grade ids with it is used, and that is said.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .course import Course
from .snapshot import AssignmentSource

__all__ = ["Submission", "plan_submissions"]

_GRADE_ID = re.compile(rb'"grade_id"\s*:\s*"([^"]+)"')


@dataclass
class Submission:
    student: str
    folder: Path
    timestamp: datetime | None
    files: dict[str, Path | None]  # notebook id → the file to grade (None: not submitted)
    notes: dict[str, list[str]] = field(default_factory=dict)  # notebook id → what was found
    extra: list[str] = field(default_factory=list)  # notebooks that belong to no notebook id
    timestamp_note: str | None = None


@dataclass
class Plan:
    todo: list[Submission]
    skipped: list[str]  # students already autograded since their submission
    unknown: list[str]  # --student ids with no submission


def plan_submissions(course: Course, source: AssignmentSource, *, students: tuple[str, ...] = (),
                     force: bool = False) -> Plan:
    assignment = source.name
    pattern = str(course.path("submitted", "*", assignment))
    excluded = set(filter(None, course.coursedir.student_id_exclude.split(",")))
    chosen = course.coursedir.student_id
    todo, skipped = [], []
    found: set[str] = set()
    for folder in map(Path, sorted(glob.glob(pattern))):
        student = folder.parent.name
        if not folder.is_dir() or student in excluded or not fnmatch.fnmatchcase(student, chosen):
            continue
        if students and student not in students:
            continue
        found.add(student)
        timestamp, note = _timestamp(course, folder)
        if not force and _done(course, student, assignment, timestamp):
            skipped.append(student)
            continue
        sub = Submission(student, folder, timestamp, {}, timestamp_note=note)
        _match_notebooks(sub, source, course.coursedir.ignore)
        todo.append(sub)
    return Plan(todo, skipped, sorted(set(students) - found))


def _timestamp(course: Course, folder: Path) -> tuple[datetime | None, str | None]:
    try:
        return course.coursedir.get_existing_timestamp(str(folder)), None
    except Exception:  # noqa: BLE001  (nbgrader's fail() on an unparsable timestamp.txt)
        return None, "timestamp.txt 的内容不是有效的时间，按没有提交时间处理"


def _done(course: Course, student: str, assignment: str, submitted: datetime | None) -> bool:
    """nbgrader's rule: skip if the autograded folder exists and the submission is not newer."""
    dest = course.path("autograded", student, assignment)
    if not dest.exists():
        return False
    try:
        graded = course.coursedir.get_existing_timestamp(str(dest))
    except Exception:  # noqa: BLE001
        return False
    return not (submitted is not None and graded is not None and submitted > graded)


def _match_notebooks(sub: Submission, source: AssignmentSource, ignore: list[str]) -> None:
    present = {}
    for path in sorted(sub.folder.rglob("*.ipynb")):
        rel = path.relative_to(sub.folder)
        if any(fnmatch.fnmatch(part, pat) for part in rel.parts for pat in ignore):
            continue
        present[rel.as_posix()] = path
    claimed: set[str] = set()
    for name in source.notebooks:
        if f"{name}.ipynb" in present:
            sub.files[name] = present[f"{name}.ipynb"]
            claimed.add(f"{name}.ipynb")
    for name, nb in source.notebooks.items():
        if name in sub.files:
            continue
        wanted = set(nb.order)
        candidates = [(len(wanted & _grade_ids(path)), rel) for rel, path in present.items() if rel not in claimed]
        best = max(candidates, default=(0, None))
        if best[1] is not None and (best[0] > 0 or len(candidates) == 1 and len(source.notebooks) == 1):
            sub.files[name] = present[best[1]]
            claimed.add(best[1])
            sub.notes.setdefault(name, []).append(f"没有找到 {name}.ipynb，改用提交的“{best[1]}”（文件被改名或移动）")
        else:
            sub.files[name] = None
    sub.extra = sorted(set(present) - claimed)


def _grade_ids(path: Path) -> set[str]:
    """Grade ids named in a file, read leniently (the file may be damaged)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return set()
    try:
        cells = json.loads(raw).get("cells", [])
        return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in cells} - {None}
    except (ValueError, AttributeError, TypeError):
        return {m.decode("utf-8", "replace") for m in _GRADE_ID.findall(raw)}
