"""How good each question is, read from the answers: the item analysis examination bodies run.

Per question (evidence ``ref``): how many workers answered it, the share fully right, the mean
score, and its *discrimination* — the share right among the strongest workers minus the share
right among the weakest (upper–lower groups, ``group_share`` of the workers each, strength
being the worker's mean score on the *other* questions of the same domain). A question the
strong miss and the weak get right is probably keyed wrong; one that separates nobody tells
nothing; one everybody gets right only checks attendance. The thresholds are data in
``casebank/rating-rules.yaml`` (``item_quality``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from .evidence import SOURCES
from .framework import Framework

__all__ = ["FLAGS", "QUESTION_COLUMNS", "ItemQualityRules", "question_table"]

FLAGS = {  # in the order a trainer should look at them
    "miskeyed": "可能答案有误",
    "too_hard": "过难",
    "low_discrimination": "区分度低",
    "too_easy": "过易",
}
QUESTION_COLUMNS = [
    "ref",
    "domains",
    "sources",
    "attempts",
    "workers",
    "correct_rate",
    "mean_score",
    "discrimination",
    "strong_miss",
    "flags",
]


class ItemQualityRules(BaseModel):
    """When a question is flagged for a trainer to look at."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    group_share: float = Field(default=0.27, gt=0, le=0.5, description="强、弱两组各占作答人数的比例")
    min_workers: int = Field(default=10, ge=2, description="作答人数少于此数不作判断")
    low_discrimination: float = Field(default=0.2, gt=0, le=1, description="区分度低于此值为区分度低")
    miskey_discrimination: float = Field(
        default=-0.3, lt=0, ge=-1, description="区分度不高于此值、且强组多数答错，提示可能答案有误"
    )
    too_easy: float = Field(default=0.95, gt=0, le=1, description="答对率不低于此值为过易")
    too_hard: float = Field(
        default=0.1, ge=0, lt=1, description="答对率不高于此值为过难（几乎没人答对：先查答案键，再查是否讲过）"
    )


def question_table(rows: pd.DataFrame, framework: Framework, rules: ItemQualityRules) -> pd.DataFrame:
    """One row per question, worst-answered first, with discrimination and flags.

    ``rows`` are current evidence rows (superseded ones left out) with ``worker_id``, ``domain``,
    ``source``, ``ref`` and ``ratio``.
    """
    if rows.empty:
        return pd.DataFrame(columns=QUESTION_COLUMNS)
    titles = {d.id: d.title for d in framework.domains}
    rows = rows.assign(correct=(rows["ratio"].astype(float) >= 1 - 1e-9).astype(float))
    grouped = rows.groupby("ref", observed=True)
    stats = grouped.agg(
        attempts=("ratio", "size"),
        workers=("worker_id", "nunique"),
        correct_rate=("correct", "mean"),
        mean_score=("ratio", "mean"),
    )
    pairs = rows[["ref", "domain", "source"]].drop_duplicates()
    stats["domains"] = pairs.groupby("ref", observed=True)["domain"].agg(
        lambda s: "、".join(titles.get(d, d) for d in sorted(set(s)))
    )
    stats["sources"] = pairs.groupby("ref", observed=True)["source"].agg(
        lambda s: "、".join(v for k, v in SOURCES.items() if k in set(s))
    )
    stats = stats.join(_discrimination(rows, rules))
    stats["flags"] = _flags(stats, rules)
    stats = (
        stats.reset_index()
        .astype({"ref": str})
        .sort_values(["correct_rate", "mean_score", "attempts", "ref"], ascending=[True, True, False, True])
    )
    return stats[QUESTION_COLUMNS].reset_index(drop=True)


def _discrimination(rows: pd.DataFrame, rules: ItemQualityRules) -> pd.DataFrame:
    """Upper–lower discrimination and the strong workers' miss rate, per question."""
    keys = ["worker_id", "domain", "ref"]
    answered = rows.groupby(keys, observed=True)[["ratio", "correct"]].mean().reset_index()
    ability = answered.groupby(["worker_id", "domain"], observed=True)["ratio"].agg(["sum", "count"])
    answered = answered.join(ability, on=["worker_id", "domain"])
    answered = answered[answered["count"] > 1]  # strength from other questions only
    answered = answered.assign(rest=(answered["sum"] - answered["ratio"]) / (answered["count"] - 1))
    by_ref = answered.groupby("ref", observed=True)
    rank = by_ref["rest"].rank(method="first")
    size = by_ref["rest"].transform("size")
    group = np.maximum(1, np.floor(size * rules.group_share))
    upper = answered[rank > size - group].groupby("ref", observed=True)["correct"].mean()
    lower = answered[rank <= group].groupby("ref", observed=True)["correct"].mean()
    judged = size.groupby(answered["ref"], observed=True).first() >= rules.min_workers
    out = pd.DataFrame({"discrimination": upper - lower, "strong_miss": 1 - upper})
    return out.where(judged.reindex(out.index, fill_value=False))


def _flags(stats: pd.DataFrame, rules: ItemQualityRules) -> pd.Series:
    d, miss, right = stats["discrimination"], stats["strong_miss"], stats["correct_rate"]
    judged = d.notna()
    miskeyed = judged & (d <= rules.miskey_discrimination) & (miss >= 0.5)
    easy = judged & (right >= rules.too_easy)
    hard = judged & ~miskeyed & (right <= rules.too_hard)
    flat = judged & ~miskeyed & ~easy & ~hard & (d < rules.low_discrimination)
    words = np.select(
        [miskeyed, hard, easy, flat],
        [FLAGS["miskeyed"], FLAGS["too_hard"], FLAGS["too_easy"], FLAGS["low_discrimination"]],
        default="",
    )
    return pd.Series(words, index=stats.index)
