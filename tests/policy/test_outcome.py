"""One row explained and every row worded column-wise say the same thing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trainkit.district.register import households_from_register, residents_on
from trainkit.district.synth import synthesize
from trainkit.policy import PROGRAMS
from trainkit.policy.frames import numbered
from trainkit.policy.outcome import Because, Outcome, _column_text, explain, money, reason_column

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 12, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def test_money_is_written_as_the_notices_write_it():
    assert [money(v) for v in (1011, 1011.0, 822.5, 0.05, 0, -3.1)] == ["1011", "1011", "822.50", "0.05", "0", "-3.10"]


def test_a_money_column_is_written_as_money_writes_each_value():
    rng = np.random.default_rng(3)
    values = np.round(np.concatenate([rng.normal(0, 5000, 5_000), [0.0, -0.0, 0.005, 0.015, 2022.0]]), 2)
    assert _column_text(pd.Series(values)).to_pylist() == [money(v) for v in values]


def test_a_missing_figure_is_written_as_pending():
    assert _column_text(pd.Series([1.5, np.nan])).to_pylist() == ["1.50", "待核实"]


def test_the_outreach_reason_is_the_last_reason_the_household_is_given():
    tables = synthesize(300, seed=5, on=ON)
    households, residents = tables["households"], residents_on(tables["residents"], ON)
    homes, people, ids = numbered(households, residents)
    rule = PROGRAMS["dibao"]
    outcome = rule.decide(homes, people, ON)
    column = reason_column(rule, outcome)
    records = {h.id: h for h in households_from_register(households, residents)}
    checked = 0
    for i, home in enumerate(ids):
        decision = explain(rule, outcome, i, ON)
        last = decision.missing[-1] if decision.missing else decision.reasons[-1].text
        assert column[i] == last, home
        alone = rule.evaluate(records[home], ON)  # the household on its own: the same decision
        assert (alone.eligible, alone.amount, alone.reasons, alone.missing) == (
            decision.eligible,
            decision.amount,
            decision.reasons,
            decision.missing,
        ), home
        checked += 1
    assert checked == len(households)


def test_one_rounding_rule_for_money_in_text_json_and_columns():
    from decimal import Decimal

    from trainkit.policy.decision import Decision

    d = Decision("dibao", ON, True, amount=Decimal("10.995"), period="month")
    assert d.amount == Decimal("11.00")  # 四舍五入到分, not half-even (11.00 vs 10.99 would differ by a fen)
    assert d.to_json()["amount"] == "11.00" and d.amount_text == "11.00 元/月"
    assert money(Decimal("2.675")) == "2.68" and money(2.665) == "2.67"
    assert _column_text(pd.Series([2.675, 2.665, 10.995])).to_pylist() == ["2.68", "2.67", "11"]


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_every_programs_reasons_worded_for_a_register_match_each_row_worded_alone(program):
    """Over a register large enough that each common sentence is worded once per group of rows
    quoting the same figures, every row reads as that row worded on its own, which is one of the
    reasons its explanation gives."""
    tables = synthesize(2_500, seed=9, on=ON)
    homes, people, _ = numbered(tables["households"], residents_on(tables["residents"], ON))
    rule = PROGRAMS[program]
    outcome = rule.decide(homes, people, ON)
    column = reason_column(rule, outcome)
    assert len(column) > 2_000
    rows = np.random.default_rng(4).choice(len(column), size=120, replace=False)
    for i in rows:
        assert column[i] == reason_column(rule, outcome, np.array([i]))[0], i
        try:
            decision = explain(rule, outcome, int(i), ON)
        except ValueError as refused:  # the rule does not apply to this row: it says why
            assert column[i] in str(refused), i
            continue
        assert column[i] in [r.text for r in decision.reasons] + list(decision.missing), i


def test_a_sentence_shared_by_many_rows_is_worded_with_each_rows_own_figures():
    """Rows are grouped by the figures a sentence quotes: two figures whose numbers add up
    alike (甲 with 2, 乙 with 1) must still be told apart."""
    rng = np.random.default_rng(1)
    n = 3_000
    a = rng.choice(["甲", "乙", "丙"], n)
    b = rng.integers(0, 3, n)
    code = np.where(b == 2, "late", "on_time")
    rows = pd.DataFrame(
        {"step": pd.Categorical(code), "who": pd.Categorical(a, categories=["甲", "乙", "丙"]), "wait": b, "x": 1.5 * b}
    )

    class Program:
        REASONS = {"late": Because("{who}：等待 {wait} 个月（{x} 元）"), "on_time": Because("{who} 按时，{wait}")}

    column = reason_column(Program, Outcome(rows=rows, steps=("step",)))
    expected = [
        f"{w}：等待 {k} 个月（{money(1.5 * k)} 元）" if k == 2 else f"{w} 按时，{k}" for w, k in zip(a, b, strict=True)
    ]
    assert list(column) == expected
