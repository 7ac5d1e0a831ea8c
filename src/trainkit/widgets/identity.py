"""“我是谁”: shows the learner, or lets them pick their 工号 from the roster once."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..markup import STYLE, e
from ..roster import Worker, current_worker, load_roster, set_identity
from .looks import look

__all__ = ["whoami"]


def _greeting(worker) -> str:  # noqa: ANN001
    return (
        f"{STYLE}<div class='tk'>您好，<b>{e(worker.display_name)}</b>（工号 {e(worker.worker_id)}，"
        f"{e(worker.street)} {e(worker.community)} · {e(worker.post)}）。学习记录会记在您的工号下。</div>"
    )


def whoami(*, on_pick: Callable[[Worker], None] | None = None) -> w.Widget:
    """The current learner; the first time, a roster picker that remembers the choice and then
    calls ``on_pick`` with the worker (the learning map draws itself then)."""
    worker = current_worker()
    if worker is not None:
        return w.HTML(_greeting(worker), layout=look("plain"), style=look("text"))
    roster = load_roster()
    picker = w.Dropdown(
        options=[(f"{x.worker_id} {x.display_name}（{x.community}）", x.worker_id) for x in roster.values()],
        value=None,
        description="我的工号",
    )
    confirm = w.Button(description="确认", button_style="primary")
    message = w.HTML(f"{STYLE}<div class='tk'>第一次使用：请从花名册中选择您的工号（只需选一次）。</div>")
    box = w.VBox([message, w.HBox([picker, confirm])])

    def _confirm(_b) -> None:  # noqa: ANN001
        if picker.value is None:
            message.value = f"{STYLE}<div class='tk tk-wait'>请先在下拉框中选择您的工号。</div>"
            return
        worker = set_identity(picker.value)
        box.children = [w.HTML(_greeting(worker))]
        if on_pick is not None:
            on_pick(worker)

    confirm.on_click(_confirm)
    return box
