"""The vectorised ratings (:func:`trainkit.ratings.rate_sums`) equal a readable per-group reference.

The reference below walks the groups one by one, as the rules read in ``rating-rules.yaml``:
the feedback cap, the weighted score, the Wilson interval, 证据不足 when it crosses the 合格
line, 缺考核. It calls only the scalar rule helpers (``decide_level``, ``score_interval``, the
feedback note's words), never the array code under test.
"""

import math
import random

import numpy as np
import pandas as pd
import pytest

from trainkit.evidence import FEEDBACK_SOURCE, SOURCES
from trainkit.framework import load_framework
from trainkit.ratings import (
    INSUFFICIENT,
    NEEDS_IMPROVEMENT,
    NOT_ASSESSED,
    RATING_COLUMNS,
    _feedback_note,
    _what_settles,
    decide_level,
    load_rating_rules,
    rate_sums,
    score_interval,
)

TOL = 1e-9


def _settles_after(score, weight, weight2, rules):
    """How many more answers at the same rate take the interval off the 合格 line (0: not 60)."""
    bar = rules.thresholds.competent
    for more in range(1, 61):
        low, high = score_interval(score, (weight + more) ** 2 / (weight2 + more), certainty=rules.certainty)
        if (low >= bar - TOL) if score + TOL >= bar else (high < bar - TOL):
            return more
    return 0


def reference(sums, rules, framework):
    """One rating per (worker, domain), computed group by group."""
    caps, bar = rules.resident_feedback, rules.thresholds.competent
    rows = []
    for (worker, domain), group in sums.groupby(["worker_id", "domain"], sort=True):
        learning = group[group["source"] != FEEDBACK_SOURCE]
        feedback = group[group["source"] == FEEDBACK_SOURCE]
        n, own = int(learning["n"].sum()), float(learning["weight"].sum())
        fb_n, fb_weight = int(feedback["n"].sum()), float(feedback["weight"].sum())
        scale = 0.0
        if caps is not None and fb_n >= caps.min_records and own > 0:
            full = caps.weight * fb_weight
            shrink = (
                1.0 if full / (own + full) <= caps.max_share else caps.max_share * own / ((1 - caps.max_share) * full)
            )
            scale = caps.weight * shrink
        added = scale * fb_weight
        weight = own + added
        weighted = float(learning["weighted"].sum()) + scale * float(feedback["weighted"].sum())
        weight2 = float(learning["weight2"].sum()) + scale * scale * float(feedback["weight2"].sum())
        share = added / (own + added) if added > 0 else 0.0
        score = weighted / weight if weight > 0 else math.nan
        n_eff = weight * weight / weight2 if weight2 > 0 else float(n)
        low, high = score_interval(score, n_eff, certainty=rules.certainty) if n_eff > 0 else (0.0, 1.0)
        seen = set(learning.loc[learning["n"] > 0, "source"])
        kinds = [s for s in SOURCES if s in seen] + sorted(seen - set(SOURCES))
        level, reason = decide_level(n_evidence=n, score=score, sources=kinds, rules=rules)
        reached = score + TOL >= bar
        if level != NOT_ASSESSED and not (level == NEEDS_IMPROVEMENT and reached):
            crosses = (low < bar - TOL <= high) if reached else (low <= bar - TOL < high)
            if crosses:
                side = "达到" if reached else "低于"
                level, reason = (
                    INSUFFICIENT,
                    (
                        f"加权得分率{score:.0%}，{rules.certainty:.0%}把握区间 {low:.0%}–{high:.0%} 跨过合格线{bar:.0%}，"
                        f"还不能确定是否{side}合格线：{_what_settles(_settles_after(score, weight, weight2, rules))}"
                    ),
                )
        capped = bool(caps and added > 0 and share >= caps.max_share - TOL)
        note = _feedback_note(fb_n, share, own=own, capped=capped, rules=rules) if fb_n else ""
        lv = framework.level(level)
        assessed = level != NOT_ASSESSED
        rows.append(
            {
                "worker_id": worker,
                "domain": domain,
                "level": level,
                "level_title": lv.title,
                "proficient": bool(lv.proficient),
                "score": score if assessed else math.nan,
                "n_evidence": n,
                "sources": "、".join(SOURCES.get(k, k) for k in kinds),
                "reason": reason + note,
                "needs_trainer_evidence": bool(
                    level == NEEDS_IMPROVEMENT and reached and not set(kinds) & set(rules.trainer_sources)
                ),
                "low": low if assessed else math.nan,
                "high": high if assessed else math.nan,
                "n_effective": n_eff,
                "feedback_n": fb_n,
                "feedback_mean": float(feedback["ratio_sum"].sum()) / fb_n if fb_n else math.nan,
                "feedback_share": share,
            }
        )
    return pd.DataFrame(rows, columns=["worker_id", "domain", *RATING_COLUMNS])


