"""The learner and evidence store a widget writes to (overridable in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..evidence import EvidenceStore, open_store
from ..framework import load_framework
from ..roster import Worker, current_worker

NO_LEARNER = "还不知道您是谁：请先在学习地图或本课开头的“我是谁”处选择您的工号，之后的作答才会记入学习记录。"


@dataclass
class Session:
    worker: Worker | None
    store: EvidenceStore | None

    @classmethod
    def resolve(cls, worker: Worker | None = None, store: EvidenceStore | None = None) -> Session:
        return cls(worker or current_worker(), store)

    def record(
        self, *, service_items: tuple[str, ...], source: str, ref: str, score: float, answer: object = None
    ) -> bool:
        """Write one evidence row per service item; False when no learner is known."""
        if self.worker is None:
            return False
        if self.store is None:
            self.store = open_store()
        fw = load_framework()
        now = datetime.now(UTC)
        self.store.record_many(
            {
                "worker_id": self.worker.worker_id,
                "item_id": item,
                "domain": fw.domain_of(item),
                "source": source,
                "ref": ref,
                "score": score,
                "max_score": 1.0,
                "recorded_at": now,
                "answer": answer,
                "assessor": self.worker.worker_id,
            }
            for item in service_items
        )
        return True
