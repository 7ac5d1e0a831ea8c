"""Reading a submitted file into a notebook, whatever state it arrives in.

Handles an empty file, a byte-order mark, GBK / GB18030 or UTF-16 text, JSON that is
invalid or cut off (the cells before the damage are kept), the old v3 format, and cells
that do not fit the v4 schema. Each repair is described in Chinese; a file that holds no
notebook at all raises :class:`Unreadable` with the reason.
"""

from __future__ import annotations

import codecs
import json
import re
import uuid
import warnings
from dataclasses import dataclass, field

import nbformat
import nbformat.reader
from nbformat import NotebookNode
from nbformat.v4 import new_notebook

__all__ = ["Intake", "Unreadable", "read_submission"]

_CELLS = re.compile(r'"cells"\s*:\s*\[')
_VERSION = re.compile(r'"nbformat"\s*:\s*(\d+)')


class Unreadable(ValueError):
    """The file holds no notebook that can be graded; ``str(err)`` says why, in Chinese."""


@dataclass
class Intake:
    nb: NotebookNode
    notes: list[str] = field(default_factory=list)
    salvaged: bool = False  # cut-off JSON: only the cells before the damage were kept


def read_submission(raw: bytes) -> Intake:
    """Decode, parse and upgrade a submitted ``.ipynb`` file."""
    if not raw.strip():
        raise Unreadable("提交的文件是空的" + ("（0 字节）" if not raw else "（只有空白）"))
    if raw[:4] == b"PK\x03\x04":
        raise Unreadable("提交的文件是压缩包或 Word/Excel 文件，不是 notebook")
    notes: list[str] = []
    text = _decode(raw, notes)
    data, salvaged = _parse(text, notes)
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        raise Unreadable("文件是 JSON，但不是 notebook（没有 cells）")
    nb = _to_v4(data, notes)
    return Intake(nb, notes, salvaged)


def _decode(raw: bytes, notes: list[str]) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append("文件编码是 UTF-16（Windows“Unicode”），已转换为 UTF-8")
        return raw.decode("utf-16")
    if raw.startswith(codecs.BOM_UTF8):
        notes.append("文件开头有 BOM 标记，已去掉")
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        notes.append("文件里有无法识别的字符，已替换为 �")
        return raw.decode("utf-8", errors="replace")
    notes.append("文件编码是 GBK（中文 Windows 的默认编码），已转换为 UTF-8")
    return text


def _parse(text: str, notes: list[str]) -> tuple[object, bool]:
    try:
        return json.loads(text), False
    except json.JSONDecodeError as err:
        where = f"第 {err.lineno} 行第 {err.colno} 列"
    cells = _salvage_cells(text)
    if not cells:
        raise Unreadable(f"文件不是有效的 notebook：JSON 在{where}处出错，读不出任何格子")
    notes.append(
        f"文件内容不完整或已损坏（JSON 在{where}处出错）：找回了前 {len(cells)} 个格子，"
        "其后的格子按原题补回（视为未作答）"
    )
    version = _VERSION.search(text)
    if version and version.group(1) == "3":
        return {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": cells}]}, True
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, True


def _salvage_cells(text: str) -> list[dict]:
    """The complete cell objects at the start of the ``cells`` list of a damaged file."""
    match = _CELLS.search(text)
    if not match:
        return []
    decoder, pos, cells = json.JSONDecoder(), match.end(), []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            cell, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return cells
        if isinstance(cell, dict):
            cells.append(cell)


def _to_v4(data: dict, notes: list[str]) -> NotebookNode:
    major = data.get("nbformat")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if major == 3 or "worksheets" in data:
            notes.append("notebook 是旧版格式（v3），已转换为 v4")
            try:
                data = nbformat.convert(nbformat.reader.reads(json.dumps(data)), 4)
            except Exception as err:  # noqa: BLE001  (nbformat raises many kinds on bad v3 files)
                raise Unreadable(f"旧版（v3）notebook 无法转换：{err}") from err
        elif major not in (4, None):
            notes.append(f"notebook 格式版本写的是 {major!r}，按 v4 读取")
    cells, dropped = [], 0
    for cell in data.get("cells", []):
        rebuilt = _cell(cell)
        if rebuilt is None:
            dropped += 1
        else:
            cells.append(rebuilt)
    if dropped:
        notes.append(f"有 {dropped} 个格子结构损坏（缺少类型或内容），已删除")
    metadata = data.get("metadata")
    nb = new_notebook(cells=cells, metadata=dict(metadata) if isinstance(metadata, dict) else {})
    return nbformat.from_dict(nb)


def _cell(cell: object) -> NotebookNode | None:
    """A schema-valid v4 cell with the same type, source, metadata and id (outputs dropped:
    autograding clears them anyway)."""
    if not isinstance(cell, dict):
        return None
    source = cell.get("source", cell.get("input", ""))
    if isinstance(source, list):
        source = "".join(s for s in source if isinstance(s, str))
    if not isinstance(source, str):
        return None
    metadata = cell.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    kind = cell.get("cell_type")
    if kind == "heading":
        kind = "markdown"
    if kind not in ("code", "markdown", "raw"):
        return None
    # built as plain nodes: nbformat's new_*_cell validate each cell against the schema one by
    # one (slow); the notebook as a whole is valid by construction
    new = nbformat.from_dict({"cell_type": kind, "id": uuid.uuid4().hex[:8], "metadata": metadata, "source": source})
    if kind == "code":
        new["outputs"], new["execution_count"] = [], None
    if kind != "code" and isinstance(cell.get("attachments"), dict):
        new["attachments"] = cell["attachments"]  # pictures pasted into a written answer
    if isinstance(cell.get("id"), str):
        new["id"] = cell["id"]  # checked for validity and uniqueness by the repair step
    return new
