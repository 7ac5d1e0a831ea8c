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

import base64
import mmap
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

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
    where = quote(path.as_posix())
    if store.read_only:  # read as the store reads it: no WAL files, no locks (trainkit.evidence)
        return _DRIVERS[backend], f"file:{where}?mode=ro&immutable=1"
    return _DRIVERS[backend], f"file:{where}?mode=ro"


def read_columns(  # noqa: ANN201
    store: EvidenceStore,
    query: sa.Select,
    types: Mapping[str, Any],
    *,
    split: sa.ColumnElement | None = None,
    split_above: int = 200_000,
):
    """The result of ``query`` on ``store`` as a :class:`pyarrow.Table` named and typed as ``types``.

    ``types`` maps each selected column, in order, to a :mod:`pyarrow` type; the table is cast
    to them, so an empty result or a driver's narrower integer reads the same. A dictionary
    type (text read as integer codes) or a timestamp from SQLite's text is converted by the
    reading process, each half beside the other, rather than here afterwards. Raises
    :class:`ArrowUnavailable` (with the reason) when ADBC cannot read this store.

    ``split`` (an integer key such as the primary key) lets a SQLite read spanning more than
    ``split_above`` key values run as two reads side by side, one per half of the key range, on
    a machine with two cores or more; the lower half's rows come first.
    """
    module, target = adbc_source(store)
    sqlite = module == _DRIVERS["sqlite"]
    try:  # the SQLite driver runs in a child process: here only whether it is installed
        driver = import_module(module if sqlite else f"{module}.dbapi")
        import pyarrow as pa
    except ImportError as err:
        package = _PACKAGES[module]
        raise DriverMissing(f"未安装 {package}（pip install {package}）：{err}") from err
    schema = pa.schema(list(types.items()))
    if sqlite:
        return _read_in_child(target, [_sql(store, part) for part in _halves(store, query, split, split_above)], schema)
    try:
        with driver.connect(target) as conn, conn.cursor() as cursor:
            cursor.execute(_sql(store, query))
            table = cursor.fetch_arrow_table()
    except driver.Error as err:
        raise ArrowUnavailable(f"Arrow 读取失败：{err}") from err
    return _typed(table, schema)


def _typed(table, schema):  # noqa: ANN001, ANN202
    """``table`` with ``schema``'s names and types (a driver may read a narrower integer)."""
    import pyarrow as pa

    if table.num_columns != len(schema):
        raise ArrowUnavailable(f"查询给出 {table.num_columns} 列，应为 {len(schema)} 列")
    try:
        return table.rename_columns(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise ArrowUnavailable(f"Arrow 读取的列类型不符：{err}") from err


def _sql(store: EvidenceStore, query: sa.Select) -> str:
    return str(query.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))


def _halves(store: EvidenceStore, query: sa.Select, split: sa.ColumnElement | None, above: int) -> list[sa.Select]:
    """``query`` as one read, or as two over the halves of ``split``'s range when that pays."""
    if split is None or (os.cpu_count() or 1) < 2:
        return [query]
    ends = sa.select(  # apart, so that SQLite reads each end of the key's index, not every row
        sa.select(sa.func.min(split)).scalar_subquery(), sa.select(sa.func.max(split)).scalar_subquery()
    )
    with store.engine.connect() as conn:
        low, high = conn.execute(ends).one()
    if low is None or high - low < above:
        return [query]
    middle = (low + high) // 2
    return [query.where(split <= middle), query.where(split > middle)]


