"""The supervisor's report: one offline HTML file in Chinese, and optionally an Excel workbook.

Everything is computed from the evidence log at ``as_of``: ratings per worker and domain,
the competency matrix with 全岗通 status, monthly trends drawn as inline SVG (the browser
draws the Chinese text, so no font needs shipping), gaps with the lessons that close them,
and which questions most workers miss. Data strings are escaped in HTML and stored as text,
never as formulas, in Excel. This module builds the view and renders the page; the charts
(``report_charts``), the workbook (``report_excel``) and the 公示 (``publication``) live apart.
"""

from __future__ import annotations

import calendar
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup, escape

from .aggregate import Aggregates, aggregate
from .atomic import check_target, write_text
from .evidence import EvidenceStore, utc_naive
from .framework import Framework, load_framework
from .item_quality import FLAGS, question_table
from .lessons import Lesson, load_lessons
from .localtime import local_text
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
from .report_charts import line_chart, months_of, radar
from .report_excel import Level, Percent, write_workbook
from .report_format import date_text, missing, number, percent, percents
from .resident_feedback import five_point
from .roster import Worker

__all__ = ["ReportSummary", "assess", "build_report", "question_stats", "select_workers"]

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
    """The part of the roster one reader may see: one worker, or a 区县, 街道 or 社区 (scope)."""
    if worker is not None:
        if worker not in roster:
            raise ValueError(f"花名册中没有工号 {worker}")
        return {worker: roster[worker]}
    if scope is not None:
        chosen = {k: w for k, w in roster.items() if w.in_scope(scope)}
        if not chosen:
            raise ValueError(f"花名册中没有属于“{scope}”的工作人员（按区县、街道或社区名称匹配）")
        return chosen
    return dict(roster)


def assess(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    as_of: datetime | None,
    since: datetime | None,
    domains: Sequence[str] | None,
    with_erased: bool = False,
    arrow: bool = True,
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
        arrow=arrow,
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
            arrow=arrow,
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
    arrow: bool = True,
) -> ReportSummary:
    """Rate the workers of ``roster`` on evidence from ``since`` to ``as_of`` and write the report.

    Pass only the workers the reader may see (:func:`select_workers`); nothing about other
    workers reaches the output. ``domains`` narrows the columns; 全岗通 still counts all twelve.
    ``district_wide`` (the whole roster) keeps erased workers' rows in the trends and question
    statistics, so an erasure does not change them. ``arrow=False`` reads the evidence through
    the Python driver instead of ADBC (the reference transport; benchmarks compare the two).
    """
    out_html = check_target(Path(out_html), what="--out")  # both targets checked before any work
    out_xlsx = check_target(Path(out_xlsx), what="--xlsx") if out_xlsx is not None else None
    view, outside = assess(
        store, roster, as_of=as_of, since=since, domains=domains, with_erased=district_wide, arrow=arrow
    )
    page = _render(title=title, outside_roster=outside if len(roster) > 1 else 0, view=view)
    sheets = view.sheets() if out_xlsx is not None else None
    if out_xlsx is not None:
        write_workbook(out_xlsx, sheets)
    write_text(out_html, page)
    return ReportSummary(
        workers=len(roster),
        domains=len(view.framework.domains),
        evidence_rows=view.agg.rows,
        full_post=int(view.full_post.sum()),
        html=out_html,
        xlsx=out_xlsx,
    )


