"""The appeal packet: one rating worked out by hand, for the worker and the appeal panel.

Every evidence row of the worker in the domain is listed with what happened to it — counted,
superseded by a later row, outside the rating window, or recorded after the rating date — its
age, weight and weighted score. Then the rule is applied step by step with the numbers, ending
in the same level :func:`trainkit.ratings.rate` gives, and the appeals about this domain
follow with their decisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

import pandas as pd

from .appeals import list_appeals
from .evidence import FEEDBACK_SOURCE, SOURCES, EvidenceStore, utc_naive
from .framework import Framework, load_framework
from .localtime import LOCAL_TIME
from .ratings import RatingRules, feedback_counted, load_rating_rules, rate, score_interval, superseded_ids
from .roster import Worker

__all__ = ["Packet", "build_packet", "render_packet"]

COUNTED, SUPERSEDED, OUTSIDE, LATER = "计入", "已被取代", "超出评定窗口", "晚于评定日"
OVER_CAP = "超出回访条数上限"  # a resident's older record, or one beyond a day's number


@dataclass(frozen=True)
class Packet:
    worker: Worker
    domain: str
    domain_title: str
    as_of: datetime
    rows: pd.DataFrame  # one row per evidence row, with status, age_days, weight, weighted
    steps: list[str]  # the rule applied, in plain Chinese with the numbers
    level_title: str
    reason: str
    appeals: list


def build_packet(
    store: EvidenceStore,
    worker: Worker,
    domain: str,
    *,
    as_of: datetime | None = None,
    rules: RatingRules | None = None,
    framework: Framework | None = None,
) -> Packet:
    """The packet for ``worker``'s rating in ``domain`` (an id) as of ``as_of`` (default: now)."""
    rules, framework = rules or load_rating_rules(), framework or load_framework()
    title = framework.domain(domain).title
    as_of = utc_naive(as_of or datetime.now(UTC))
    evidence = store.frame(worker_id=worker.worker_id, domain=domain)
    rows = _classify(evidence, as_of=as_of, rules=rules)
    rated = rate(evidence, as_of=as_of, rules=rules, framework=framework)
    level_title, reason = (
        (rated.iloc[0]["level_title"], rated.iloc[0]["reason"])
        if len(rated)
        else (framework.scale[0].title, "评定窗口内没有这一领域的证据")
    )
    steps = _steps(rows, rules=rules, level_title=level_title)
    appeals = [a for a in list_appeals(store, worker_id=worker.worker_id) if a.domain == domain]
    return Packet(worker, domain, title, as_of, rows, steps, level_title, reason, appeals)


def _classify(evidence: pd.DataFrame, *, as_of: datetime, rules: RatingRules) -> pd.DataFrame:
    if evidence.empty:
        return evidence.assign(status=[], age_days=[], weight=[], weighted=[], replaced_by=[])
    rows = evidence.assign(recorded_at=pd.to_datetime(evidence["recorded_at"])).reset_index(drop=True)
    until = rows[rows["recorded_at"] <= as_of]
    gone = set(superseded_ids(until).tolist())
    by = {
        int(t): int(i)
        for i, t in zip(until["id"], pd.to_numeric(until["supersedes"], errors="coerce"), strict=True)
        if t == t and int(t) in gone
    }
    age = (pd.Timestamp(as_of) - rows["recorded_at"]).dt.total_seconds() / 86400
    status = [
        LATER if a < 0 else SUPERSEDED if i in gone else OUTSIDE if a > rules.window_days else COUNTED
        for i, a in zip(rows["id"], age, strict=True)
    ]
    status = _feedback_caps(rows, status, rules=rules)
    weight = [0.5 ** (a / rules.half_life_days) if s == COUNTED else math.nan for a, s in zip(age, status, strict=True)]
    return rows.assign(
        status=status,
        age_days=age,
        weight=weight,
        weighted=[w * r for w, r in zip(weight, rows["ratio"], strict=True)],
        replaced_by=[by.get(int(i)) for i in rows["id"]],
    )


def _feedback_caps(rows: pd.DataFrame, status: list[str], *, rules: RatingRules) -> list[str]:
    """Residents' feedback beyond the per-resident and per-day caps is marked, not counted."""
    counted = [s == COUNTED for s in status]
    window = rows[counted]
    if window.empty:
        return status
    keep = feedback_counted(window, rules=rules, when=window["recorded_at"], date=window["recorded_at"].dt.floor("D"))
    dropped = set(window.index[~keep])
    return [OVER_CAP if i in dropped else s for i, s in zip(rows.index, status, strict=True)]


