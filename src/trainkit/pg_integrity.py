"""What PostgreSQL itself enforces, so that no role can forge, cancel or change evidence.

:func:`install` (run by whoever creates the tables) adds, in the tables' schema:

- a trigger on every table of :data:`~trainkit.schema.APPEND_ONLY_TABLES` that refuses
  UPDATE, DELETE and TRUNCATE — for every role, the owner included — except inside
  ``trainkit_erase``;
- a trigger that refuses an evidence row superseding anything but an earlier row of the
  same worker, source, ref and item;
- ``trainkit_erase(...)``, a ``SECURITY DEFINER`` function holding the statements of
  :data:`trainkit.erasure.ERASE_STATEMENTS`: the one audited way to change a stored row.

:func:`grant_roles` (run by the deployment, ``deploy/setup.py``) gives a learner group and a
staff group what they may do: a learner reads and adds only their own self-check and case
rows, with no key, no supersession and no other assessor; staff read and add; nobody
updates or deletes; only staff may call ``trainkit_erase``.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from .erasure import ERASE_STATEMENTS
from .evidence import LEARNER_SOURCES, SUPERSEDE_IDENTITY
from .schema import APPEND_ONLY_TABLES

__all__ = ["ERASE_SIGNATURE", "grant_roles", "install", "installed", "secure"]

ERASE_SIGNATURE = "trainkit_erase(text, text, text, text, text, timestamp, text, text)"
VERSION = 2  # raise when the guards or the erase statements change: install() then runs again
_ERASE_PARAMS = ("old", "new", "pat", "name_pat", "cleared", "at", "by", "hash")
_ROLE = re.compile(r"[a-z_][a-z0-9_-]{0,62}")


def installed(conn: sa.Connection) -> bool:
    """Whether this version of :func:`install` has run in the current schema."""
    if not conn.execute(sa.text("SELECT to_regprocedure('trainkit_integrity_version()') IS NOT NULL")).scalar():
        return False
    return conn.execute(sa.text("SELECT trainkit_integrity_version()")).scalar() == VERSION


def install(conn: sa.Connection) -> None:
    """Add the triggers and the erase function to the schema the tables are in."""
    schema = str(conn.execute(sa.text("SELECT current_schema()")).scalar())
    body = ";\n  ".join(re.sub(r":(\w+)", r"p_\1", statement) for statement in ERASE_STATEMENTS)
    params = ", ".join(
        f"p_{name} {kind}"
        for name, kind in zip(
            _ERASE_PARAMS, ERASE_SIGNATURE[ERASE_SIGNATURE.index("(") + 1 : -1].split(", "), strict=True
        )
    )
    same = " AND ".join(f"e.{c} = NEW.{c}" for c in SUPERSEDE_IDENTITY)
    conn.execute(
        sa.text(f"""
CREATE OR REPLACE FUNCTION trainkit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('trainkit.erasing', true) = 'on' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '证据库只能追加记录：表 % 不允许 %（清除离岗人员的个人信息请用 trainkit evidence erase）',
    TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $f$;

CREATE OR REPLACE FUNCTION trainkit_check_supersedes() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF NEW.supersedes IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM evidence e WHERE e.id = NEW.supersedes AND e.id < NEW.id AND {same}) THEN
    RAISE EXCEPTION '记录 % 不是同一工号、来源、题目和事项的较早记录，新记录不能取代它', NEW.supersedes
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $f$;

CREATE OR REPLACE FUNCTION trainkit_erase({params}) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_quote(schema)}, pg_temp AS $f$
BEGIN
  PERFORM set_config('trainkit.erasing', 'on', true);
  {body};
  PERFORM set_config('trainkit.erasing', 'off', true);
END $f$;
REVOKE ALL ON FUNCTION {ERASE_SIGNATURE} FROM PUBLIC;
CREATE OR REPLACE FUNCTION trainkit_integrity_version() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT {VERSION}';
""")
    )
    for table in APPEND_ONLY_TABLES:
        conn.execute(
            sa.text(f"""
DROP TRIGGER IF EXISTS trainkit_append_only ON {table};
CREATE TRIGGER trainkit_append_only BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION trainkit_append_only();
DROP TRIGGER IF EXISTS trainkit_no_truncate ON {table};
CREATE TRIGGER trainkit_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION trainkit_append_only();
""")
        )
    conn.execute(
        sa.text("""
DROP TRIGGER IF EXISTS trainkit_check_supersedes ON evidence;
CREATE TRIGGER trainkit_check_supersedes BEFORE INSERT ON evidence
  FOR EACH ROW EXECUTE FUNCTION trainkit_check_supersedes();
""")
    )


def grant_roles(conn: sa.Connection, *, learner: str, staff: str) -> None:
    """Grant the learner and staff groups their rights on the evidence tables (see the module)."""
    learner_q, staff_q = _quote(learner), _quote(staff)
    schema = _quote(str(conn.execute(sa.text("SELECT current_schema()")).scalar()))
    tables = ", ".join(APPEND_ONLY_TABLES)
    sources = ", ".join(f"'{s}'" for s in LEARNER_SOURCES)
    conn.execute(
        sa.text(f"""
GRANT USAGE ON SCHEMA {schema} TO {learner_q}, {staff_q};
REVOKE ALL ON {tables} FROM {learner_q}, {staff_q};
GRANT SELECT, INSERT ON evidence, appeals, appeal_decisions, marking_plans, marks, item_reviews TO {staff_q};
GRANT SELECT ON item_reviews TO {learner_q};
GRANT SELECT ON erasures, erased_ids TO {staff_q};
GRANT SELECT, INSERT ON evidence TO {learner_q};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {learner_q}, {staff_q};
GRANT EXECUTE ON FUNCTION {ERASE_SIGNATURE} TO {staff_q};
ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS learner_own ON evidence;
DROP POLICY IF EXISTS staff_all ON evidence;
DROP POLICY IF EXISTS learner_read ON evidence;
DROP POLICY IF EXISTS learner_add ON evidence;
DROP POLICY IF EXISTS staff_read ON evidence;
DROP POLICY IF EXISTS staff_add ON evidence;
CREATE POLICY learner_read ON evidence FOR SELECT TO {learner_q} USING (worker_id = current_user);
CREATE POLICY learner_add ON evidence FOR INSERT TO {learner_q} WITH CHECK (
  worker_id = current_user AND source IN ({sources}) AND supersedes IS NULL AND key IS NULL
  AND (assessor IS NULL OR assessor = current_user));
CREATE POLICY staff_read ON evidence FOR SELECT TO {staff_q} USING (true);
CREATE POLICY staff_add ON evidence FOR INSERT TO {staff_q} WITH CHECK (true);
""")
    )


def secure(url: str, *, learner: str, staff: str) -> None:
    """Create the tables at ``url`` with their guards and grant the two groups (the deployment's step)."""
    from .evidence import open_store

    store = open_store(url)
    with store.engine.begin() as conn:
        grant_roles(conn, learner=learner, staff=staff)
    store.engine.dispose()


def _quote(name: str) -> str:
    """A role or schema name as a quoted SQL identifier; anything unusual is refused."""
    if not _ROLE.fullmatch(name):
        raise ValueError(
            f"数据库角色或模式名不合规：{name!r}（只允许小写字母、数字、下划线和连字符，以字母或下划线开头）"
        )
    return f'"{name}"'
