"""Import residents' follow-up scores (回访/满意度) as evidence, row by row, rejecting with reasons.

A 社区's phone follow-up sheet (first sheet of an .xlsx, or a CSV in UTF-8, GBK/GB18030 or
UTF-16) has a header row with these columns, in Chinese or as the ASCII key:

====================  ===============  ==========================================
column                key              what it holds
====================  ===============  ==========================================
工号                  worker_id        the worker who served the resident (roster)
服务事项              item             a service item id or its Chinese title
日期 (回访日期)       date             the follow-up day: 2026-11-03, 2026/11/3, 2026年11月3日
评分 (满意度)         score            a whole number from 1 to 5
回访对象编号          resident_id      the resident's follow-up number (no name, no phone)
备注                  comment          optional; kept in the store, never shown in a report
====================  ===============  ==========================================

Each good row becomes one evidence row of source ``resident_feedback``: the score as
``score − 1`` out of 4 (1 → 0 %, 3 → 50 %, 5 → 100 %), dated at noon Beijing time of the
follow-up day, ``ref`` = ``resident:<resident_id>``, under a key made of worker, item, day and
resident — so importing the same sheet again adds nothing. How the rows count in a rating
is :class:`trainkit.ratings.FeedbackRules`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .content import ContentError
from .erasure import erased_id_hashes, id_hash
from .evidence import FEEDBACK_SOURCE, EvidenceStore, evidence_table, utc_naive
from .framework import Framework, load_framework
from .localtime import LOCAL_TIME
from .quiz_import import read_rows
from .textfiles import CONTROL

__all__ = ["COLUMNS", "FeedbackImport", "five_point", "import_feedback"]

COLUMNS = {
    "worker_id": ("工号", "worker_id"),
    "item": ("服务事项", "事项", "item", "item_id"),
    "date": ("日期", "回访日期", "date"),
    "score": ("评分", "满意度", "score"),
    "resident_id": ("回访对象编号", "resident_id"),
    "comment": ("备注", "comment"),
}
REQUIRED = ("worker_id", "item", "date", "score", "resident_id")
_CODES = ("worker_id", "date", "score", "resident_id")  # read as codes: full-width digits are digits
ASSESSOR = "import-feedback"  # the row came in through this command, by the staff who ran it
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
MAX_ROWS = 1_000_000  # a district's year of follow-ups fits; the reader's smaller limit is for 题库 files
_SCORE = re.compile(r"^\s*([1-5])(?:\.0+)?\s*分?\s*$")


@dataclass
class FeedbackImport:
    """What one import did: rows added, rows already there, and each bad row's reason."""

    added: int = 0
    already: list[int] = field(default_factory=list)  # row numbers imported before: skipped
    problems: list[str] = field(default_factory=list)  # "第N行: 列: what is wrong and what to do"


def five_point(ratio: float) -> float:
    """A stored ratio back on the 1–5 scale residents used (0 → 1, 0.5 → 3, 1 → 5)."""
    return 1 + 4 * ratio


def import_feedback(
    store: EvidenceStore,
    path: Path,
    *,
    workers: set[str],
    today: date | None = None,
    framework: Framework | None = None,
    max_rows: int = MAX_ROWS,
) -> FeedbackImport:
    """Check every row of ``path``; write the good ones in one transaction, report the bad.

    ``workers`` are the roster's ids; ``today`` (Beijing date, default now) bounds the dates.
    """
    framework = framework or load_framework()
    today = today or datetime.now(UTC).astimezone(LOCAL_TIME).date()
    rows = read_rows(Path(path), max_rows=max_rows)
    if not rows or not any(_text(c) for c in rows[0]):
        raise ContentError(f"{path}: 文件是空的：第一行应是表头（{'、'.join(COLUMNS[k][0] for k in COLUMNS)}）")
    columns = _header(rows[0])
    missing = [f"{COLUMNS[k][0]}（{COLUMNS[k][-1]}）" for k in REQUIRED if k not in columns]
    if missing:
        raise ContentError(
            f"{path}: 表头: 缺少列 {'、'.join(missing)}（第一行应是表头：工号、服务事项、日期、评分、回访对象编号，可选 备注）"
        )
    items = _item_names(framework)
    erased = erased_id_hashes(store.engine)
    result, good = FeedbackImport(), []
    seen: dict[str, int] = {}  # record key → the row it was first seen on
    for line, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue  # an empty row, as Excel leaves at the end
        values = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
        if erased and id_hash(_text(values["worker_id"], code=True)) in erased:
            result.problems.append(
                f"{path.name}: 第{line}行: 工号: {_text(values['worker_id'], code=True)} 的个人信息已按删除请求清除，"
                "不再导入此人的回访；请从回访表中删去这一行"
            )
            continue
        row, problems = _check(values, workers=workers, items=items, today=today, framework=framework)
        if problems:
            result.problems += [f"{path.name}: 第{line}行: {p}" for p in problems]
            continue
        if row["key"] in seen:
            result.problems.append(
                f"{path.name}: 第{line}行: 与第{seen[row['key']]}行是同一条回访（同一工号、事项、日期和回访对象），"
                "本行未导入；如是两次回访，请核对日期"
            )
            continue
        seen[row["key"]] = line
        good.append((line, row))
    _write(store, good, result, path)
    return result


