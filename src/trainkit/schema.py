"""The tables of the evidence database, in one place: the evidence log, appeals and their
decisions, and the record of erasures. All are only ever added to; erasure is the one
audited exception (:mod:`trainkit.erasure`)."""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "APPEND_ONLY_TABLES",
    "appeals_table",
    "decisions_table",
    "erased_ids_table",
    "erasures_table",
    "evidence_table",
    "item_reviews_table",
    "marking_plans_table",
    "marks_table",
    "metadata",
]

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
# Erased workers are remembered by a hash of their id only, so that a later grade import
# can recognise and skip them without keeping the id itself.
erased_ids_table = sa.Table(
    "erased_ids",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("erased_at", sa.DateTime, nullable=False),
)


appeals_table = sa.Table(
    "appeals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("worker_id", sa.String(64), nullable=False, index=True),
    sa.Column("domain", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("filed_at", sa.DateTime, nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
)
decisions_table = sa.Table(
    "appeal_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("appeal_id", sa.Integer, nullable=False, unique=True),
    sa.Column("decided_by", sa.String(64), nullable=False),
    sa.Column("decided_at", sa.DateTime, nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("evidence_id", sa.Integer),
)


# Double-marking (trainkit.marking): who marks an assignment, and every mark given.
marking_plans_table = sa.Table(
    "marking_plans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment", sa.String(200), nullable=False, index=True),
    sa.Column("marker_a", sa.String(64), nullable=False),
    sa.Column("marker_b", sa.String(64), nullable=False),
    sa.Column("arbiter", sa.String(64), nullable=False),
    sa.Column("gap", sa.Float, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
marks_table = sa.Table(
    "marks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment", sa.String(200), nullable=False, index=True),
    sa.Column("notebook", sa.String(200), nullable=False),
    sa.Column("grade_id", sa.String(200), nullable=False),
    sa.Column("student", sa.String(64), nullable=False),
    sa.Column("marker", sa.String(64), nullable=False),
    sa.Column("round", sa.String(16), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("marked_at", sa.DateTime, nullable=False),
)


# A trainer's decision on a question the item analysis flagged: its answers set aside (they count
# toward no rating) or restored. The latest decision on a ref holds; nothing is edited.
item_reviews_table = sa.Table(
    "item_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ref", sa.String(200), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),  # set_aside | restore
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reviewer", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)

APPEND_ONLY_TABLES = (
    "evidence",
    "appeals",
    "appeal_decisions",
    "erasures",
    "erased_ids",
    "marking_plans",
    "marks",
    "item_reviews",
)
