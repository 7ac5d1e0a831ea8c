"""Plain-text tables for the terminal, aligned for Chinese: a Han character takes two cells."""

from __future__ import annotations

import unicodedata

__all__ = ["table", "width"]


def width(text: str) -> int:
    """Terminal cells ``text`` takes: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a table indented by two spaces; the last column is left ragged (it may be long)."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
        if row is header:
            lines.append("  ".join("─" * w for w in widths) + "  " + "─" * max(4, width(header[-1])))
    return ["  " + line.rstrip() for line in lines]
