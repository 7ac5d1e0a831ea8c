"""On randomised evidence — regrades that supersede earlier rows, a question set aside, residents' feedback beyond its caps — the report's columnar aggregates
equal the readable per-worker functions (``rate``, ``monthly_trend``, ``question_stats``)."""

import random
from datetime import datetime, timedelta

import pandas as pd
import pytest

from trainkit.aggregate import aggregate
from trainkit.evidence import FEEDBACK_SOURCE, open_store
from trainkit.framework import load_framework
from trainkit.ratings import load_rating_rules, monthly_trend, rate
from trainkit.report import question_stats

AS_OF = datetime(2026, 6, 30, 18)
WORKERS = [f"W{n:03d}" for n in range(24)]
SOURCES = ["self_check", "case_walkthrough", "graded_exercise", "supervisor_review"]


@pytest.fixture
def store(db_url):
    rng = random.Random(2026)
    domains = [(d.id, d.items[0].id) for d in load_framework().domains][:4]
    store = open_store(db_url)
    rows = []
    for n in range(2500):
        domain, item = rng.choice(domains)
        feedback = rng.random() < 0.15
        rows.append(
            {
                "worker_id": rng.choice([*WORKERS, "W999"]),  # W999 is on no roster
                "item_id": item,
                "domain": domain,
                "source": FEEDBACK_SOURCE if feedback else rng.choice(SOURCES),
                "ref": f"resident-{rng.randrange(6)}" if feedback else f"q{rng.randrange(15)}",
                "score": rng.choice([0, 1, 2, 3, 4, 5]),
                "max_score": 5.0,
                "recorded_at": AS_OF - timedelta(days=rng.randrange(-10, 420), minutes=n),
            }
        )
    store.record_many(rows)
    held = store.frame()
    for _, row in held.sample(120, random_state=7).iterrows():  # regrades: each replaces an earlier row
        store.record(
            worker_id=row["worker_id"],
            item_id=row["item_id"],
            domain=row["domain"],
            source=row["source"],
            ref=row["ref"],
            score=rng.choice([0, 5]),
            max_score=5.0,
            recorded_at=row["recorded_at"] + timedelta(hours=1),
            supersedes=int(row["id"]),
        )
    store.review_item("q3", action="set_aside", reason="答案键有误", reviewer="T001", at=AS_OF - timedelta(days=2))
    yield store
    store.engine.dispose()


def test_columnar_aggregates_equal_the_readable_functions(store):
    rules, framework = load_rating_rules(), load_framework()
    frame = store.frame()
    frame = frame[frame["worker_id"].isin(WORKERS)]
    agg = aggregate(store, workers=WORKERS, as_of=AS_OF, rules=rules, framework=framework)

    expected = rate(frame, as_of=AS_OF, rules=rules, framework=framework)
    pd.testing.assert_frame_equal(
        agg.ratings.reset_index(drop=True), expected, check_dtype=False, check_exact=False, rtol=1e-9
    )
    assert (
        len(expected) > 60 and (expected["feedback_n"] > 0).any() and expected["reason"].str.contains("暂不计入").any()
    )

    until = frame[frame["recorded_at"] <= AS_OF]
    learning = until[until["source"] != FEEDBACK_SOURCE]
    trend = monthly_trend(learning, by=("domain",))  # set-aside answers count in no trend either
    pd.testing.assert_frame_equal(
        agg.trend.reset_index(drop=True), trend.reset_index(drop=True), check_dtype=False, check_exact=False
    )
    questions = question_stats(learning, framework=framework)
    pd.testing.assert_frame_equal(agg.questions, questions, check_dtype=False, check_exact=False, rtol=1e-9)
    assert "q3" in set(agg.questions["ref"]) and agg.set_aside == {"q3"}
    assert agg.current < agg.rows and agg.outside > 0
