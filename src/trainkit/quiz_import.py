"""Import a bureau's Excel 题库 into self-check banks, row by row, rejecting with reasons.

Columns (first sheet, header row; Chinese or English names): 题目 question, 题型 type
(单选/多选/判断/计算), 选项 options (one per line: ``A. …``), 答案 answer (``B``, ``AC``,
``正确``/``错误``, or a number), 解析 explanation, 领域 domain (id or Chinese name),
出处 source; optional 事项 items (service item ids, comma-separated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .framework import load_framework
from .quiz import Bank, Item, as_number

__all__ = ["COLUMNS", "ImportResult", "import_workbook"]

COLUMNS = {
    "question": ("题目", "question"), "type": ("题型", "type"), "options": ("选项", "options"),
    "answer": ("答案", "answer"), "explanation": ("解析", "explanation"), "domain": ("领域", "domain"),
    "source": ("出处", "source"), "items": ("事项", "items"),
}
TYPES = {"单选": "single", "单选题": "single", "多选": "multiple", "多选题": "multiple", "判断": "true_false",
         "判断题": "true_false", "计算": "numeric", "计算题": "numeric", "填空": "numeric",
         "single": "single", "multiple": "multiple", "true_false": "true_false", "numeric": "numeric"}
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


def import_workbook(path: Path, *, prefix: str = "imported") -> ImportResult:
    """Read the workbook; valid rows become items of one bank per domain."""
    from openpyxl import load_workbook

    fw = load_framework()
    by_name = {d.id: d for d in fw.domains} | {d.title: d for d in fw.domains} | {d.short: d for d in fw.domains}
    result = ImportResult()
    rows = list(load_workbook(path, read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True))
    if not rows:
        result.rejected.append(f"{path}: 工作表是空的")
        return result
    cols = _header(rows[0])
    missing = [COLUMNS[k][0] for k in ("question", "type", "answer", "explanation", "domain", "source")
               if k not in cols]
    if missing:
        result.rejected.append(f"{path}: 表头: 缺少列 {'、'.join(missing)}")
        return result
    items: dict[str, list[Item]] = {}
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
                result.notes.append(f"{where}: 未填事项，已标注为 {domain.items[0].title}（{domain.items[0].id}），请核对")
            unknown = [x for x in tagged if x not in {i.id for i in domain.items}]
            if unknown:
                raise ValueError(f"事项 {', '.join(unknown)} 不属于领域 {domain.title}")
            options = _options(get("options") or "") if kind in ("single", "multiple") else []
            for option in options:
                option["feedback"] = "见解析。"
            data = {"id": f"{prefix}-{domain.id.replace('_', '-')}-{number:04d}", "type": kind, "items": tagged,
                    "prompt": get("question"), "options": options, "answer": _answer(kind, get("answer")),
                    "explanation": get("explanation") or "（题库未提供解析）",
                    "sources": [{"title": get("source"), "status": "U"}]}
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
        result.banks[bank_id] = Bank(id=bank_id, title=f"导入题库：{fw.domain(domain_id).title}",
                                     domain=domain_id, items=tuple(found))
    return result
