"""The evidence store: an insert-only log behind one SQLAlchemy URL."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from trainkit.evidence import SOURCES, EvidenceConflict, EvidenceStore, default_url, open_store


def _base(**overrides):
    row = {
        "worker_id": "W001",
        "item_id": "dibao_income",
        "domain": "social_assistance",
        "source": "self_check",
        "ref": "quiz:social-assistance-dibao:dibao-household-02",
        "score": 1.0,
    }
    row.update(overrides)
    return row


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def test_record_returns_increasing_ids(store):
    ids = [store.record(**_base(ref=f"q{i}")) for i in range(3)]
    assert ids == [1, 2, 3]
    assert [r.ref for r in store.rows()] == ["q0", "q1", "q2"]


def test_rows_filter_by_worker_domain_source_and_ref(store):
    store.record(**_base(worker_id="W001", domain="social_assistance", source="self_check", ref="a"))
    store.record(**_base(worker_id="W002", domain="social_assistance", source="graded_exercise", ref="b"))
    store.record(
        **_base(
            worker_id="W001", domain="mediation", item_id="mediate_inheritance", source="supervisor_review", ref="c"
        )
    )

    assert [r.ref for r in store.rows(worker_id="W001")] == ["a", "c"]
    assert [r.ref for r in store.rows(domain="social_assistance")] == ["a", "b"]
    assert [r.ref for r in store.rows(source="graded_exercise")] == ["b"]
    assert [r.ref for r in store.rows(ref="c")] == ["c"]
    assert [r.ref for r in store.rows(worker_id="W001", domain="mediation")] == ["c"]
    assert store.rows(worker_id="W003") == []


def test_rows_filter_by_since_and_until_inclusive(store):
    for day in (1, 2, 3, 4):
        store.record(**_base(ref=f"d{day}", recorded_at=datetime(2025, 3, day, 9, 0)))

    assert [r.ref for r in store.rows(since=datetime(2025, 3, 2, 9, 0))] == ["d2", "d3", "d4"]
    assert [r.ref for r in store.rows(until=datetime(2025, 3, 2, 9, 0))] == ["d1", "d2"]
    window = store.rows(since=datetime(2025, 3, 2), until=datetime(2025, 3, 3, 23, 59))
    assert [r.ref for r in window] == ["d2", "d3"]


def test_rows_are_oldest_first_not_insertion_order(store):
    store.record(**_base(ref="late", recorded_at=datetime(2025, 5, 2)))
    store.record(**_base(ref="early", recorded_at=datetime(2025, 5, 1)))
    assert [r.ref for r in store.rows()] == ["early", "late"]


def test_key_makes_record_idempotent(store):
    first = store.record(**_base(key="nbgrader:ps1:W001:cell-3"))
    second = store.record(**_base(key="nbgrader:ps1:W001:cell-3"))
    assert isinstance(first, int)
    assert second is None
    rows = store.rows()
    assert len(rows) == 1
    assert rows[0].score == 1.0
    assert rows[0].key == "nbgrader:ps1:W001:cell-3"


def test_a_key_held_by_other_content_is_a_conflict_not_already_there(store):
    store.record(**_base(key="nbgrader:ps1:W001:cell-3"))
    with pytest.raises(EvidenceConflict, match="证据键冲突.*W001.*dibao_income.*0.5/1"):
        store.record(**_base(key="nbgrader:ps1:W001:cell-3", score=0.5))
    with pytest.raises(EvidenceConflict, match="工号 W002"):
        store.record(**_base(key="nbgrader:ps1:W001:cell-3", worker_id="W002"))
    assert [r.score for r in store.rows()] == [1.0]


def test_record_many_skips_rows_already_recorded_under_their_key(store):
    store.record(**_base(ref="old", key="k1"))
    inserted = store.record_many(
        [
            _base(ref="old", key="k1"),  # already in the store, same content
            _base(ref="k2", key="k2"),
            _base(ref="k2", key="k2"),  # the same row twice in this batch
            _base(ref="no-key-1"),
            _base(ref="no-key-1"),  # rows without a key are never deduplicated
        ]
    )
    assert inserted == 3
    assert [r.ref for r in store.rows()] == ["old", "k2", "no-key-1", "no-key-1"]


def test_record_many_with_a_conflicting_key_writes_nothing(store):
    store.record(**_base(ref="old", key="k1"))
    with pytest.raises(EvidenceConflict):
        store.record_many([_base(ref="fresh"), _base(ref="other", key="k1")])
    assert [r.ref for r in store.rows()] == ["old"]


def test_record_many_with_nothing_new_inserts_nothing(store):
    store.record(**_base(key="k1"))
    assert store.record_many([_base(key="k1")]) == 0
    assert store.record_many([]) == 0
    assert len(store.rows()) == 1


def test_unknown_source_raises_in_chinese(store):
    with pytest.raises(ValueError, match="未知证据来源：homework"):
        store.record(**_base(source="homework"))
    assert store.rows() == []


@pytest.mark.parametrize(
    ("score", "max_score"),
    [(-0.1, 1.0), (1.5, 1.0), (3, 2), (0, 0), (1, -1)],
)
def test_score_out_of_range_raises_in_chinese(store, score, max_score):
    with pytest.raises(ValueError, match="不在 0 到满分"):
        store.record(**_base(score=score, max_score=max_score))
    assert store.rows() == []


def test_bad_row_in_batch_inserts_nothing(store):
    with pytest.raises(ValueError, match="得分"):
        store.record_many([_base(ref="ok"), _base(ref="bad", score=2)])
    assert store.rows() == []


def test_boundary_scores_are_accepted(store):
    store.record(**_base(ref="zero", score=0, max_score=5))
    store.record(**_base(ref="full", score=5, max_score=5))
    assert [(r.ref, r.ratio) for r in store.rows()] == [("zero", 0.0), ("full", 1.0)]


def test_answer_json_round_trips_chinese(store):
    answer = {"value": ["A", "C"], "备注": "丈夫老马计入，研究生女儿不计入", "attempt": 2}
    store.record(**_base(answer=answer, note="第二次作答"))
    row = store.rows()[0]
    assert row.answer == answer
    assert row.note == "第二次作答"
    # stored as readable UTF-8 JSON, not \u escapes
    with store.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT answer FROM evidence").scalar()
    assert "研究生女儿" in raw


def test_none_answer_stays_none(store):
    store.record(**_base())
    assert store.rows()[0].answer is None


def test_aware_recorded_at_is_stored_as_naive_utc(store):
    beijing = timezone(timedelta(hours=8))
    store.record(**_base(recorded_at=datetime(2025, 7, 1, 8, 30, tzinfo=beijing)))
    stored = store.rows()[0].recorded_at
    assert stored == datetime(2025, 7, 1, 0, 30)
    assert stored.tzinfo is None


def test_default_recorded_at_is_now_in_utc(store):
    before = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    store.record(**_base())
    after = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1)
    assert before <= store.rows()[0].recorded_at <= after


def test_public_api_is_insert_only():
    public = {name for name in dir(EvidenceStore) if not name.startswith("_")}
    # erase_worker is the one documented exception: the legal erasure of a departed worker
    # review_item adds a trainer's decision on a question; it edits nothing
    assert public == {
        "record",
        "record_many",
        "rows",
        "frame",
        "erase_worker",
        "review_item",
        "set_aside_refs",
        "item_reviews",
    }
    for verb in ("update", "delete", "remove", "edit", "clear", "drop"):
        assert not [name for name in public if verb in name]


def test_sources_are_the_six_kinds():
    assert set(SOURCES) == {
        "self_check",
        "case_walkthrough",
        "graded_exercise",
        "supervisor_review",
        "appeal_outcome",
        "resident_feedback",
    }


def test_sqlite_file_store_uses_wal(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'wal.db'}")
    store.record(**_base())
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


# Run in a spawned interpreter through builtins.exec, so the child needs nothing from this
# test module (whatever pytest import mode is in use).
_WRITER = """
from trainkit.evidence import open_store
store = open_store(URL)
for i in range(200):
    store.record(worker_id=WORKER, item_id="dibao_income", domain="social_assistance",
                 source="self_check", ref=f"{WORKER}-{i}", score=1)
