"""One search box for the learning map: lessons, cases, self-check questions and law articles.

:func:`results_html` draws the results for the widget and for ``trainkit app``'s home page
alike; ``href`` says where a lesson opens (a notebook beside the map, or the app's page).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..lessons import Lesson
from ..markup import STYLE, e
from ..search import Hit, search

__all__ = ["LIMIT", "PLACEHOLDER", "results_html", "search_box"]

LIMIT = 20
PLACEHOLDER = "搜索课程、案例、自测题和法条，如：低保 计算、赡养费、民法典 1067"
_HIT_STYLE = (
    "<style>.tk-hits{list-style:none;padding:0;margin:.4rem 0}.tk-hit{margin:.5rem 0;overflow-wrap:anywhere}"
    ".tk-kind{display:inline-block;border:1px solid #d0d7de;border-radius:4px;padding:0 6px;font-size:85%;"
    "margin-right:6px;background:#f6f8fa}.tk-hit mark{background:#fff8c5;color:inherit}"
    ".tk-law-text{white-space:pre-wrap}</style>"
)


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _snippet(hit: Hit, query: str) -> str:
    return "".join(f"<mark>{e(piece)}</mark>" if marked else e(piece) for piece, marked in hit.snippet(query))


def _where(hit: Hit, href: Callable[[Lesson], str]) -> str:
    if hit.lesson is None:
        return ""
    place = {"case": "在课程", "item": "在课程", "law": "相关课程"}.get(hit.kind)
    if place is None:
        return ""
    link = f"<a class='tk-lesson-link' href='{e(href(hit.lesson))}'>{e(hit.lesson.title)}</a>"
    return f"<div class='tk-muted muted'>{place}：{link}{'中练习' if hit.kind != 'law' else ''}</div>"


def _one(hit: Hit, query: str, href: Callable[[Lesson], str]) -> str:
    if hit.kind == "lesson" and hit.lesson is not None:
        title = f"<a class='tk-lesson-link' href='{e(href(hit.lesson))}'><b>{e(hit.title)}</b></a>"
    else:
        title = f"<b>{e(_short(hit.title))}</b>"
    body = ""
    if hit.kind == "law":
        body = f"<details><summary>条文全文</summary><div class='tk-law-text'>{e(hit.body)}</div></details>"
    return (
        f"<li class='tk-hit tk-hit-{hit.kind}'><span class='tk-kind'>{e(hit.kind_title)}</span>{title}"
        f"<div class='tk-muted muted'>{_snippet(hit, query)}</div>{body}{_where(hit, href)}</li>"
    )


def results_html(query: str, hits: list[Hit], *, href: Callable[[Lesson], str]) -> str:
    """The results for ``query`` (escaped; matched words marked), or what to try instead."""
    query = query.strip()
    if not query:
        return ""
    if not hits:
        return (
            f"{_HIT_STYLE}<div class='tk-search-results'><p>没有找到与“{e(query)}”相关的课程、案例、自测题或法条。"
            "可以换个说法，或只输入两三个关键字，例如“低保”“赡养费”“民法典 1067”。</p></div>"
        )
    more = f"，显示最相关的 {LIMIT} 条" if len(hits) >= LIMIT else ""
    items = "".join(_one(hit, query, href) for hit in hits)
    return (
        f"{_HIT_STYLE}<div class='tk-search-results'><p>“{e(query)}”的搜索结果{more}：</p>"
        f"<ul class='tk-hits'>{items}</ul></div>"
    )


def search_box(*, notebooks: Path | None = None, href: Callable[[Lesson], str] | None = None) -> w.VBox:
    """A text box and 搜索 button; results appear below, each linked to its lesson."""
    where = href or (lambda lesson: lesson.notebook)
    box = w.Text(placeholder=PLACEHOLDER, continuous_update=False, layout=w.Layout(width="100%", max_width="560px"))
    box.add_class("tk-search-input")
    go = w.Button(
        description="搜索", icon="search", button_style="primary", tooltip="在全部课程、案例、自测题和法条中查找"
    )
    go.add_class("tk-search-go")
    out = w.HTML()
    out.add_class("tk-search-out")

    def _run(_event: object = None) -> None:
        query = box.value.strip()
        hits = search(query, limit=LIMIT, notebooks=notebooks) if query else []
        out.value = f"{STYLE}<div class='tk'>{results_html(query, hits, href=where)}</div>" if query else ""

    go.on_click(_run)
    box.observe(_run, "value")
    panel = w.VBox([w.HBox([box, go]), out])
    panel.add_class("tk-search")
    return panel