def _steps(rows: pd.DataFrame, *, rules: RatingRules, level_title: str) -> list[str]:
    counted = rows[rows["status"] == COUNTED] if len(rows) else rows
    steps = [
        f"第一步：只看评定日前 {rules.window_days:g} 天内的证据；被同一题目、同一事项的较新记录取代的不算。"
        f"共 {len(rows)} 条记录，计入 {len(counted)} 条。"
    ]
    feedback = counted[counted["source"] == FEEDBACK_SOURCE] if len(counted) else counted
    counted = counted[counted["source"] != FEEDBACK_SOURCE] if len(counted) else counted
    if counted.empty:
        return [*steps, f"没有计入的学习与考核证据：评定为“{level_title}”。"]
    total_w, total_wr = float(counted["weight"].sum()), float(counted["weighted"].sum())
    score = total_wr / total_w
    steps.append(
        f"第二步：每条证据的权重 = 0.5 的（距评定日天数 ÷ {rules.half_life_days:g}）次方，越近越重。"
        f"学习与考核证据权重合计 {total_w:.4f}，权重 × 得分率 合计 {total_wr:.4f}，"
        f"加权得分率 = {total_wr:.4f} ÷ {total_w:.4f} = {score:.2%}。"
    )
    total_w2 = float((counted["weight"] ** 2).sum())
    if len(feedback):
        sentence, added = _feedback_step(feedback, own=total_w, rules=rules)
        if added is not None:
            scale, fb_w, fb_wr = added
            total_w, total_wr = total_w + fb_w, total_wr + fb_wr
            total_w2 += scale * scale * float((feedback["weight"] ** 2).sum())
            score = total_wr / total_w
            sentence += f"合并后加权得分率 = {total_wr:.4f} ÷ {total_w:.4f} = {score:.2%}。"
        steps.append(sentence)
    kinds = [SOURCES.get(s, s) for s in SOURCES if s in set(counted["source"])]
    trainer = [SOURCES[s] for s in rules.trainer_sources if s in set(counted["source"])]
    steps.append(
        f"第三步：证据条数 {len(counted)}（至少 {rules.min_evidence} 条）；来源 {len(kinds)} 类：{'、'.join(kinds)}"
        f"（合格及以上至少 {rules.min_source_kinds} 类，且须有培训师或督导的证据："
        f"{'有，' + '、'.join(trainer) if trainer else '没有'}）。"
    )
    bars = "，".join(
        f"{name} {bar:.0%}"
        for name, bar in (
            ("合格", rules.thresholds.competent),
            ("熟练", rules.thresholds.skilled),
            ("精通", rules.thresholds.expert),
        )
    )
    n_eff = total_w * total_w / total_w2
    low, high = score_interval(score, n_eff, certainty=rules.certainty)
    steps.append(
        f"第四步：有效证据条数 = 权重合计² ÷ 权重平方和 = {total_w:.4f}² ÷ {total_w2:.4f} = {n_eff:.2f}；"
        f"按威尔逊区间，加权得分率的{rules.certainty:.0%}把握区间为 {low:.2%}–{high:.2%}。"
        f"区间跨过合格线 {rules.thresholds.competent:.0%} 时评为“证据不足”。"
    )
    steps.append(f"第五步：分数线 {bars}。结论：{level_title}。")
    return steps


def _feedback_step(
    feedback: pd.DataFrame, *, own: float, rules: RatingRules
) -> tuple[str, tuple[float, float, float] | None]:
    """The residents' feedback step in words, and what it adds (scale, weight, weighted) when it counts."""
    caps, n = rules.resident_feedback, len(feedback)
    head = f"第二步（续）：居民回访计入 {n} 条（同一居民只计最近 {caps.per_resident if caps else '—'} 条，同一天最多 {caps.per_day if caps else '—'} 条）。"
    if caps is None:
        return head + "评定规则未设回访规则，回访不计入。", None
    if n < caps.min_records:
        return head + f"少于 {caps.min_records} 条，暂不计入。", None
    decay, decay_r = float(feedback["weight"].sum()), float(feedback["weighted"].sum())
    full = caps.weight * decay
    share = full / (own + full)
    if share <= caps.max_share:
        scale = caps.weight
        sentence = (
            f"每条回访的权重按 {caps.weight:g} 倍计，回访权重合计 {caps.weight:g} × {decay:.4f} = {full:.4f}，"
            f"占 {full:.4f} ÷ ({own:.4f} + {full:.4f}) = {share:.2%}，未超过上限 {caps.max_share:.0%}。"
        )
    else:
        capped = caps.max_share / (1 - caps.max_share) * own
        scale = capped / decay
        sentence = (
            f"每条回访的权重按 {caps.weight:g} 倍计，回访权重合计 {caps.weight:g} × {decay:.4f} = {full:.4f}，"
            f"占 {share:.2%}，超过上限 {caps.max_share:.0%}，按比例压低到 {caps.max_share:g} ÷ {1 - caps.max_share:g} × "
            f"{own:.4f} = {capped:.4f}。"
        )
    return head + sentence, (scale, scale * decay, scale * decay_r)


