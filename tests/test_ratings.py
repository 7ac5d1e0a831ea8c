"""Ratings are computed from evidence by the rules in casebank/rating-rules.yaml."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pandas as pd
import pytest
from pydantic import ValidationError

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.ratings import (
    RATING_COLUMNS,
    RatingRules,
    full_post_status,
    load_rating_rules,
    monthly_trend,
    rate,
    rating_matrix,
)

AS_OF = datetime(2025, 7, 1, 12, 0)
RULES = RatingRules(
    explanation="测试用规则",
    half_life_days=90,
    window_days=365,
    min_evidence=3,
    min_source_kinds=2,
    trainer_sources=("graded_exercise", "supervisor_review", "appeal_outcome"),
    # no interval: these tests are about thresholds, sources and windows; the
    # certainty rule has hand-worked tests of its own (test_rating_certainty.py)
    certainty=0,
    thresholds={"competent": 0.6, "skilled": 0.75, "expert": 0.9},
)


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def add(
    store,
    *,
    source,
    ratio,
    days_ago=0.0,
    worker="W001",
    domain="social_assistance",
    item="dibao_income",
    ref="q1",
    supersedes=None,
):
    return store.record(
        worker_id=worker,
        domain=domain,
        item_id=item,
        source=source,
        ref=ref,
        score=ratio * 4,
        max_score=4,
        recorded_at=AS_OF - timedelta(days=days_ago),
        supersedes=supersedes,
    )


def only_rating(store, **options):
    ratings = rate(store.frame(), as_of=AS_OF, rules=RULES, **options)
    assert len(ratings) == 1
    return ratings.iloc[0]


def test_rules_file_loads_and_reads_as_plain_chinese():
    rules = load_rating_rules()
    assert rules.min_evidence >= 1 and rules.half_life_days > 0
    assert "graded_exercise" in rules.trainer_sources
    text = rules.explanation_text()
    assert "half_life_days" not in text and "window_days" not in text
    assert f"{rules.half_life_days:g}天" in text


def test_rules_reject_unknown_fields_and_unordered_thresholds():
    data = RULES.model_dump()
    with pytest.raises(ValidationError):
        RatingRules.model_validate({**data, "quota": 0.2})
    with pytest.raises(ValidationError, match="合格 ≤ 熟练 ≤ 精通"):
        RatingRules.model_validate({**data, "thresholds": {"competent": 0.8, "skilled": 0.7, "expert": 0.9}})
    with pytest.raises(ValidationError, match="未知证据来源"):
        RatingRules.model_validate({**data, "trainer_sources": ["wechat_quiz"]})


def test_weighted_score_halves_weight_every_half_life(store):
    add(store, source="graded_exercise", ratio=1.0, days_ago=0)  # weight 1
    add(store, source="self_check", ratio=0.5, days_ago=90)  # weight 1/2
    add(store, source="self_check", ratio=0.0, days_ago=180)  # weight 1/4
    rating = only_rating(store)
    assert rating["score"] == pytest.approx((1.0 * 1 + 0.5 * 0.5 + 0.0 * 0.25) / 1.75)
    assert rating["n_evidence"] == 3
    assert (rating["level"], rating["level_title"]) == ("competent", "合格")
    assert rating["proficient"]
    assert rating["sources"] == "自测题、考核作业"
    assert "达到合格线60%" in rating["reason"]


def test_output_has_group_and_rating_columns(store):
    add(store, source="graded_exercise", ratio=1.0)
    ratings = rate(store.frame(), as_of=AS_OF, rules=RULES)
    assert list(ratings.columns) == ["worker_id", "domain", *RATING_COLUMNS]


def test_fewer_than_min_evidence_is_not_assessed(store):
    add(store, source="graded_exercise", ratio=1.0)
    add(store, source="self_check", ratio=1.0)
    rating = only_rating(store)
    assert (rating["level"], rating["level_title"]) == ("not_assessed", "未评估")
    assert math.isnan(rating["score"])
    assert "证据不足3条" in rating["reason"]
    assert not rating["proficient"]


def test_self_check_alone_is_capped_at_needs_improvement(store):
    for day in range(5):
        add(store, source="self_check", ratio=1.0, days_ago=day)
    rating = only_rating(store)
    assert rating["score"] == pytest.approx(1.0)
    assert (rating["level"], rating["level_title"]) == ("needs_improvement", "待提高")
    assert "只有自测证据，最高评为待提高" in rating["reason"]


def test_trainer_source_alone_is_one_kind_and_capped(store):
    for day in range(3):
        add(store, source="graded_exercise", ratio=1.0, days_ago=day)
    rating = only_rating(store)
    assert rating["level"] == "needs_improvement"
    assert "只来自1类来源" in rating["reason"]


def test_two_kinds_without_a_trainer_source_are_capped(store):
    for source in ("self_check", "case_walkthrough", "case_walkthrough"):
        add(store, source=source, ratio=1.0)
    rating = only_rating(store)
    assert rating["level"] == "needs_improvement"
    assert "缺少培训师或督导的证据" in rating["reason"]


@pytest.mark.parametrize(
    ("ratio", "level", "title"),
    [
        (0.6, "competent", "合格"),
        (0.8, "skilled", "熟练"),
        (0.95, "expert", "精通"),
        (0.5, "needs_improvement", "待提高"),
    ],
)
def test_two_kinds_with_graded_exercise_reach_the_threshold_level(store, ratio, level, title):
    for day, source in enumerate(("self_check", "graded_exercise", "graded_exercise")):
        add(store, source=source, ratio=ratio, days_ago=day * 10)
    rating = only_rating(store)
    assert (rating["level"], rating["level_title"]) == (level, title)
    assert rating["score"] == pytest.approx(ratio)


def test_superseded_rows_are_ignored(store):
    wrong = add(store, source="graded_exercise", ratio=0.0, days_ago=5)
    add(store, source="graded_exercise", ratio=1.0, days_ago=1, supersedes=wrong)
    add(store, source="self_check", ratio=1.0, days_ago=2)
    rating = only_rating(store)
    assert rating["n_evidence"] == 2  # the regraded row no longer counts
    rules = RULES.model_copy(update={"min_evidence": 2})
    rated = rate(store.frame(), as_of=AS_OF, rules=rules).iloc[0]
    assert rated["score"] == pytest.approx(1.0)
    assert rated["level"] == "expert"


def test_window_excludes_old_rows_and_rows_after_as_of(store):
    add(store, source="graded_exercise", ratio=1.0, days_ago=10)
    add(store, source="self_check", ratio=1.0, days_ago=20)
    add(store, source="self_check", ratio=0.0, days_ago=400)  # older than window_days
    add(store, source="self_check", ratio=0.0, days_ago=-3)  # after as_of
    rating = only_rating(store)
    assert rating["n_evidence"] == 2
    assert rating["level"] == "not_assessed"
    later = rate(store.frame(), as_of=AS_OF + timedelta(days=5), rules=RULES).iloc[0]
    assert later["n_evidence"] == 3


def test_rate_by_service_item(store):
    for source in ("self_check", "graded_exercise", "supervisor_review"):
        add(store, source=source, ratio=0.8, item="dibao_income")
    add(store, source="self_check", ratio=1.0, item="dibao_household")
    ratings = rate(store.frame(), as_of=AS_OF, rules=RULES, by=("worker_id", "item_id"))
    levels = dict(zip(ratings["item_id"], ratings["level"], strict=True))
    assert levels == {"dibao_household": "not_assessed", "dibao_income": "skilled"}
    assert "domain" not in ratings.columns


def test_empty_evidence_gives_empty_ratings(store):
    ratings = rate(store.frame(), as_of=AS_OF, rules=RULES)
    assert ratings.empty
    assert list(ratings.columns) == ["worker_id", "domain", *RATING_COLUMNS]


def test_missing_columns_are_reported_in_chinese():
    with pytest.raises(ValueError, match="证据表缺少列：.*recorded_at"):
        rate(pd.DataFrame({"worker_id": [], "domain": []}), as_of=AS_OF, rules=RULES)


def test_matrix_has_every_worker_and_every_domain(store):
    for source in ("self_check", "graded_exercise", "graded_exercise"):
        add(store, source=source, ratio=0.9, worker="W001")
    add(store, source="self_check", ratio=1.0, worker="W999")  # not on the roster
    ratings = rate(store.frame(), as_of=AS_OF, rules=RULES)
    framework = load_framework()
    matrix = rating_matrix(ratings, ["W001", "W002"], framework)
    assert list(matrix.index) == ["W001", "W002"]
    assert list(matrix.columns) == [d.id for d in framework.domains]
    assert matrix.shape == (2, 12)
    assert matrix.at["W001", "social_assistance"] == "expert"
    assert (matrix.loc["W002"] == "not_assessed").all()
    assert (matrix.loc["W001"].drop("social_assistance") == "not_assessed").all()


def test_full_post_only_when_every_domain_is_proficient():
    framework = load_framework()
    domains = [d.id for d in framework.domains]
    matrix = pd.DataFrame(
        [
            ["competent"] * 6 + ["skilled"] * 5 + ["expert"],
            ["expert"] * 11 + ["needs_improvement"],
            ["expert"] * 11 + ["not_assessed"],
        ],
        index=pd.Index(["W001", "W002", "W003"], name="worker_id"),
        columns=domains,
    )
    status = full_post_status(matrix, framework=framework)
    assert status.to_dict() == {"W001": True, "W002": False, "W003": False}


def test_monthly_trend_averages_current_rows_per_calendar_month(store):
    add(store, source="self_check", ratio=1.0, days_ago=40)  # 2025-05-22
    add(store, source="self_check", ratio=0.5, days_ago=35)  # 2025-05-27
    wrong = add(store, source="graded_exercise", ratio=0.0, days_ago=10)  # 2025-06-21
    add(store, source="graded_exercise", ratio=0.75, days_ago=9, supersedes=wrong)
    add(store, source="self_check", ratio=0.5, days_ago=5, domain="employment")
    trend = monthly_trend(store.frame())
    assert list(trend.columns) == ["domain", "month", "score", "n_evidence"]
    rows = {(r.domain, r.month): (r.score, r.n_evidence) for r in trend.itertuples()}
    assert rows == {
        ("employment", "2025-06"): (0.5, 1),
        ("social_assistance", "2025-05"): (0.75, 2),
        ("social_assistance", "2025-06"): (0.75, 1),
    }


def test_the_shipped_rules_keep_their_promises(store):
    """What casebank/rating-rules.yaml tells workers holds under the shipped rules themselves:
    practice alone, however much and however good, stays below 合格; one graded exercise beside it
    lifts the rating; the rules ask for trainer evidence and more than one kind of source."""
    shipped = load_rating_rules()
    assert {"graded_exercise", "supervisor_review"} <= set(shipped.trainer_sources)
    assert shipped.min_source_kinds >= 2
    assert "培训师或督导" in shipped.explanation_text() and "不设名额" in shipped.explanation_text()
    for n in range(40):
        add(store, source="self_check" if n % 2 else "case_walkthrough", ratio=1.0, ref=f"practice-{n}", days_ago=n)
    practised = rate(store.frame(), as_of=AS_OF, rules=shipped).iloc[0]
    assert practised["level"] == "needs_improvement" and not practised["proficient"]
    for n in range(3):
        add(store, source="graded_exercise", ratio=1.0, ref=f"exam-{n}")
    examined = rate(store.frame(), as_of=AS_OF, rules=shipped).iloc[0]
    assert examined["proficient"], examined["reason"]
