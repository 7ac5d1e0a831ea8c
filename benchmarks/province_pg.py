"""Province scale on PostgreSQL: 50,000 workers, a year of evidence (10 million rows).

Prints, each as ``bench: NAME VALUE``:

- ``report_seconds_50000_workers_pg`` (target ≤ 15): the team report for one 区's supervisor
  (about 3,600 workers), only that scope's rows read (the filter runs in PostgreSQL); median
  of three runs, each in a child process of its own;
- ``report_peak_mb_50000_workers_pg`` (target ≤ 2,000): the largest peak resident memory of
  those child processes;
- ``report_seconds_50000_workers_pg_baseline`` and ``report_peak_mb_50000_workers_pg_baseline``:
  the same report, once, with every row of the province read and the scope applied in pandas
  (as before the filter moved into SQL);
- ``province_summary_seconds_pg``: the whole province's 全岗通 summary, per 区 counts of workers
  by status, computed 区 by 区 (:mod:`trainkit.province`);
- ``worker_query_ms_pg``: one worker's query (median of three workers);
- ``province_copy_seconds_pg`` and ``province_load_seconds_pg``: only when the database is built
  in this run — the ``COPY`` of ten million rows (generating them included), and that plus the
  index builds and ``VACUUM (ANALYZE)`` after it.

The database ``trainkit_province`` is created beside the test database of
``TRAINKIT_TEST_PG_URL`` (or at ``TRAINKIT_BENCH_PG_URL``), built once and reused while it
holds the expected number of rows. Without either variable the benchmark says so and stops
(under ``CI=true`` it fails).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

WORKERS, ROWS, CHUNK = 50_000, 10_000_000, 1_000_000
DISTRICTS, STREETS, COMMUNITIES = 14, 10, 10  # 14 区/县, each 10 街道 of 10 社区
SUPERSEDING = 0.01  # share of rows that are regrades of an earlier row
START, AS_OF = datetime(2025, 11, 26), datetime(2026, 11, 26)
DATABASE = "trainkit_province"
OUT = Path("bench-out")
SOURCES = ["self_check"] * 6 + ["case_walkthrough"] * 2 + ["graded_exercise"] * 2 + ["supervisor_review"]


def district_of(index: int) -> int:
    """The 区 of the worker numbered ``index``: contiguous blocks of about 3,600."""
    return index * DISTRICTS // WORKERS


def worker_id(index: int) -> str:
    return f"P{index:05d}"


def write_roster(path: Path) -> None:
    """50,000 synthetic workers: 区 → 街道 → 社区 by number, the names visibly fake."""
    from trainkit.atomic import write_text
    from trainkit.roster import COLUMNS

    buffer = io.StringIO()
    pd.DataFrame(
        [
            (
                worker_id(w),
                f"测试{w:05d}（示例）",
                f"示例{district_of(w) + 1:02d}区第{w % STREETS + 1:02d}街道",
                f"示例{district_of(w) + 1:02d}区第{w % STREETS + 1:02d}街道第{w // STREETS % COMMUNITIES + 1:02d}社区",
                "窗口",
                "",
                f"示例{district_of(w) + 1:02d}区",
            )
            for w in range(WORKERS)
        ],
        columns=list(COLUMNS),
    ).to_csv(buffer, index=False)
    write_text(path, buffer.getvalue())


def groups() -> dict[str, list[str]]:
    """区 name → its workers' ids, as the roster was written."""
    found: dict[str, list[str]] = {}
    for w in range(WORKERS):
        found.setdefault(f"示例{district_of(w) + 1:02d}区", []).append(worker_id(w))
    return found


