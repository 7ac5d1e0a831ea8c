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
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import nbformat
import sqlalchemy as sa

from .erasure import erased_id_hashes, id_hash
from .evidence import EvidenceConflict, EvidenceRow, EvidenceStore
from .framework import load_framework

__all__ = ["ImportSummary", "grade_cell_items", "gradebook_url", "import_grades", "nbgrader"]


def nbgrader(*args: str, course: Path) -> subprocess.CompletedProcess[str]:
    """Run an ``nbgrader`` command in ``course`` with this environment's tools on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True, check=False
    )


def grade_cell_items(course: Path, assignment: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(notebook, grade_id) → service items, read from the source notebooks' cell metadata."""
    items = load_framework().items
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for path in sorted((course / "source" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata
            nbg = meta.get("nbgrader", {})
            if nbg.get("grade") or nbg.get("task"):  # task cells carry a rubric criterion each
                tagged = tuple(meta.get("trainkit", {}).get("items", ()))
                unknown = [i for i in tagged if i not in items]
                if not tagged or unknown:
                    raise ValueError(
                        f"{path}: {meta['nbgrader']['grade_id']}: 评分单元格必须标注已声明的服务事项"
                        f"{'（未知：' + ', '.join(unknown) + '）' if unknown else ''}"
                    )
                found[(path.stem, meta["nbgrader"]["grade_id"])] = tagged
    return found


@dataclass
class ImportSummary:
    added: int = 0
    superseding: int = 0
    unchanged: int = 0
    awaiting_manual: int = 0
    erased: set[str] = field(default_factory=set)  # students skipped: their personal data was erased
    unlisted: set[str] = field(default_factory=set)  # students skipped: not on the roster
    conflicts: list[str] = field(default_factory=list)  # rows not written, each with its Chinese reason


def gradebook_url(course: Path, db_url: str | None = None) -> str:
    """The course's gradebook URL, refusing a course folder or gradebook file that is not there
    (nbgrader would quietly make an empty gradebook and the import would find nothing)."""
    course = Path(course)
    if not course.is_dir():
        raise ValueError(
            f"{course}: 找不到课程目录：请在 nbgrader 课程目录运行，或用 --course 指定（例如 --course exercises）"
        )
    if db_url is None and not (course / "gradebook.db").is_file():
        raise ValueError(
            f"{course}: 这里没有成绩库 gradebook.db：请确认这是已经评过分的课程目录，或用 --gradebook 指定成绩库的 URL"
        )
    db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    gradebook = sa.engine.make_url(db_url)
    if gradebook.get_backend_name() == "sqlite" and gradebook.database and not Path(gradebook.database).is_file():
        raise ValueError(f"{gradebook.database}: 找不到成绩库文件：请检查 --gradebook")
    return db_url


def import_grades(
    store: EvidenceStore, course: Path, *, db_url: str | None = None, roster: Collection[str] | None = None
) -> ImportSummary:
    """Copy every graded cell of every submission in the gradebook into the evidence store.

    Students whose personal data was erased are skipped (and named in the summary) until the
    trainer removes them from the gradebook; a row whose key is held by other content is not
    written and is listed as a conflict, and the import goes on with the rest. Given a
    ``roster`` (worker ids), students not on it (a trainer's test account such as ``root``)
    are skipped and named in the summary.
    """
    from nbgrader.api import Gradebook

    course = Path(course)
    db_url = gradebook_url(course, db_url)
    fw = load_framework()
    summary = ImportSummary()
    latest: dict[tuple[str, str, str], EvidenceRow] = {}
    for row in store.rows(source="graded_exercise"):  # oldest first: the last one wins
        latest[(row.worker_id, row.ref, row.item_id)] = row
    erased = erased_id_hashes(store.engine)
    try:
        gb = Gradebook(db_url)
    except sa.exc.DatabaseError as err:
        raise ValueError(
            f"{db_url}: 不是有效的 nbgrader 成绩库（{str(err.orig or err).splitlines()[0][:120]}）："
            "请检查 --course 或 --gradebook"
        ) from None
    with gb:
        for assignment in gb.assignments:
            cell_items = grade_cell_items(course, assignment.name)
            for sub in gb.assignment_submissions(assignment.name):
                if id_hash(sub.student.id) in erased:
                    summary.erased.add(sub.student.id)
                    continue
                if roster is not None and sub.student.id not in roster:
                    summary.unlisted.add(sub.student.id)
                    continue
                when = sub.timestamp or sub.assignment.duedate
                when = when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.score is None or grade.needs_manual_grade:
                            summary.awaiting_manual += 1
                            continue
                        ref = f"exercise:{assignment.name}:{nb.name}:{grade.name}"
                        for item in cell_items.get((nb.name, grade.name), ()):
                            _import_one(
                                store,
                                summary,
                                latest,
                                worker=sub.student.id,
                                item=item,
                                domain=fw.domain_of(item),
                                ref=ref,
                                score=float(grade.score),
                                max_score=float(grade.max_score),
                                when=when,
                                manual=grade.manual_score is not None,
                            )
    return summary


def _import_one(
    store: EvidenceStore,
    summary: ImportSummary,
    latest: dict,
    *,
    worker: str,
    item: str,
    domain: str,
    ref: str,
    score: float,
    max_score: float,
    when,
    manual: bool,
) -> None:  # noqa: ANN001
    """Record one graded cell unless the latest row for it already says the same."""
    before = latest.get((worker, ref, item))
    if before is not None and (before.score, before.max_score) == (score, max_score):
        summary.unchanged += 1
        return
    key = f"nbgrader:{worker}:{ref}:{item}:{score:g}/{max_score:g}:after:{before.id if before else '-'}"
    try:
        new_id = store.record(
            worker_id=worker,
            item_id=item,
            domain=domain,
            source="graded_exercise",
            ref=ref,
            score=score,
            max_score=max_score,
            recorded_at=when,
            key=key,
            assessor="trainer" if manual else "nbgrader-autograde",
            supersedes=before.id if before else None,
        )
    except EvidenceConflict as conflict:
        summary.conflicts.append(f"{worker} · {ref} · {item}：{conflict}")
        return
    if new_id is None:  # another import recorded the same change a moment ago
        summary.unchanged += 1
        return
    latest[(worker, ref, item)] = EvidenceRow(
        new_id,
        worker,
        domain,
        item,
        "graded_exercise",
        ref,
        score,
        max_score,
        when,
        None,
        None,
        None,
        before and before.id,
        key,
    )
    summary.added += 1
    summary.superseding += before is not None