def question_stats(
    evidence: pd.DataFrame, *, framework: Framework | None = None, rules: RatingRules | None = None
) -> pd.DataFrame:
    """Per question (``ref``): attempts, workers, share fully right, mean score, discrimination
    and flags (:func:`~trainkit.item_quality.question_table`). Superseded rows are left out;
    set-aside questions are kept. Sorted worst first: the questions most workers miss."""
    rules = rules or load_rating_rules()
    rows = current_evidence(evidence, counting=False)
    return question_table(rows, framework or load_framework(), rules.item_quality)


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
        self.trend = self.agg.trend
        self.detailed = len(self.roster) <= DETAIL_LIMIT
        self.worker_trend = dict(tuple(self.agg.worker_trend.groupby("worker_id"))) if self.detailed else {}
        self.questions = self.agg.questions
        self.lessons = _lessons_by_domain(self.framework)

    @cached_property
    def by_cell(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Each rating as a dict, by (worker, domain): for the detail and the workbook."""
        ratings = self.agg.ratings
        names = list(ratings.columns)
        records = (
            dict(zip(names, values, strict=True)) for values in zip(*(ratings[n].tolist() for n in names), strict=True)
        )
        return {(r["worker_id"], r["domain"]): r for r in records}

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
            "feedback_n": 0,
            "feedback_mean": math.nan,
            "feedback_share": 0.0,
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
                        "".join(
                            _cells_html(
                                [c["level"] for c in cells],
                                [c["untested"] for c in cells],
                                [c["domain_title"] for c in cells],
                                [c["reason"] for c in cells],
                                [c["interval_text"] for c in cells],
                                [c["level_title"] for c in cells],
                                [c["score_text"] for c in cells],
                            )
                        )
                    ),
                    "full_post": bool(self.full_post[worker.worker_id]),
                    "feedback": _feedback_summary(
                        [int(c.get("feedback_n", 0) or 0) for c in cells], [c.get("feedback_mean") for c in cells]
                    ),
                    "n_proficient": sum(c["proficient"] for c in cells),
                    "chart": self._worker_chart(worker.worker_id) if self.detailed else None,
                    "radar": radar(cells) if self.detailed else None,
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
            "score_text": percent(r["score"]),
            "interval_text": self._interval_text(
                r["level"], percent(r.get("low", math.nan)), percent(r.get("high", math.nan))
            ),
            "untested": bool(r.get("needs_trainer_evidence", False)),
            "feedback_text": _feedback_text(r),
        }

    def _interval_text(self, level: str, low: str, high: str) -> str:
        """A cell's interval in words, from its bounds as :func:`percent` writes them; none for
        证据不足 (its reason says it) or without a rating (no bound: "—")."""
        if level == INSUFFICIENT or low == percent(math.nan):
            return ""
        return f"（{self.rules.certainty:.0%}把握区间 {low}–{high}）"

    @cached_property
    def matrix_rows(self) -> list[dict[str, Any]]:
        """What the page shows of each worker. A small team gets :attr:`worker_rows` (detail,
        gaps, charts); a large one only its matrix row, built from the rating columns at once
        (sixty thousand cells), so that the page does not wait on detail it does not show."""
        return self.worker_rows if self.detailed else self.matrix_only()

    def matrix_only(self) -> list[dict[str, Any]]:
        """Each worker's matrix row (the cells, 达标 count, 全岗通, feedback), none of the detail."""
        workers, domains = list(self.roster), [d.id for d in self.framework.domains]
        size = len(domains)
        ratings = self.agg.ratings
        row = pd.Index(workers).get_indexer(ratings["worker_id"])
        col = pd.Index(domains).get_indexer(ratings["domain"])
        known = (row >= 0) & (col >= 0)  # the ratings of the workers and domains shown
        where = (row * size + col)[known]

        def column(name: str, default: Any) -> list[Any]:
            values = np.full(len(workers) * size, default, dtype=object if isinstance(default, str) else float)
            values[where] = ratings[name].to_numpy()[known]
            return values.tolist()

        level, reason = column("level", NOT_ASSESSED), column("reason", _NO_EVIDENCE)
        untested, feedback_n = column("needs_trainer_evidence", 0.0), column("feedback_n", 0.0)
        # a whole percent is written once per distinct value (percents), not per cell
        low, high = percents(column("low", math.nan)), percents(column("high", math.nan))
        cells = _cells_html(
            level,
            [bool(u) for u in untested],
            [self.titles[d] for d in domains] * len(workers),
            reason,
            [self._interval_text(lv, lo, hi) for lv, lo, hi in zip(level, low, high, strict=True)],
            [self.levels[lv].title for lv in level],
            percents(column("score", math.nan)),
        )
        proficient = {lv.id for lv in self.framework.scale if lv.proficient}
        n_proficient = np.isin(np.array(level, dtype=object), list(proficient)).reshape(len(workers), size).sum(axis=1)
        full_post = self.full_post.reindex(workers, fill_value=False).tolist()
        with_feedback = np.array(feedback_n, dtype=float).reshape(len(workers), size).any(axis=1).tolist()
        feedback_mean = column("feedback_mean", math.nan)
        none = _feedback_summary([], [])
        rows = []
        for n, worker in enumerate(self.roster.values()):
            part = slice(n * size, (n + 1) * size)
            rows.append(
                {
                    "worker": worker,
                    "cells_html": Markup("".join(cells[part])),
                    "full_post": bool(full_post[n]),
                    # most workers have no residents' feedback: one summary serves them all
                    "feedback": _feedback_summary([int(k) for k in feedback_n[part]], feedback_mean[part])
                    if with_feedback[n]
                    else dict(none),
                    "n_proficient": int(n_proficient[n]),
                }
            )
        return rows

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
            "date_from": date_text(self.agg.date_from) if self.agg.date_from else "—",
            "date_to": date_text(self.agg.date_to) if self.agg.date_to else "—",
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

    def trend_charts(self) -> list[dict[str, Any]]:
        """One small chart per domain on the same scale (twelve lines in one chart cannot be read)."""
        months = months_of(self.trend)
        charts = []
        for index, domain in enumerate(self.framework.domains):
            points = self.trend[self.trend["domain"] == domain.id]
            chart = line_chart(
                [(domain.title, PALETTE[index % len(PALETTE)], points)] if len(points) else [],
                months=months,
                competent=self.rules.thresholds.competent,
                legend=False,
                width=300,
                height=170,
                partial=self.partial_months,
            )
            chart["partial_note"] = ""  # said once, under the charts
            last = points.sort_values("month").iloc[-1] if len(points) else None
            charts.append(
                {
                    "title": domain.title,
                    "chart": chart,
                    "latest": "暂无证据" if last is None else f"{last['month']}：{last['score']:.0%}",
                }
            )
        return charts

    @cached_property
    def partial_months(self) -> dict[str, str]:
        """The rating date's month, unless it is its last day: its average covers only part of it."""
        last = calendar.monthrange(self.as_of.year, self.as_of.month)[1]
        return {} if self.as_of.day == last else {f"{self.as_of:%Y-%m}": f"（截至{self.as_of.day}日）"}

    def _worker_chart(self, worker_id: str) -> dict[str, Any] | None:
        points = self.worker_trend.get(worker_id)
        if points is None:
            return None
        return line_chart(
            [("月平均得分率", PALETTE[0], points)],
            months=months_of(points),
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
        aside = self.agg.set_aside
        return [
            {
                **r,
                "full": full[r["ref"]],
                "text": shorten(full[r["ref"]]),
                "note": "；".join(x for x in (r["flags"], "已搁置，不计入评定" if r["ref"] in aside else "") if x),
            }
            for r in rows
        ]

    def flagged_rows(self) -> list[dict[str, Any]]:
        """The questions the item analysis asks a trainer to look at, and those already set aside."""
        order = {title: n for n, title in enumerate(FLAGS.values())}
        flagged = [q for q in self.question_rows() if q["note"]]
        return sorted(flagged, key=lambda q: order.get(q["flags"], len(order)))  # miskeyed first

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
                    Level("untested", "待提高（缺考核）") if c["untested"] else Level(c["level"], c["level_title"])
                    for c in w["cells"]
                ],
                w["n_proficient"],
                "是" if w["full_post"] else "否",
                w["feedback"]["n"],
                w["feedback"]["mean"],
            ]
            for w in workers
        ]
        detail = [
            [
                w["worker"].worker_id,
                w["worker"].display_name,
                c["domain_title"],
                Level(c["level"], c["level_title"]),
                "是" if c["proficient"] else "否",
                Percent(c["score"]),
                Percent(c.get("low", math.nan)),
                Percent(c.get("high", math.nan)),
                c["n_evidence"],
                c["sources"],
                c.get("feedback_n", 0),
                _mean_score(c.get("feedback_mean", math.nan)),
                Percent(c.get("feedback_share", 0.0)),
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
                Percent(q["correct_rate"]),
                Percent(q["mean_score"]),
                None if missing(q["discrimination"]) else round(float(q["discrimination"]), 2),
                Percent(q["strong_miss"]),
                q["note"],
                q["ref"],
            ]
            for q in self.question_rows()
        ]
        trend = [[t["month"], t["domain"], Percent(t["score"]), t["n_evidence"]] for t in self.trend_rows()]
        rules = [
            ["评定日期", date_text(self.as_of)],
            ["规则说明", self.rules.explanation_text()],
            *[[f"{self.levels[lv].title}线", Percent(bar)] for lv, bar in self.rules.thresholds.ordered()],
            *([["居民回访", self.rules.resident_feedback.explanation_text()]] if self.rules.resident_feedback else []),
        ]
        return {
            "能力矩阵": (
                [
                    "工号",
                    "姓名",
                    "街道",
                    "社区",
                    "岗位",
                    *[d.title for d in domains],
                    "达标领域数",
                    "全岗通",
                    "居民回访条数",
                    "回访平均分（1–5）",
                ],
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
                    "居民回访条数",
                    "回访平均分（1–5）",
                    "回访所占权重",
                    "评定说明",
                ],
                detail,
            ),
            "题目分析": (
                [
                    "题目",
                    "领域",
                    "证据来源",
                    "作答次数",
                    "作答人数",
                    "答对率",
                    "平均得分率",
                    "区分度",
                    "强组答错率",
                    "提示",
                    "题目编号",
                ],
                questions,
            ),
            "趋势": (["月份", "领域", "平均得分率", "证据条数"], trend),
            "评定规则": (["项目", "内容"], rules),
        }


