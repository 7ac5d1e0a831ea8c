"""The supervisor's report: one offline HTML file in Chinese, and optionally an Excel workbook.

Everything is computed from the evidence log at ``as_of``: ratings per worker and domain,
the competency matrix with 全岗通 status, monthly trends drawn as inline SVG (the browser
draws the Chinese text, so no font needs shipping), gaps with the lessons that close them,
and which questions most workers miss. Data strings are escaped in HTML and stored as text,
never as formulas, in Excel.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from .aggregate import Aggregates, aggregate
from .atomic import check_target, replacing, write_text
from .evidence import SOURCES, EvidenceStore, utc_naive
from .framework import Framework, load_framework
from .lessons import Lesson, load_lessons
from .ratings import (
    INSUFFICIENT,
    NOT_ASSESSED,
    RatingRules,
    current_evidence,
    full_post_status,
    load_rating_rules,
    rating_matrix,
)
from .refs import describe_many, shorten
from .roster import Worker

__all__ = ["ReportSummary", "build_publication", "build_report", "question_stats", "select_workers"]

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
)
LEVEL_FILLS = {  # Excel fills; the HTML colours live in the template's stylesheet
    "not_assessed": "EEEEEE",
    "insufficient": "FFF8E1",
    "needs_improvement": "F9D5C0",
    "competent": "D9F0D3",
    "skilled": "A6DBA0",
    "expert": "5AAE61",
    "untested": "FFF3B0",
}
REPORT_COLUMNS = (
    "id",
    "worker_id",
    "domain",
    "item_id",
    "source",
    "ref",
    "score",
    "max_score",
    "recorded_at",
    "supersedes",
)
DETAIL_LIMIT = 300  # above this many workers, per-worker detail is a report of its own (--worker)
_NO_EVIDENCE = "评定窗口内没有这一领域的证据"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses


@dataclass(frozen=True)
class ReportSummary:
    """What a report covered and where it was written."""

    workers: int
    domains: int
    evidence_rows: int
    full_post: int
    html: Path
    xlsx: Path | None = None


def select_workers(
    roster: dict[str, Worker], *, worker: str | None = None, scope: str | None = None
) -> dict[str, Worker]:
    """The part of the roster one reader may see: one worker, or a 街道 or 社区 (scope)."""
    if worker is not None:
        if worker not in roster:
            raise ValueError(f"花名册中没有工号 {worker}")
        return {worker: roster[worker]}
    if scope is not None:
        chosen = {k: w for k, w in roster.items() if scope in (w.street, w.community)}
        if not chosen:
            raise ValueError(f"花名册中没有属于“{scope}”的工作人员（按街道或社区名称匹配）")
        return chosen
    return dict(roster)


def _assess(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    as_of: datetime | None,
    since: datetime | None,
    domains: Sequence[str] | None,
    with_erased: bool = False,
) -> tuple[_ReportView, int]:
    if not roster:
        raise ValueError("花名册为空：请先导入花名册（roster.csv）再生成报告")
    framework, rules = load_framework(), load_rating_rules()
    unknown = [d for d in domains or () if d not in {x.id for x in framework.domains}]
    if unknown:
        raise ValueError(f"未知领域：{', '.join(unknown)}")
    as_of = utc_naive(as_of or datetime.now(UTC))
    detailed = len(roster) <= DETAIL_LIMIT
    agg = aggregate(
        store,
        workers=list(roster),
        as_of=as_of,
        since=since,
        rules=rules,
        framework=framework,
        with_worker_trend=detailed,
        with_erased=with_erased,
    )
    matrix = rating_matrix(agg.ratings, list(roster), framework)
    full_post = full_post_status(matrix, framework=framework)
    if domains:
        agg = aggregate(
            store,
            workers=list(roster),
            as_of=as_of,
            since=since,
            rules=rules,
            framework=framework,
            domains=domains,
            with_worker_trend=detailed,
            with_erased=with_erased,
        )
        shown = tuple(d for d in framework.domains if d.id in domains)
        framework = framework.model_copy(update={"domains": shown})
        matrix = matrix[[d.id for d in shown]]
    view = _ReportView(
        framework=framework, rules=rules, roster=roster, agg=agg, matrix=matrix, full_post=full_post, as_of=as_of
    )
    return view, agg.outside


def build_report(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    out_html: Path,
    out_xlsx: Path | None = None,
    as_of: datetime | None = None,
    since: datetime | None = None,
    domains: Sequence[str] | None = None,
    title: str = "社区工作者能力评定报告",
    district_wide: bool = False,
) -> ReportSummary:
    """Rate the workers of ``roster`` on evidence from ``since`` to ``as_of`` and write the report.

    Pass only the workers the reader may see (:func:`select_workers`); nothing about other
    workers reaches the output. ``domains`` narrows the columns; 全岗通 still counts all twelve.
    ``district_wide`` (the whole roster) keeps erased workers' rows in the trends and question
    statistics, so an erasure does not change them.
    """
    out_html = check_target(Path(out_html), what="--out")  # both targets checked before any work
    out_xlsx = check_target(Path(out_xlsx), what="--xlsx") if out_xlsx is not None else None
    view, outside = _assess(store, roster, as_of=as_of, since=since, domains=domains, with_erased=district_wide)
    page = _render(title=title, outside_roster=outside if len(roster) > 1 else 0, view=view)
    sheets = view.sheets() if out_xlsx is not None else None
    if out_xlsx is not None:
        _write_workbook(out_xlsx, sheets)
    write_text(out_html, page)
    return ReportSummary(
        workers=len(roster),
        domains=len(view.framework.domains),
        evidence_rows=view.agg.rows,
        full_post=int(view.full_post.sum()),
        html=out_html,
        xlsx=out_xlsx,
    )


def question_stats(evidence: pd.DataFrame, *, framework: Framework | None = None) -> pd.DataFrame:
    """Per question (``ref``): attempts, workers, share answered fully right, mean score.

    Superseded rows are left out. Sorted worst first: the questions most workers miss.
    """
    framework = framework or load_framework()
    columns = ["ref", "domains", "sources", "attempts", "workers", "correct_rate", "mean_score"]
    rows = current_evidence(evidence)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    titles = {d.id: d.title for d in framework.domains}
    ratio = rows["score"].astype(float) / rows["max_score"].astype(float)
    rows = rows.assign(ratio=ratio, correct=ratio >= 1 - 1e-9)
    stats = (
        rows.groupby("ref", sort=True)
        .agg(
            domains=("domain", lambda s: "、".join(titles.get(d, d) for d in dict.fromkeys(s))),
            sources=("source", lambda s: "、".join(SOURCES.get(x, x) for x in dict.fromkeys(s))),
            attempts=("ratio", "size"),
            workers=("worker_id", "nunique"),
            correct_rate=("correct", "mean"),
            mean_score=("ratio", "mean"),
        )
        .reset_index()
    )
    stats = stats.sort_values(["correct_rate", "mean_score", "attempts", "ref"], ascending=[True, True, False, True])
    return stats[columns].reset_index(drop=True)


# -- what the report shows ---------------------------------------------------------------


def _lessons_by_domain(framework: Framework) -> dict[str, list[Lesson]]:
    """Lessons that teach each domain: the lesson's own domain and those of its items."""
    items = framework.items
    found: dict[str, list[Lesson]] = {}
    for lesson in load_lessons():
        domains = {lesson.domain} | {framework.domain_of(i) for i in lesson.items if i in items}
        for domain in sorted(domains):
            found.setdefault(domain, []).append(lesson)
    return found