store.engine.dispose()
"""


def test_two_processes_writing_to_one_file_all_land(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    open_store(url).engine.dispose()  # create the schema before both writers start
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=exec, args=(_WRITER, {"URL": url, "WORKER": worker})) for worker in ("W001", "W002")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]

    store = open_store(url)
    try:
        rows = store.rows()
        assert len(rows) == 400
        assert len({r.id for r in rows}) == 400
        assert len(store.rows(worker_id="W001")) == 200
        assert len(store.rows(worker_id="W002")) == 200
    finally:
        store.engine.dispose()


def test_default_url_honours_trainkit_db(monkeypatch, tmp_path):
    monkeypatch.setenv("TRAINKIT_DB", "postgresql://trainer@db.example/trainkit")
    monkeypatch.setenv("TRAINKIT_HOME", str(tmp_path / "unused"))
    assert default_url() == "postgresql://trainer@db.example/trainkit"


def test_default_url_uses_trainkit_home_when_no_db(monkeypatch, tmp_path):
    home = tmp_path / "home" / ".trainkit"
    monkeypatch.delenv("TRAINKIT_DB", raising=False)
    monkeypatch.setenv("TRAINKIT_HOME", str(home))
    assert default_url() == f"sqlite:///{home}/evidence.db"
    assert home.is_dir()


def test_open_store_without_url_uses_default(monkeypatch, tmp_path):
    db = tmp_path / "via-env.db"
    monkeypatch.setenv("TRAINKIT_DB", f"sqlite:///{db}")
    store = open_store()
    try:
        store.record(**_base())
    finally:
        store.engine.dispose()
    assert Path(db).is_file()


def test_frame_has_ratio_column(store):
    store.record(**_base(ref="a", score=1, max_score=4))
    store.record(**_base(ref="b", score=3, max_score=3))
    df = store.frame()
    assert list(df["ref"]) == ["a", "b"]
    assert list(df["ratio"]) == [0.25, 1.0]
    assert "ratio" in store.frame(worker_id="nobody").columns


def test_frame_passes_filters(store):
    store.record(**_base(worker_id="W001", ref="a"))
    store.record(**_base(worker_id="W002", ref="b"))
    assert list(store.frame(worker_id="W002")["ref"]) == ["b"]


def test_aware_since_and_until_are_compared_in_utc(tmp_path):
    from datetime import datetime, timedelta, timezone

    from trainkit.evidence import open_store

    store = open_store(f"sqlite:///{tmp_path / 'tz.db'}")
    beijing = timezone(timedelta(hours=8))
    store.record(
        worker_id="W1",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="r",
        score=1,
        recorded_at=datetime(2026, 3, 1, 8, 30, tzinfo=beijing),
    )
    assert len(store.rows(since=datetime(2026, 3, 1, 8, 0, tzinfo=beijing))) == 1
    assert store.rows(since=datetime(2026, 3, 1, 9, 0, tzinfo=beijing)) == []
    assert len(store.rows(until=datetime(2026, 3, 1, 8, 31, tzinfo=beijing))) == 1


def test_a_read_only_copy_is_read_as_it_is_and_writes_are_refused(tmp_path, monkeypatch):
    """A backup on read-only media: the report reads it (no WAL files made), a write is refused."""
    import sqlalchemy as sa

    path = tmp_path / "backup.db"
    writable = open_store(f"sqlite:///{path}")
    writable.record(**_base())
    writable.engine.dispose()
    for extra in tmp_path.glob("backup.db-*"):
        extra.unlink()
    monkeypatch.setattr("trainkit.evidence.os.access", lambda *_args: False)  # as the OS says of such media
    store = open_store(f"sqlite:///{path}")
    assert store.read_only and len(store.frame()) == 1
    with pytest.raises(sa.exc.OperationalError, match="readonly"):
        store.record(**_base(ref="new"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db"]


def test_several_processes_creating_a_new_store_at_once_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open_and_record, [(url, i) for i in range(8)])
    assert sorted(results) == list(range(8))
    assert len(open_store(url).rows()) == 8


def _open_and_record(args):
    url, i = args
    open_store(url).record(**_base(ref=f"r{i}"))
    return i


def test_two_processes_writing_the_same_keys_at_once_record_each_once(tmp_path):
    """Two grade imports at the same moment: no error, every key recorded once."""
    url = f"sqlite:///{tmp_path / 'race.db'}"
    open_store(url)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_record_keys, [url, url])
    rows = open_store(url).rows()
    assert len(rows) == 50 and len({r.key for r in rows}) == 50


def _record_keys(url):
    store = open_store(url)
    for i in range(50):
        store.record(**_base(ref=f"r{i}", key=f"k{i}"))
