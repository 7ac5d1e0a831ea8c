"""“我是谁”: shows the learner, or lets them pick their 工号 from the roster once."""

from __future__ import annotations

import ipywidgets as w

from ..markup import STYLE, e
from ..roster import current_worker, load_roster, set_identity

__all__ = ["whoami"]


def _greeting(worker) -> str:  # noqa: ANN001
    return (
        f"{STYLE}<div class='tk'>您好，<b>{e(worker.display_name)}</b>（工号 {e(worker.worker_id)}，"
        f"{e(worker.street)} {e(worker.community)} · {e(worker.post)}）。学习记录会记在您的工号下。</div>"
    )


def whoami() -> w.Widget:
    """The current learner; the first time, a roster picker that remembers the choice."""
    worker = current_worker()
    if worker is not None:
        return w.HTML(_greeting(worker))
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
        box.children = [w.HTML(_greeting(set_identity(picker.value)))]

    confirm.on_click(_confirm)
    return box