def _mean_score(ratio: float) -> float | None:
    """A feedback mean on the residents' 1–5 scale, to one decimal; ``None`` without feedback."""
    return None if missing(ratio) else round(five_point(float(ratio)), 1)


def _feedback_text(rating: dict[str, Any]) -> str:
    """One cell's residents' feedback in words: how many, their mean score, its share of the rating."""
    n = int(rating.get("feedback_n", 0) or 0)
    if n == 0:
        return "—"
    share = float(rating.get("feedback_share", 0.0) or 0.0)
    counted = f"计入 {share:.0%}" if share > 0 else "未计入"
    return f"{n} 条，均 {_mean_score(rating['feedback_mean']):.1f} 分（{counted}）"


class _Escaped(dict):
    """Text → its HTML-escaped form, escaped on first use."""

    def __missing__(self, text: str) -> str:
        self[text] = str(escape(text))
        return self[text]


def _cells_html(
    levels: Sequence[str],
    untested: Sequence[bool],
    domain_titles: Sequence[str],
    reasons: Sequence[str],
    interval_texts: Sequence[str],
    level_titles: Sequence[str],
    score_texts: Sequence[str],
) -> list[str]:
    """Cells of the matrix, one per position of the equal-length columns: the level, its score,
    and the reason on hover. The same words recur in thousands of cells (sixty thousand for a
    district): each distinct one is escaped once."""
    e = _Escaped()
    return [
        f'<td class="lv lv-{e[level]}{" lv-untested" if missing_test else ""}" '
        f'title="{e[domain]}：{e[reason]}{e[interval]}">'
        f"{'缺考核' if missing_test else e[title]}<small>{e[score]}</small></td>"
        for level, missing_test, domain, reason, interval, title, score in zip(
            levels, untested, domain_titles, reasons, interval_texts, level_titles, score_texts, strict=True
        )
    ]


