"""Import a bureau's Excel 题库 into self-check banks, row by row, rejecting with reasons.

Columns (first sheet, header row; Chinese or English names): 题目 question, 题型 type
(单选/多选/判断/计算), 选项 options (one per line: ``A. …``), 答案 answer (``B``, ``AC``,
``正确``/``错误``, or a number), 解析 explanation, 领域 domain (id or Chinese name),
出处 source; optional 事项 items (service item ids, comma-separated).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .content import ContentError
from .framework import load_framework
from .quiz import Bank, Item, as_number
from .textfiles import CONTROL, read_text

__all__ = ["COLUMNS", "MAX_ROWS", "ImportResult", "import_workbook", "item_key", "read_rows"]

COLUMNS = {
    "question": ("题目", "question"),
    "type": ("题型", "type"),
    "options": ("选项", "options"),
    "answer": ("答案", "answer"),
    "explanation": ("解析", "explanation"),
    "domain": ("领域", "domain"),
    "source": ("出处", "source"),
    "items": ("事项", "items"),
}
TYPES = {
    "单选": "single",
    "单选题": "single",
    "多选": "multiple",
    "多选题": "multiple",
    "判断": "true_false",
    "判断题": "true_false",
    "计算": "numeric",
    "计算题": "numeric",
    "填空": "numeric",
    "single": "single",
    "multiple": "multiple",
    "true_false": "true_false",
    "numeric": "numeric",
}
TRUE_WORDS, FALSE_WORDS = {"正确", "对", "是", "√", "true", "T"}, {"错误", "错", "否", "×", "false", "F"}
OPTION_LINE = re.compile(r"^\s*([A-Ha-h])\s*[.．、:：)）]\s*(.+?)\s*$")


@dataclass
class ImportResult:
    banks: dict[str, Bank] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _header(row: tuple[Any, ...]) -> dict[str, int]:
    where = {}
    for index, cell in enumerate(row):
        name = str(cell or "").strip()
        for key, names in COLUMNS.items():
            if name in names:
                where[key] = index
    return where


def _options(text: str) -> list[dict[str, str]]:
    options = []
    for line in re.split(r"[\n|；;]+", text or ""):
        if line.strip():
            match = OPTION_LINE.match(line)
            if not match:
                raise ValueError(f"选项“{line.strip()}”不是“A. 内容”的格式")
            options.append({"key": match.group(1).upper(), "text": match.group(2)})
    return options


def _answer(kind: str, text: str) -> Any:
    text = str(text).strip()
    if kind == "single":
        return text.upper()
    if kind == "multiple":
        return sorted(set(re.sub(r"[^A-Ha-h]", "", text).upper()))
    if kind == "true_false":
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"判断题答案“{text}”应为 正确 或 错误")
    number = as_number(text)
    if number is None:
        raise ValueError(f"计算题答案“{text}”不是数字")
    return number


MAX_ROWS = 20_000  # a bank bigger than this is almost certainly the wrong file; --max-rows raises it


def read_rows(path: Path, *, max_rows: int = MAX_ROWS) -> list[tuple[Any, ...]]:
    """The first sheet of an .xlsx workbook, or a CSV (UTF-8, GBK or UTF-16), as rows of cells."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        text, _encoding = read_text(path)
        rows = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]
    else:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, EOFError):
            raise ContentError(
                f"{path}: 不是 Excel 工作簿（.xlsx），或文件不完整：请在 Excel 或 WPS 中"
                "“另存为”.xlsx（或 CSV UTF-8）后重试"
            ) from None
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) % 5000 == 0:  # a big workbook takes a while: say how far it has got
                print(f"已读取 {len(rows)} 行……", file=sys.stderr, flush=True)
            if len(rows) > max_rows + 1:
                break
    if len(rows) > max_rows + 1:
        raise ContentError(f"{path}: 超过 {max_rows} 行：请确认是题库文件；确要导入这么多，加 --max-rows 放宽限制")
    return rows


