"""The report's Arrow read (ADBC) gives what the row-by-row read gives, rules and all, on both backends."""

import logging
import sqlite3
import sys
from datetime import datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from trainkit import aggregate as agg_module
from trainkit.aggregate import aggregate
from trainkit.arrow_read import ArrowUnavailable, DriverMissing, read_columns
from trainkit.evidence import evidence_table, open_store
from trainkit.framework import load_framework
from trainkit.ratings import load_rating_rules, monthly_trend, rate
from trainkit.report import question_stats

AS_OF = datetime(2026, 11, 26, 12)
ITEMS = [
    ("dibao_income", "social_assistance"),
    ("longevity_allowance", "elderly"),
    ("mediate_neighbors", "mediation"),
]
SOURCES = ["self_check", "graded_exercise", "case_walkthrough", "supervisor_review"]
WORKERS = [f"W{n:03d}" for n in range(8)]  # W007 is erased below; W999 is on no roster


def _fill(store):
    rows = []
    for n in range(900):
        item, domain = ITEMS[n % 3]
        rows.append(
            {
                "worker_id": f"W{n % 8:03d}",
                "item_id": item,
                "domain": domain,
                "source": SOURCES[n % 4],
                "ref": f"q{n % 13}",
                "score": (n * 37 % 10) / 2,
                "max_score": 5.0,
                # microseconds, and some rows after AS_OF: the Julian day must come out the same
                "recorded_at": AS_OF - timedelta(days=(n * 13) % 420 - 5, hours=n % 24, microseconds=n * 7919),
            }
        )
    for n in range(60):  # residents' follow-ups: several per resident and per day, so the caps bind
        rows.append(
            {
                "worker_id": f"W{n % 3:03d}",
                "item_id": "dibao_income",
                "domain": "social_assistance",
                "source": "resident_feedback",
                "ref": f"resident-{n % 4}",
                "score": n % 5 + 1,
                "max_score": 5.0,
                "recorded_at": AS_OF - timedelta(days=n % 6, minutes=n),
            }
        )
    rows.append(
        {
            "worker_id": "W999",
            "item_id": "dibao_income",
            "domain": "social_assistance",
            "source": "self_check",
            "ref": "q1",
            "score": 1,
            "recorded_at": AS_OF - timedelta(days=3),
        }
    )
    store.record_many(rows)
    for worker in ("W001", "W002"):  # a regrade supersedes the worker's first row
        first = store.rows(worker_id=worker)[0]
        store.record(
            worker_id=worker,
            item_id=first.item_id,
            domain=first.domain,
            source=first.source,
            ref=first.ref,
            score=0.0,
            max_score=5.0,
            recorded_at=first.recorded_at + timedelta(hours=1),
            supersedes=first.id,
        )
    colleague = store.rows(worker_id="W004")[0]  # a claim on a colleague's row: ignored by the rules
    store.record(
        worker_id="W003",
        item_id=colleague.item_id,
        domain=colleague.domain,
        source=colleague.source,
        ref=colleague.ref,
        score=5.0,
        max_score=5.0,
        recorded_at=AS_OF - timedelta(days=1),
    )
    store.review_item("q5", action="set_aside", reason="答案键有误", reviewer="T01", at=AS_OF - timedelta(days=2))
    store.erase_worker("W007", erased_by="S01")


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    _fill(store)
    return store


def test_the_arrow_read_gives_exactly_the_frame_of_the_row_read(store):
    fast = agg_module._read(store, as_of=AS_OF, since=None, arrow=True)
    slow = agg_module._read(store, as_of=AS_OF, since=None, arrow=False)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs["set_aside"] == slow.attrs["set_aside"] == {"q5"}
    # the rows the rules act on are there: superseded, set aside, erased, off the roster
    assert (~fast["current"]).sum() == 2 and fast["set_aside"].any()
    assert fast["worker_id"].astype(str).str.startswith("erased-").any() and "W007" not in set(fast["worker_id"])
    assert "W999" in set(fast["worker_id"])


