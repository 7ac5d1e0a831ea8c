"""Province scale: the scoped read (on PostgreSQL the database leaves out other workers' rows)
and the per-区 全岗通 summary agree with the plain Python path — every row read, rated by
:func:`trainkit.ratings.rate` — on a small province with regrades, an erased worker, a
set-aside question and residents' feedback."""

import random
from datetime import datetime, timedelta

import pandas as pd
import pytest

from trainkit.aggregate import aggregate
from trainkit.erasure import ERASED_PREFIX
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.province import province_summary
from trainkit.ratings import INSUFFICIENT, NOT_ASSESSED, load_rating_rules, monthly_trend, rate, rating_matrix

AS_OF = datetime(2026, 11, 26, 12)
GROUPS = {
    "示例一区": [f"W{n:03d}" for n in range(0, 10)],
    "示例二区": [f"W{n:03d}" for n in range(10, 20)],
    "示例三区": [f"W{n:03d}" for n in range(20, 30)],
}
ERASED = "W003"


def _rows(rng: random.Random) -> list[dict]:
    """Strong workers (every domain, high scores), mixed ones, and sparse ones; one not on any roster."""
    fw = load_framework()
    rows = []
    for n in [*range(30), 99]:
        kind = ("strong", "mixed", "sparse")[n % 3] if n != 99 else "mixed"
        for domain in fw.domains:
            for k in range({"strong": 20, "mixed": 8, "sparse": 1}[kind]):
                low, high = {"strong": (0.85, 1.0), "mixed": (0.0, 0.8), "sparse": (0.5, 1.0)}[kind]
                days = 120 if kind == "strong" else 400
                rows.append(
                    {
                        "worker_id": f"W{n:03d}",
                        "domain": domain.id,
                        "item_id": domain.items[k % len(domain.items)].id,
                        "source": ("self_check", "graded_exercise", "case_walkthrough")[k % 3],
                        "ref": f"q{rng.randrange(8)}",
                        "score": round(rng.uniform(low, high), 3),
                        "max_score": 1.0,
                        "recorded_at": AS_OF - timedelta(days=rng.randrange(days), hours=rng.randrange(24)),
                    }
                )
        if kind == "strong":  # a resident's feedback, counted under its caps
            rows += [
                {
                    "worker_id": f"W{n:03d}",
                    "domain": fw.domains[0].id,
                    "item_id": fw.domains[0].items[0].id,
                    "source": "resident_feedback",
                    "ref": f"resident-{k % 2}",
                    "score": rng.choice([0.0, 0.5, 1.0]),
                    "max_score": 1.0,
                    "recorded_at": AS_OF - timedelta(days=k // 3, hours=k),
                }
                for k in range(5)
            ]
    rows.append({**rows[0], "recorded_at": AS_OF + timedelta(days=2)})  # after the report date
    return rows


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    store.record_many(_rows(random.Random(17)))
    # regrades: a strong worker's graded exercises in three domains marked down (a later row supersedes)
    for earlier in [r for r in store.rows(worker_id="W006", source="graded_exercise")][:3]:
        store.record(
            worker_id=earlier.worker_id,
            item_id=earlier.item_id,
            domain=earlier.domain,
            source=earlier.source,
            ref=earlier.ref,
            score=0.0,
            recorded_at=earlier.recorded_at + timedelta(hours=1),
            supersedes=earlier.id,
        )
    store.review_item("q5", action="set_aside", reason="答案键有误", reviewer="T01", at=AS_OF - timedelta(days=1))
    store.erase_worker(ERASED, erased_by="S01")
    return store


def _reference_status(matrix: pd.DataFrame, fw) -> pd.Series:
    """The test's own reading of the statuses: 全岗通, any domain rated below 合格, else not yet rated."""
    proficient = {lv.id for lv in fw.scale if lv.proficient}

    def one(levels: list[str]) -> str:
        if all(level in proficient for level in levels):
            return "full_post"
        if any(level not in proficient and level not in (NOT_ASSESSED, INSUFFICIENT) for level in levels):
            return "below"
        return "unrated"

    return pd.Series({worker: one(list(row)) for worker, row in matrix.iterrows()})


def test_the_summary_equals_rating_every_row_in_python(store):
    rules, fw = load_rating_rules(), load_framework()
    frame = store.frame()  # every row of every worker, the plain path
    ratings = rate(frame, as_of=AS_OF, rules=rules, framework=fw)
    summary = province_summary(store, GROUPS, as_of=AS_OF)

    for name, workers in GROUPS.items():
        status = _reference_status(rating_matrix(ratings, workers, fw), fw)
        expected = {key: int((status == key).sum()) for key in ("full_post", "below", "unrated")}
        assert summary.loc[name].to_dict() == {"workers": len(workers), **expected}, name
    counts = summary[["full_post", "below", "unrated"]]
    assert counts.to_numpy().min() >= 0 and (counts.sum(axis=1) == summary["workers"]).all()
    # the data make every status occur, so a summary that mixes them up cannot pass
    assert (summary[["full_post", "below", "unrated"]].sum() > 0).all()


@pytest.mark.parametrize("with_erased", [False, True])
def test_the_database_leaves_out_exactly_the_other_workers_rows(store, with_erased):
    from trainkit import aggregate as agg_module

    workers = GROUPS["示例二区"]
    everything = agg_module._read(store, as_of=AS_OF, since=None)
    scoped = agg_module._read(
        store,
        as_of=AS_OF,
        since=None,
        scope=agg_module._Scope(workers=workers, with_erased=with_erased, until=AS_OF),
    )
    wanted = everything["worker_id"].isin(workers)
    if with_erased:
        wanted |= everything["worker_id"].astype(str).str.startswith(ERASED_PREFIX)
    assert 0 < len(scoped) < len(everything) and wanted.any() and not wanted.all()
    pd.testing.assert_frame_equal(
        scoped.astype({"worker_id": str}).sort_values("id").reset_index(drop=True)[["worker_id", "id", "current"]],
        everything[wanted]
        .astype({"worker_id": str})
        .sort_values("id")
        .reset_index(drop=True)[["worker_id", "id", "current"]],
    )


@pytest.mark.parametrize(("with_erased", "arrow"), [(False, True), (True, True), (True, False)])
def test_a_scoped_read_equals_the_rows_of_its_workers(store, with_erased, arrow):
    rules, fw = load_rating_rules(), load_framework()
    workers = GROUPS["示例一区"]
    frame = store.frame(until=AS_OF)
    wanted = frame["worker_id"].isin(workers)
    if with_erased:
        wanted |= frame["worker_id"].str.startswith(ERASED_PREFIX)
    mine = frame[wanted]
    agg = aggregate(
        store, workers=workers, as_of=AS_OF, rules=rules, framework=fw, with_erased=with_erased, arrow=arrow
    )

    expected = rate(mine[mine["worker_id"].isin(workers)], as_of=AS_OF, rules=rules, framework=fw)
    assert not expected.empty and ERASED not in set(agg.ratings["worker_id"])
    pd.testing.assert_frame_equal(
        agg.ratings.drop(columns="score").reset_index(drop=True),
        expected.drop(columns="score").reset_index(drop=True),
        check_dtype=False,
    )
    assert agg.ratings["score"].fillna(-1).to_numpy() == pytest.approx(expected["score"].fillna(-1).to_numpy())
    learning = mine[(mine["source"] != "resident_feedback") & ~mine["set_aside"]]
    pd.testing.assert_frame_equal(
        agg.trend.reset_index(drop=True),
        monthly_trend(learning, by=("domain",)).reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
    )
    assert agg.rows == len(mine) and agg.outside == len(frame) - len(mine)


def test_an_existing_postgres_store_gains_the_index_when_opened(pg_url):
    import sqlalchemy as sa

    from trainkit.pg_indexes import CREATE_STATEMENTS, missing

    store = open_store(pg_url)
    with store.engine.begin() as conn:
        assert missing(conn) == []
        for name in CREATE_STATEMENTS:  # a store from before the index
            conn.execute(sa.text(f"DROP INDEX {name}"))
        assert missing(conn) == list(CREATE_STATEMENTS)
    store.engine.dispose()
    again = open_store(pg_url)
    with again.engine.connect() as conn:
        assert missing(conn) == []
    again.engine.dispose()


def test_a_report_with_erased_workers_reads_through_indexes_not_the_whole_table(pg_url):
    """The read a whole roster's report sends (its workers, and erased pseudonyms by prefix) is
    planned on indexes: with sequential scans priced out, a prefix match that no index can serve
    would still scan every row of the table."""
    import sqlalchemy as sa

    store = open_store(pg_url)
    store.record_many(_rows(random.Random(3)))
    store.erase_worker(ERASED, erased_by="S1")
    sent = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: sent.append((a[2], a[3])))
    aggregate(
        store,
        workers=GROUPS["示例一区"],
        as_of=AS_OF,
        rules=load_rating_rules(),
        framework=load_framework(),
        with_erased=True,
        arrow=False,  # the driver's path sends the same query as the Arrow reader, and it can be seen
    )
    statement, parameters = next((s, p) for s, p in sent if "FROM evidence" in s and "LIKE" in s)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE evidence")
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
    assert "ix_evidence_erased" in plan and "Seq Scan" not in plan, plan
    store.engine.dispose()
