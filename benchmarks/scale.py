"""Scale of the supervisor report: a year of evidence for 5,000 workers (about a million rows).

Prints ``bench: report_seconds_5000_workers X`` (targets: ≤ 5) and ``bench: worker_query_ms X``
(≤ 100). The database is built once in ``bench-out/`` and reused.
"""

from __future__ import annotations

import csv
import random
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


def main() -> None:
    OUT.mkdir(exist_ok=True)
    db, roster_path = OUT / "scale.db", OUT / "scale-roster.csv"
    if not db.exists():
        print("building a year of evidence for 5,000 workers (once)…", flush=True)
        build(db, roster_path)
    store, roster = open_store(f"sqlite:///{db}"), load_roster(roster_path)
    as_of = datetime(2026, 11, 26)
    started = time.perf_counter()
    build_report(store, roster, out_html=OUT / "scale-report.html", as_of=as_of)
    report_seconds = time.perf_counter() - started
    timings = []
    for worker in ("B00042", "B01234", "B04999"):
        started = time.perf_counter()
        query(worker=worker, until=as_of, store=store)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"bench: report_seconds_5000_workers {report_seconds:.2f}")
    print(f"bench: worker_query_ms {sorted(timings)[1]:.1f}")


if __name__ == "__main__":
    main()