def item_key(prompt: str, kind: str, options: list[dict[str, str]], answer: Any) -> str:
    """Eight hex digits naming a question by its content: the same question keeps its id across
    imports, a changed question gets a new one (old evidence keeps pointing at what was asked)."""
    text = "\x1f".join([prompt.strip(), kind, *(f"{o['key']}.{o['text']}" for o in options), str(answer)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def import_workbook(path: Path, *, prefix: str = "imported", max_rows: int = MAX_ROWS) -> ImportResult:
    """Read the workbook; valid rows become items of one bank per domain."""
    fw = load_framework()
    by_name = {d.id: d for d in fw.domains} | {d.title: d for d in fw.domains} | {d.short: d for d in fw.domains}
    result = ImportResult()
    rows = [r for r in read_rows(path, max_rows=max_rows) if any(c not in (None, "") for c in r)]
    if not rows:
        raise ContentError(f"{path}: 文件是空的：第一行应是表头（题目、题型、选项、答案、解析、领域、出处）")
    cols = _header(rows[0])
    missing = [
        COLUMNS[k][0] for k in ("question", "type", "answer", "explanation", "domain", "source") if k not in cols
    ]
    if missing:
        raise ContentError(
            f"{path}: 表头: 缺少列 {'、'.join(missing)}（第一行应是表头：题目、题型、选项、答案、解析、"
            "领域、出处，可选 事项）"
        )
    items: dict[str, list[Item]] = {}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: "" if row[i] is None else str(row[i]).strip() for key, i in cols.items() if i < len(row)}
        get = cells.get  # a missing column reads as None, an empty cell as ""
        if not any(cells.values()):
            continue
        where = f"{path.name}: 第{number}行"
        try:
            kind = TYPES.get(get("type"))
            if kind is None:
                raise ValueError(f"题型“{get('type')}”不认识（可用：单选、多选、判断、计算）")
            domain = by_name.get(get("domain"))
            if domain is None:
                raise ValueError(f"领域“{get('domain')}”不认识（可用领域 id 或中文名）")
            if not get("source"):
                raise ValueError("出处为空：每道题都要写明依据")
            tagged = [x.strip() for x in re.split(r"[,，、\s]+", get("items") or "") if x.strip()]
            if not tagged:
                tagged = [domain.items[0].id]
                result.notes.append(
                    f"{where}: 未填事项，已标注为 {domain.items[0].title}（{domain.items[0].id}），请核对"
                )
            unknown = [x for x in tagged if x not in {i.id for i in domain.items}]
            if unknown:
                raise ValueError(f"事项 {', '.join(unknown)} 不属于领域 {domain.title}")
            options = _options(get("options") or "") if kind in ("single", "multiple") else []
            for option in options:
                option["feedback"] = "见解析。"
            answer = _answer(kind, get("answer"))
            key = item_key(get("question") or "", kind, options, answer)
            if key in seen:
                result.notes.append(f"{where}: 与第{seen[key]}行是同一道题，只导入一次")
                continue
            seen[key] = number
            bad = [name for name, value in cells.items() if CONTROL.search(value)]
            if bad:
                raise ValueError(f"{'、'.join(COLUMNS[b][0] for b in bad)}含有不可见的控制字符，请删去后重新保存")
            data = {
                "id": f"{prefix}-{domain.id.replace('_', '-')}-{key}",
                "type": kind,
                "items": tagged,
                "prompt": get("question"),
                "options": options,
                "answer": answer,
                "explanation": get("explanation") or "（题库未提供解析）",
                "sources": [{"title": get("source"), "status": "U"}],
            }
            item = Item.model_validate(data)
        except ValidationError as err:
            first = err.errors()[0]
            message = first["msg"].removeprefix("Value error, ")
            result.rejected.append(f"{where}: {'.'.join(map(str, first['loc'])) or '题目'}: {message}")
            continue
        except ValueError as err:
            result.rejected.append(f"{where}: {err}")
            continue
        items.setdefault(domain.id, []).append(item)
    for domain_id, found in items.items():
        bank_id = f"{prefix}-{domain_id.replace('_', '-')}"
        result.banks[bank_id] = Bank(
            id=bank_id, title=f"导入题库：{fw.domain(domain_id).title}", domain=domain_id, items=tuple(found)
        )
    return result
