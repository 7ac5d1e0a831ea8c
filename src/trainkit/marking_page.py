"""The trainers' double-marking page: where each answer stands, and how well the two markers agree."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd

from .evidence import EvidenceStore
from .marking import Plan, agreement, exercise_title, latest_plan, marking_status

__all__ = ["agreement_page", "render_marking_page"]

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;line-height:1.6}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0;max-width:100%}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.low{background:#f9d5c0}.note{color:#555;font-size:14px;max-width:60em}
.wrap{overflow-x:auto}.wrap th,.wrap td{white-space:nowrap}  /* narrow screens scroll the table, never one character a line */
@media print{body{margin:0}}
"""


def _pct(value: float) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.0%}"


def _num(value: float, digits: int = 2) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


def render_marking_page(
    *,
    assignment: str,
    title: str | None = None,
    plan: Plan,
    status: pd.DataFrame,
    per_criterion: pd.DataFrame,
    per_marker: pd.DataFrame,
) -> str:
    """A self-contained Chinese HTML page for the trainers."""
    counts = status["state_title"].value_counts()
    states = "、".join(f"{title} {int(counts.get(title, 0))} 项" for title in ("已定分", "待仲裁", "待第二评", "待评"))
    crit_rows = "".join(
        f"<tr><td>{escape(r.criterion)}</td><td>{escape(r.notebook)}</td><td class=num>{r.pairs}</td>"
        f"<td class='num{' low' if not math.isnan(r.alpha) and r.alpha < 0.667 else ''}'>{_num(r.alpha)}</td>"
        f"<td class=num>{_pct(r.exact)}</td><td class=num>{_pct(r.adjacent)}</td><td class=num>{r.arbitrated}</td></tr>"
        for r in per_criterion.itertuples()
    )
    marker_rows = "".join(
        f"<tr><td>{escape(r.marker)}</td><td class=num>{r.marked}</td><td class=num>{_pct(r.mean_share)}</td>"
        f"<td class=num>{_num(r.vs_other)}</td></tr>"
        for r in per_marker.itertuples()
    )
    pending = status[status["state"] == "arbitration"]
    pending_rows = "".join(
        f"<tr><td>{escape(r.student)}</td><td>{escape(r.criterion)}</td><td class=num>{r.first:g}</td>"
        f"<td class=num>{r.second:g}</td><td class=num>{r.points:g}</td></tr>"
        for r in pending.itertuples()
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>双评情况：{escape(title or assignment)}</title><style>{_STYLE}</style></head><body>
<h1>双评情况：{escape(title or assignment)}</h1>
<p>评分人：{escape(plan.markers[0])}、{escape(plan.markers[1])}；仲裁人：{escape(plan.arbiter)}；
两评相差不超过 {plan.gap:g} 分取平均分，超过则由仲裁人定分。共 {len(status)} 项：{states}。</p>
<h2>按评分项的一致性</h2>
<div class=wrap><table><tr><th>评分项</th><th>作业文件</th><th>双评份数</th><th>Krippendorff α</th><th>完全一致</th>
<th>相差不超过 1 分</th><th>需仲裁</th></tr>{crit_rows or "<tr><td colspan=7>还没有双评完成的作答</td></tr>"}</table></div>
<p class=note>α 是两位评分人一致程度的统计量：1 为完全一致，0 相当于随机打分；一般认为 0.8 以上可靠，
低于 0.667（标色）说明这一评分项的细则需要两位评分人一起对照样卷重新校准。双评份数少于 2 或分数全部相同时不计算 α。</p>
<h2>按评分人</h2>
<div class=wrap><table><tr><th>评分人</th><th>已评</th><th>平均得分率</th><th>比另一位平均高（分）</th></tr>{marker_rows}</table></div>
<p class=note>“比另一位平均高”为正，说明此人打分偏松；为负，偏严。差得多时，请两人先各自说明打分理由再统一尺度。</p>
<h2>待仲裁</h2>
<div class=wrap><table><tr><th>学员</th><th>评分项</th><th>第一评</th><th>第二评</th><th>满分</th></tr>
{pending_rows or "<tr><td colspan=5>没有待仲裁的作答</td></tr>"}</table></div>
</body></html>
"""


def agreement_page(store: EvidenceStore, course: Path, assignment: str) -> str:
    """The page for ``assignment`` as it stands in ``store`` (``ValueError`` without a double-marking plan)."""
    plan = latest_plan(store, assignment)
    status = marking_status(store, course, assignment)
    per_criterion, per_marker = agreement(status, plan)
    return render_marking_page(
        assignment=assignment,
        title=exercise_title(course, assignment),
        plan=plan,
        status=status,
        per_criterion=per_criterion,
        per_marker=per_marker,
    )
