"""Structural repair of a submitted notebook against the assignment's source, before nbgrader.

nbgrader itself restores the text of locked cells, their types and points (``OverwriteCells``)
and strips the metadata of duplicated ids (``DeduplicateIds``). What breaks its batches are
the cases around those (jupyter/nbgrader#1083, #1682, #1941): metadata it cannot validate,
grade ids it does not know, duplicated cells, deleted cells. This step makes every grade id
appear exactly once with the metadata ``generate_assignment`` gave it, puts deleted cells
back from the source, and says what it did — in Chinese, one sentence per repair.
Learners' own text is never discarded: of duplicated answer cells the extra copies stay as
ordinary cells; only duplicated locked cells (copies of the trainer's text) are removed.
"""

from __future__ import annotations

import re
import uuid

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell

from .snapshot import NotebookSource

__all__ = ["describe", "repair_structure", "role"]

_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")


def role(source: NotebookSource, gid: str) -> str:
    """What a grade id is, in the words the trainer uses."""
    cell = source.cell(gid)
    if source.is_task(gid):
        return "评分项"
    if source.is_solution(gid):
        return "书面作答格" if cell is not None and cell.cell_type == "markdown" else "答案格"
    if source.is_grade(gid):
        return "检查格"
    return "题目说明格"


def describe(source: NotebookSource, gid: str) -> str:
    label = source.label(gid).split("：")[0].strip()
    return f"{label}的{role(source, gid)}" if label else role(source, gid)


def _gid(cell: NotebookNode) -> str | None:
    meta = cell.metadata.get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def repair_structure(nb: NotebookNode, source: NotebookSource) -> list[str]:
    """Repair ``nb`` in place; return the repairs made (empty for an intact notebook)."""
    notes: list[str] = []
    _drop_foreign_metadata(nb, source, notes)
    _retag_lost_cells(nb, source, notes)
    _dedupe(nb, source, notes)
    _canonical(nb, source, notes)
    _restore_missing(nb, source, notes)
    _unique_cell_ids(nb, notes)
    return notes


def _drop_foreign_metadata(nb: NotebookNode, source: NotebookSource, notes: list[str]) -> None:
    """nbgrader metadata that names no cell of the source cannot be graded; it only breaks validation."""
    dropped = 0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        if not isinstance(meta, dict) or meta.get("grade_id") not in set(source.order):
            del cell.metadata["nbgrader"]
            dropped += bool(meta)
    if dropped:
        notes.append(
            f"有 {dropped} 个格子带着原题中没有的评分标记（可能是从别处复制来的），已去掉这些标记，格子内容保留"
        )


def _retag_lost_cells(nb: NotebookNode, source: NotebookSource, notes: list[str]) -> None:
    """A cell whose nbgrader metadata was lost is recognised by its text (locked cells) or
    its place just before its own test cell (answer cells)."""
    present = {_gid(c) for c in nb.cells}
    for gid in source.order:
        src = source.cell(gid)
        if gid in present or src is None or not src.locked or not src.visible.strip():
            continue
        for cell in nb.cells:
            if _gid(cell) is None and cell.source.strip() == src.visible.strip():
                cell.metadata["nbgrader"] = source.canonical_metadata(gid)
                present.add(gid)
                notes.append(f"{describe(source, gid)}丢失了评分标记，已按原题恢复")
                break
    for i, gid in enumerate(source.order[:-1]):
        if gid in present or not source.is_solution(gid) or role(source, gid) != "答案格":
            continue
        test = source.order[i + 1]
        at = next((k for k, c in enumerate(nb.cells) if _gid(c) == test), None)
        if at and nb.cells[at - 1].cell_type == "code" and _gid(nb.cells[at - 1]) is None:
            nb.cells[at - 1].metadata["nbgrader"] = source.canonical_metadata(gid)
            present.add(gid)
            notes.append(f"{describe(source, gid)}丢失了评分标记，已按位置恢复")


def _dedupe(nb: NotebookNode, source: NotebookSource, notes: list[str]) -> None:
    seen: dict[str, list[int]] = {}
    for i, cell in enumerate(nb.cells):
        if (gid := _gid(cell)) is not None:
            seen.setdefault(gid, []).append(i)
    drop: set[int] = set()
    for gid, where in seen.items():
        if len(where) < 2:
            continue
        src = source.cell(gid)
        if src is not None and src.locked:
            drop.update(where[:-1])
            notes.append(f"{describe(source, gid)}出现了 {len(where)} 次，已删除多余的副本")
            continue
        stub = src.visible.strip() if src is not None else ""
        answered = [i for i in where if nb.cells[i].source.strip() != stub]
        keep = answered[-1] if answered else where[-1]
        for i in where:
            if i != keep:
                del nb.cells[i].metadata["nbgrader"]
        notes.append(
            f"{describe(source, gid)}出现了 {len(where)} 次，以第 {where.index(keep) + 1} 个"
            f"{'（最后一个作答的）' if answered else ''}为准，其余当作普通格运行"
        )
    if drop:
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]


