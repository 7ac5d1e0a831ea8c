"""Which submissions to grade, and which file stands for each of the assignment's notebooks.

A submission already autograded since its timestamp is skipped unless forced — the rule
``nbgrader autograde`` applies (``BaseConverter.init_destination``). A notebook that is
missing may have been renamed (``dibao-exercise (1).ipynb``, ``Untitled.ipynb``, a copy in a
sub-folder). Among the unclaimed notebooks holding its grade ids, the one the learner worked
in is used — most answer cells filled in, then the newest — never the one whose name sorts
first, and that is said. When two are equally likely, neither is graded and the trainer is
told which files to choose between.
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
    undecided: dict[str, str] = field(default_factory=dict)  # notebook id → why no file could be chosen


@dataclass
class Plan:
    todo: list[Submission]
    skipped: list[str]  # students already autograded since their submission
    unknown: list[str]  # --student ids with no submission


def plan_submissions(
    course: Course, source: AssignmentSource, *, students: tuple[str, ...] = (), force: bool = False
) -> Plan:
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
        unclaimed = [rel for rel in present if rel not in claimed]
        ranked = sorted(((_likeness(present[rel], wanted), rel) for rel in unclaimed), reverse=True)
        usable = [
            (key, rel) for key, rel in ranked if key[0] > 0 or (len(unclaimed) == 1 and len(source.notebooks) == 1)
        ]
        if not usable:
            sub.files[name] = None
            continue
        (best, rel), rest = usable[0], usable[1:]
        if rest and rest[0][0] == best:
            sub.files[name] = None
            tied = "、".join(f"“{r}”" for k, r in usable if k == best)
            sub.undecided[name] = (
                f"没有找到 {name}.ipynb；提交的 {tied} 同样像是这份作业（作答格一样多、修改时间相同），"
                f"无法确定评哪一份，本 notebook 没有评分：请确认后把要评的一份改名为 {name}.ipynb，再运行一次"
            )
            claimed.update(r for k, r in usable if k == best)
            continue
        sub.files[name] = present[rel]
        claimed.add(rel)
        why = (
            f"其中作答的格子最多（{best[1]} 格）"
            if rest and best[1] != rest[0][0][1]
            else "它是最近修改的一份"
            if rest
            else ""
        )
        sub.notes.setdefault(name, []).append(
            f"没有找到 {name}.ipynb，改用提交的“{rel}”（文件被改名或移动{'；' + why if why else ''}）"
        )
    sub.extra = sorted(set(present) - claimed)


def _likeness(path: Path, wanted: set[str]) -> tuple[int, int, int]:
    """(grade ids shared, answer cells filled in, modification time in whole seconds): higher is likelier."""
    ids, answered = _grade_ids(path), _answered(path)
    try:
        mtime = int(path.stat().st_mtime)
    except OSError:
        mtime = 0
    return len(wanted & ids), answered, mtime


_STUBS = ("请在这里作答。", "YOUR ANSWER HERE")  # the kit's text stub (exercises/nbgrader_config.py), nbgrader's own


def _answered(path: Path) -> int:
    """Answer cells (nbgrader ``solution``) holding more than the released stub and comments."""
    try:
        cells = json.loads(path.read_bytes()).get("cells", [])
    except (OSError, ValueError, AttributeError, TypeError):
        return 0
    count = 0
    for cell in cells:
        if not isinstance(cell, dict) or not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        text = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
        kept = [
            line
            for line in text.splitlines()
            if line.strip()
            and not line.lstrip().startswith("#")
            and line.strip() not in _STUBS
            and "raise NotImplementedError" not in line
        ]
        count += bool(kept)
    return count


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
