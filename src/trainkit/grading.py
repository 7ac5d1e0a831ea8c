"""nbgrader glue: which service items each grade cell evidences, and importing grades as evidence.

The gradebook is read only through nbgrader's own API. Each graded cell becomes one
evidence row per service item it is tagged with (cell metadata ``trainkit.items`` in the
source notebook). Importing twice adds nothing; a regrade adds a row that supersedes
the earlier one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import nbformat

from .evidence import EvidenceStore
from .framework import load_framework

__all__ = ["ImportSummary", "grade_cell_items", "import_grades", "nbgrader"]


def nbgrader(*args: str, course: Path) -> subprocess.CompletedProcess[str]:
    """Run an ``nbgrader`` command in ``course`` with this environment's tools on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, check=False)


def grade_cell_items(course: Path, assignment: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(notebook, grade_id) → service items, read from the source notebooks' cell metadata."""
    items = load_framework().items
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for path in sorted((course / "source" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata
            if meta.get("nbgrader", {}).get("grade"):
                tagged = tuple(meta.get("trainkit", {}).get("items", ()))
                unknown = [i for i in tagged if i not in items]
                if not tagged or unknown:
                    raise ValueError(f"{path}: {meta['nbgrader']['grade_id']}: 评分单元格必须标注已声明的服务事项"
                                     f"{'（未知：' + ', '.join(unknown) + '）' if unknown else ''}")
                found[(path.stem, meta["nbgrader"]["grade_id"])] = tagged
    return found


@dataclass
class ImportSummary:
    added: int = 0
    superseding: int = 0
    unchanged: int = 0
    awaiting_manual: int = 0


def import_grades(store: EvidenceStore, course: Path, *, db_url: str | None = None) -> ImportSummary:
    """Copy every graded cell of every submission in the gradebook into the evidence store."""
    from nbgrader.api import Gradebook

    course = Path(course)
    db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    fw = load_framework()
    summary = ImportSummary()
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            cell_items = grade_cell_items(course, assignment.name)
            for sub in gb.assignment_submissions(assignment.name):
                when = sub.timestamp or sub.assignment.duedate
                when = when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.score is None or grade.needs_manual_grade:
                            summary.awaiting_manual += 1
                            continue
                        for item in cell_items.get((nb.name, grade.name), ()):
                            _import_one(store, summary, worker=sub.student.id, item=item,
                                        domain=fw.domain_of(item),
                                        ref=f"exercise:{assignment.name}:{nb.name}:{grade.name}",
                                        score=float(grade.score), max_score=float(grade.max_score),
                                        when=when, manual=grade.manual_score is not None)
    return summary


def _import_one(store: EvidenceStore, summary: ImportSummary, *, worker: str, item: str, domain: str,
                ref: str, score: float, max_score: float, when, manual: bool) -> None:  # noqa: ANN001
    key = f"nbgrader:{worker}:{ref}:{item}:{when.isoformat() if when else ''}:{score:g}/{max_score:g}"
    earlier = [r for r in store.rows(worker_id=worker, ref=ref, source="graded_exercise")
               if r.item_id == item]
    if any(r.key == key for r in earlier):
        summary.unchanged += 1
        return
    store.record(worker_id=worker, item_id=item, domain=domain, source="graded_exercise", ref=ref,
                 score=score, max_score=max_score, recorded_at=when, key=key,
                 assessor="trainer" if manual else "nbgrader-autograde",
                 supersedes=earlier[-1].id if earlier else None)
    summary.added += 1
    summary.superseding += bool(earlier)
