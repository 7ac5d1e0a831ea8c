"""HTML that the notebook's own renderer draws, so JupyterLab handles its relative links.

An ``ipywidgets.HTML`` widget puts its value into the page as it is: a click on
``<a href="031-….ipynb">`` then makes the browser leave JupyterLab (a reload and a "Leave site?"
prompt). The same HTML shown as a ``text/html`` output goes through JupyterLab's renderer,
which turns a relative link into "open this file in a tab" (the rendermime link handler) and
styles it as a link. Voilà shows it as an ordinary link.
"""

from __future__ import annotations

import ipywidgets as w

__all__ = ["RenderedHTML"]


class RenderedHTML(w.Output):
    """An output area showing one piece of HTML; set ``value`` to redraw it."""

    def __init__(self, value: str = "", *, text: str = "") -> None:
        super().__init__()
        self.text = text
        self.value = value

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, html: str) -> None:
        self._value = html
        data = {"text/html": html, "text/plain": self.text or "（网页内容）"}
        self.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
