"""A rating says how sure it is: a 90 % Wilson interval on the weighted score over the effective
number of answers; a level only where the interval does not cross the 合格 line.

Worked by hand with every answer given on the rating day (weight 1, so the effective number is the
number of answers) and z = 1.6449 for 90 %:
- 3 answers all right: the lower bound is n / (n + z²) = 3 / 5.7055 = 0.526 < 0.6 → 证据不足;
  it reaches 0.6 once n / (n + 2.7055) ≥ 0.6, i.e. n ≥ 4.06: 2 more answers.
- 16 of 20 right (0.8): centre 0.764, half-width 0.143 → 0.622–0.907, above the line → 熟练.
- 6 of 20 right (0.3): 0.164–0.484, below the line → 待提高.
- 3 of 6 right (0.5): centre 0.5, half-width 1.6449·√(0.25/6 + 2.7055/144) / 1.4509 = 0.279 → 0.221–0.779
  → 证据不足, "低于" undecided.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from trainkit.ratings import RatingRules, rate, score_interval

AS_OF = datetime(2026, 11, 1, 12, 0)
RULES = RatingRules(
    explanation="测试",
    half_life_days=90,
    window_days=365,
    min_evidence=3,
    min_source_kinds=2,
    trainer_sources=("graded_exercise", "supervisor_review", "appeal_outcome"),
    certainty=0.9,
    thresholds={"competent": 0.6, "skilled": 0.75, "expert": 0.9},
)


def _rating(right: int, total: int) -> pd.Series:
    rows = [
        {
            "id": i + 1,
            "worker_id": "W001",
            "domain": "social_assistance",
            "item_id": "dibao_income",
            "source": "graded_exercise" if i % 2 else "self_check",
            "ref": f"q{i}",
            "score": 1.0 if i < right else 0.0,
            "max_score": 1.0,
            "recorded_at": AS_OF,
            "supersedes": None,
        }
        for i in range(total)
    ]
    return rate(pd.DataFrame(rows), as_of=AS_OF, rules=RULES).iloc[0]


def test_the_interval_is_wilsons():
    assert score_interval(1.0, 3, certainty=0.9)[0] == pytest.approx(3 / (3 + 1.6449**2), abs=1e-4)
    low, high = score_interval(0.8, 20, certainty=0.9)
    assert (low, high) == (pytest.approx(0.622, abs=1e-3), pytest.approx(0.907, abs=1e-3))


def test_three_right_answers_are_not_enough_to_say_and_the_cell_says_what_would_settle_it():
    rating = _rating(3, 3)
    assert rating["level_title"] == "证据不足" and not rating["proficient"]
    assert rating["low"] == pytest.approx(0.526, abs=1e-3) and rating["high"] == pytest.approx(1.0)
    assert "53%–100%" in rating["reason"] and "再完成约 2 道考核题" in rating["reason"]


def test_enough_evidence_gives_the_level_on_either_side_of_the_line():
    good, poor = _rating(16, 20), _rating(6, 20)
    assert good["level_title"] == "熟练" and good["low"] == pytest.approx(0.622, abs=1e-3)
    assert poor["level_title"] == "待提高" and poor["high"] == pytest.approx(0.484, abs=1e-3)
    assert good["n_effective"] == pytest.approx(20)


def test_a_middling_score_on_little_evidence_is_undecided_not_failed():
    rating = _rating(3, 6)
    assert rating["level_title"] == "证据不足" and "是否低于合格线" in rating["reason"]
    assert (rating["low"], rating["high"]) == (pytest.approx(0.221, abs=1e-3), pytest.approx(0.779, abs=1e-3))


def test_answers_to_settle_equal_trying_one_more_answer_at_a_time():
    """What settles an undecided group, for groups near the line and far: the count of more answers
    (weight 1, same rate) after which :func:`score_interval` no longer crosses the line, tried one by one."""
    import numpy as np

    from trainkit.ratings import _answers_to_settle

    rng = np.random.default_rng(11)
    bar = RULES.thresholds.competent
    score = np.concatenate([rng.random(300), bar + rng.normal(0, 0.03, 300), [bar, bar - 1e-10, 1.0, 0.0]])
    weight = rng.random(len(score)) * 40 + 0.5
    weight2 = weight * rng.uniform(0.2, 1.0, len(score))  # squared weights (each ≤ 1) sum to less

    def by_hand(p, w, w2):
        for more in range(1, 61):
            low, high = score_interval(p, (w + more) ** 2 / (w2 + more), certainty=RULES.certainty)
            if (low >= bar - 1e-9) if p + 1e-9 >= bar else (high < bar - 1e-9):
                return more
        return 0

    expected = [by_hand(*case) for case in zip(score.tolist(), weight.tolist(), weight2.tolist(), strict=True)]
    assert _answers_to_settle(score, weight, weight2, RULES).tolist() == expected
    assert expected.count(0) > 100 and len(set(expected)) > 30  # groups nothing settles, and many that settle


def test_answers_to_settle_equal_trying_all_sixty_for_many_groups(monkeypatch):
    """The few tries around the parabola's root give what trying every count from 1 to 60 gives,
    for groups on the line, a hair off it, far from it, with light and heavy weights."""
    import numpy as np

    from trainkit import ratings
    from trainkit.ratings import _answers_to_settle, _intervals

    tried = []  # (groups, counts tried) of each call of the Wilson check: watched, not changed
    check = ratings._settled
    monkeypatch.setattr(
        ratings, "_settled", lambda *args: tried.append((len(args[0]), args[3].shape[1])) or check(*args)
    )

    rng = np.random.default_rng(17)
    bar, n = RULES.thresholds.competent, 20_000
    near = bar + rng.choice([-1, 1], n) * 10.0 ** rng.uniform(-12, -1, n)
    score = np.concatenate([rng.random(n), near, np.full(50, bar), [0.0, 1.0, bar - 1e-9, bar + 1e-9]])
    weight = 10.0 ** rng.uniform(-2, 3, len(score))
    weight2 = weight * 10.0 ** rng.uniform(-3, 0, len(score))
    more = np.arange(1, 61, dtype=float)[None, :]
    low, high = _intervals(score[:, None], (weight[:, None] + more) ** 2 / (weight2[:, None] + more), certainty=0.9)
    reached = score[:, None] + 1e-9 >= bar
    settled = np.where(reached, low >= bar - 1e-9, high < bar - 1e-9)
    expected = np.where(settled.any(axis=1), settled.argmax(axis=1) + 1, 0)
    got = _answers_to_settle(score, weight, weight2, RULES)
    assert RULES.certainty == 0.9 and np.array_equal(got, expected)
    # the few tries settle nearly every group: all sixty counts are tried for a handful only
    assert tried[0] == (len(score), 4) and (len(tried) == 1 or tried[1][0] < len(score) // 1000)
    assert (expected == 0).sum() > 1000 and (expected == 1).sum() > 1000 and len(set(expected.tolist())) == 61
