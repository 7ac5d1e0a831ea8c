"""The database's aggregates agree with the pandas reference on the same evidence, on both backends."""

from datetime import datetime, timedelta

import pandas as pd
import pytest

from trainkit.aggregate import aggregate
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.ratings import load_rating_rules, monthly_trend, rate
from trainkit.report import question_stats

AS_OF = datetime(2026, 11, 26, 12)
SOURCES = ["self_check", "graded_exercise", "case_walkthrough", "supervisor_review"]


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    rows = []
    for n in range(600):
        worker = f"W{n % 7:03d}"
        item, domain = [
            ("dibao_income", "social_assistance"),
            ("longevity_allowance", "elderly"),
            ("mediate_neighbors", "mediation"),
        ][n % 3]
        rows.append(
            {
                "worker_id": worker,
                "item_id": item,
                "domain": domain,
                "source": SOURCES[n % 4],
                "ref": f"q{n % 11}",
                "score": (n * 37 % 10) / 2,
                "max_score": 5.0,
                "recorded_at": AS_OF - timedelta(days=(n * 13) % 420, hours=n % 24),
            }
        )
    store.record_many(rows)
    first = store.rows(worker_id="W001")[0]
    store.record(
        worker_id="W001",
        item_id=first.item_id,
        domain=first.domain,
        source=first.source,
        ref=first.ref,
        score=0.0,
        max_score=5.0,
        recorded_at=first.recorded_at,
        supersedes=first.id,
    )
    store.record(
        worker_id="W999",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="q1",
        score=1,
        recorded_at=AS_OF - timedelta(days=3),
    )  # not on the roster
    return store


def test_ratings_trends_and_questions_match_the_pandas_reference(store):
    rules, fw = load_rating_rules(), load_framework()
    workers = [f"W{n:03d}" for n in range(7)]
    frame = store.frame()
    frame = frame[frame["worker_id"].isin(workers)]
    agg = aggregate(store, workers=workers, as_of=AS_OF, rules=rules, framework=fw)

    expected = rate(frame, as_of=AS_OF, rules=rules, framework=fw)
    pd.testing.assert_frame_equal(agg.ratings.drop(columns="score"), expected.drop(columns="score"), check_dtype=False)
    assert agg.ratings["score"].fillna(-1).to_numpy() == pytest.approx(expected["score"].fillna(-1).to_numpy())

    trend = monthly_trend(frame[frame["recorded_at"] <= AS_OF], by=("domain",))
    pd.testing.assert_frame_equal(
        agg.trend.reset_index(drop=True), trend.reset_index(drop=True), check_dtype=False, check_exact=False
    )

    questions = question_stats(frame[frame["recorded_at"] <= AS_OF], framework=fw)
    cols = ["ref", "attempts", "workers", "correct_rate", "mean_score"]
    pd.testing.assert_frame_equal(agg.questions[cols], questions[cols], check_dtype=False, check_exact=False)

    assert agg.rows == len(frame) and agg.current == len(frame) - 1 and agg.outside == 1


def test_since_and_domains_narrow_the_aggregates(store):
    rules, fw = load_rating_rules(), load_framework()
    workers = [f"W{n:03d}" for n in range(7)]
    agg = aggregate(
        store,
        workers=workers,
        as_of=AS_OF,
        rules=rules,
        framework=fw,
        since=AS_OF - timedelta(days=60),
        domains=["elderly"],
    )
    assert set(agg.ratings["domain"]) == {"elderly"} and set(agg.trend["domain"]) == {"elderly"}
    assert agg.date_from >= AS_OF - timedelta(days=60)
    frame = store.frame(domain="elderly", since=AS_OF - timedelta(days=60), until=AS_OF)
    assert agg.rows == len(frame[frame["worker_id"].isin(workers)])


@pytest.mark.parametrize("names", [40, 9000])  # groups counted in one array, and (past 16 million) sorted
def test_per_source_sums_equal_pandas_grouping(names):
    import numpy as np

    from trainkit.aggregate import _source_sums

    rng = np.random.default_rng(names)
    size = 5000

    def names_of(prefix, count):
        return pd.Categorical(
            [f"{prefix}{k:05d}" for k in rng.integers(0, count, size)],
            categories=[f"{prefix}{k:05d}" for k in range(count)],
        )

    window = pd.DataFrame(
        {
            "worker_id": names_of("W", names),
            "domain": names_of("d", min(names, 300)),
            "source": names_of("s", 7),
            "ratio": rng.random(size),
        }
    )
    weight = rng.random(size)
    got = _source_sums(window, weight)
    expected = (
        window.assign(
            n=1, weight=weight, weighted=weight * window["ratio"], weight2=weight**2, ratio_sum=window["ratio"]
        )
        .groupby(["worker_id", "domain", "source"], observed=True)[["n", "weight", "weighted", "weight2", "ratio_sum"]]
        .sum()
        .reset_index()
    )
    assert 9000 * 300 * 7 > 2**24 and len(got) > 4000
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=1e-12)


def test_the_ratings_words_are_plain_python_text(store):
    """The report reads the ratings' words back cell by cell: they stay Python str in object
    columns (pandas 3 would otherwise copy each of a district's 60,000 into Arrow and back)."""
    workers = [f"W{n:03d}" for n in range(7)]
    agg = aggregate(store, workers=workers, as_of=AS_OF, rules=load_rating_rules(), framework=load_framework())
    for column in ("worker_id", "domain", "level", "level_title", "sources", "reason"):
        assert agg.ratings[column].dtype == object, column
        assert {type(value) for value in agg.ratings[column]} == {str}, column
