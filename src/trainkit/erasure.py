"""Erasure of a departed worker's personal data (个人信息保护法第四十七条): the one audited
exception to an append-only store.

The worker's id becomes a random pseudonym everywhere it stands — their own rows, and
wherever they acted as assessor, recorder, decider or eraser — and every free text that is
theirs or names them (answers, notes, appeal reasons, decision notes) is cleared. Scores,
dates, items and sources stay, so district figures are unchanged. The id itself is kept
nowhere; a hash of it lets a later grade import recognise and skip the person.

The statements below are the whole procedure, written once: SQLite runs them directly;
on PostgreSQL they form the body of the ``trainkit_erase`` function
(:mod:`trainkit.pg_integrity`), the only way any role there can change a stored row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa

from .schema import (
    appeals_table,
    decisions_table,
    erased_ids_table,
    erasures_table,
    evidence_table,
    marking_plans_table,
    marks_table,
)

__all__ = ["CLEARED", "ERASED_PREFIX", "ERASE_STATEMENTS", "erase", "erased_id_hashes", "id_hash"]

CLEARED = "（已按个人信息删除请求清除）"
ERASED_PREFIX = "erased-"  # every pseudonym starts so; a roster id cannot (see trainkit.roster)
# Parameters: old (the id), new (the pseudonym), pat / name_pat (LIKE patterns for the id and
# the display name), cleared, at, by, hash.
_MENTIONS = "LIKE :pat ESCAPE '!' OR {col} LIKE :name_pat ESCAPE '!'"
ERASE_STATEMENTS = (
    "UPDATE evidence SET answer = NULL, note = NULL, key = NULL WHERE worker_id = :old",
    "UPDATE evidence SET worker_id = :new WHERE worker_id = :old",
    "UPDATE evidence SET assessor = :new WHERE assessor = :old",
    "UPDATE evidence SET note = NULL WHERE note " + _MENTIONS.format(col="note"),
    "UPDATE evidence SET answer = NULL WHERE answer " + _MENTIONS.format(col="answer"),
    "UPDATE appeals SET reason = :cleared WHERE worker_id = :old OR reason " + _MENTIONS.format(col="reason"),
    "UPDATE appeals SET worker_id = :new WHERE worker_id = :old",
    "UPDATE appeals SET recorded_by = :new WHERE recorded_by = :old",
    "UPDATE appeal_decisions SET note = :cleared WHERE appeal_id IN (SELECT id FROM appeals WHERE worker_id = :new)"
    " OR note " + _MENTIONS.format(col="note"),
    "UPDATE appeal_decisions SET decided_by = :new WHERE decided_by = :old",
    "UPDATE erasures SET erased_by = :new WHERE erased_by = :old",
    "UPDATE marks SET comment = NULL WHERE student = :old OR comment " + _MENTIONS.format(col="comment"),
    "UPDATE marks SET student = :new WHERE student = :old",
    "UPDATE marks SET marker = :new WHERE marker = :old",
    "UPDATE marking_plans SET marker_a = :new WHERE marker_a = :old",
    "UPDATE marking_plans SET marker_b = :new WHERE marker_b = :old",
    "UPDATE marking_plans SET arbiter = :new WHERE arbiter = :old",
    "UPDATE marking_plans SET created_by = :new WHERE created_by = :old",
    "INSERT INTO erasures (pseudonym, erased_at, erased_by) VALUES (:new, :at, :by)",
    "INSERT INTO erased_ids (id_hash, erased_at) VALUES (:hash, :at)",
)


def id_hash(worker_id: str) -> str:
    """What is kept of an erased id: enough to recognise it again, not to read it back.

    Ids are short, so anyone holding a list of candidate ids can test them against the
    hash; the hash keeps the id out of every table and output, not out of reach of a roster.
    """
    return hashlib.sha256(f"trainkit-erased:{worker_id}".encode()).hexdigest()


def erased_id_hashes(engine: sa.Engine) -> set[str]:
    """The hashes of every erased id."""
    with engine.connect() as conn:
        return set(conn.execute(sa.select(erased_ids_table.c.id_hash)).scalars())


def erase(store, worker_id: str, *, erased_by: str, display_name: str | None = None) -> str:  # noqa: ANN001
    """Erase ``worker_id`` (see the module) and return the pseudonym now standing for them.

    Refuses an id the store has never seen, one already erased, and erasing oneself.
    ``display_name`` (from the roster) is also looked for in free text.
    """
    if erased_by == worker_id:
        raise ValueError(f"{erased_by} 不能清除自己的个人信息：请由另一位督导执行")
    hashed = id_hash(worker_id)
    with store.engine.connect() as conn:
        if conn.execute(sa.select(erased_ids_table.c.id_hash).where(erased_ids_table.c.id_hash == hashed)).first():
            raise ValueError(f"工号 {worker_id} 的个人信息此前已经清除，无需再次执行")
        if not _appears(conn, worker_id):
            raise ValueError(f"证据库中没有工号 {worker_id} 的任何记录（工号区分大小写）：请核对后再执行")
    pseudonym = f"{ERASED_PREFIX}{secrets.token_hex(6)}"
    params = {
        "old": worker_id,
        "new": pseudonym,
        "pat": _like(worker_id),
        "name_pat": _like(display_name) if display_name else _like(worker_id),
        "cleared": CLEARED,
        "at": datetime.now(UTC).replace(tzinfo=None),
        "by": erased_by,
        "hash": hashed,
    }
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text("SELECT trainkit_erase(:old, :new, :pat, :name_pat, :cleared, :at, :by, :hash)"), params
            )
        else:
            for statement in ERASE_STATEMENTS:
                conn.execute(sa.text(statement), params)
    return pseudonym


def _appears(conn: sa.Connection, worker_id: str) -> bool:
    """Whether the id stands anywhere an erasure would replace it."""
    e, a, d, x = evidence_table, appeals_table, decisions_table, erasures_table
    probes = (
        sa.select(e.c.id).where(sa.or_(e.c.worker_id == worker_id, e.c.assessor == worker_id)),
        sa.select(a.c.id).where(sa.or_(a.c.worker_id == worker_id, a.c.recorded_by == worker_id)),
        sa.select(d.c.id).where(d.c.decided_by == worker_id),
        sa.select(x.c.id).where(x.c.erased_by == worker_id),
        sa.select(marks_table.c.id).where(
            sa.or_(marks_table.c.student == worker_id, marks_table.c.marker == worker_id)
        ),
        sa.select(marking_plans_table.c.id).where(
            sa.or_(*(marking_plans_table.c[c] == worker_id for c in ("marker_a", "marker_b", "arbiter", "created_by")))
        ),
    )
    return any(conn.execute(probe.limit(1)).first() for probe in probes)


def _like(text: str) -> str:
    """A LIKE pattern (escape character ``!``) matching any text that contains ``text``."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"