# The ADBC SQLite driver carries its own copy of SQLite. Two copies in one process break
# SQLite's file locking: closing the driver's file releases the locks of the process's other
# connections, and the driver, taking itself for the last reader, removes the WAL file that
# they still write to — their next commits are lost. So the driver runs in a process of its
# own and sends the columns back as one Arrow stream (Arrow's own format, no pickling).
# The halves of a split read run there as two threads, one connection each, on the driver's one
# SQLite: ADBC and Arrow let go of the interpreter lock while they step through rows and cast,
# so the two reads use both cores, and the interpreter and pyarrow start once, not once per half
# (about 0.2 s of processor time each, a fifth of a half's read for a district).
# Each thread also casts its half to the caller's types (argument 2, an Arrow schema): parsing
# SQLite's dates and encoding names as dictionaries run side by side too; the halves' dictionaries
# are then made one. A result that does not fit those types ends the child with exit code
# _MISFIT (argument 3) and Arrow's reason, which the caller reports as such.
_MISFIT = 3
_CHILD = """
import base64, sys
# numpy is not needed here: left out, pyarrow and ADBC start in 0.1 s instead of 0.27 s
sys.modules["numpy"] = None
from concurrent.futures import ThreadPoolExecutor
import adbc_driver_manager as adbc
import adbc_driver_sqlite
import pyarrow as pa
schema = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(sys.argv[2])))
sqls = sys.stdin.read().split("\\0")

def read(sql):
    # ADBC's low-level API: its DB-API module would import pandas and pyarrow.dataset first (0.3 s)
    with adbc_driver_sqlite.connect(sys.argv[1]) as db, adbc.AdbcConnection(db) as conn, adbc.AdbcStatement(conn) as stmt:
        stmt.set_sql_query(sql)
        stream, _ = stmt.execute_query()
        with pa.RecordBatchReader.from_stream(stream) as reader:
            table = reader.read_all()
    try:
        return table.combine_chunks().rename_columns(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as err:
        print(f"{len(table.columns)} columns {table.schema.types}: {err}".replace("\\n", " "), file=sys.stderr)
        sys.exit(int(sys.argv[3]))

with ThreadPoolExecutor(len(sqls)) as pool:
    table = pa.concat_tables(pool.map(read, sqls)).unify_dictionaries()
sink = sys.stdout.buffer if sys.argv[4] == "-" else open(int(sys.argv[4]), "wb", buffering=0)
with pa.ipc.new_stream(sink, table.schema) as out:
    out.write_table(table)
sink.flush()
"""
# The columns come back through a nameless temporary file the child inherits, which this process
# then maps into memory: for a district (50 MB of columns) writing them to a pipe, 64 kB at a
# time while this process copies them out, took 0.04–0.17 s, the file 0.02–0.03 s, and mapping
# it copies nothing. Without POSIX descriptors to hand down (Windows) they come through the pipe.
_SPILL = os.name == "posix"


def _read_in_child(target: str, sqls: list[str], schema):  # noqa: ANN001, ANN202
    """The rows of ``sqls``, one after the other, read from the SQLite database ``target`` by ADBC
    in one child process (a thread per query), as ``schema``."""
    if any("\0" in sql for sql in sqls):  # the queries go to the child separated by NUL
        raise ArrowUnavailable("查询文本含有空字符，无法交给读取进程")
    wanted = base64.b64encode(schema.serialize().to_pybytes()).decode()
    # no name on Linux (O_TMPFILE): nothing of the rows is left on disk if this process dies
    spill = tempfile.TemporaryFile(prefix="trainkit-read-") if _SPILL else None
    child = None
    try:
        child = subprocess.Popen(  # noqa: S603 - this interpreter, fixed code, the database's own address
            [sys.executable, "-I", "-c", _CHILD, target, wanted, str(_MISFIT), str(spill.fileno()) if spill else "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL if spill else subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(spill.fileno(),) if spill else (),
        )
        if spill is None:
            table, problem = _from_pipe(child, "\0".join(sqls).encode())
        else:
            problem = child.communicate("\0".join(sqls).encode())[1]
            table = _mapped(spill) if child.returncode == 0 else None
    except BaseException:
        if child is not None and child.poll() is None:  # interrupted here: nobody wants the rows now
            child.kill()
            child.wait()
        raise
    finally:
        if spill is not None:
            spill.close()  # a mapping of it lives on with the table
    if child.returncode != 0 or table is None:
        text = problem.decode(errors="replace").strip()
        last = text.splitlines()[-1] if text else f"读取进程退出码 {child.returncode}"
        if child.returncode == _MISFIT:
            raise ArrowUnavailable(f"Arrow 读取的列类型不符：{last}")
        raise ArrowUnavailable(f"Arrow 读取失败：{last}")
    return _typed(table, schema)


def _mapped(spill):  # noqa: ANN001, ANN202
    """The Arrow stream the child wrote into ``spill``, mapped into memory (no copy); ``None`` if unreadable."""
    import pyarrow as pa

    size = os.fstat(spill.fileno()).st_size
    if not size:
        return None
    try:
        return pa.ipc.open_stream(pa.py_buffer(mmap.mmap(spill.fileno(), size, access=mmap.ACCESS_READ))).read_all()
    except pa.ArrowInvalid:
        return None


def _from_pipe(child: subprocess.Popen, sqls: bytes):  # noqa: ANN202
    """The Arrow stream on ``child``'s standard output, and what it wrote to its standard error."""
    import pyarrow as pa

    stdin, stdout, stderr = child.stdin, child.stdout, child.stderr
    if stdin is None or stdout is None or stderr is None:  # all three are pipes: for the type checker
        raise ArrowUnavailable("读取进程没有管道")
    stdin.write(sqls)
    stdin.close()
    try:
        table = pa.ipc.open_stream(stdout).read_all()
    except pa.ArrowInvalid:
        table = None
    problem = stderr.read()
    child.wait()
    return table, problem
