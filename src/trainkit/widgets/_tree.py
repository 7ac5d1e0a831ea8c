"""Replacing what a box shows without leaving the old widgets behind.

A widget dropped from a box stays alive in the kernel, and its model in the page, until it is
closed; a learner who walks a case again and again, or tries one scenario after another,
would pile them up. :func:`show` closes what is no longer shown. Shared looks
(:mod:`trainkit.widgets.looks`) are layouts and styles, not children, and are never closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as w

__all__ = ["model_ids", "show"]


def show(box: w.Box, children: Sequence[w.Widget], *, keep: Iterable[w.Widget | None] = ()) -> None:
    """Show ``children`` in ``box`` and close what it showed before, unless shown again or in ``keep``."""
    kept = {id(x) for x in [*children, *keep] if x is not None}
    old, box.children = box.children, tuple(children)
    for widget in old:
        _close(widget, kept)


def _close(widget: w.Widget, kept: set[int]) -> None:
    if id(widget) in kept:
        return
    for child in getattr(widget, "children", ()):
        _close(child, kept)
    widget.close()


def model_ids(widget: w.Widget) -> set[str]:
    """The ids of the models the page is sent for ``widget``: itself, its layout and style, its children's."""
    seen: set[str] = set()
    todo = [widget]
    while todo:
        part = todo.pop()
        if part.model_id in seen:
            continue
        seen.add(part.model_id)
        todo += [x for x in (getattr(part, "layout", None), getattr(part, "style", None)) if x is not None]
        todo += list(getattr(part, "children", ()))
    return seen
