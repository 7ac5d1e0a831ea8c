"""城乡居民基本养老保险: enrol from 16, claim from 60 with 15 years; never an amount."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs.jumin_yanglao import evaluate
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def resident(age: int, years: int = 0, **kw) -> Household:
    return Household(members=(Member(relation="applicant", age=age, resident_pension_years=years, **kw),))


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "jumin_yanglao.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    assert decision.amount is None


@pytest.mark.parametrize(("age", "eligible"), [(15, False), (16, True), (17, True)])
def test_enrolment_age(age, eligible):
    assert evaluate(resident(age), ON).eligible is eligible


@pytest.mark.parametrize(
    ("age", "years", "eligible", "claim"),
    [
        (59, 15, True, False),  # may keep paying; the claim starts at 60
        (60, 15, True, True),  # exactly at both thresholds
        (60, 14, False, True),  # one year short
        (61, 16, True, True),
    ],
)
def test_claim_needs_60_and_15_years(age, years, eligible, claim):
    d = evaluate(resident(age, years), ON)
    assert d.eligible is eligible
    assert any("可以按月领取养老金" in r.text for r in d.reasons) is (claim and eligible)


def test_claim_has_no_amount_and_names_the_missing_pension_standard():
    d = evaluate(resident(60, 15), ON)
    assert d.amount is None and d.period is None
    assert len(d.missing) == 1
    assert "基础养老金标准" in d.missing[0] and "区社会保险经办机构" in d.missing[0]


def test_enrolment_reasons_give_tiers_and_the_years_at_60():
    d = evaluate(resident(50, 3), ON)
    texts = " ".join(r.text for r in d.reasons)
    assert "最低 100、全国设定最高 2000 元/年" in texts
    assert "1500 元" in texts  # the tier list from the parameter description
    assert "到 60 周岁时累计 13 年，仍不足 15 年" in texts  # 3 + (60 − 50)
    assert d.missing == ()


@pytest.mark.parametrize(
    "kw",
    [{"employee_pension": True}, {"hukou_dalian": False}, {"full_time_study": "undergraduate"}],
)
def test_outside_the_scheme(kw):
    assert evaluate(resident(20, **kw), ON).eligible is False


def test_employee_pension_also_blocks_the_claim():
    assert evaluate(resident(65, 20, employee_pension=True), ON).eligible is False


def test_sources_and_dates():
    d = evaluate(resident(60, 15), ON)
    assert all(check_quote(r.citation) is None for r in d.reasons if r.citation)
    assert {r.citation.article for r in d.reasons if r.citation} >= {21, 22}
    assert evaluate(resident(30), dt.date(2016, 8, 12)).eligible is True
    with pytest.raises(BeforeFirstDate):
        evaluate(resident(30), dt.date(2016, 8, 11))
