"""The evidence store: an append-only log of what each worker showed, behind one SQLAlchemy URL.

Every answer, graded cell, review or appeal outcome is a new row; nothing is ever
updated. A later row may *supersede* an earlier one (a regrade), which the ratings
honour. SQLite is the default (WAL and a busy timeout so several kernels can write at
once); PostgreSQL is used where a district shares one deployment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

__all__ = ["SOURCES", "EvidenceRow", "EvidenceStore", "default_url", "metadata", "open_store", "utc_naive"]

SOURCES = {
    "self_check": "自测题",
    "case_walkthrough": "案例演练",
    "graded_exercise": "考核作业",
    "supervisor_review": "督导评议",
    "appeal_outcome": "申诉复核",
}

metadata = sa.MetaData()
evidence_table = sa.Table(
    "evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("worker_id", sa.String(64), nullable=False, index=True),
    sa.Column("domain", sa.String(64), nullable=False, index=True),
    sa.Column("item_id", sa.String(64), nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("ref", sa.String(200), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False, index=True),
    sa.Column("assessor", sa.String(64)),
    sa.Column("answer", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("supersedes", sa.Integer),
    sa.Column("key", sa.String(300), unique=True),
)


erasures_table = sa.Table(
    "erasures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pseudonym", sa.String(64), nullable=False),
    sa.Column("erased_at", sa.DateTime, nullable=False),
    sa.Column("erased_by", sa.String(64), nullable=False),
)


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    worker_id: str
    domain: str
    item_id: str
    source: str
    ref: str
    score: float
    max_score: float
    recorded_at: datetime
    assessor: str | None
    answer: Any
    note: str | None
    supersedes: int | None
    key: str | None

    @property
    def ratio(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


def utc_naive(moment: datetime) -> datetime:
    """Times are stored as naive UTC; an aware time is converted first."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def default_url() -> str:
    """``TRAINKIT_DB`` if set, else a SQLite file in ``TRAINKIT_HOME`` (``~/.trainkit``)."""
    if url := os.environ.get("TRAINKIT_DB"):
        return url
    home = Path(os.environ.get("TRAINKIT_HOME", Path.home() / ".trainkit"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'evidence.db'}"


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


class EvidenceStore:
    """Insert-only access to the evidence log.

    >>> store = open_store("sqlite://")
    >>> store.record(worker_id="W001", item_id="dibao_income", domain="social_assistance",
    ...              source="self_check", ref="q1", score=1)  # doctest: +ELLIPSIS
    1
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)
        metadata.create_all(self.engine)

    def record(
        self,
        *,
        worker_id: str,
        item_id: str,
        domain: str,
        source: str,
        ref: str,
        score: float,
        max_score: float = 1.0,
        recorded_at: datetime | None = None,
        assessor: str | None = None,
        answer: Any = None,
        note: str | None = None,
        supersedes: int | None = None,
        key: str | None = None,
    ) -> int | None:
        """Append one row and return its id; ``None`` when ``key`` was already recorded."""
        row = self._row(locals())
        with self.engine.begin() as conn:
            if key is not None and conn.execute(
                sa.select(evidence_table.c.id).where(evidence_table.c.key == key)
            ).first():
                return None
            return conn.execute(evidence_table.insert().values(**row)).inserted_primary_key[0]

    def record_many(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Append many rows in one transaction; rows whose ``key`` exists are skipped."""
        rows = [self._row(r) for r in rows]
        keys = [r["key"] for r in rows if r.get("key") is not None]
        with self.engine.begin() as conn:
            seen: set[str] = set()
            for chunk in (keys[i : i + 500] for i in range(0, len(keys), 500)):
                seen.update(
                    conn.execute(
                        sa.select(evidence_table.c.key).where(evidence_table.c.key.in_(chunk))
                    ).scalars()
                )
            fresh = []
            for r in rows:
                if r.get("key") is not None:
                    if r["key"] in seen:
                        continue
                    seen.add(r["key"])
                fresh.append(r)
            if fresh:
                conn.execute(evidence_table.insert(), fresh)
        return len(fresh)

    @staticmethod
    def _row(values: Mapping[str, Any]) -> dict[str, Any]:
        source = values["source"]
        if source not in SOURCES:
            raise ValueError(f"未知证据来源：{source}（可用：{', '.join(SOURCES)}）")
        score, max_score = float(values["score"]), float(values.get("max_score", 1.0))
        if max_score <= 0 or not 0 <= score <= max_score:
            raise ValueError(f"得分 {score} 不在 0 到满分 {max_score} 之间（{values['ref']}）")
        answer = values.get("answer")
        recorded_at = utc_naive(values.get("recorded_at") or datetime.now(UTC))
        return {
            "worker_id": values["worker_id"],
            "domain": values["domain"],
            "item_id": values["item_id"],
            "source": source,
            "ref": values["ref"],
            "score": score,
            "max_score": max_score,
            "recorded_at": recorded_at,
            "assessor": values.get("assessor"),
            "answer": None if answer is None else json.dumps(answer, ensure_ascii=False),
            "note": values.get("note"),
            "supersedes": values.get("supersedes"),
            "key": values.get("key"),
        }

    def rows(
        self,
        *,
        worker_id: str | None = None,
        domain: str | None = None,
        source: str | None = None,
        ref: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[EvidenceRow]:
        """Rows matching every filter given, oldest first."""
        query = self._query(worker_id, domain, source, ref, since, until, columns=None)
        with self.engine.connect() as conn:
            return [
                EvidenceRow(**{**r, "answer": None if r["answer"] is None else json.loads(r["answer"])})
                for r in conn.execute(query).mappings()
            ]

    @staticmethod
    def _query(worker_id, domain, source, ref, since, until, *, columns):  # noqa: ANN001, ANN205
        t = evidence_table
        chosen = [t.c[name] for name in columns] if columns else [t]
        q = sa.select(*chosen).order_by(t.c.recorded_at, t.c.id)
        for col, value in ((t.c.worker_id, worker_id), (t.c.domain, domain),
                           (t.c.source, source), (t.c.ref, ref)):
            if value is not None:
                q = q.where(col == value)
        if since is not None:
            q = q.where(t.c.recorded_at >= utc_naive(since))
        if until is not None:
            q = q.where(t.c.recorded_at <= utc_naive(until))
        return q

    def erase_worker(self, worker_id: str, *, erased_by: str) -> str:
        """Remove a departed worker's personal data (个人信息保护法第四十七条), keeping aggregates.

        The one deliberate exception to insert-only: the worker's id becomes a random
        pseudonym that nothing links back, and free text they wrote (answers, notes,
        appeal reasons) is cleared. Scores, dates, items and sources stay, so cohort and
        item statistics are unchanged. Returns the pseudonym.
        """
        import secrets

        from .appeals import appeals_table

        metadata.create_all(self.engine)
        pseudonym = f"erased-{secrets.token_hex(6)}"
        t = evidence_table
        with self.engine.begin() as conn:
            conn.execute(t.update().where(t.c.worker_id == worker_id).values(
                worker_id=pseudonym, answer=None, note=None, key=None))
            conn.execute(t.update().where(t.c.assessor == worker_id).values(assessor=pseudonym))
            conn.execute(appeals_table.update().where(appeals_table.c.worker_id == worker_id).values(
                worker_id=pseudonym, reason="（已按个人信息删除请求清除）"))
            conn.execute(erasures_table.insert().values(
                pseudonym=pseudonym, erased_at=datetime.now(UTC).replace(tzinfo=None), erased_by=erased_by))
        return pseudonym

    def frame(self, *, columns: tuple[str, ...] | None = None, worker_id: str | None = None,
              domain: str | None = None, source: str | None = None, ref: str | None = None,
              since: datetime | None = None, until: datetime | None = None):  # noqa: ANN201
        """Matching rows as a pandas DataFrame with a ``ratio`` column, read in one pass.

        ``columns`` limits what is read (reports leave out answers and notes); answers stay
        JSON text here.
        """
        import pandas as pd

        names = list(columns or EvidenceRow.__dataclass_fields__)
        query = self._query(worker_id, domain, source, ref, since, until, columns=names)
        with self.engine.connect() as conn:
            # the driver's own tuples, converted column by column below: far faster than
            # building a SQLAlchemy row per record when a report reads a million of them
            raw = conn.execute(query).cursor.fetchall()
        df = pd.DataFrame.from_records(raw, columns=names)
        if "recorded_at" in df:
            df["recorded_at"] = pd.to_datetime(df["recorded_at"], format="ISO8601")
        if "score" in df and "max_score" in df:
            df["ratio"] = (df["score"] / df["max_score"]).astype(float)
        return df


def open_store(url: str | None = None) -> EvidenceStore:
    """The evidence store at ``url`` (default: :func:`default_url`)."""
    return EvidenceStore(url or default_url())
