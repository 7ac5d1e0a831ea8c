"""Printable 全岗通 and domain certificates, each with a code that anyone can check.

A certificate states what the evidence showed at one moment: 全岗通 (合格 or above in every
domain) or the domains where the worker was 合格 or above. Its code names the worker and that
moment, plus a short check against typing errors. ``trainkit certificate verify CODE``
recomputes the ratings from the evidence store as they stood at that moment — with today's
rating rules — so a certificate for something the evidence never showed does not verify,
and one for a person whose data was erased says so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from .aggregate import aggregate
from .evidence import EvidenceStore, utc_naive
from .framework import load_framework
from .localtime import LOCAL_TIME
from .ratings import full_post_status, load_rating_rules, rating_matrix
from .roster import Worker

__all__ = ["Certificate", "Verification", "certificates", "code_for", "render_certificate", "verify"]

_CODE = re.compile(r"^TK-(?P<worker>[A-Za-z0-9_.-]+)-(?P<stamp>\d{12})-(?P<check>[0-9A-Fa-f]{6})$")


@dataclass(frozen=True)
class Certificate:
    worker: Worker
    full_post: bool
    domains: tuple[tuple[str, str], ...]  # (domain title, level title) where proficient
    issued_at: datetime  # UTC (naive), to the minute
    code: str


@dataclass(frozen=True)
class Verification:
    valid: bool
    message: str


def code_for(worker_id: str, issued_at: datetime) -> str:
    """``TK-<工号>-<YYYYMMDDHHMM UTC>-<check>``."""
    stamp = issued_at.strftime("%Y%m%d%H%M")
    return f"TK-{worker_id}-{stamp}-{_check(worker_id, stamp)}"


def certificates(store: EvidenceStore, roster: dict[str, Worker], *, at: datetime | None = None) -> list[Certificate]:
    """One certificate for every worker of ``roster`` who is 合格 or above in at least one domain."""
    at = utc_naive(at or datetime.now(UTC)).replace(second=0, microsecond=0)
    states = _standing(store, list(roster), at)
    found = []
    for worker_id, (full_post, domains) in states.items():
        if domains:
            found.append(Certificate(roster[worker_id], full_post, domains, at, code_for(worker_id, at)))
    return found


def verify(store: EvidenceStore, code: str, *, roster: dict[str, Worker] | None = None) -> Verification:
    """Whether the evidence bears out the certificate with ``code``, and what it showed then."""
    text = code.strip()
    match = _CODE.match(text[:3].upper() + text[3:])
    if match is None:
        return Verification(False, f"核验码格式不对：{code}（应形如 TK-工号-年月日时分-6位校验码）")
    worker_id, stamp = match["worker"], match["stamp"]
    if match["check"].upper() != _check(worker_id, stamp):
        return Verification(False, f"核验码 {code} 的校验位不符：请逐字核对证书上的核验码")
    at = datetime.strptime(stamp, "%Y%m%d%H%M")
    full_post, domains = _standing(store, [worker_id], at)[worker_id]
    name = f"{roster[worker_id].display_name}（{worker_id}）" if roster and worker_id in roster else worker_id
    when = f"{_beijing(at):%Y-%m-%d %H:%M}（北京时间）"
    if not domains:
        return Verification(
            False,
            f"截至 {when}，证据库中 {name} 没有任何领域达到合格："
            "此证书不能由证据证实（也可能此人的记录已按个人信息删除请求清除）",
        )
    if full_post:
        return Verification(True, f"有效：截至 {when}，{name} 全部 {len(domains)} 个领域合格及以上，达到全岗通。")
    listed = "、".join(f"{title}（{level}）" for title, level in domains)
    return Verification(True, f"有效：截至 {when}，{name} 合格及以上的领域：{listed}；尚未达到全岗通。")


def render_certificate(cert: Certificate, *, issuer: str) -> str:
    """A one-page, print-ready HTML certificate (A4 landscape)."""
    w = cert.worker
    title = "全岗通能力证书" if cert.full_post else "领域能力合格证书"
    statement = (
        "在全部十二个能力领域均达到合格及以上，经评定达到“全岗通”。"
        if cert.full_post
        else "在下列能力领域达到合格及以上："
    )
    cells = [f"<td class=domain>{escape(t)}</td><td class=level>{escape(lv)}</td>" for t, lv in cert.domains]
    per_row = 2 if len(cells) > 6 else 1  # a long list in two columns, so the certificate stays one page
    rows = "".join(f"<tr>{''.join(cells[i : i + per_row])}</tr>" for i in range(0, len(cells), per_row))
    where = "　".join(escape(x) for x in (w.street, w.community, w.post) if x)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}：{escape(w.display_name)}</title>
<style>
@page{{size:A4 landscape;margin:12mm}}
body{{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","SimSun",serif;margin:0;color:#222}}
.sheet{{border:6px double #9b2c2c;padding:14mm 22mm 12mm;min-height:180mm;box-sizing:border-box;
display:flex;flex-direction:column}}
h1{{text-align:center;font-size:34px;letter-spacing:8px;color:#9b2c2c;margin:0 0 10mm}}
.who{{font-size:20px;line-height:2}}.who b{{font-size:24px}}
table{{border-collapse:collapse;margin:4mm 0;font-size:15px}}td{{border:1px solid #bbb;padding:2px 12px}}td.level{{white-space:nowrap}}
.foot{{margin-top:auto;padding-top:6mm;display:flex;justify-content:space-between;gap:8mm;font-size:14px}}
.code{{font-family:monospace;font-size:15px}}
@media screen and (max-width:600px){{
.sheet{{padding:8mm 5mm;min-height:0}}h1{{font-size:26px;letter-spacing:4px}}
.foot{{display:block;margin-top:8mm}}.foot>div{{margin-top:4mm}}.code{{word-break:break-all}}}}
</style></head><body><div class="sheet">
<h1>{title}</h1>
<div class="who"><b>{escape(w.display_name)}</b>（工号 {escape(w.worker_id)}）<br>{where}<br>{statement}</div>
{f"<table>{rows}</table>" if not cert.full_post else ""}
<div class="foot"><div>{escape(issuer)}<br>评定截至 {_beijing(cert.issued_at):%Y年%m月%d日}</div>
<div>核验码 <span class="code">{escape(cert.code)}</span><br>核验：trainkit certificate verify {escape(cert.code)}</div></div>
</div></body></html>
"""


def _standing(
    store: EvidenceStore, workers: list[str], at: datetime
) -> dict[str, tuple[bool, tuple[tuple[str, str], ...]]]:
    """Per worker at ``at``: 全岗通 or not, and (domain title, level title) for each proficient domain."""
    framework, rules = load_framework(), load_rating_rules()
    agg = aggregate(store, workers=workers, as_of=at, rules=rules, framework=framework, with_worker_trend=False)
    matrix = rating_matrix(agg.ratings, workers, framework)
    full = full_post_status(matrix, framework=framework)
    levels = {lv.id: lv for lv in framework.scale}
    result = {}
    for worker_id in workers:
        shown = tuple(
            (d.title, levels[matrix.loc[worker_id, d.id]].title)
            for d in framework.domains
            if levels[matrix.loc[worker_id, d.id]].proficient
        )
        result[worker_id] = (bool(full[worker_id]), shown)
    return result


def _beijing(moment: datetime) -> datetime:
    """A naive UTC moment as Beijing time, as a reader of the certificate counts days."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_TIME)


def _check(worker_id: str, stamp: str) -> str:
    return hashlib.sha256(f"trainkit-certificate:{worker_id}:{stamp}".encode()).hexdigest()[:6].upper()
