"""Any person, any period, any domain: evidence and ratings for a supervisor's question."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from .evidence import SOURCES, EvidenceStore, open_store, utc_naive
from .framework import load_framework
from .ratings import rate

__all__ = ["QueryResult", "query"]


@dataclass(frozen=True)
class QueryResult:
    evidence: pd.DataFrame
    ratings: pd.DataFrame
    as_of: datetime

    def _repr_html_(self) -> str:
        titles = {d.id: d.title for d in load_framework().domains}
        ratings = self.ratings.assign(domain=self.ratings["domain"].map(titles))[
            ["worker_id", "domain", "level_title", "score", "n_evidence", "sources", "reason"]
        ].rename(columns={"worker_id": "工号", "domain": "领域", "level_title": "等级", "score": "加权得分率",
                          "n_evidence": "证据条数", "sources": "来源", "reason": "说明"})
        evidence = self.evidence.assign(source=self.evidence["source"].map(SOURCES))[
            ["recorded_at", "worker_id", "domain", "item_id", "source", "ref", "score", "max_score"]
        ].rename(columns={"recorded_at": "时间", "worker_id": "工号", "domain": "领域", "item_id": "事项",
                          "source": "来源", "ref": "题目/案例", "score": "得分", "max_score": "满分"})
        return (f"<h4>评定（截至 {self.as_of:%Y-%m-%d}）</h4>{ratings.to_html(index=False)}"
                f"<h4>证据 {len(self.evidence)} 条（最近 20 条）</h4>{evidence.tail(20).to_html(index=False)}")


def query(*, worker: str | None = None, domain: str | None = None, since: datetime | None = None,
          until: datetime | None = None, store: EvidenceStore | None = None) -> QueryResult:
    """Evidence and ratings filtered by worker, domain and period (all optional)."""
    store = store or open_store()
    as_of = utc_naive(until or datetime.now(UTC))
    evidence = store.frame(worker_id=worker, domain=domain, since=since, until=as_of)
    ratings = rate(evidence, as_of=as_of)
    return QueryResult(evidence=evidence, ratings=ratings, as_of=as_of)
