"""Any person, any period, any domain: evidence and ratings for a supervisor's question."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from .evidence import SOURCES, EvidenceStore, open_store, utc_naive
from .framework import load_framework
from .localtime import LOCAL_TIME
from .ratings import rate
from .refs import describe_many, shorten

__all__ = ["QueryResult", "query"]


@dataclass(frozen=True)
class QueryResult:
    evidence: pd.DataFrame
    ratings: pd.DataFrame
    as_of: datetime
    names: Mapping[str, str] = field(default_factory=dict)  # worker id → display name

    def _repr_html_(self) -> str:
        fw = load_framework()
        titles = {d.id: d.title for d in fw.domains}
        items = {i.id: i.title for d in fw.domains for i in d.items}
        who = lambda wid: f"{self.names[wid]}（{wid}）" if wid in self.names else wid  # noqa: E731
        ratings = pd.DataFrame(
            {
                "工作人员": self.ratings["worker_id"].map(who),
                "领域": self.ratings["domain"].map(titles),
                "等级": self.ratings["level_title"],
                "加权得分率": self.ratings["score"].map(_percent),
                "证据条数": self.ratings["n_evidence"],
                "来源": self.ratings["sources"],
                "说明": self.ratings["reason"],
            }
        )
        shown = self.evidence.tail(20)
        refs = describe_many(shown["ref"])
        when = pd.to_datetime(shown["recorded_at"]).dt.tz_localize("UTC").dt.tz_convert(LOCAL_TIME)
        evidence = pd.DataFrame(
            {
                "时间（北京时间）": when.dt.strftime("%Y-%m-%d %H:%M"),
                "工作人员": shown["worker_id"].map(who),
                "领域": shown["domain"].map(titles).fillna(shown["domain"]),
                "事项": shown["item_id"].map(items).fillna(shown["item_id"]),
                "来源": shown["source"].map(SOURCES).fillna(shown["source"]),
                "题目/案例": shown["ref"].map(lambda ref: shorten(refs[ref])),
                "得分": [f"{a:g} / {b:g}" for a, b in zip(shown["score"], shown["max_score"], strict=True)],
            }
        )
        return (
            f"<h4>评定（截至 {self.as_of.replace(tzinfo=UTC).astimezone(LOCAL_TIME):%Y-%m-%d}）</h4>"
            f"{ratings.to_html(index=False, na_rep='—') if len(ratings) else '<p>没有评定：所选范围内没有证据。</p>'}"
            f"<h4>证据 {len(self.evidence)} 条（最近 20 条）</h4>"
            f"{evidence.to_html(index=False) if len(evidence) else '<p>所选范围内没有证据。</p>'}"
        )


def _percent(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.0%}"


def query(
    *,
    worker: str | None = None,
    domain: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    store: EvidenceStore | None = None,
    workers: Collection[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> QueryResult:
    """Evidence and ratings filtered by worker, domain and period (all optional).

    ``workers`` limits the answer to those ids (what the asker may see); ``names`` puts
    display names beside the ids.
    """
    store = store or open_store()
    as_of = utc_naive(until or datetime.now(UTC))
    evidence = store.frame(worker_id=worker, domain=domain, since=since, until=as_of)
    if workers is not None:
        evidence = evidence[evidence["worker_id"].isin(list(workers))]
    ratings = rate(evidence, as_of=as_of)
    return QueryResult(evidence=evidence, ratings=ratings, as_of=as_of, names=dict(names or {}))
