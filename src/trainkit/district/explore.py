"""What the needs-analysis lessons let a learner change without writing code.

Each function answers one question a learner would otherwise answer by editing a cell: who is
left when the age limit or the living situation changes (lesson 111), how big each service gap
is for a given capacity (lesson 112), which programmes are visited at home and how many
afternoons each 网格 needs (lesson 113). The widgets in :mod:`trainkit.widgets.needs_analysis`
draw their results; the lessons' own cells compute the same figures in pandas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["VisitPlan", "select_residents", "service_gap", "visit_plan"]

HOME, PHONE = "入户", "电话或宣传"


def select_residents(
    residents: pd.DataFrame, *, min_age: int = 80, living_alone: bool | None = None, dalian: bool | None = None
) -> pd.DataFrame:
    """The residents aged ``min_age`` or more; ``living_alone``/``dalian``: only those who are (True) or are not (False)."""
    if min_age < 0:
        raise ValueError(f"年龄下限不能是负数（{min_age}）")
    keep = residents["年龄"] >= min_age
    if living_alone is not None:
        keep &= residents["独居"] == living_alone
    if dalian is not None:
        keep &= residents["大连户籍"] == dalian
    return residents[keep]


def service_gap(need_percent: pd.Series, *, households: int, capacity: Mapping[str, int]) -> pd.DataFrame:
    """估算需要 (the survey share applied to all ``households``), 现有能力, 缺口 and 缺口比例 per service in ``capacity``.

    Sorted by 缺口比例, largest first. A service the survey did not ask about is an error.
    """
    if missing := [s for s in capacity if s not in need_percent.index]:
        raise ValueError(f"问卷里没有这几项服务：{'、'.join(missing)}")
    if negative := [s for s, n in capacity.items() if n < 0]:
        raise ValueError(f"现有能力不能是负数：{'、'.join(negative)}")
    names = list(capacity)
    need = (need_percent[names] / 100 * households).round().astype(int)
    table = pd.DataFrame({"估算需要": need, "现有能力": pd.Series(capacity, dtype=int)[names]})
    table["缺口"] = table["估算需要"] - table["现有能力"]
    share = table["缺口"] / table["估算需要"].where(table["估算需要"] > 0) * 100
    table["缺口比例"] = share.round(1)
    return table.sort_values("缺口比例", ascending=False)


@dataclass(frozen=True)
class VisitPlan:
    """How the outreach list is contacted: ``methods`` (programme × 入户/电话或宣传) and ``plan`` per 网格."""

    methods: pd.DataFrame
    plan: pd.DataFrame


def visit_plan(outreach: pd.DataFrame, *, home_visit: Iterable[str], per_afternoon: int = 4) -> VisitPlan:
    """Programmes in ``home_visit`` are visited at home, the rest by phone; ``per_afternoon`` households a visit afternoon.

    ``plan`` has, per 网格 with any home visit, 入户户数 (distinct households) and 需要几个下午.
    """
    if per_afternoon < 1:
        raise ValueError(f"每个下午至少走访 1 户（现在是 {per_afternoon}）")
    home = set(home_visit)
    method = outreach["项目"].isin(home).map({True: HOME, False: PHONE}).rename("联系方式")
    methods = pd.crosstab(outreach["项目"], method).reindex(columns=[HOME, PHONE], fill_value=0)
    visited = outreach[method == HOME]
    households = visited.groupby("网格")["户编号"].nunique()
    plan = pd.DataFrame(
        {"入户户数": households, "需要几个下午": households.map(lambda n: math.ceil(n / per_afternoon))},
        index=households.index,
    ).astype(int)
    return VisitPlan(methods=methods, plan=plan)
