"""The item analysis counted over integer codes equals the readable pandas version below (the
one the kit used before), on randomised answers: repeated answers, ties in strength, questions
too few workers answered, several domains and sources per question."""

import random

import numpy as np
import pandas as pd
import pytest

from trainkit.evidence import SOURCES
from trainkit.framework import load_framework
from trainkit.item_quality import QUESTION_COLUMNS, ItemQualityRules, _flags, question_table

RULES = ItemQualityRules()


def reference(rows, framework, rules):
    """Per question with pandas group-bys: counts, shares, upper–lower discrimination, flags."""
    titles = {d.id: d.title for d in framework.domains}
    rows = rows.assign(correct=(rows["ratio"].astype(float) >= 1 - 1e-9).astype(float))
    grouped = rows.groupby("ref", observed=True)
    stats = grouped.agg(
        attempts=("ratio", "size"),
        workers=("worker_id", "nunique"),
        correct_rate=("correct", "mean"),
        mean_score=("ratio", "mean"),
    )
    pairs = rows[["ref", "domain", "source"]].drop_duplicates()
    stats["domains"] = pairs.groupby("ref", observed=True)["domain"].agg(
        lambda s: "、".join(titles.get(d, d) for d in sorted(set(s)))
    )
    stats["sources"] = pairs.groupby("ref", observed=True)["source"].agg(
        lambda s: "、".join(v for k, v in SOURCES.items() if k in set(s))
    )
    # strength: the worker's mean on the other questions of the same domain; ties by worker order
    keys = ["worker_id", "domain", "ref"]
    answered = rows.groupby(keys, observed=True)[["ratio", "correct"]].mean().reset_index()
    ability = answered.groupby(["worker_id", "domain"], observed=True)["ratio"].agg(["sum", "count"])
    answered = answered.join(ability, on=["worker_id", "domain"])
    answered = answered[answered["count"] > 1]
    # rounded, so that equal strengths tie whatever order their sums were added in
    answered = answered.assign(rest=((answered["sum"] - answered["ratio"]) / (answered["count"] - 1)).round(12))
    by_ref = answered.groupby("ref", observed=True)
    rank = by_ref["rest"].rank(method="first")
    size = by_ref["rest"].transform("size")
    group = np.maximum(1, np.floor(size * rules.group_share))
    upper = answered[rank > size - group].groupby("ref", observed=True)["correct"].mean()
    lower = answered[rank <= group].groupby("ref", observed=True)["correct"].mean()
    judged = size.groupby(answered["ref"], observed=True).first() >= rules.min_workers
    out = pd.DataFrame({"discrimination": upper - lower, "strong_miss": 1 - upper})
    stats = stats.join(out.where(judged.reindex(out.index, fill_value=False)))
    stats["flags"] = _flags(stats, rules)
    stats = stats.reset_index().astype({"ref": str})
    stats = stats.assign(right=stats["correct_rate"].round(12), mean=stats["mean_score"].round(12))
    stats = stats.sort_values(["right", "mean", "attempts", "ref"], ascending=[True, True, False, True])
    return stats[QUESTION_COLUMNS].reset_index(drop=True)


def answers(seed, n=4000):
    rng = random.Random(seed)
    domains = [d.id for d in load_framework().domains][:4]
    strength = {f"W{w:03d}": rng.choice([0.2, 0.5, 0.8]) for w in range(40)}
    rows = []
    for _ in range(n):
        worker = rng.choice(list(strength))
        q = rng.randrange(30)
        ref = f"quiz:{q:02d}" if q < 28 else f"rare:{q}:{worker[-1]}"  # some answered by few workers
        right = rng.random() < (1 - strength[worker] if q == 3 else strength[worker])  # q03 keyed wrong
        rows.append(
            {
                "worker_id": worker,
                "domain": domains[q % 4] if rng.random() < 0.9 else rng.choice(domains),
                "source": rng.choice(list(SOURCES)[:4]),
                "ref": ref,
                "ratio": 1.0 if right else rng.choice([0.0, 0.5]),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("categorical", [False, True])
def test_counted_over_codes_equals_the_pandas_reference(seed, categorical):
    rows = answers(seed)
    if categorical:  # as the report reads them: names as categories
        rows = rows.astype(dict.fromkeys(["worker_id", "domain", "source", "ref"], "category"))
    framework = load_framework()
    expected = reference(rows, framework, RULES)
    got = question_table(rows, framework, RULES)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=1e-9)
    assert expected["discrimination"].notna().sum() >= 20 and expected["discrimination"].isna().any()
    assert set(expected["flags"]) >= {"可能答案有误", ""} and expected["domains"].str.contains("、").any()


def test_scores_far_out_of_range_rank_alike():
    rows = answers(4)
    rows.loc[rows.index[::97], "ratio"] = 1e7  # a broken import: the strengths no longer fit one sort key
    framework = load_framework()
    expected = reference(rows, framework, RULES)
    pd.testing.assert_frame_equal(
        question_table(rows, framework, RULES), expected, check_dtype=False, check_exact=False, rtol=1e-9
    )
    assert expected["discrimination"].notna().sum() >= 20
