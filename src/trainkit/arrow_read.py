"""Rows of a query as Arrow columns, straight from the database (ADBC), for reports over a million rows.

A year of evidence for a district is about a million rows. Read through the Python driver,
each row becomes a tuple of Python objects before pandas takes them apart again; ADBC
(Arrow Database Connectivity, the Apache Arrow project's drivers for SQLite and PostgreSQL)
hands over whole columns instead. Only the transport differs: the caller sends the same
SQLAlchemy query either way, and applies every rule to the frame it gets back.

When ADBC cannot serve a store — the driver is not installed, an in-memory SQLite database
(visible only to its own connection), another backend — :func:`read_columns` says why and
the caller reads the ordinary way.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from .evidence import EvidenceStore

__all__ = ["ArrowUnavailable", "DriverMissing", "adbc_source", "read_columns"]

_DRIVERS = {"sqlite": "adbc_driver_sqlite", "postgresql": "adbc_driver_postgresql"}
_PACKAGES = {"adbc_driver_sqlite": "adbc-driver-sqlite", "adbc_driver_postgresql": "adbc-driver-postgresql"}


class ArrowUnavailable(RuntimeError):
    """ADBC cannot read this store; the message says why (for the log, in Chinese)."""


class DriverMissing(ArrowUnavailable):
    """The ADBC driver for this database is not installed: worth telling whoever runs the kit."""


def adbc_source(store: EvidenceStore) -> tuple[str, str]:
    """``(driver module, connection string)`` ADBC needs for ``store``'s database.

    Raises :class:`ArrowUnavailable` for a database ADBC cannot open on its own.
    """
    url = sa.engine.make_url(store.url)
    backend = url.get_backend_name()
    if backend not in _DRIVERS:
        raise ArrowUnavailable(f"数据库类型 {backend} 没有 Arrow 读取驱动")
    if backend == "postgresql":  # libpq takes the same address without SQLAlchemy's "+driver" part
        return _DRIVERS[backend], url.set(drivername="postgresql").render_as_string(hide_password=False)
    database = url.database or ""
    if not database or database == ":memory:":
        raise ArrowUnavailable("内存中的 SQLite 数据库只有本连接可见")
    if database.startswith("file:"):
        return _DRIVERS[backend], database
    path = Path(database).resolve()
    if not path.is_file():
        raise ArrowUnavailable(f"证据库文件 {path.name} 不存在")
    if store.read_only:  # read as the store reads it: no WAL files, no locks (trainkit.evidence)
        return _DRIVERS[backend], f"file:{path.as_posix()}?mode=ro&immutable=1"
    return _DRIVERS[backend], path.as_posix()


def read_columns(store: EvidenceStore, query: sa.Select, types: Mapping[str, Any]):  # noqa: ANN201
    """The result of ``query`` on ``store`` as a :class:`pyarrow.Table` named and typed as ``types``.

    ``types`` maps each selected column, in order, to a :mod:`pyarrow` type; the table is cast
    to them, so an empty result or a driver's narrower integer reads the same. Raises
    :class:`ArrowUnavailable` (with the reason) when ADBC cannot read this store.
    """
    module, target = adbc_source(store)
    try:
        dbapi = import_module(f"{module}.dbapi")
        import pyarrow as pa
    except ImportError as err:
        package = _PACKAGES[module]
        raise DriverMissing(f"未安装 {package}（pip install {package}）：{err}") from err
    sql = str(query.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
    schema = pa.schema(list(types.items()))
    try:
        with dbapi.connect(target) as conn, conn.cursor() as cursor:
            cursor.execute(sql)
            table = cursor.fetch_arrow_table()
    except dbapi.Error as err:
        raise ArrowUnavailable(f"Arrow 读取失败：{err}") from err
    if table.num_columns != len(schema):
        raise ArrowUnavailable(f"查询给出 {table.num_columns} 列，应为 {len(schema)} 列")
    try:
        return table.rename_columns(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise ArrowUnavailable(f"Arrow 读取的列类型不符：{err}") from err
