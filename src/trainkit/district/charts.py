"""Charts for the needs-analysis lessons, drawn as inline SVG.

The browser draws the text, so Chinese labels show on any machine that can show the
notebook: no plotting library, no font files, nothing fetched from the network. Each chart
carries a title and a source line (date, where the numbers come from).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
from IPython.display import HTML

from ..markup import STYLE, e

__all__ = ["bar_chart"]

ROW, BAR, CHAR = 26, 16, 14  # row height, bar height, width of one CJK character (px)
COLOURS = ("#4c78a8", "#e45756")


def _fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def bar_chart(
    values: pd.Series | Mapping[str, float],
    *,
    title: str,
    unit: str = "",
    note: str = "",
    digits: int = 0,
    highlight: str | None = None,
    width: int = 360,
) -> HTML:
    """A horizontal bar per label, longest bar ``width`` px (the chart shrinks to fit a narrow
    screen); ``highlight`` colours one label's bar.

    Missing values are drawn as "无数据", not as 0; negative values are refused.
    """
    series = pd.Series(values, dtype="float64")
    if (series.dropna() < 0).any():
        raise ValueError(f"条形图只画非负数：{title} 里有负值，请检查数据")
    top = series.max(skipna=True)
    scale = width / top if top and not math.isnan(top) else 0.0
    left = CHAR * max([len(str(label)) for label in series.index] + [2]) + 10
    rows = []
    for i, (label, value) in enumerate(series.items()):
        y = i * ROW
        colour = COLOURS[1] if highlight is not None and str(label) == str(highlight) else COLOURS[0]
        text = "无数据" if math.isnan(value) else f"{_fmt(value, digits)}{unit}"
        length = 0.0 if math.isnan(value) else value * scale
        rows.append(
            f'<text x="{left - 8}" y="{y + BAR - 3}" text-anchor="end">{e(label)}</text>'
            f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="{BAR}" fill="{colour}"><title>{e(label)}：{e(text)}</title></rect>'
            f'<text x="{left + length + 6:.1f}" y="{y + BAR - 3}">{e(text)}</text>'
        )
    height = max(len(series), 1) * ROW
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tk-chart" role="img" aria-label="{e(title)}" '
        f'width="{left + width + 90}" height="{height}" viewBox="0 0 {left + width + 90} {height}" '
        f'font-size="13" style="font-family:inherit">{"".join(rows)}</svg>'
    )
    source = f'<div class="tk-muted">{e(note)}</div>' if note else ""
    return HTML(f'{STYLE}<div class="tk"><div class="tk-card"><b>{e(title)}</b><br>{svg}{source}</div></div>')
