"""Scale of the supervisor report: a year of evidence for 5,000 workers (about a million rows).

Prints ``bench: report_seconds_5000_workers X`` (target: ≤ 2, evidence read as Arrow columns
through ADBC), ``bench: report_seconds_5000_workers_baseline X`` (the same report with the rows
read through the Python driver, in the same run) and ``bench: worker_query_ms X`` (≤ 20). Each
report figure is the median of three runs, the two paths taking turns so that both see the same
load on a shared machine; ``report_cpu_seconds_…`` give the same runs' processor time (the
reading child process included), which other programs on the machine do not inflate. The
database is built once in ``bench-out/`` and reused.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

from trainkit.evidence import evidence_table, open_store
from trainkit.framework import load_framework
from trainkit.query import query
from trainkit.report import build_report
from trainkit.roster import COLUMNS, load_roster

WORKERS, ROWS = 5000, 1_000_000
OUT = Path("bench-out")
SOURCES = ["self_check"] * 6 + ["case_walkthrough"] * 2 + ["graded_exercise"] * 2 + ["supervisor_review"]


def build(db: Path, roster: Path) -> None:
    rng = random.Random(5000)
    items = [(i.id, d.id) for d in load_framework().domains for i in d.items]
    with roster.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for w in range(WORKERS):
            writer.writerow(
                [f"B{w:05d}", f"测试{w:05d}（示例）", f"街道{w % 20:02d}", f"社区{w % 180:03d}", "窗口", ""]
            )
    store = open_store(f"sqlite:///{db}")
    start = datetime(2025, 11, 26)
    batch = []
    for _ in range(ROWS):
        item, domain = rng.choice(items)
        batch.append(
            {
                "worker_id": f"B{rng.randrange(WORKERS):05d}",
                "domain": domain,
                "item_id": item,
                "source": rng.choice(SOURCES),
                "ref": f"q{rng.randrange(400)}",
                "score": rng.random(),
                "max_score": 1.0,
                "recorded_at": start + timedelta(minutes=rng.randrange(525_600)),
            }
        )
        if len(batch) == 50_000:
            with store.engine.begin() as conn:
                conn.execute(evidence_table.insert(), batch)
            batch = []


def _cpu_seconds() -> float:
    """Processor time of this process and its finished children (the SQLite Arrow read runs in one)."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


def main() -> None:
    OUT.mkdir(exist_ok=True)
    db, roster_path = OUT / "scale.db", OUT / "scale-roster.csv"
    if not db.exists():
        print("building a year of evidence for 5,000 workers (once)…", flush=True)
        build(db, roster_path)
    store, roster = open_store(f"sqlite:///{db}"), load_roster(roster_path)
    as_of = datetime(2026, 11, 26)
    seconds: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(3):
        for arrow in (True, False):
            started, started_cpu = time.perf_counter(), _cpu_seconds()
            build_report(store, roster, out_html=OUT / "scale-report.html", as_of=as_of, arrow=arrow)
            seconds[arrow].append(time.perf_counter() - started)
            cpu[arrow].append(_cpu_seconds() - started_cpu)
    timings = []
    for worker in ("B00042", "B01234", "B04999"):
        started = time.perf_counter()
        query(worker=worker, until=as_of, store=store)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"bench: report_seconds_5000_workers {statistics.median(seconds[True]):.2f}")
    print(f"bench: report_seconds_5000_workers_baseline {statistics.median(seconds[False]):.2f}")
    print(f"bench: report_cpu_seconds_5000_workers {statistics.median(cpu[True]):.2f}")
    print(f"bench: report_cpu_seconds_5000_workers_baseline {statistics.median(cpu[False]):.2f}")
    print(f"bench: worker_query_ms {sorted(timings)[1]:.1f}")


if __name__ == "__main__":
    main()