def test_the_arrow_read_is_the_one_taken_when_the_driver_is_there(store):
    # no silent fallback: the ADBC read itself returns the frame
    frame = agg_module._fetch_arrow(store)
    assert len(frame) == 900 + 60 + 1 + 3


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"with_erased": True},
        {"since": AS_OF - timedelta(days=90), "domains": ["elderly", "social_assistance"]},
    ],
)
def test_the_report_figures_are_the_same_on_both_transports(store, options):
    rules, fw = load_rating_rules(), load_framework()
    args = {"workers": WORKERS, "as_of": AS_OF, "rules": rules, "framework": fw, **options}
    fast = aggregate(store, arrow=True, **args)
    slow = aggregate(store, arrow=False, **args)
    for name in ("ratings", "trend", "worker_trend", "questions"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True, obj=name)
    for name in ("rows", "current", "outside", "date_from", "date_to", "set_aside"):
        assert getattr(fast, name) == getattr(slow, name), name
    assert fast.ratings["reason"].str.contains("居民回访").any()  # feedback counted under its caps


def test_the_arrow_read_agrees_with_the_readable_reference(store):
    rules, fw = load_rating_rules(), load_framework()
    roster = WORKERS[:7]  # W007 is erased: nobody is rated under a pseudonym
    fast = aggregate(store, workers=roster, as_of=AS_OF, rules=rules, framework=fw, arrow=True)
    frame = store.frame()
    frame = frame[frame["worker_id"].isin(roster)]

    expected = rate(frame, as_of=AS_OF, rules=rules, framework=fw)
    pd.testing.assert_frame_equal(fast.ratings.drop(columns="score"), expected.drop(columns="score"), check_dtype=False)
    assert fast.ratings["score"].fillna(-1).to_numpy() == pytest.approx(expected["score"].fillna(-1).to_numpy())

    learning = frame[(frame["recorded_at"] <= AS_OF) & (frame["source"] != "resident_feedback")]
    trend = monthly_trend(learning.assign(set_aside=False), by=("domain",))  # set-aside answers stay in trends
    counted = monthly_trend(learning, by=("domain",))
    assert not trend.equals(counted)  # the set-aside question does change the trend: the test can tell
    shown = fast.trend.reset_index(drop=True)
    pd.testing.assert_frame_equal(shown, counted.reset_index(drop=True), check_dtype=False, check_exact=False)

    questions = question_stats(learning, framework=fw)
    cols = ["ref", "attempts", "workers", "correct_rate", "mean_score"]
    pd.testing.assert_frame_equal(fast.questions[cols], questions[cols], check_dtype=False, check_exact=False)
    assert "q5" in set(fast.questions["ref"])  # the item analysis still shows a set-aside question


def test_an_empty_store_reads_the_same_on_both_transports(db_url):
    store = open_store(db_url)
    fast = agg_module._read(store, as_of=AS_OF, since=None, arrow=True)
    slow = agg_module._read(store, as_of=AS_OF, since=None, arrow=False)
    assert fast.empty and list(fast.columns) == list(slow.columns)
    # an empty category has no values to type: str on one side, object on the other, alike otherwise
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, check_categorical=False, check_index_type=False)