@dataclass
class _ReportView:
    """Ratings turned into rows, cells and charts for the template and the workbook."""

    framework: Framework
    rules: RatingRules
    roster: dict[str, Worker]
    agg: Aggregates
    matrix: pd.DataFrame
    full_post: pd.Series
    as_of: datetime

    def __post_init__(self) -> None:
        self.titles = {d.id: d.title for d in self.framework.domains}
        self.levels = {lv.id: lv for lv in self.framework.scale}
        self.by_cell = {(r["worker_id"], r["domain"]): r for r in self.agg.ratings.to_dict(orient="records")}
        self.trend = self.agg.trend
        self.detailed = len(self.roster) <= DETAIL_LIMIT
        self.worker_trend = dict(tuple(self.agg.worker_trend.groupby("worker_id"))) if self.detailed else {}
        self.questions = self.agg.questions
        self.lessons = _lessons_by_domain(self.framework)

    def rating(self, worker_id: str, domain: str) -> dict[str, Any]:
        """The rating of one cell, a 未评估 row when there is no evidence for it."""
        if (worker_id, domain) in self.by_cell:
            return self.by_cell[(worker_id, domain)]
        level = self.levels[NOT_ASSESSED]
        return {
            "level": level.id,
            "level_title": level.title,
            "proficient": False,
            "score": math.nan,
            "n_evidence": 0,
            "sources": "",
            "reason": _NO_EVIDENCE,
        }

    @cached_property
    def worker_rows(self) -> list[dict[str, Any]]:
        """One entry per roster worker: matrix cells, gaps with lessons, a small chart."""
        rows = []
        for worker in self.roster.values():
            cells = [self._cell(worker.worker_id, d.id) for d in self.framework.domains]
            rows.append(
                {
                    "worker": worker,
                    "cells": cells,
                    "cells_html": Markup(
                        "".join(  # built here: tens of thousands of cells render fast
                            f'<td class="lv lv-{escape(c["level"])}{" lv-untested" if c["untested"] else ""}" '
                            f'title="{escape(c["domain_title"])}：{escape(c["reason"])}{escape(c["interval_text"])}">'
                            f"{'缺考核' if c['untested'] else escape(c['level_title'])}<small>{escape(c['score_text'])}</small></td>"
                            for c in cells
                        )
                    ),
                    "full_post": bool(self.full_post[worker.worker_id]),
                    "n_proficient": sum(c["proficient"] for c in cells),
                    "chart": self._worker_chart(worker.worker_id) if self.detailed else None,
                    "radar": _radar(cells) if self.detailed else None,
                    **self._gaps(cells),
                }
            )
        return rows

    def _cell(self, worker_id: str, domain: str) -> dict[str, Any]:
        r = self.rating(worker_id, domain)
        return {
            **r,
            "domain": domain,
            "domain_title": self.titles[domain],
            "score_text": _percent(r["score"]),
            "interval_text": ""
            if r["level"] == INSUFFICIENT or pd.isna(r.get("low", math.nan))
            else f"（{self.rules.certainty:.0%}把握区间 {_percent(r['low'])}–{_percent(r['high'])}）",
            "untested": bool(r.get("needs_trainer_evidence", False)),
        }

    def _gaps(self, cells: list[dict[str, Any]]) -> dict[str, Any]:
        """Domains below 合格 with their lessons; untouched domains with no lesson in one list."""
        gaps, untouched = [], []
        for cell in cells:
            if cell["proficient"]:
                continue
            lessons = self.lessons.get(cell["domain"], [])
            if cell["n_evidence"] == 0 and not lessons:
                untouched.append(cell["domain_title"])
            else:
                gaps.append({**cell, "lessons": lessons})
        return {"gaps": gaps, "untouched": untouched}

    def overview(self, outside_roster: int) -> dict[str, Any]:
        counts = self.matrix.stack().value_counts()
        return {
            "workers": len(self.roster),
            "domains": len(self.framework.domains),
            "evidence": self.agg.rows,
            "current": self.agg.current,
            "date_from": _date(self.agg.date_from) if self.agg.date_from else "—",
            "date_to": _date(self.agg.date_to) if self.agg.date_to else "—",
            "full_post": int(self.full_post.sum()),
            "outside_roster": outside_roster,
            "level_counts": [
                {"id": lv.id, "title": lv.title, "count": int(counts.get(lv.id, 0))} for lv in self.framework.scale
            ],
        }

    def domain_gaps(self) -> list[dict[str, Any]]:
        """Per domain: how many workers are below 合格, and the lessons that close the gap."""
        below = (~self.matrix.isin([lv.id for lv in self.framework.scale if lv.proficient])).sum()
        return [
            {"title": d.title, "below": int(below[d.id]), "lessons": self.lessons.get(d.id, [])}
            for d in self.framework.domains
        ]

    def trend_chart(self) -> dict[str, Any]:
        series = []
        for index, domain in enumerate(self.framework.domains):
            points = self.trend[self.trend["domain"] == domain.id]
            if len(points):
                series.append((domain.title, PALETTE[index % len(PALETTE)], points))
        return _line_chart(
            series,
            months=_months(self.trend),
            competent=self.rules.thresholds.competent,
            legend=True,
            partial=self.partial_months,
        )

    @cached_property
    def partial_months(self) -> dict[str, str]:
        """The rating date's month, unless it is its last day: its average covers only part of it."""
        last = calendar.monthrange(self.as_of.year, self.as_of.month)[1]
        return {} if self.as_of.day == last else {f"{self.as_of:%Y-%m}": f"（截至{self.as_of.day}日）"}

    def _worker_chart(self, worker_id: str) -> dict[str, Any] | None:
        points = self.worker_trend.get(worker_id)
        if points is None:
            return None
        return _line_chart(
            [("月平均得分率", PALETTE[0], points)],
            months=_months(points),
            competent=self.rules.thresholds.competent,
            legend=False,
            width=360,
            height=150,
            partial=self.partial_months,
        )

    def trend_rows(self) -> list[dict[str, Any]]:
        order = {domain_id: index for index, domain_id in enumerate(self.titles)}
        records = sorted(
            self.trend.to_dict(orient="records"), key=lambda r: (r["month"], order.get(r["domain"], len(order)))
        )
        return [
            {
                "month": r["month"] + self.partial_months.get(r["month"], ""),
                "domain": self.titles.get(r["domain"], r["domain"]),
                "score": float(r["score"]),
                "n_evidence": int(r["n_evidence"]),
            }
            for r in records
        ]

    def question_rows(self) -> list[dict[str, Any]]:
        """Each question with its text: shortened for the page, in full for the hover and Excel."""
        rows = self.questions.to_dict(orient="records")
        full = describe_many(r["ref"] for r in rows)
        return [{**r, "full": full[r["ref"]], "text": shorten(full[r["ref"]])} for r in rows]

    def sheets(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        """The workbook: sheet title → (Chinese headers, rows)."""
        domains = self.framework.domains
        workers = self.worker_rows
        matrix = [
            [
                w["worker"].worker_id,
                w["worker"].display_name,
                w["worker"].street,
                w["worker"].community,
                w["worker"].post,
                *[
                    _Level("untested", "待提高（缺考核）") if c["untested"] else _Level(c["level"], c["level_title"])
                    for c in w["cells"]
                ],
                w["n_proficient"],
                "是" if w["full_post"] else "否",
            ]
            for w in workers
        ]
        detail = [
            [
                w["worker"].worker_id,
                w["worker"].display_name,
                c["domain_title"],
                _Level(c["level"], c["level_title"]),
                "是" if c["proficient"] else "否",
                _Percent(c["score"]),
                _Percent(c.get("low", math.nan)),
                _Percent(c.get("high", math.nan)),
                c["n_evidence"],
                c["sources"],
                c["reason"],
            ]
            for w in workers
            for c in w["cells"]
        ]
        questions = [
            [
                q["full"],
                q["domains"],
                q["sources"],
                q["attempts"],
                q["workers"],
                _Percent(q["correct_rate"]),
                _Percent(q["mean_score"]),
                q["ref"],
            ]
            for q in self.question_rows()
        ]
        trend = [[t["month"], t["domain"], _Percent(t["score"]), t["n_evidence"]] for t in self.trend_rows()]
        rules = [
            ["评定日期", _date(self.as_of)],
            ["规则说明", self.rules.explanation_text()],
            *[[f"{self.levels[lv].title}线", _Percent(bar)] for lv, bar in self.rules.thresholds.ordered()],
        ]
        return {
            "能力矩阵": (
                ["工号", "姓名", "街道", "社区", "岗位", *[d.title for d in domains], "达标领域数", "全岗通"],
                matrix,
            ),
            "评定明细": (
                [
                    "工号",
                    "姓名",
                    "领域",
                    "等级",
                    "是否达标",
                    "加权得分率",
                    "区间下限",
                    "区间上限",
                    "证据条数",
                    "证据来源",
                    "评定说明",
                ],
                detail,
            ),
            "题目分析": (
                ["题目", "领域", "证据来源", "作答次数", "作答人数", "答对率", "平均得分率", "题目编号"],
                questions,
            ),
            "趋势": (["月份", "领域", "平均得分率", "证据条数"], trend),
            "评定规则": (["项目", "内容"], rules),
        }


# -- charts ------------------------------------------------------------------------------


def _months(trend: pd.DataFrame) -> list[str]:
    return sorted(set(trend["month"])) if len(trend) else []


def _line_chart(
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
    right = 300 if legend else 16
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


def _radar(cells: list[dict[str, Any]], *, size: int = 300) -> dict[str, Any]:
    """An SVG radar of one worker's weighted score per domain (未评估 at the centre)."""
    centre, radius = size / 2, size / 2 - 60
    spokes, points = [], []
    for index, cell in enumerate(cells):
        angle = -math.pi / 2 + 2 * math.pi * index / len(cells)
        dx, dy = math.cos(angle), math.sin(angle)
        value = 0.0 if _missing(cell["score"]) else max(0.0, min(1.0, float(cell["score"])))
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


# -- output ------------------------------------------------------------------------------


def _render(*, title: str, outside_roster: int, view: _ReportView) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = _percent
    env.filters["num"] = _number
    source = resources.files("trainkit").joinpath("templates").joinpath("report.html.j2")
    template = env.from_string(source.read_text(encoding="utf-8"))
    return template.render(
        title=title,
        as_of=_date(view.as_of),
        generated=datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M（北京时间）"),
        overview=view.overview(outside_roster),
        domains=view.framework.domains,
        scale=view.framework.scale,
        workers=view.worker_rows,
        trend_chart=view.trend_chart(),
        detailed=view.detailed,
        domain_gaps=view.domain_gaps(),
        trend_rows=view.trend_rows(),
        questions=view.question_rows(),
        rules=view.rules,
        explanation=view.rules.explanation_text(),
        thresholds=[(view.levels[lv].title, bar) for lv, bar in view.rules.thresholds.ordered()],
    )


@dataclass(frozen=True)
class _Level:
    id: str
    title: str


@dataclass(frozen=True)
class _Percent:
    value: float


def _write_workbook(path: Path, sheets: dict[str, tuple[list[str], list[list[Any]]]]) -> None:
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
            _put(sheet.cell(row=1, column=col), header).font = bold
        for row_no, row in enumerate(rows, start=2):
            for col, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_no, column=col)
                if isinstance(value, _Level):
                    _put(cell, value.title)
                    if value.id in fills:
                        cell.fill = fills[value.id]
                elif isinstance(value, _Percent):
                    _put(cell, None if _missing(value.value) else float(value.value))
                    cell.number_format = "0%"
                else:
                    _put(cell, value)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        for col, header in enumerate(headers, start=1):
            longest = max(
                [
                    _display_width(header) + 4,  # room for the filter button
                    *(
                        _display_width(str(r[col - 1] if not isinstance(r[col - 1], _Level) else r[col - 1].title))
                        for r in rows[:500]
                    ),
                ]
            )
            sheet.column_dimensions[get_column_letter(col)].width = max(8, min(60, longest + 2))
    with replacing(path) as tmp:
        book.save(tmp)


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _put(cell: Any, value: Any) -> Any:
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


# -- small formatting helpers -------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _percent(value: Any) -> str:
    return "—" if _missing(value) else f"{float(value):.0%}"


def _number(value: float) -> str:
    return f"{value:g}"


def _date(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d")


PUBLICATION_IDS = {"post": "岗位", "id": "工号"}


def build_publication(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    out_html: Path,
    appeal_days: int,
    as_of: datetime | None = None,
    since: datetime | None = None,
    title: str = "社区工作者能力评定结果公示",
    identify: str = "post",
    include_supervisors: bool = False,
) -> Path:
    """The 公示: names, levels and 全岗通 only, with the notice period and how to appeal.

    Each row names the person beside their 街道/社区 and, as the bureau decides, their post
    (``identify="post"``) or their 工号 (``"id"``); where name, unit and post still match two
    people, the 工号 is added. Supervisors (a 督导范围 on the roster) are left out unless
    ``include_supervisors``: the notice is about the workers being rated.
    """
    if appeal_days < 1:
        raise ValueError("公示期（--appeal-days）至少 1 天")
    if identify not in PUBLICATION_IDS:
        raise ValueError(f"--identify 应为 {' 或 '.join(PUBLICATION_IDS)}（{'、'.join(PUBLICATION_IDS.values())}）")
    listed = {k: w for k, w in roster.items() if include_supervisors or not w.supervisor_scope.strip()}
    if not listed:
        raise ValueError("花名册中没有需要公示的工作人员（督导不列入公示；确要列入请加 --include-supervisors）")
    view, _ = _assess(store, listed, as_of=as_of, since=since, domains=None)
    start = datetime.now(UTC).date()
    seen: dict[tuple[str, str, str, str], int] = {}
    for w in listed.values():
        key = (w.display_name, w.street, w.community, w.post)
        seen[key] = seen.get(key, 0) + 1

    def who(w: Worker) -> str:
        if identify == "id":
            return w.worker_id
        twin = seen[(w.display_name, w.street, w.community, w.post)] > 1
        return f"{w.post or '—'}（工号 {w.worker_id}）" if twin else (w.post or "—")

    rows = [
        {
            "name": w["worker"].display_name,
            "unit": f"{w['worker'].street} {w['worker'].community}".strip(),
            "who": who(w["worker"]),
            "levels": [c["level_title"] for c in w["cells"]],
            "full_post": w["full_post"],
        }
        for w in view.worker_rows
    ]
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    source = resources.files("trainkit").joinpath("templates").joinpath("publication.html.j2")
    html = env.from_string(source.read_text(encoding="utf-8")).render(
        title=title,
        as_of=_date(view.as_of),
        start=start.isoformat(),
        deadline=(start + timedelta(days=appeal_days)).isoformat(),
        days=appeal_days,
        domains=view.framework.domains,
        rows=rows,
        explanation=view.rules.explanation_text(),
        who_title=PUBLICATION_IDS[identify],
    )
    return write_text(Path(out_html), html)
