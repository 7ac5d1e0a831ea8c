"""The evidence store: an append-only log of what each worker showed, behind one SQLAlchemy URL.

Every answer, graded cell, review or appeal outcome is a new row; nothing is ever
updated. A later row may *supersede* an earlier one of the same worker, source, ref and
service item (a regrade); the ratings honour only such claims. A key names a row so that
an import can be repeated; a key already held by different content is a conflict, never
"already there". SQLite is the default (WAL and a busy timeout so several kernels can
write at once); PostgreSQL is used where a district shares one deployment, and there the
database itself refuses edits and deletions (:mod:`trainkit.pg_integrity`).
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

from .schema import evidence_table, item_reviews_table, metadata

__all__ = [
    "FEEDBACK_SOURCE",
    "ITEM_ACTIONS",
    "LEARNER_SOURCES",
    "SOURCES",
    "SUPERSEDE_IDENTITY",
    "EvidenceConflict",
    "EvidenceRow",
    "EvidenceStore",
    "default_url",
    "metadata",
    "open_store",
    "utc_naive",
]

SOURCES = {
    "self_check": "自测题",
    "case_walkthrough": "案例演练",
    "graded_exercise": "考核作业",
    "supervisor_review": "督导评议",
    "appeal_outcome": "申诉复核",
    "resident_feedback": "居民回访",  # imported by staff from a 社区's 回访/满意度 sheet (trainkit.resident_feedback)
}
FEEDBACK_SOURCE = "resident_feedback"  # rated under its own caps (trainkit.ratings.FeedbackRules)
LEARNER_SOURCES = ("self_check", "case_walkthrough")  # what a learner's own kernel may write
ITEM_ACTIONS = {"set_aside": "搁置（不计入评定）", "restore": "恢复计入"}
# A row may supersede only an earlier row that agrees on all of these.
SUPERSEDE_IDENTITY = ("worker_id", "source", "ref", "item_id")
_SAME_CONTENT = ("worker_id", "item_id", "domain", "source", "ref", "score", "max_score", "supersedes")


class EvidenceConflict(ValueError):
    """A key already held by a row with other content, or a supersession the rules forbid."""


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


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (``sqlite:///path``), or ``None`` for memory and URI forms."""
    made = sa.engine.make_url(url)
    if (
        made.get_backend_name() != "sqlite"
        or not made.database
        or made.database == ":memory:"
        or made.database.startswith("file:")
    ):
        return None
    return Path(made.database)