def _chunks():  # noqa: ANN202
    """Ten chunks of a million rows in time order, ids ascending; 1% of each later chunk
    regrades a row of the chunk before it (same worker, source, question, item)."""
    from trainkit.framework import load_framework

    rng = np.random.default_rng(50_000)
    items = [(i.id, d.id) for d in load_framework().domains for i in d.items]
    item_ids = np.array([i for i, _ in items], dtype=object)
    domains = np.array([d for _, d in items], dtype=object)
    sources = np.array(SOURCES, dtype=object)
    minutes = 525_600
    previous = None
    for k in range(ROWS // CHUNK):
        ids = np.arange(k * CHUNK + 1, (k + 1) * CHUNK + 1)
        item = rng.integers(0, len(items), CHUNK)
        frame = pd.DataFrame(
            {
                "id": ids,
                "worker_id": np.char.add("P", np.char.zfill(rng.integers(0, WORKERS, CHUNK).astype(str), 5)),
                "domain": domains[item],
                "item_id": item_ids[item],
                "source": sources[rng.integers(0, len(SOURCES), CHUNK)],
                "ref": np.char.add("q", rng.integers(0, 400, CHUNK).astype(str)),
                "score": rng.random(CHUNK).round(4),
                "max_score": 1.0,
                "recorded_at": np.datetime64(START, "m")
                + np.sort(rng.integers(k * minutes // 10, (k + 1) * minutes // 10, CHUNK)).astype("timedelta64[m]"),
                "supersedes": pd.array([pd.NA] * CHUNK, dtype="Int64"),
            }
        )
        if previous is not None:
            at = rng.choice(CHUNK, int(CHUNK * SUPERSEDING), replace=False)
            earlier = previous.iloc[rng.integers(0, CHUNK, len(at))]
            for name in ("worker_id", "domain", "item_id", "source", "ref"):
                frame.loc[at, name] = earlier[name].to_numpy()
            frame.loc[at, "supersedes"] = earlier["id"].to_numpy()
        previous = frame
        yield frame


def build(url: str, roster: Path) -> tuple[float, float]:
    """Create the province's evidence with ``COPY``; the seconds spent copying, and in all.

    Only in the database named :data:`DATABASE`: the kit's tables there are dropped first.
    """
    if sa.engine.make_url(url).database != DATABASE:
        raise SystemExit(f"基准只在名为 {DATABASE} 的库中建数据")
    from trainkit.evidence import open_store
    from trainkit.schema import evidence_table, metadata

    write_roster(roster)
    engine = sa.create_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    secondary = list(evidence_table.indexes)
    started = time.perf_counter()
    with engine.begin() as conn:  # build the indexes once after the load, not row by row during it
        for index in secondary:
            index.drop(conn)
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            for n, frame in enumerate(_chunks(), start=1):
                text = frame.to_csv(index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
                with cur.copy(f"COPY evidence ({', '.join(frame.columns)}) FROM STDIN (FORMAT csv)") as copy:
                    copy.write(text)
                print(f"  已写入 {n * CHUNK:,} 条", flush=True)
            cur.execute("SELECT setval(pg_get_serial_sequence('evidence', 'id'), (SELECT max(id) FROM evidence))")
        raw.commit()
    finally:
        raw.close()
    copied = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(sa.text("SET maintenance_work_mem = '512MB'"))
        for index in secondary:
            index.create(conn)
    open_store(url).engine.dispose()  # the store's own guards and PostgreSQL indexes (trainkit.pg_indexes)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM (ANALYZE) evidence"))  # the visibility map lets reads skip the table
    engine.dispose()
    return copied, time.perf_counter() - started


def database_url() -> str | None:
    """The benchmark's own database, created beside the test database when missing."""
    if url := os.environ.get("TRAINKIT_BENCH_PG_URL"):
        return url
    base = os.environ.get("TRAINKIT_TEST_PG_URL")
    if not base:
        return None
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE}).scalar():
            conn.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    return sa.engine.make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def row_count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if conn.execute(sa.text("SELECT to_regclass('evidence') IS NULL")).scalar():
                return 0
            return int(conn.execute(sa.text("SELECT count(*) FROM evidence")).scalar() or 0)
    finally:
        engine.dispose()


def report_child(url: str, roster_path: Path, district: str, *, baseline: bool) -> None:
    """In a child process: one 区's report; prints its seconds as JSON."""
    from trainkit import aggregate
    from trainkit.evidence import open_store
    from trainkit.report import build_report
    from trainkit.roster import load_roster

    roster = load_roster(roster_path)
    scope = set(groups()[district])
    mine = {k: w for k, w in roster.items() if k in scope}
    store = open_store(url)
    if baseline:  # every row read, the scope applied in pandas
        aggregate.SCOPE_IN_SQL_LIMIT = 0
    started = time.perf_counter()
    summary = build_report(store, mine, out_html=OUT / "province-report.html", as_of=AS_OF)
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": summary.evidence_rows}))


def run_report(url: str, roster_path: Path, district: str, *, baseline: bool = False) -> tuple[float, float, int]:
    """Seconds, peak resident MB and rows counted of one report in a child process."""
    mode = "--baseline" if baseline else "--report"
    child = subprocess.Popen(  # noqa: S603 - this interpreter, this file
        [sys.executable, __file__, mode, url, str(roster_path), district], stdout=subprocess.PIPE, text=True
    )
    out = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"报告子进程失败（退出码 {child.returncode}）")
    answer = json.loads(out.strip().splitlines()[-1])
    return answer["seconds"], usage.ru_maxrss / 1024, answer["rows"]


def main() -> None:
    url = database_url()
    if url is None:
        message = "省级基准需要 PostgreSQL：先运行 bash .ci/postgres.sh，并设置 TRAINKIT_TEST_PG_URL"
        if os.environ.get("CI") == "true":
            raise SystemExit(message)
        print(f"跳过 benchmarks/province_pg.py：{message}", file=sys.stderr)
        return
    from trainkit.evidence import open_store
    from trainkit.province import province_summary
    from trainkit.query import query

    OUT.mkdir(exist_ok=True)
    roster_path = OUT / "province-roster.csv"
    if row_count(url) != ROWS or not roster_path.is_file():
        if (name := sa.engine.make_url(url).database) != DATABASE:  # building drops the kit's tables first
            raise SystemExit(f"基准只在名为 {DATABASE} 的库中建数据，{name} 库不动：请改用 {DATABASE}")
        print(f"建立全省 {WORKERS:,} 名工作人员一年的证据（{ROWS:,} 条，只建一次）…", flush=True)
        copied, loaded = build(url, roster_path)
        print(f"bench: province_copy_seconds_pg {copied:.1f}", flush=True)
        print(f"bench: province_load_seconds_pg {loaded:.1f}", flush=True)
    district = next(iter(groups()))
    runs = [run_report(url, roster_path, district) for _ in range(3)]
    baseline = run_report(url, roster_path, district, baseline=True)
    store = open_store(url)
    started = time.perf_counter()
    summary = province_summary(store, groups(), as_of=AS_OF)
    summary_seconds = time.perf_counter() - started
    timings = []
    for worker in ("P00042", "P12345", "P49999"):
        started = time.perf_counter()
        query(worker=worker, until=AS_OF, store=store)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"  {district}：{len(groups()[district]):,} 名工作人员，{runs[0][2]:,} 条证据")
    print(summary.to_string())
    print(f"bench: report_seconds_50000_workers_pg {statistics.median(r[0] for r in runs):.2f}")
    print(f"bench: report_peak_mb_50000_workers_pg {max(r[1] for r in runs):.0f}")
    print(f"bench: report_seconds_50000_workers_pg_baseline {baseline[0]:.2f}")
    print(f"bench: report_peak_mb_50000_workers_pg_baseline {baseline[1]:.0f}")
    print(f"bench: province_summary_seconds_pg {summary_seconds:.2f}")
    print(f"bench: worker_query_ms_pg {statistics.median(timings):.1f}")


if __name__ == "__main__":
    if sys.argv[1:2] in (["--report"], ["--baseline"]):
        report_child(sys.argv[2], Path(sys.argv[3]), sys.argv[4], baseline=sys.argv[1] == "--baseline")
    else:
        main()
