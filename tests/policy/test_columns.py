"""The column helpers every program builds its rows with: reason codes, first matches, figures
spread over rows. Expected values are worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trainkit.policy.columns import first_true, step
from trainkit.policy.programs._person import spread


def test_step_later_pairs_win_and_unreached_rows_are_missing():
    a = np.array([True, True, False, False, True])
    b = np.array([False, True, False, True, True])
    codes = step(5, (a, "first"), (b, "second")).take()
    assert list(pd.Series(codes).astype(object).where(pd.notna(codes), None)) == [
        "first",
        "second",
        None,
        "second",
        "second",
    ]


def test_step_a_name_given_twice_is_one_code():
    codes = step(3, (np.array([True, False, False]), "x"), (np.array([False, False, True]), "x")).take()
    assert list(codes.categories) == ["x"]
    assert list(codes.codes) == [0, -1, 0]


def test_step_filled_for_some_rows_only_gives_those_rows_in_the_order_asked():
    a = np.array([True, True, False, False, True])
    b = np.array([False, True, False, True, True])
    codes = step(5, (a, "first"), (b, "second")).take(np.array([3, 0, 2]))
    assert list(pd.Series(codes).astype(object).where(pd.notna(codes), None)) == ["second", "first", None]


def test_first_true_is_the_first_condition_that_holds():
    old = np.array([True, False, True, False, False])
    young = np.array([False, True, True, False, True])
    alone = np.array([True, True, True, True, False])
    assert first_true([old, young, alone], default=9).tolist() == [0, 1, 0, 2, 1]
    assert first_true([np.zeros(2, dtype=bool)], default=-1).tolist() == [-1, -1]


def test_spread_gives_each_row_its_entry_in_every_column():
    table = {
        "tier": np.array([100.0, 200.0, 300.0]),
        "tier_title": pd.Categorical(["八十", "九十", "百岁"]),
        "tier_since": pd.Categorical(["2025-10-01", "2025-10-01", "2024-01-01"]),
    }
    out = spread(table, np.array([2, 0, 0, 1]))
    assert out["tier"].tolist() == [300.0, 100.0, 100.0, 200.0]
    assert list(out["tier_title"]) == ["百岁", "八十", "八十", "九十"]
    assert list(out["tier_since"]) == ["2024-01-01", "2025-10-01", "2025-10-01", "2025-10-01"]


def test_spread_of_one_series_repeats_it_on_every_row():
    table = {"dibao": np.array([500.0]), "dibao_title": pd.Categorical(["示例标准"])}
    out = spread(table, np.zeros(3, dtype=np.int64))
    assert out["dibao"].tolist() == [500.0, 500.0, 500.0]
    assert list(out["dibao_title"]) == ["示例标准"] * 3
