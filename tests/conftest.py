"""Fixtures shared by the test modules."""

import os
import shutil
import uuid
from contextlib import contextmanager

import pytest

from trainkit.content import casebank_root


@pytest.fixture
def casebank(tmp_path, monkeypatch):
    """A private copy of the casebank, in use for this test (edit it freely)."""
    root = tmp_path / "casebank"
    shutil.copytree(casebank_root(), root)
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(root))
    return root


def service_url(env_var: str, what: str) -> str:
    """A test service's address; a skip without it, but under CI a failure."""
    url = os.environ.get(env_var)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI 中缺少{what}：{env_var} 未设置（.ci/run 负责启动它）")
        pytest.skip(f"没有{what}：设置 {env_var} 后运行（见 README 的“开发”一节）")
    return url


@contextmanager
def _fresh_pg_schema():
    import sqlalchemy as sa

    base = service_url("TRAINKIT_TEST_PG_URL", " PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def pg_url():
    """A real PostgreSQL database of its own (a fresh schema) for one test."""
    with _fresh_pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The same test on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evidence.db'}"
        return
    with _fresh_pg_schema() as url:
        yield url
