"""The report's Excel workbook: levels coloured, percentages as numbers, widths that fit
Chinese text, filters on, and data that is never a formula."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import replacing
from .report_format import missing

__all__ = ["LEVEL_FILLS", "Level", "Percent", "write_workbook"]

LEVEL_FILLS = {  # Excel fills; the HTML colours live in the template's stylesheet
    "not_assessed": "EEEEEE",
    "insufficient": "FFF8E1",
    "needs_improvement": "F9D5C0",
    "competent": "D9F0D3",
    "skilled": "A6DBA0",
    "expert": "5AAE61",
    "untested": "FFF3B0",
}
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses


@dataclass(frozen=True)
class Level:
    id: str
    title: str


@dataclass(frozen=True)
class Percent:
    value: float


def write_workbook(path: Path, sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fills = {level: PatternFill("solid", fgColor=colour) for level, colour in LEVEL_FILLS.items()}
    book = Workbook()
    book.remove(book.active)
    for title, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title)
        for col, header in enumerate(headers, start=1):
            put(sheet.cell(row=1, column=col), header).font = bold
        for row_no, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_no, column=col)
                if isinstance(value, Level):
                    put(cell, value.title)
                    if value.id in fills:
                        cell.fill = fills[value.id]
                elif isinstance(value, Percent):
                    put(cell, None if missing(value.value) else float(value.value))
                    cell.number_format = "0%"
                else:
                    put(cell, value)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        for col, header in enumerate(headers, start=1):
            longest = max(
                [
                    display_width(header) + 4,  # room for the filter button
                    *(
                        display_width(str(r[col - 1] if not isinstance(r[col - 1], Level) else r[col - 1].title))
                        for r in rows[:500]
                    ),
                ]
            )
            sheet.column_dimensions[get_column_letter(col)].width = max(8, min(60, longest + 2))
    with replacing(path) as tmp:
        book.save(tmp)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def put(cell: Any, value: Any) -> Any:
    """Store a value; a string that a spreadsheet could read as a formula stays text."""
    if isinstance(value, str):
        value = _ILLEGAL_IN_XLSX.sub("", value)
        cell.value = value
        cell.data_type = "s"  # never "f": data is never a formula
        if value.startswith(_FORMULA_PREFIXES):
            cell.quotePrefix = True  # and stays text if someone edits the cell in Excel
    else:
        cell.value = value
    return cell
