"""Every hand-worked scenario of every program holds: one runner for all programs.

The scenarios (``casebank/scenarios/<program>.yaml``) are worked by hand from the parameter files
and the rules' texts; each names its date, household and expected verdict and amount. A scenario
that expects no amount fails when the rule pays one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from trainkit.policy import PROGRAMS, Household, Member
from trainkit.policy.decision import Decision
from trainkit.policy.scenarios import Expected, Scenario, load_scenarios, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def _all() -> list:
    import os

    os.environ.setdefault("TRAINKIT_CASEBANK", str(CASEBANK))
    return [
        pytest.param(program, s, id=f"{program}: {s.name}")
        for program, sf in sorted(load_scenarios().items())
        for s in sf.scenarios
    ]


@pytest.mark.parametrize(("program", "scenario"), _all())
def test_scenario(program, scenario):
    decision = PROGRAMS[program].evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if scenario.expected.eligible is not True:
        assert decision.amount is None
    assert decision.reasons, "every decision gives its reasons"
    assert all(r.citation or r.reference for r in decision.reasons), "every reason names its source"


def test_every_program_has_at_least_eight_scenarios():
    found = {p: len(sf.scenarios) for p, sf in load_scenarios().items()}
    assert set(found) == set(PROGRAMS)
    assert min(found.values()) >= 8, found


def _scenario(eligible, amount=None):
    household = Household(members=(Member(relation="applicant", age=40),))
    expected = Expected(eligible=eligible, amount=amount)
    return Scenario(
        name="一个只用来检查比较规则的情景",
        date=dt.date(2025, 8, 1),
        household=household,
        expected=expected,
        why="测试",
    )


def test_mismatch_names_a_paid_amount_where_none_is_expected():
    paid = Decision("dibao", dt.date(2025, 8, 1), True, amount=Decimal(11), period="month")
    assert mismatch(_scenario(True), paid) == "金额应为 无，实际为 11.00"
    assert mismatch(_scenario(True, Decimal(11)), paid) is None
    assert mismatch(_scenario(True, Decimal(12)), paid) == "金额应为 12，实际为 11.00"
    assert mismatch(_scenario(None), paid).startswith("结论应为 None")