def _write(store: EvidenceStore, good: list[tuple[int, dict[str, Any]]], result: FeedbackImport, path: Path) -> None:
    """Rows already held under their key are skipped (or reported when they differ); the rest go in at once."""
    held = {}
    keys = [row["key"] for _, row in good]
    with store.engine.connect() as conn:
        t = evidence_table
        for chunk in (keys[i : i + 500] for i in range(0, len(keys), 500)):
            for found in conn.execute(sa.select(t.c.key, t.c.score).where(t.c.key.in_(chunk))):
                held[found.key] = float(found.score)
    fresh = []
    for line, row in good:
        if row["key"] not in held:
            fresh.append(row)
        elif abs(held[row["key"]] - row["score"]) < 1e-9:
            result.already.append(line)
        else:
            result.problems.append(
                f"{path.name}: 第{line}行: 评分: 这条回访已导入过，当时的评分是 {held[row['key']] + 1:g} 分，"
                f"与本行的 {row['score'] + 1:g} 分不同；证据只能追加、不能改写，请核对原始回访记录，本行未导入"
            )
    if fresh:
        result.added = store.record_many(fresh)


def _check(
    values: dict[str, Any], *, workers: set[str], items: dict[str, str], today: date, framework: Framework
) -> tuple[dict[str, Any], list[str]]:
    """One row as an evidence row, or what is wrong with it (column: reason and what to do)."""
    problems = []
    text = {k: _text(v, code=k in _CODES) for k, v in values.items()}
    bad = [COLUMNS[k][0] for k, v in text.items() if CONTROL.search(v)]
    if bad:
        return {}, [f"{'、'.join(bad)}: 含有不可见的控制字符，请在 Excel 中删去后重新保存"]
    worker = text["worker_id"]
    if not worker:
        problems.append("工号: 为空，请填写为该居民服务的工作人员工号")
    elif worker not in workers:
        problems.append(f"工号: 花名册中没有 {worker}，请核对工号，或先把此人加入花名册")
    item = items.get(text["item"])
    if item is None:
        problems.append(
            f"服务事项: “{text['item']}”不是已知的服务事项，请填写事项名称（如 高龄津贴登记）或编号"
            if text["item"]
            else "服务事项: 为空，请填写回访所涉的服务事项名称或编号"
        )
    day, why = _day(values["date"], today)
    if why:
        problems.append(f"日期: {why}")
    score, why = _score(values["score"])
    if why:
        problems.append(f"评分: {why}")
    resident = text["resident_id"]
    if not resident:
        problems.append("回访对象编号: 为空，请填写回访登记的对象编号（不要填姓名或电话）")
    elif len(resident) > 64:
        problems.append("回访对象编号: 太长了（最多 64 个字符），请填写回访登记的对象编号")
    if problems or day is None or score is None or item is None:
        return {}, problems
    noon = datetime.combine(day, time(12), tzinfo=LOCAL_TIME)
    key = hashlib.sha256("\x1f".join([worker, item, day.isoformat(), resident]).encode("utf-8")).hexdigest()[:24]
    return {
        "worker_id": worker,
        "item_id": item,
        "domain": framework.domain_of(item),
        "source": FEEDBACK_SOURCE,
        "ref": f"resident:{resident}",
        "score": float(score - 1),
        "max_score": 4.0,
        "recorded_at": utc_naive(noon),
        "assessor": ASSESSOR,
        "note": text["comment"] or None,
        "key": f"feedback:{key}",
    }, []


def _day(value: Any, today: date) -> tuple[date | None, str]:
    day: date | None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        raw = _text(value, code=True)
        if not raw:
            return None, "为空，请填写回访日期，如 2026-11-03"
        day = next((d for d in (_parse(raw, f) for f in _DATE_FORMATS) if d is not None), None)
        if day is None:
            return None, f"“{raw}”不是日期，请写成 2026-11-03 这样的格式"
    if day > today:
        return None, f"{day.isoformat()} 晚于今天（{today.isoformat()}），请核对回访日期"
    return day, ""


def _parse(raw: str, fmt: str) -> date | None:
    try:
        return datetime.strptime(raw, fmt).date()
    except ValueError:
        return None


def _score(value: Any) -> tuple[int | None, str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value), ""
        return None, f"{value:g} 不是 1 到 5 的整数分，请按回访记录填写 1、2、3、4 或 5"
    raw = _text(value, code=True)
    if not raw:
        return None, "为空，请填写居民给出的满意度评分（1 到 5 分）"
    found = _SCORE.match(raw)
    if found is None:
        return None, f"“{raw}”不是 1 到 5 的整数分，请按回访记录填写 1、2、3、4 或 5"
    return int(found.group(1)), ""


def _header(cells: tuple[Any, ...]) -> dict[str, int]:
    by_name = {name.lower(): key for key, names in COLUMNS.items() for name in names}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = by_name.get(_text(cell).lower())
        if key is not None and key not in found:
            found[key] = index
    return found


def _item_names(framework: Framework) -> dict[str, str]:
    """Item id → id and Chinese title → id."""
    return {i.id: i.id for i in framework.items.values()} | {i.title: i.id for i in framework.items.values()}


def _text(value: Any, *, code: bool = False) -> str:
    """A cell as text; ``code``: an id, date or score, where full-width digits and letters typed
    with a Chinese input method (３, Ｗ００１) mean the same as ASCII ones (comments stay verbatim)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().lstrip("\ufeff")
    return unicodedata.normalize("NFKC", text) if code else text
