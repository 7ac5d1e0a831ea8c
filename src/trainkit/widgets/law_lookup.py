"""法条查询 in a lesson: choose a law, type an article number, read the official text."""

from __future__ import annotations

import ipywidgets as w

from ..law import LawError, laws
from ..markup import STYLE, e
from .display import law_article
from .looks import look

__all__ = ["law_lookup"]


def law_lookup(law: str = "civil_code", number: int = 1) -> w.VBox:
    """A small search box over the shipped statute texts."""
    choice = w.Dropdown(
        options=[(title, slug) for slug, title in laws().items()],
        value=law,
        description="法律",
        layout=look("plain"),
        style=look("choice"),
    )
    box = w.Text(
        value=str(number),
        description="第几条",
        placeholder="如 1067",
        continuous_update=False,
        layout=look("plain"),
        style=look("number"),
    )
    # as wide as its word, never squeezed to "…"
    go = w.Button(description="查询", button_style="primary", layout=w.Layout(width="auto"), style=look("button"))
    out = w.HTML(layout=look("plain"), style=look("text"))

    def _look(_b=None) -> None:  # noqa: ANN001
        text = box.value.strip().removeprefix("第").removesuffix("条")
        if not text.isdigit():
            out.value = f"{STYLE}<div class='tk tk-wait'>请输入条文序号的阿拉伯数字，例如 1067。</div>"
            return
        try:
            out.value = law_article(choice.value, int(text)).data
        except LawError as err:
            out.value = f"{STYLE}<div class='tk tk-wait'>{e(err)}</div>"

    go.on_click(_look)
    box.observe(lambda _change: _look(), "value")
    choice.observe(lambda _change: _look(), "value")
    _look()
    row = w.HBox([choice, box, go], layout=w.Layout(flex_flow="row wrap"))  # on a phone the fields stack
    return w.VBox([row, out], layout=look("plain"))
