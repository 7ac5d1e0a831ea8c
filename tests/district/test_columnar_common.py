"""The helpers every columnar screen shares: money as text, and reasons that read like the rule's."""

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from trainkit.district.columnar import load_screens
from trainkit.district.columnar._common import Reasons, cents_text, result
from trainkit.district.register import households_from_register, residents_on
from trainkit.district.synth import synthesize
from trainkit.policy import PROGRAMS

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


@pytest.fixture(scope="module")
def register():
    tables = synthesize(300, seed=5, on=ON)
    return tables["households"], residents_on(tables["residents"], ON)


def test_dibao_reason_gives_the_rules_own_count_and_income(register):
    households, residents = register
    screened = load_screens()["dibao"](households, residents, ON).set_index("household_id")["reason"]
    checked = 0
    for household in households_from_register(households, residents):
        decision = PROGRAMS["dibao"].evaluate(household, ON)
        said = next((r.text for r in decision.reasons if r.text.startswith("共同生活的家庭成员")), None)
        if said is None:
            continue
        n, income = re.match(r"共同生活的家庭成员 (\d+) 人，月可计收入合计 ([\d.]+) 元", said).groups()
        assert screened[household.id].startswith(f"共同生活 {n} 人，月可计收入 {float(income):.2f} 元，"), household.id
        checked += 1
    assert checked > 200