def _matrix_body(rows: Sequence[dict[str, Any]], *, shown: int) -> Markup:
    """The matrix table's rows as one piece of markup. Built here, not by a template loop, because
    a district's page has five thousand of them (a quarter of a second in Jinja); each text from
    the data is escaped, as the template would."""
    return Markup(
        "".join(
            f'<tr><td>{escape(w["worker"].worker_id)}</td><th scope="row">{escape(w["worker"].display_name)}</th>'
            f"<td>{escape(w['worker'].community)}</td>\n{w['cells_html']}\n"
            f'<td class="num">{w["n_proficient"]} / {shown}</td>\n'
            f'<td class="{"yes" if w["full_post"] else "no"}">{"是" if w["full_post"] else "否"}</td>\n'
            f'<td class="num">{escape(w["feedback"]["text"])}</td></tr>\n'
            for w in rows
        )
    )


def _feedback_summary(counts: Sequence[int], means: Sequence[Any]) -> dict[str, Any]:
    """A worker's feedback over the domains shown (per domain: record count, mean ratio):
    record count and mean score (1–5)."""
    n = sum(counts)
    total = sum(float(mean) * k for k, mean in zip(counts, means, strict=True) if k)
    mean = _mean_score(total / n) if n else None
    return {"n": n, "mean": mean, "text": "—" if not n else f"{n} 条 · 均 {mean:.1f} 分"}


# -- output ------------------------------------------------------------------------------


@functools.cache
def _template() -> Template:
    """The page's template, compiled once per process (a server renders many reports)."""
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = percent
    env.filters["num"] = number
    source = resources.files("trainkit").joinpath("templates").joinpath("report.html.j2")
    return env.from_string(source.read_text(encoding="utf-8"))


def _render(*, title: str, outside_roster: int, view: _ReportView) -> str:
    return _template().render(
        title=title,
        as_of=date_text(view.as_of),
        generated=local_text(datetime.now(UTC), "%Y-%m-%d %H:%M（北京时间）"),
        overview=view.overview(outside_roster),
        domains=view.framework.domains,
        scale=view.framework.scale,
        workers=view.matrix_rows,
        matrix_body=_matrix_body(view.matrix_rows, shown=len(view.framework.domains)),
        trend_charts=view.trend_charts(),
        partial_note="；".join(f"{m}*{text}" for m, text in view.partial_months.items()),
        detailed=view.detailed,
        domain_gaps=view.domain_gaps(),
        trend_rows=view.trend_rows(),
        questions=view.question_rows(),
        flagged=view.flagged_rows(),
        rules=view.rules,
        explanation=view.rules.explanation_text(),
        feedback_rules=view.rules.resident_feedback.explanation_text() if view.rules.resident_feedback else "",
        thresholds=[(view.levels[lv].title, bar) for lv, bar in view.rules.thresholds.ordered()],
    )