def _read_only(path: Path | None) -> bool:
    """An existing SQLite file that cannot be written (a backup on read-only media, another's file)."""
    return path is not None and path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = _sqlite_file(url)
        if path is not None and _read_only(path):
            # read it as it is: no WAL (its -shm file cannot be made), no schema changes; a write
            # then fails with "readonly database", which the command line explains in Chinese
            import sqlite3

            target = f"file:{path.resolve().as_posix()}?mode=ro&immutable=1"
            return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(target, uri=True))
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _create_tables(engine: sa.Engine) -> None:
    """Create what is missing; several processes opening a new file at once all succeed."""
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            return
        except sa.exc.OperationalError as err:  # another process created a table between check and create
            if "already exists" not in str(err) or attempt == 2:
                raise


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
        self.read_only = _read_only(_sqlite_file(url)) if url.startswith("sqlite") else False
        if not self.read_only:
            _create_tables(self.engine)
        if self.engine.dialect.name == "postgresql":
            _secure_postgres(self.engine)
            from . import pg_indexes

            pg_indexes.ensure(self.engine)

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
        connection: sa.Connection | None = None,
    ) -> int | None:
        """Append one row and return its id; ``None`` when the same row was already recorded under ``key``.

        Raises :class:`EvidenceConflict` when ``key`` is held by a row with other content, or
        when ``supersedes`` names anything but an earlier row of the same worker, source, ref
        and item. ``connection`` joins a transaction the caller holds.
        """
        row = self._row(locals())
        if connection is not None:
            return self._append(connection, row)
        with self.engine.begin() as conn:
            return self._append(conn, row)

    def record_many(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Append many rows in one transaction; rows already recorded under their ``key`` are skipped.

        All or nothing: a key held by other content raises :class:`EvidenceConflict` and
        nothing is written.
        """
        rows = [self._row(r) for r in rows]
        keys = [r["key"] for r in rows if r.get("key") is not None]
        with self.engine.begin() as conn:
            held: dict[str, dict[str, Any]] = {}
            for chunk in (keys[i : i + 500] for i in range(0, len(keys), 500)):
                for found in conn.execute(sa.select(evidence_table).where(evidence_table.c.key.in_(chunk))).mappings():
                    held[found["key"]] = dict(found)
            fresh = []
            for r in rows:
                if r.get("supersedes") is not None:
                    self._check_supersedes(conn, r)
                if r.get("key") is not None:
                    if r["key"] in held:
                        _same_or_conflict(held[r["key"]], r)
                        continue
                    held[r["key"]] = r
                fresh.append(r)
            if fresh:
                conn.execute(evidence_table.insert(), fresh)
        return len(fresh)

    def _append(self, conn: sa.Connection, row: dict[str, Any]) -> int | None:
        if row["key"] is not None and _already_held(conn, row):
            return None
        if row["supersedes"] is not None:
            self._check_supersedes(conn, row)
        if row["key"] is None:
            return conn.execute(evidence_table.insert().values(**row)).inserted_primary_key[0]
        try:
            with conn.begin_nested():  # another process may write the same key between check and insert
                return conn.execute(evidence_table.insert().values(**row)).inserted_primary_key[0]
        except sa.exc.IntegrityError:
            if not _already_held(conn, row):
                raise
            return None

    @staticmethod
    def _check_supersedes(conn: sa.Connection, row: Mapping[str, Any]) -> None:
        t = evidence_table
        target = (
            conn.execute(sa.select(*(t.c[c] for c in SUPERSEDE_IDENTITY)).where(t.c.id == row["supersedes"]))
            .mappings()
            .first()
        )
        if target is None or any(target[c] != row[c] for c in SUPERSEDE_IDENTITY):
            raise EvidenceConflict(
                f"记录 {row['supersedes']} 不是工号 {row['worker_id']} 在“{row['ref']}”（事项 {row['item_id']}，"
                f"来源 {SOURCES.get(row['source'], row['source'])}）上的较早记录，新记录不能取代它"
            )

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
        for col, value in ((t.c.worker_id, worker_id), (t.c.domain, domain), (t.c.source, source), (t.c.ref, ref)):
            if value is not None:
                q = q.where(col == value)
        if since is not None:
            q = q.where(t.c.recorded_at >= utc_naive(since))
        if until is not None:
            q = q.where(t.c.recorded_at <= utc_naive(until))
        return q

    def erase_worker(self, worker_id: str, *, erased_by: str, display_name: str | None = None) -> str:
        """Erase a departed worker's personal data, keeping scores; see :func:`trainkit.erasure.erase`."""
        from .erasure import erase

        return erase(self, worker_id, erased_by=erased_by, display_name=display_name)

    def review_item(self, ref: str, *, action: str, reason: str, reviewer: str, at: datetime | None = None) -> int:
        """Set a question's answers aside (``"set_aside"``) or count them again (``"restore"``):
        an added record, never an edit; the latest one on ``ref`` holds."""
        if action not in ITEM_ACTIONS:
            raise ValueError(f"未知操作 {action}（可用：{', '.join(ITEM_ACTIONS)}）")
        if not reason.strip():
            raise ValueError("请写明理由（--reason），例如：答案键有误，已报题库维护人更正")
        if not ref.strip():
            raise ValueError("请给出题目编号（ref），可从报告“题目分析”表的题目编号一列复制")
        row = {
            "ref": ref.strip(),
            "action": action,
            "reason": reason.strip(),
            "reviewer": reviewer,
            "recorded_at": utc_naive(at or datetime.now(UTC)),
        }
        with self.engine.begin() as conn:
            return int(conn.execute(sa.insert(item_reviews_table).values(row)).inserted_primary_key[0])

    def set_aside_refs(self, as_of: datetime | None = None) -> frozenset[str]:
        """The questions whose answers are set aside on ``as_of`` (default: now)."""
        t = item_reviews_table
        query = sa.select(t.c.ref, t.c.action).order_by(t.c.recorded_at, t.c.id)
        if as_of is not None:
            query = query.where(t.c.recorded_at <= utc_naive(as_of))
        try:
            with self.engine.connect() as conn:
                latest = dict(conn.execute(query).all())
        except sa.exc.OperationalError as err:  # a read-only copy from before this table: nothing set aside
            if "no such table" not in str(err):
                raise
            return frozenset()
        return frozenset(ref for ref, action in latest.items() if action == "set_aside")

    def item_reviews(self) -> list[dict[str, Any]]:
        """Every decision on a question, oldest first (who, when, why)."""
        t = item_reviews_table
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(t).order_by(t.c.recorded_at, t.c.id))]

    def frame(
        self,
        *,
        columns: tuple[str, ...] | None = None,
        worker_id: str | None = None,
        domain: str | None = None,
        source: str | None = None,
        ref: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ):  # noqa: ANN201
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
        if "ref" in df:
            df["set_aside"] = df["ref"].isin(self.set_aside_refs())
        return df


def _already_held(conn: sa.Connection, row: Mapping[str, Any]) -> bool:
    """Whether ``row``'s key is recorded already with the same content (a conflict raises)."""
    found = conn.execute(sa.select(evidence_table).where(evidence_table.c.key == row["key"])).mappings().first()
    if found is None:
        return False
    _same_or_conflict(dict(found), row)
    return True


def _same_or_conflict(held: Mapping[str, Any], row: Mapping[str, Any]) -> None:
    """Nothing when ``held`` already says what ``row`` says; else an :class:`EvidenceConflict`."""

    def same(name: str) -> bool:
        a, b = held[name], row[name]
        return abs(float(a) - float(b)) < 1e-9 if name in ("score", "max_score") else a == b

    if not all(same(name) for name in _SAME_CONTENT):
        raise EvidenceConflict(
            f"证据键冲突：键“{row['key']}”已被另一条内容不同的记录占用（已有：工号 {held['worker_id']}，"
            f"事项 {held['item_id']}，得分 {held['score']:g}/{held['max_score']:g}；本次：工号 {row['worker_id']}，"
            f"事项 {row['item_id']}，得分 {row['score']:g}/{row['max_score']:g}）。本条没有写入，请核查这条已有记录的来历"
        )


def _secure_postgres(engine: sa.Engine) -> None:
    """Install the database's own guards once, when this role may (the tables' owner)."""
    from . import pg_integrity

    with engine.connect() as conn:
        if pg_integrity.installed(conn):
            return
    try:
        with engine.begin() as conn:
            pg_integrity.install(conn)
    except sa.exc.ProgrammingError:  # not the owner: the deployment installs them (deploy/setup.py)
        pass


def open_store(url: str | None = None) -> EvidenceStore:
    """The evidence store at ``url`` (default: :func:`default_url`)."""
    return EvidenceStore(url or default_url())
