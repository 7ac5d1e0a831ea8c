"""The province's 全岗通 summary: per 区/县, how many workers reach 全岗通 and why the others do not.

Fifty thousand workers and ten million evidence rows do not fit one read. On PostgreSQL the
summary rates one group (a 区/县) at a time with the report's own computation
(:func:`trainkit.aggregate.aggregate`, reading only that group's rows), so memory follows the
largest group; every rating follows the kit's rules (``casebank/rating-rules.yaml``) exactly as a
report shows it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

import pandas as pd

from .aggregate import aggregate
from .evidence import EvidenceStore, utc_naive
from .framework import Framework, load_framework
from .ratings import INSUFFICIENT, NOT_ASSESSED, RatingRules, load_rating_rules, rating_matrix
from .roster import Worker

__all__ = ["GROUP_TITLES", "STATUS_TITLES", "UNFILLED", "province_summary", "roster_groups", "worker_status"]

STATUS_TITLES = {
    "full_post": "全岗通",
    "below": "有领域未达合格",
    "unrated": "有领域证据不足、尚未评定",
}

GROUP_TITLES = {"district": "区县", "street": "街道"}  # what a summary can group by: roster columns
UNFILLED = "（花名册未填写）"


def roster_groups(roster: Mapping[str, Worker], *, by: str) -> dict[str, list[str]]:
    """Worker ids per 区县 (``by="district"``) or 街道 (``"street"``, named ``区县·街道`` on a
    roster with 区县), groups in roster order.

    Workers whose roster row leaves that column blank form one group, :data:`UNFILLED`, so a
    summary still counts everyone and shows where the roster needs filling in.
    """
    if by not in GROUP_TITLES:
        raise ValueError(f"只能按{'或'.join(GROUP_TITLES.values())}分组，不能按“{by}”")
    groups: dict[str, list[str]] = {}
    for worker_id, worker in roster.items():
        name = getattr(worker, by).strip() or UNFILLED
        if by == "street" and worker.district:  # two 区县 may each have a 新华街道
            name = f"{worker.district}·{name}"
        groups.setdefault(name, []).append(worker_id)
    return groups


def worker_status(matrix: pd.DataFrame, *, framework: Framework) -> pd.Series:
    """Each worker's status (a key of :data:`STATUS_TITLES`) from a rating matrix.

    ``full_post``: 合格 or above in every domain. ``below``: at least one domain rated below
    合格. ``unrated``: the rest — no domain below 合格, but one or more without a rating yet.
    """
    proficient = {lv.id for lv in framework.scale if lv.proficient}
    unrated = matrix.isin({NOT_ASSESSED, INSUFFICIENT})
    below = ~matrix.isin(proficient) & ~unrated
    status = pd.Series("unrated", index=matrix.index, name="status", dtype=object)
    status[matrix.isin(proficient).all(axis=1)] = "full_post"
    status[below.any(axis=1)] = "below"
    return status


def province_summary(
    store: EvidenceStore,
    groups: Mapping[str, Collection[str]],
    *,
    as_of: datetime,
    rules: RatingRules | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """One row per group (区/县 name → its workers' ids): ``workers`` and a count per status.

    Columns: ``workers`` then the keys of :data:`STATUS_TITLES`; the index holds the group
    names in the order given.
    """
    rules, framework = rules or load_rating_rules(), framework or load_framework()
    as_of = utc_naive(as_of)
    members = {name: list(dict.fromkeys(ids)) for name, ids in groups.items()}
    if empty := next((name for name, ids in members.items() if not ids), None):
        raise ValueError(f"“{empty}”没有工作人员：请核对花名册")

    def statuses(workers: list[str]) -> pd.Series:
        agg = aggregate(store, workers=workers, as_of=as_of, rules=rules, framework=framework, team_figures=False)
        return worker_status(rating_matrix(agg.ratings, workers, framework), framework=framework)

    # PostgreSQL reads only a group's rows, so memory follows the largest group; SQLite reads the
    # whole table whatever is asked, so there every worker is rated from one read (a worker's
    # ratings depend on that worker's evidence alone).
    if store.engine.dialect.name == "postgresql":
        found = {name: statuses(ids) for name, ids in members.items()}
    else:
        everyone = statuses(list(dict.fromkeys(w for ids in members.values() for w in ids)))
        found = {name: everyone.loc[ids] for name, ids in members.items()}
    counts = {
        name: {"workers": len(members[name]), **{key: int((status == key).sum()) for key in STATUS_TITLES}}
        for name, status in found.items()
    }
    table = pd.DataFrame.from_dict(counts, orient="index", columns=["workers", *STATUS_TITLES])
    table.index.name = "group"
    return table