def random_sums(seed):
    """Per-source sums for 60 workers × 4 domains: scores on and near each line, few and many
    answers, feedback alone, feedback beyond its cap, feedback too scarce to count."""
    rng = random.Random(seed)
    ratios = [0.0, 0.3, 0.59, 0.6, 0.6 - 5e-10, 0.7, 0.75, 0.8, 0.9, 1.0, rng.random()]
    rows = []
    for w in range(60):
        for domain in ("social_assistance", "elderly", "mediation", "housing"):
            base = rng.choice(ratios)  # mostly one rate per group, so that every level occurs
            for source in rng.sample(list(SOURCES), rng.randrange(1, len(SOURCES) + 1)):
                n = rng.choice([1, 1, 2, 3, 5, 12, 40, 80])
                weight = n * rng.uniform(0.2, 1.0)
                ratio = base if rng.random() < 0.7 else rng.choice(ratios)
                rows.append(
                    {
                        "worker_id": f"W{w:03d}",
                        "domain": domain,
                        "source": source,
                        "n": n,
                        "weight": weight,
                        "weighted": weight * ratio,
                        "weight2": weight * weight / n * rng.uniform(1.0, min(n, 3)),
                        "ratio_sum": ratio * n,
                    }
                )
    return pd.DataFrame(rows).sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _same(got, expected):
    assert len(expected) > 100
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False, check_exact=False, rtol=1e-9
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_ratings_equal_the_per_group_reference(seed):
    rules, framework = load_rating_rules(), load_framework()
    sums = random_sums(seed)
    expected = reference(sums, rules, framework)
    _same(rate_sums(sums, by=("worker_id", "domain"), rules=rules, framework=framework), expected)
    # the cases the reference walks through all occur
    assert {"not_assessed", "needs_improvement", INSUFFICIENT, "competent", "skilled", "expert"} <= set(
        expected["level"]
    )
    assert expected["needs_trainer_evidence"].any() and (expected["feedback_share"] > 0).any()
    assert expected["reason"].str.contains("已达上限").any() and expected["reason"].str.contains("暂不计入").any()


def test_without_feedback_rules_feedback_counts_nowhere_in_either():
    rules, framework = load_rating_rules(), load_framework()
    rules = rules.model_copy(update={"resident_feedback": None})
    sums = random_sums(4)
    expected = reference(sums, rules, framework)
    _same(rate_sums(sums, by=("worker_id", "domain"), rules=rules, framework=framework), expected)
    assert (expected["feedback_share"] == 0).all() and expected["reason"].str.contains("未设回访规则").any()


def test_categorical_keys_give_the_same_ratings():
    rules, framework = load_rating_rules(), load_framework()
    sums = random_sums(5)
    as_categories = sums.astype({"worker_id": "category", "domain": "category", "source": "category"})
    got = rate_sums(as_categories, by=("worker_id", "domain"), rules=rules, framework=framework)
    _same(got.astype({"worker_id": str, "domain": str}), reference(sums, rules, framework))
    assert np.isnan(got.loc[got["level"] == NOT_ASSESSED, "score"]).all()
