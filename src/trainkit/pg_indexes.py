"""Indexes PostgreSQL keeps beside the evidence table for reading it at province scale.

A supervisor's report reads the rows of a few thousand workers out of tens of millions, and
one worker's query reads theirs in time order. One index serves both: it is ordered by
worker and time and carries (``INCLUDE``) every column the report reads, so the report's read
is an index-only scan — no visit to the table's pages, which lie scattered because rows
arrive in time order, not by worker.

The index is not part of :data:`trainkit.schema.metadata`: SQLite keeps its schema unchanged,
and ``create_all`` would add it only to new tables. :func:`ensure` adds it to an existing
PostgreSQL store too (``CREATE INDEX IF NOT EXISTS``); on a table of ten million rows that
takes about half a minute once (27 s measured, 2 cores). Where the kit's role does not own the
table, the deployment's step run as the owner (``deploy/setup.py``, :func:`trainkit.pg_integrity.secure`)
opens the store and so adds it; ``deploy/README.md`` (sizing) gives the statement to run by hand.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["CREATE_STATEMENTS", "ensure", "missing"]

# The columns the report reads (trainkit.aggregate), beside the key the index is ordered by.
_CARRIED = ("domain", "source", "ref", "item_id", "score", "max_score", "supersedes")
CREATE_STATEMENTS = {
    "ix_evidence_worker_time": (
        "CREATE INDEX IF NOT EXISTS ix_evidence_worker_time ON evidence (worker_id, recorded_at, id) "
        f"INCLUDE ({', '.join(_CARRIED)})"
    ),
    # A whole roster's report also reads erased workers' rows (``worker_id LIKE 'erased-%'``,
    # trainkit.aggregate). Under the database's collation a plain index cannot serve a prefix
    # match, so without this the read scans the whole table (measured on PostgreSQL 15). The
    # index holds only erased workers' rows, so it stays small.
    "ix_evidence_erased": (
        "CREATE INDEX IF NOT EXISTS ix_evidence_erased ON evidence (worker_id text_pattern_ops) "
        "WHERE worker_id LIKE 'erased-%'"
    ),
}


def missing(conn: sa.Connection) -> list[str]:
    """The names of :data:`CREATE_STATEMENTS` not present in the current schema."""
    return [
        name
        for name in CREATE_STATEMENTS
        if conn.execute(sa.text("SELECT to_regclass(:name) IS NULL"), {"name": name}).scalar()
    ]


def ensure(engine: sa.Engine) -> list[str]:
    """Create the missing indexes when this role may (the table's owner); return those created."""
    with engine.connect() as conn:
        absent = missing(conn)
    made = []
    for name in absent:
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(CREATE_STATEMENTS[name]))
        except sa.exc.ProgrammingError:  # not the owner: the deployment creates it
            continue
        made.append(name)
    return made