def render_packet(packet: Packet) -> str:
    """A print-ready Chinese HTML page."""
    w = packet.worker

    def when(moment) -> str:  # noqa: ANN001
        return pd.Timestamp(moment).tz_localize("UTC").tz_convert(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")

    items = load_framework().items
    rows = "".join(
        f"<tr class='{'off' if r.status != COUNTED else ''}'><td>{r.id}</td><td>{when(r.recorded_at)}</td>"
        f"<td>{escape(SOURCES.get(r.source, r.source))}</td>"
        f"<td>{escape(items[r.item_id].title if r.item_id in items else r.item_id)}</td><td>{escape(r.ref)}</td>"
        f"<td class=n>{r.score:g} / {r.max_score:g}</td><td class=n>{r.ratio:.0%}</td>"
        f"<td class=n>{'' if r.status == LATER else f'{r.age_days:.1f}'}</td>"
        f"<td class=n>{'' if r.weight != r.weight else f'{r.weight:.4f}'}</td>"
        f"<td class=n>{'' if r.weighted != r.weighted else f'{r.weighted:.4f}'}</td>"
        f"<td>{escape(r.status)}{f'（由记录 {int(r.replaced_by)} 取代）' if pd.notna(r.replaced_by) else ''}</td></tr>"
        for r in packet.rows.itertuples()
    )
    appeals = "".join(
        f"<li>申诉 #{a.id}，{a.filed_at:%Y-%m-%d} 登记：{escape(a.reason)}。"
        + (
            f"处理：{escape(a.status)}（{a.decided_at:%Y-%m-%d}，{escape(a.decided_by)}）：{escape(a.note)}"
            if a.outcome
            else "尚未处理。"
        )
        + "</li>"
        for a in packet.appeals
    )
    steps = "".join(f"<li>{escape(s)}</li>" for s in packet.steps)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>评定依据：{escape(w.display_name)} · {escape(packet.domain_title)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:20px;color:#222;line-height:1.6}}
h1{{font-size:20px}}h2{{font-size:16px;margin-top:20px}}
table{{border-collapse:collapse;font-size:13px}}th,td{{border:1px solid #bbb;padding:2px 6px;text-align:left}}
th{{background:#f3f3f3}}td.n{{text-align:right;font-variant-numeric:tabular-nums}}tr.off td{{color:#888}}
.wrap{{overflow-x:auto}}
@page{{size:A4 landscape;margin:12mm}}@media print{{body{{margin:0}}.wrap{{overflow:visible}}}}
</style></head><body>
<h1>评定依据：{escape(w.display_name)}（{escape(w.worker_id)}）· {escape(packet.domain_title)}</h1>
<p>评定日 {when(packet.as_of)}（北京时间）。评定结果：<b>{escape(packet.level_title)}</b>。{escape(packet.reason)}</p>
<h2>一、评定规则逐步计算</h2><ol>{steps}</ol>
<h2>二、这一领域的全部证据（{len(packet.rows)} 条）</h2>
<div class=wrap><table><tr><th>编号</th><th>时间</th><th>来源</th><th>事项</th><th>题目/案例</th><th>得分</th>
<th>得分率</th><th>距评定日（天）</th><th>权重</th><th>权重×得分率</th><th>处理</th></tr>{rows}</table></div>
<h2>三、申诉记录</h2>{f"<ul>{appeals}</ul>" if appeals else "<p>这一领域没有申诉记录。</p>"}
<p style="color:#555;font-size:13px">本页由 trainkit 按评定规则（casebank/rating-rules.yaml）从证据库生成，
可以用上表逐条复算。对某条证据有异议，请在申诉中写明编号。</p>
</body></html>
"""
