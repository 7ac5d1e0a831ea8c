"""What a widget costs the page: the models it sends."""

from __future__ import annotations

import ipywidgets as w

__all__ = ["model_ids"]


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
