"""Controls for the needs-analysis lessons (111–113): what a learner used to change by editing
code — an age limit, a service's capacity, which programmes are visited at home — is a
slider, a number box or a tick box, so the lessons work in the code-free app too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ipywidgets as w
import pandas as pd

from ..district.explore import select_residents, service_gap, visit_plan
from ..markup import STYLE, card, e
from .looks import look

__all__ = ["gap_planner", "resident_filter", "visit_planner"]

_CHOICE = {"不限": None, "是": True, "否": False}
_WIDE = {"description_width": "initial"}


def _table(frame: pd.DataFrame, *, index: bool = True) -> str:
    return frame.to_html(border=0, escape=True, index=index, na_rep="—", float_format=lambda x: f"{x:.1f}")


def _problem(text: str) -> str:
    return f"{STYLE}<div class='tk tk-wait'>{e(text)}</div>"


def resident_filter(residents: pd.DataFrame, *, min_age: int = 80) -> w.VBox:
    """Pick an age limit, living alone or not, 大连户籍 or not; see how many, where, and who."""
    age = w.IntSlider(value=min_age, min=60, max=100, description="年龄下限（周岁）", style=_WIDE)
    alone = w.ToggleButtons(options=list(_CHOICE), description="独居", style=_WIDE)
    dalian = w.ToggleButtons(options=list(_CHOICE), description="大连户籍", style=_WIDE)
    out = w.HTML()

    def _show(_change=None) -> None:  # noqa: ANN001
        chosen = select_residents(
            residents, min_age=age.value, living_alone=_CHOICE[alone.value], dalian=_CHOICE[dalian.value]
        )
        by_grid = chosen.groupby("网格").size().reindex(sorted(residents["网格"].unique()), fill_value=0)
        first = chosen[["网格", "姓名", "年龄", "独居", "大连户籍"]].head(10)
        first = first.assign(**{c: first[c].map({True: "是", False: "否"}) for c in ("独居", "大连户籍")})
        out.value = card(
            f"<p><b>{age.value} 岁以上</b>、独居：{e(alone.value)}、大连户籍：{e(dalian.value)}，"
            f"共 <b>{len(chosen)}</b> 人（全社区 {len(residents)} 人）。</p>"
            f"<p>各网格人数</p>{_table(by_grid.rename('人数').to_frame().T)}"
            f"<p>前 10 人（姓名为虚构）</p>{_table(first, index=False)}"
        )

    for control in (age, alone, dalian):
        control.observe(_show, names="value")
    _show()
    return w.VBox([age, alone, dalian, out])


def gap_planner(need_percent: pd.Series, *, households: int, capacity: Mapping[str, int]) -> w.VBox:
    """One number box per service for what existing services can still take; the gap table follows."""
    boxes = {
        name: w.BoundedIntText(value=int(n), min=0, max=100_000, description=f"{name}（户）", style=_WIDE)
        for name, n in capacity.items()
    }
    out = w.HTML()

    def _show(_change=None) -> None:  # noqa: ANN001
        try:
            table = service_gap(need_percent, households=households, capacity={k: b.value for k, b in boxes.items()})
        except ValueError as err:
            out.value = _problem(str(err))
            return
        out.value = card(
            f"<p>全社区 {households} 户；估算需要 = 问卷中“需要”的比例 × 户数；缺口 = 估算需要 − 现有能力。"
            f"现有能力是练习用的示例数字，实际工作中要逐项核实。</p>{_table(table)}"
        )

    for box in boxes.values():
        box.observe(_show, names="value")
    _show()
    return w.VBox([w.HTML("<b>现有服务还能覆盖多少户</b>"), *boxes.values(), out])


def visit_planner(outreach: pd.DataFrame, *, home_visit: Iterable[str], per_afternoon: int = 4) -> w.VBox:
    """Tick the programmes visited at home and set households per afternoon; see the contact split and each 网格's plan."""
    home = set(home_visit)
    ticks = {
        p: w.Checkbox(value=p in home, description=p, indent=False, layout=look("plain"), style=look("check"))
        for p in sorted(outreach["项目"].unique())
    }
    pace = w.IntSlider(value=per_afternoon, min=1, max=10, description="每个下午走访几户", style=_WIDE)
    out = w.HTML()

    def _show(_change=None) -> None:  # noqa: ANN001
        plan = visit_plan(outreach, home_visit=[p for p, t in ticks.items() if t.value], per_afternoon=pace.value)
        total = int(plan.plan["需要几个下午"].sum()) if len(plan.plan) else 0
        out.value = card(
            f"<p>各项目怎样联系（人次）</p>{_table(plan.methods.rename_axis(index=None, columns=None))}"
            f"<p>各网格的入户计划：一共要 <b>{total}</b> 个下午</p>"
            + (_table(plan.plan) if len(plan.plan) else "<p>没有勾选要入户的项目。</p>")
        )

    for control in (*ticks.values(), pace):
        control.observe(_show, names="value")
    _show()
    return w.VBox([w.HTML("<b>哪些项目入户走访</b>（其余电话联系或宣传）"), *ticks.values(), pace, out])
