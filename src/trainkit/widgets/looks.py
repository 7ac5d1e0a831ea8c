"""Layouts and styles shared by many widgets of a lesson.

Each ipywidget brings its own layout and style models unless it is given some, and the browser
builds every model of a lesson before it draws any of it: a self-check card was about fifteen
models, half of them its parts' identical layouts and styles. Shared, they are built once.
So a shared look is never changed afterwards: a widget whose layout changes (hidden, shown)
keeps a layout of its own.

A look is made on first use, never at import: the app's pooled kernels import the widgets before
a page connects, and a lesson page drawn progressively (trainkit.app) may not yet know a model
made before it connected when a new widget refers to it ("widget model not found").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

__all__ = ["look"]

_LOOK_MAKERS: dict[str, Callable[[], w.Widget]] = {
    "card": lambda: w.Layout(border="1px solid #d0d7de", padding="8px", margin="6px 0"),
    "group": lambda: w.Layout(border="1px solid #d0d7de", padding="4px", margin="4px 0"),
    "wide": lambda: w.Layout(width="auto"),
    "option": lambda: w.Layout(width="auto", height="auto"),
    "narrow": lambda: w.Layout(width="120px"),
    "plain": w.Layout,
    "row": lambda: w.Layout(flex_flow="row wrap", align_items="center"),
    "text": HTMLStyle,
    "button": w.ButtonStyle,
    "choice": DescriptionStyle,
    "check": CheckboxStyle,
    "number": TextStyle,
}
_LOOKS: dict[str, w.Widget] = {}


def look(kind: str) -> Any:
    """The one layout or style that the kit's widgets of a kind share (``_LOOK_MAKERS``)."""
    shared = _LOOKS.get(kind)
    if shared is None or shared.comm is None:  # none yet, or closed
        shared = _LOOKS[kind] = _LOOK_MAKERS[kind]()
    return shared
