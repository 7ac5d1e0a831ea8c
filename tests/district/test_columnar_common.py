"""The helpers every columnar screen shares: money as text, and reasons that read like the rule's."""

import datetime as dt

import numpy as np
import pandas as pd

from trainkit.district.columnar._common import Reasons, cents_text, result

ON = dt.date(2025, 12, 1)


def test_cents_text_writes_what_python_formatting_writes():
    rng = np.random.default_rng(3)
    values = np.round(
        np.concatenate(
            [rng.normal(0, 5000, 20_000), rng.integers(-300, 300, 2_000) / 100, [0.0, -0.0, 0.005, 0.015, 12_345_678.9]]
        ),
        2,
    )
    assert cents_text(values).to_pylist() == [f"{v:.2f}" for v in values]


def test_cents_text_leaves_a_missing_figure_empty():
    assert cents_text(np.array([1.5, np.nan])).to_pylist() == ["1.50", None]


def test_reasons_become_one_category_per_distinct_sentence():
    reasons = Reasons(4, "不符合")
    reasons.set(np.array([True, False, False, False]), "符合")
    reasons.set(np.array([False, True, False, False]), "符合")  # the same sentence twice
    column = result(
        pd.DataFrame({"household_id": ["H1", "H1", "H2", "H3"], "member_no": [1, 2, 1, 1]}),
        np.array([True, True, False, False]),
        np.full(4, np.nan),
        reasons,
    )["reason"]
    assert column.tolist() == ["符合", "符合", "不符合", "不符合"]
    assert sorted(column.cat.categories) == ["不符合", "符合"]