def _canonical(nb: NotebookNode, source: NotebookSource, notes: list[str]) -> None:
    kinds = {"code": "代码格", "markdown": "文字（Markdown）格", "raw": "原始格"}
    changed_meta = []
    for i, cell in enumerate(nb.cells):
        gid = _gid(cell)
        if gid is None:
            continue
        src = source.cell(gid)
        if src is not None and cell.cell_type != src.cell_type:
            notes.append(
                f"{describe(source, gid)}被改成了{kinds.get(cell.cell_type, cell.cell_type)}，"
                f"已改回{kinds[src.cell_type]}"
            )
            nb.cells[i] = cell = _retyped(cell, src.cell_type)
        canonical = source.canonical_metadata(gid)
        # what learners received: generate_assignment also locks every test (grade, not solution) cell
        released = {**canonical, "locked": True} if canonical["grade"] and not canonical["solution"] else canonical
        if _comparable(cell.metadata["nbgrader"]) not in (_comparable(canonical), _comparable(released)):
            changed_meta.append(gid)
            cell.metadata["nbgrader"] = canonical  # an intact cell keeps its metadata exactly
        if src is not None and src.locked and cell.source.strip() != src.visible.strip():
            notes.append(f"{describe(source, gid)}被改动过，已恢复为原题")
    if changed_meta:
        names = "、".join(describe(source, g) for g in changed_meta[:3]) + ("等" if len(changed_meta) > 3 else "")
        notes.append(f"{names}的评分标记（分值、锁定等）被改动过，已恢复")


def _comparable(meta: dict) -> dict:
    """nbgrader metadata without the fields nbgrader recomputes, points as numbers."""
    out = {k: v for k, v in meta.items() if k not in ("checksum", "cell_type")}
    out.setdefault("task", False)
    if out.get("points") is not None:
        try:
            out["points"] = float(out["points"])
        except (TypeError, ValueError):
            pass
    return out


def _retyped(cell: NotebookNode, kind: str) -> NotebookNode:
    if kind == "code":
        new = new_code_cell(source=cell.source, metadata=cell.metadata)
    else:
        new = new_markdown_cell(source=cell.source, metadata=cell.metadata)
    if "id" in cell:
        new["id"] = cell["id"]
    return new


def _restore_missing(nb: NotebookNode, source: NotebookSource, notes: list[str]) -> None:
    present = {_gid(c) for c in nb.cells}
    restored: list[str] = []
    for k, gid in enumerate(source.order):
        src = source.cell(gid)
        if gid in present or src is None:
            continue
        make = new_code_cell if src.cell_type == "code" else new_markdown_cell
        cell = make(source=src.visible, metadata={"nbgrader": source.canonical_metadata(gid)})
        before = next((g for g in reversed(source.order[:k]) if g in present), None)
        after = next((g for g in source.order[k + 1 :] if g in present), None)
        if before is not None:
            at = max(i for i, c in enumerate(nb.cells) if _gid(c) == before) + 1
        elif after is not None:
            at = min(i for i, c in enumerate(nb.cells) if _gid(c) == after)
        else:
            at = len(nb.cells)
        nb.cells.insert(at, cell)
        present.add(gid)
        restored.append(gid)
    answers = [g for g in restored if role(source, g) in ("答案格", "书面作答格")]
    if len(restored) > 3:
        notes.append(
            f"按原题补回了 {len(restored)} 个被删除或丢失的格子"
            + (f"（其中答案格 {len(answers)} 个，按未作答评分）" if answers else "")
        )
        return
    for gid in restored:
        if gid in answers:
            notes.append(f"{describe(source, gid)}被删除，已补回空白的格子（本题按未作答评分）")
        else:
            notes.append(f"{describe(source, gid)}被删除，已按原题补回")


def _unique_cell_ids(nb: NotebookNode, notes: list[str]) -> None:
    seen: set[str] = set()
    fixed = 0
    for cell in nb.cells:
        cid = cell.get("id")
        if not isinstance(cid, str) or not _CELL_ID.match(cid) or cid in seen:
            cell["id"] = uuid.uuid4().hex[:8]
            fixed += isinstance(cid, str)
        seen.add(cell["id"])
    if fixed:
        notes.append(f"有 {fixed} 个格子的编号重复或无效，已重新编号")
