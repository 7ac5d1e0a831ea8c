"""Two small planners for lessons: the 母婴 health-visit schedule and the 居委会 rules check."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from ..markup import STYLE, badge, card, e, link
from ..policy.residents_committee import check_committee, law_version
from ..policy.schedules import muying_jiankang
from ..quiz import as_number

__all__ = ["committee_check", "health_schedule"]


def health_schedule() -> w.VBox:
    """Enter a due date (and the birth date once born); see every visit window with its source."""
    due = w.DatePicker(description="预产期")
    born = w.DatePicker(description="出生日期")
    today = w.DatePicker(description="今天", value=dt.date.today())
    go = w.Button(description="生成随访提醒", button_style="primary")
    out = w.HTML()

    def _show(_b=None) -> None:  # noqa: ANN001
        try:
            visits = muying_jiankang(due_date=due.value, birth_date=born.value)
        except ValueError as err:
            out.value = f"{STYLE}<div class='tk tk-wait'>{e(str(err).split(': ', 1)[-1])}</div>"
            return
        rows = []
        for v in visits:
            state = v.state(today.value) if today.value else ""
            who = "孕产妇" if v.who == "maternal" else "儿童"
            sources = "；".join(f"{link(s.title, s.href)} {badge(s.status)}" for s in v.sources)
            rows.append(
                f"<tr><td>{who}</td><td>{e(v.title)}</td><td>{v.start} 至 {v.end}"
                f"{'（估算）' if v.estimated else ''}</td><td>{e(state)}</td><td>{sources}</td></tr>"
            )
        out.value = card(
            "<table><tr><th>对象</th><th>项目</th><th>时间窗</th><th>状态</th><th>依据</th></tr>"
            f"{''.join(rows)}</table><div class='tk-muted'>时间窗按国家基本公共卫生服务规范推算；"
            "具体安排以辖区社区卫生服务中心通知为准。</div>"
        )

    go.on_click(_show)
    return w.VBox([w.HBox([due, born, today]), go, out])


def committee_check() -> w.VBox:
    """Check a 居委会's size, members, a woman member, term and 居务公开 days against the law in force."""
    on = w.DatePicker(description="日期", value=dt.date.today())
    households = w.Text(description="户数")
    members = w.Text(description="委员人数")
    woman = w.Dropdown(description="有女性委员", options=[("—", None), ("有", True), ("没有", False)], value=None)
    term = w.Text(description="任期（年）")
    days = w.Text(description="公开天数")
    go = w.Button(description="对照法律检查", button_style="primary")
    out = w.HTML()

    def _number(box: w.Text, label: str) -> int | None:
        if not box.value.strip():
            return None
        n = as_number(box.value)
        if n is None or n < 0 or n != int(n):
            raise ValueError(f"“{label}”应填写不小于 0 的整数，现在是“{box.value}”")
        return int(n)

    def _show(_b=None) -> None:  # noqa: ANN001
        try:
            found = check_committee(
                on=on.value,
                households=_number(households, "户数"),
                members=_number(members, "委员人数"),
                has_woman=woman.value,
                term_years=_number(term, "任期"),
                disclosure_days=_number(days, "公开天数"),
            )
            version = law_version(on.value)
        except Exception as err:  # noqa: BLE001 — any bad input becomes a message, never a traceback
            out.value = f"{STYLE}<div class='tk tk-wait'>{e(err)}</div>"
            return
        marks = {True: ("符合", "tk-ok"), False: ("不符合", "tk-bad"), None: ("需核实", "tk-wait")}
        rows = "".join(
            f"<li><span class='{marks[f.ok][1]}'>{marks[f.ok][0]}</span> {e(f.text)}"
            f"<div class='tk-muted'>{e(f.citation.label)}：“{e(f.citation.quote)}”</div></li>"
            for f in found
        )
        out.value = card(
            f"<b>适用 {version} 年版《城市居民委员会组织法》</b><ul>{rows or '<li>请至少填写一项</li>'}</ul>"
        )

    go.on_click(_show)
    return w.VBox([on, w.HBox([households, members, woman]), w.HBox([term, days]), go, out])
