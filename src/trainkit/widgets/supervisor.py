"""The supervisor's notebook forms: ask about any person, period or domain; record an appeal
and its decision. Both write through the same functions as the command line."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from ..appeals import decide_appeal, file_appeal, list_appeals
from ..evidence import EvidenceStore, open_store
from ..framework import load_framework
from ..markup import STYLE, e
from ..query import LOCAL_TIME, query
from ..roster import Worker, current_worker, load_roster

__all__ = ["appeal_form", "evidence_query", "visible_workers"]


ALL = ""  # a Dropdown shows None as no selection at all, so "全部" is the empty string
NONE_PENDING = "（目前没有待处理的申诉）"


def _domains() -> list[tuple[str, str]]:
    return [("全部领域", ALL), *((d.title, d.id) for d in load_framework().domains)]


def visible_workers(viewer: Worker | None, roster: dict[str, Worker]) -> dict[str, Worker]:
    """Whom ``viewer`` may look up: a supervisor their 区县, 街道 or 社区, anyone else only themselves."""
    if viewer is None:
        return {}
    scope = viewer.supervisor_scope.strip()
    if not scope:
        return {viewer.worker_id: viewer} if viewer.worker_id in roster else {}
    return {k: v for k, v in roster.items() if v.in_scope(scope, within=viewer.district) or k == viewer.worker_id}


def evidence_query(
    *, store: EvidenceStore | None = None, roster: dict[str, Worker] | None = None, viewer: Worker | None = None
) -> w.VBox:
    """Pick a worker, a domain and a period; see the ratings and the evidence behind them.

    ``viewer`` (default: who is signed in) decides whom the form can show: a supervisor sees
    the workers of their scope, a worker only their own records.
    """
    roster = roster or load_roster()
    viewer = viewer if viewer is not None else current_worker()
    allowed = visible_workers(viewer, roster)
    if not allowed:
        return w.VBox(
            [
                w.HTML(
                    f"{STYLE}<div class='tk tk-wait'>还不知道您是谁：请先在上面“我是谁”处选择工号，再运行这一格。</div>"
                )
            ]
        )
    own = len(allowed) == 1
    options = [(f"{v.display_name}（{k}）", k) for k, v in allowed.items()]
    who = w.Dropdown(description="工作人员", options=options if own else [("全部", ALL), *options])
    domain = w.Dropdown(description="领域", options=_domains())
    since = w.DatePicker(description="起始日期")
    today = dt.datetime.now(LOCAL_TIME).date()  # Beijing's today, not the machine's (UTC after 16:00 is tomorrow)
    until = w.DatePicker(description="截止日期", value=today)
    go = w.Button(description="查询", button_style="primary")
    out = w.HTML()
    note = w.HTML(
        f"{STYLE}<div class='tk tk-muted'>您只能查看本人的记录。</div>"
        if own
        else f"{STYLE}<div class='tk tk-muted'>可查看 {e(viewer.supervisor_scope)} 的 {len(allowed)} 名工作人员。</div>"
    )

    def _run(_b=None) -> None:  # noqa: ANN001
        if since.value and until.value and since.value > until.value:
            out.value = f"{STYLE}<div class='tk tk-wait'>起始日期晚于截止日期，请重新选择。</div>"
            return
        result = query(
            worker=who.value or None,
            domain=domain.value or None,
            store=store or open_store(),
            since=_utc(dt.datetime.combine(since.value, dt.time())) if since.value else None,
            until=_utc(dt.datetime.combine(until.value, dt.time.max)) if until.value else None,
            workers=list(allowed),
            names={k: v.display_name for k, v in allowed.items()},
        )
        out.value = (
            f"{STYLE}<style>.tk-query th{{white-space:nowrap}}</style>"
            f"<div class='tk tk-query' style='overflow-x:auto'>{result._repr_html_()}</div>"
        )

    go.on_click(_run)
    wrap = w.Layout(flex_flow="row wrap")  # on a phone the second field goes below the first
    return w.VBox([w.HBox([who, domain], layout=wrap), w.HBox([since, until], layout=wrap), go, out, note])


def _utc(local: dt.datetime) -> dt.datetime:
    """A date picked in Beijing time, as the aware moment it means."""
    return local.replace(tzinfo=LOCAL_TIME)


def appeal_form(
    *, supervisor: str, store: EvidenceStore | None = None, roster: dict[str, Worker] | None = None
) -> w.VBox:
    """Record an appeal within the notice period, and decide open appeals (as supervisor ``supervisor``).

    The form lists only the workers of the supervisor's 街道 or 社区, and only their appeals.
    """
    roster = roster or load_roster()
    viewer = roster.get(supervisor)
    if viewer is None or not viewer.supervisor_scope.strip():
        who = f"{e(supervisor)} 在花名册中没有督导范围" if supervisor else "还不知道您是谁"
        return w.VBox(
            [
                w.HTML(
                    f"{STYLE}<div class='tk tk-wait'>申诉由督导登记和处理：{who}。请在上面“我是谁”处选择督导的工号，"
                    "或请管理员在花名册“督导范围”一列填写。</div>"
                )
            ]
        )
    area = {k: v for k, v in visible_workers(viewer, roster).items() if k != supervisor}
    worker = w.Dropdown(description="申诉人", options=[(f"{k} {v.display_name}", k) for k, v in area.items()])
    domain = w.Dropdown(description="领域", options=_domains()[1:])
    reason = w.Textarea(description="申诉理由", layout=w.Layout(width="90%"))
    deadline = w.DatePicker(description="公示截止", value=dt.datetime.now(LOCAL_TIME).date() + dt.timedelta(days=7))
    file_button = w.Button(description="登记申诉", button_style="primary")
    pending = w.Dropdown(description="待处理")
    outcome = w.ToggleButtons(options=[("维持原评定", "upheld"), ("改变评定", "revised")], value="upheld")
    score = w.FloatSlider(description="复核得分", min=0, max=1, step=0.05, value=0.6)
    note = w.Textarea(description="处理理由", layout=w.Layout(width="90%"))
    decide_button = w.Button(description="作出处理", button_style="warning")
    message = w.HTML()

    def _refresh() -> None:
        open_ones = [a for a in list_appeals(store or open_store()) if a.outcome is None and a.worker_id in area]
        titles = {d.id: d.title for d in load_framework().domains}
        pending.options = [
            (
                f"#{a.id} {area[a.worker_id].display_name} {titles.get(a.domain, a.domain)}：{a.reason[:20]}",
                a.id,
            )
            for a in open_ones
        ] or [(NONE_PENDING, ALL)]  # said in the box, not left blank
        pending.value = open_ones[0].id if open_ones else ALL
        decide_button.disabled = not open_ones

    def _say(text: str, css: str = "tk-ok") -> None:
        message.value = f"{STYLE}<div class='tk {css}'>{e(text)}</div>"

    def _file(_b) -> None:  # noqa: ANN001
        try:
            appeal_id = file_appeal(
                store or open_store(),
                roster,
                worker_id=worker.value,
                domain=domain.value,
                reason=reason.value,
                deadline=deadline.value,
                recorded_by=supervisor,
            )
        except (ValueError, KeyError) as err:
            _say(str(err).strip("'\""), "tk-wait")
            return
        reason.value = ""
        _refresh()
        _say(f"已登记申诉 #{appeal_id}。")

    def _decide(_b) -> None:  # noqa: ANN001
        if pending.value == ALL:
            _say("没有待处理的申诉。", "tk-wait")
            return
        try:
            result = decide_appeal(
                store or open_store(),
                roster,
                appeal_id=pending.value,
                decided_by=supervisor,
                outcome=outcome.value,
                note=note.value,
                score=score.value if outcome.value == "revised" else None,
            )
        except (ValueError, KeyError) as err:
            _say(str(err).strip("'\""), "tk-wait")
            return
        note.value = ""
        _refresh()
        _say(f"申诉 #{result.id}：{result.status}。")

    file_button.on_click(_file)
    decide_button.on_click(_decide)
    _refresh()
    return w.VBox(
        [
            w.HTML("<b>登记申诉</b>"),
            worker,
            domain,
            reason,
            deadline,
            file_button,
            w.HTML("<b>处理申诉</b>"),
            pending,
            outcome,
            score,
            note,
            decide_button,
            message,
        ]
    )