def test_a_missing_driver_falls_back_to_the_row_read_and_says_why(tmp_path, monkeypatch, caplog):
    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _fill(store)
    expected = agg_module._read(store, as_of=AS_OF, since=None, arrow=False)
    monkeypatch.setitem(sys.modules, "adbc_driver_sqlite", None)  # as if not installed
    with pytest.raises(DriverMissing, match="pip install adbc-driver-sqlite"):
        agg_module._fetch_arrow(store)
    with caplog.at_level(logging.INFO, logger="trainkit.aggregate"):
        got = agg_module._read(store, as_of=AS_OF, since=None, arrow=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "adbc-driver-sqlite" in record.getMessage()


def test_an_in_memory_store_is_read_row_by_row(caplog):
    store = open_store("sqlite://")
    store.record(
        worker_id="W001", item_id="dibao_income", domain="social_assistance", source="self_check", ref="q1", score=1
    )
    with pytest.raises(ArrowUnavailable, match="内存"):
        agg_module._fetch_arrow(store)
    with caplog.at_level(logging.INFO, logger="trainkit.aggregate"):
        frame = agg_module._read(store, as_of=datetime.now(), since=None)
    assert len(frame) == 1 and all(r.levelno == logging.INFO for r in caplog.records)


def test_reading_leaves_the_store_whole_for_the_writes_that_follow(tmp_path):
    # the ADBC driver brings its own SQLite: opened writable in this process, it removed on closing
    # the WAL file the store still writes to, and the erasure below was lost (a read-only child now)
    path = tmp_path / "evidence.db"
    store = open_store(f"sqlite:///{path}")
    _fill(store)
    agg_module._fetch_arrow(store)
    pseudonym = store.erase_worker("W003", erased_by="S01")
    for arrow in (True, False):
        frame = agg_module._read(store, as_of=AS_OF, since=None, arrow=arrow)
        assert "W003" not in set(frame["worker_id"]) and pseudonym in set(frame["worker_id"]), arrow
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM evidence WHERE worker_id = 'W003'").fetchone() == (0,)


@pytest.mark.parametrize("spill", [True, False], ids=["through a temporary file", "through the pipe"])
def test_a_large_read_in_two_halves_gives_the_same_rows_in_the_same_order(tmp_path, monkeypatch, spill):
    import pyarrow as pa

    from trainkit import arrow_read

    monkeypatch.setattr(arrow_read, "_SPILL", spill)  # the pipe is how Windows gets the columns

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _fill(store)
    types = {"id": pa.int64(), "worker_id": pa.string(), "ratio": pa.float64(), "recorded_at": pa.timestamp("us")}
    query = sa.select(
        evidence_table.c.id, evidence_table.c.worker_id, evidence_table.c.score, evidence_table.c.recorded_at
    )
    whole = read_columns(store, query, types)
    halves = read_columns(store, query, types, split=evidence_table.c.id, split_above=10)
    assert whole.num_rows > 900 and halves.equals(whole)
    assert read_columns(store, query.where(evidence_table.c.id < 0), types, split=evidence_table.c.id).num_rows == 0


def test_names_read_as_codes_by_the_two_reading_processes_decode_to_the_same_text(tmp_path):
    import pyarrow as pa

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _fill(store)
    query = sa.select(evidence_table.c.id, evidence_table.c.worker_id, evidence_table.c.recorded_at)
    plain = {"id": pa.int64(), "worker_id": pa.string(), "recorded_at": pa.timestamp("us")}
    coded = {**plain, "worker_id": pa.dictionary(pa.int32(), pa.string())}
    text = read_columns(store, query, plain)
    halves = read_columns(store, query, coded, split=evidence_table.c.id, split_above=10)
    assert halves.schema.field("worker_id").type == pa.dictionary(pa.int32(), pa.string())
    assert halves.column("worker_id").num_chunks == 2  # one per half, one dictionary for both
    assert halves.column("worker_id").to_pylist() == text.column("worker_id").to_pylist()
    assert halves.column("recorded_at").equals(text.column("recorded_at"))
    with pytest.raises(ArrowUnavailable, match="列类型不符"):  # the types the caller asked for, or a clear no
        read_columns(store, query, {**plain, "worker_id": pa.int64()}, split=evidence_table.c.id, split_above=10)


def test_the_two_halves_are_read_by_one_reading_process(tmp_path, monkeypatch):
    # the interpreter and pyarrow start once per read, not once per half (about 0.1 s each)
    import subprocess

    import pyarrow as pa

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _fill(store)
    started = []
    popen = subprocess.Popen

    def counted(*args, **kwargs):
        started.append(args)
        return popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counted)
    query = sa.select(evidence_table.c.id, evidence_table.c.worker_id)
    types = {"id": pa.int64(), "worker_id": pa.dictionary(pa.int32(), pa.string())}
    halves = read_columns(store, query, types, split=evidence_table.c.id, split_above=10)
    assert halves.column("worker_id").num_chunks == 2 and len(started) == 1
    with sqlite3.connect(tmp_path / "evidence.db") as conn:
        assert halves.column("id").to_pylist() == [i for (i,) in conn.execute("SELECT id FROM evidence ORDER BY id")]
