"""The report's charts as coordinates for inline SVG (the browser draws the Chinese text,
so no font needs shipping): monthly score lines and one worker's radar."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .report_format import missing

__all__ = ["line_chart", "months_of", "radar"]


def months_of(trend: pd.DataFrame) -> list[str]:
    return sorted(set(trend["month"])) if len(trend) else []


def line_chart(
    series: Sequence[tuple[str, str, pd.DataFrame]],
    *,
    months: list[str],
    competent: float,
    legend: bool,
    width: int = 880,
    height: int = 340,
    partial: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Coordinates for an SVG line chart of monthly scores (0–100%); the template draws it.

    ``partial`` marks months the data covers only in part (the rating date's month), so a low
    first few days do not read as a dip."""
    partial = partial or {}
    left, top, bottom = 56, 16, 44
    right = 300 if legend else 32  # room for the last month's label
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(month: str) -> float:
        if len(months) == 1:
            return left + plot_w / 2
        return left + plot_w * months.index(month) / (len(months) - 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, value)))

    step = max(1, math.ceil(len(months) / (12 if legend else 4)))
    lines = []
    for index, (label, colour, points) in enumerate(series):
        dots = [
            {
                "x": round(x_of(r["month"]), 1),
                "y": round(y_of(r["score"]), 1),
                "tip": f"{label} {r['month']}{partial.get(r['month'], '')}：{r['score']:.0%}（{int(r['n_evidence'])}条证据）",
            }
            for r in points.sort_values("month").to_dict(orient="records")
        ]
        lines.append(
            {
                "label": label,
                "colour": colour,
                "dots": dots,
                "path": " ".join(f"{d['x']},{d['y']}" for d in dots),
                "legend_y": top + 8 + index * 22,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "plot_w": plot_w,
        "plot_h": plot_h,
        "bottom_y": top + plot_h,
        "legend_x": width - right + 24,
        "y_ticks": [{"y": round(y_of(v), 1), "label": f"{v:.0%}"} for v in (0, 0.25, 0.5, 0.75, 1)],
        "x_ticks": [{"x": round(x_of(m), 1), "label": m + ("*" if m in partial else "")} for m in months[::step]],
        "partial_note": "；".join(f"{m}*{text}" for m, text in partial.items() if m in months),
        "competent_y": round(y_of(competent), 1),
        "competent_label": f"合格线 {competent:.0%}",
        "series": lines,
        "empty": not months,
        "legend": legend,
    }


def radar(cells: list[dict[str, Any]], *, size: int = 300) -> dict[str, Any]:
    """An SVG radar of one worker's weighted score per domain (未评估 at the centre)."""
    centre, radius = size / 2, size / 2 - 60
    spokes, points = [], []
    for index, cell in enumerate(cells):
        angle = -math.pi / 2 + 2 * math.pi * index / len(cells)
        dx, dy = math.cos(angle), math.sin(angle)
        value = 0.0 if missing(cell["score"]) else max(0.0, min(1.0, float(cell["score"])))
        spokes.append(
            {
                "x": round(centre + radius * dx, 1),
                "y": round(centre + radius * dy, 1),
                "lx": round(centre + (radius + 22) * dx, 1),
                "ly": round(centre + (radius + 22) * dy + 4, 1),
                "label": cell["domain_title"][:4],
                "title": cell["domain_title"],
            }
        )
        points.append(f"{centre + radius * value * dx:.1f},{centre + radius * value * dy:.1f}")
    rings = [{"r": round(radius * f, 1), "label": f"{f:.0%}"} for f in (0.25, 0.5, 0.75, 1.0)]
    return {"size": size, "c": centre, "spokes": spokes, "points": " ".join(points), "rings": rings}
