"""Appeals and supervisor reviews, kept as records that are only ever added.

A worker appeals a domain's rating within the notice period; a supervisor whose scope
covers the worker decides. Upholding changes nothing; revising adds an ``appeal_outcome``
evidence row, so a rating changes only through new evidence. A supervisor's review is
likewise a ``supervisor_review`` evidence row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import sqlalchemy as sa

from .evidence import EvidenceStore
from .framework import load_framework
from .roster import Worker
from .schema import appeals_table, decisions_table, metadata

__all__ = ["Appeal", "decide_appeal", "file_appeal", "list_appeals", "record_review"]

Outcome = Literal["upheld", "revised"]
OUTCOME_TITLES = {"upheld": "维持原评定", "revised": "改变评定"}


@dataclass(frozen=True)
class Appeal:
    id: int
    worker_id: str
    domain: str
    reason: str
    filed_at: datetime
    deadline: date
    recorded_by: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    outcome: str | None = None
    note: str | None = None
    evidence_id: int | None = None

    @property
    def status(self) -> str:
        return "待处理" if self.outcome is None else OUTCOME_TITLES[self.outcome]


def _covers(supervisor: Worker, worker: Worker) -> bool:
    return worker.in_scope(supervisor.supervisor_scope, within=supervisor.district)


def _ensure_tables(store: EvidenceStore) -> None:
    metadata.create_all(store.engine)


def file_appeal(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    worker_id: str,
    domain: str,
    reason: str,
    deadline: date,
    recorded_by: str,
    today: date | None = None,
) -> int:
    """Record an appeal about one domain's rating; refused after the notice period."""
    today = today or datetime.now(UTC).date()
    if worker_id not in roster:
        raise ValueError(f"花名册中没有工号 {worker_id}")
    if recorded_by not in roster:
        raise ValueError(f"登记人 {recorded_by} 不在花名册中：--by 请写登记申诉的督导或工作人员的工号")
    if deadline > today + timedelta(days=90):
        raise ValueError(f"公示截止日 {deadline} 离今天超过 90 天：请核对日期（公示期一般为 7 天）")
    load_framework().domain(domain)
    if not reason.strip():
        raise ValueError("请写明申诉理由")
    if today > deadline:
        raise ValueError(f"公示期已于 {deadline} 结束，不能再登记申诉；如有特殊情况请书面报区民政局")
    _ensure_tables(store)
    with store.engine.begin() as conn:
        return conn.execute(
            appeals_table.insert().values(
                worker_id=worker_id,
                domain=domain,
                reason=reason.strip(),
                deadline=deadline,
                filed_at=datetime.now(UTC).replace(tzinfo=None),
                recorded_by=recorded_by,
            )
        ).inserted_primary_key[0]


def decide_appeal(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    appeal_id: int,
    decided_by: str,
    outcome: Outcome,
    note: str,
    score: float | None = None,
    item_id: str | None = None,
) -> Appeal:
    """Decide an appeal once. ``revised`` needs the reviewed score (0–1) and adds it as evidence."""
    appeal = next((a for a in list_appeals(store) if a.id == appeal_id), None)
    if appeal is None:
        raise ValueError(f"没有编号为 {appeal_id} 的申诉")
    if appeal.outcome is not None:
        raise ValueError(f"申诉 {appeal_id} 已于 {appeal.decided_at:%Y-%m-%d} 处理（{appeal.status}），不能重复处理")
    supervisor, worker = roster.get(decided_by), roster.get(appeal.worker_id)
    if worker is None:
        raise ValueError(f"花名册中没有申诉人 {appeal.worker_id}：请用包含此人的花名册处理（--roster）")
    if supervisor is None or not _covers(supervisor, worker):
        raise ValueError(f"{decided_by} 不是负责 {appeal.worker_id} 所在街道或社区的督导，不能处理此申诉")
    if outcome not in OUTCOME_TITLES:
        raise ValueError(f"处理结果应为 {' 或 '.join(OUTCOME_TITLES)}")
    if not note.strip():
        raise ValueError("请写明处理理由，它会告知申诉人")
    revised = None
    if outcome == "revised":
        if score is None or not 0 <= score <= 1:
            raise ValueError("改变评定时请给出复核得分（0 到 1 之间）")
        items = load_framework().domain(appeal.domain).items
        item = item_id or items[0].id
        if item not in {i.id for i in items}:
            raise ValueError(f"事项 {item} 不属于领域 {appeal.domain}")
        revised = {
            "worker_id": appeal.worker_id,
            "item_id": item,
            "domain": appeal.domain,
            "source": "appeal_outcome",
            "ref": f"appeal:{appeal_id}",
            "score": score,
            "assessor": decided_by,
            "note": note.strip(),
            "key": f"appeal:{appeal_id}",
        }
    with store.engine.begin() as conn:  # the evidence and the decision land together or not at all
        evidence_id = None
        if revised is not None:
            evidence_id = store.record(**revised, connection=conn)
            if evidence_id is None:
                raise ValueError(f"申诉 {appeal_id} 的复核证据已经存在，却没有处理记录：请先核查证据库")
        conn.execute(
            decisions_table.insert().values(
                appeal_id=appeal_id,
                decided_by=decided_by,
                decided_at=datetime.now(UTC).replace(tzinfo=None),
                outcome=outcome,
                note=note.strip(),
                evidence_id=evidence_id,
            )
        )
    return next(a for a in list_appeals(store) if a.id == appeal_id)


def list_appeals(store: EvidenceStore, *, worker_id: str | None = None) -> list[Appeal]:
    """Every appeal with its decision, if any, oldest first."""
    _ensure_tables(store)
    a, d = appeals_table, decisions_table
    query = (
        sa.select(a, d.c.decided_by, d.c.decided_at, d.c.outcome, d.c.note, d.c.evidence_id)
        .select_from(a.outerjoin(d, d.c.appeal_id == a.c.id))
        .order_by(a.c.id)
    )
    if worker_id is not None:
        query = query.where(a.c.worker_id == worker_id)
    with store.engine.connect() as conn:
        return [Appeal(**dict(row)) for row in conn.execute(query).mappings()]


def record_review(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    worker_id: str,
    item_id: str,
    score: float,
    reviewer: str,
    note: str,
    recorded_at: datetime | None = None,
) -> int:
    """A supervisor's review of one service item, as trainer-controlled evidence."""
    supervisor = roster.get(reviewer)
    if worker_id not in roster:
        raise ValueError(f"花名册中没有工号 {worker_id}")
    if reviewer == worker_id:
        raise ValueError(f"{reviewer} 不能评议自己：督导评议须由负责的督导对他人作出")
    if not note.strip():
        raise ValueError("请写明评议意见（--note）：评议是证据，要说清看到了什么")
    if supervisor is None or not _covers(supervisor, roster[worker_id]):
        raise ValueError(f"{reviewer} 不是负责 {worker_id} 所在街道或社区的督导")
    if not 0 <= score <= 1:
        raise ValueError("评议得分应在 0 到 1 之间")
    fw = load_framework()
    return store.record(
        worker_id=worker_id,
        item_id=item_id,
        domain=fw.domain_of(item_id),
        source="supervisor_review",
        ref=f"review:{item_id}",
        score=score,
        assessor=reviewer,
        note=note,
        recorded_at=recorded_at,
    )
