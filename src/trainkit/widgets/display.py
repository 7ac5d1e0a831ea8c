"""Read-only displays: a dated parameter series and a statute article."""

from __future__ import annotations

from IPython.display import HTML

from ..law import article, law_title
from ..markup import badge, card, e, link
from ..policy import load_parameter

__all__ = ["law_article", "parameter_table"]


def parameter_table(param_id: str) -> HTML:
    """Every dated value of a series, with its status, source and review date."""
    p = load_parameter(param_id)
    rows = []
    for v in p.values:
        figure = f"{v.value} {e(p.unit)}" if v.value is not None else '<span class="tk-wait">待核实</span>'
        source = link(v.reference.title, v.reference.href) if v.reference else e(v.missing or "")
        notes = " ".join(filter(None, [v.note, v.missing if v.value is not None else None]))
        rows.append(
            f"<tr><td>{v.effective}</td><td>{figure}</td><td>{badge(v.status)}</td>"
            f"<td>{v.published or '—'}</td><td>{source}</td><td>{v.reviewed}</td><td>{e(notes)}</td></tr>"
        )
    head = "<tr><th>起始日期</th><th>标准</th><th>状态</th><th>公布日期</th><th>来源</th><th>最后核对</th><th>说明</th></tr>"
    return HTML(
        card(
            f"<b>{e(p.title)}</b><div class='tk-muted'>{e(p.jurisdiction)}</div>"
            f"<table>{head}{''.join(rows)}</table>"
            "<div class='tk-muted'>V 已核实：读过官方文本或权威转载；S 二手来源：教学前请核对原文；"
            "U 未核实：仅作占位。某一日期落在缺口里时，结论为“待核实”，绝不沿用上一年的标准。</div>"
        )
    )


def law_article(law: str, number: int, *, version: int | None = None) -> HTML:
    """法条查询: one article's official text, paragraph by paragraph."""
    a = article(law, number, version=version)
    body = "".join(f"<p>{e(par)}</p>" for par in a.text.split("\n"))
    chapter = f"<span class='tk-muted'>{e(a.chapter)}</span>" if a.chapter else ""
    return HTML(
        card(
            f"<b>《{e(law_title(law, version=version))}》{e(a.label)}</b> {chapter}{body}"
            "<div class='tk-muted'>条文取自随工具包提供的官方文本（见 trainkit/law/README.md）。</div>"
        )
    )
