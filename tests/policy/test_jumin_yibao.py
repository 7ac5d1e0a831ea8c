"""城乡居民基本医疗保险: who enrols, the dated minimum contribution, the waiting period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs.jumin_yibao import evaluate, waiting_months
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def resident(receives: tuple[str, ...] = (), **kw) -> Household:
    return Household(receives=receives, members=(Member(relation="applicant", age=40, **kw),))


def texts(d) -> str:  # noqa: ANN001
    return " ".join(r.text for r in d.reasons)


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "jumin_yibao.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    assert decision.amount is None


@pytest.mark.parametrize(
    ("late", "lapsed", "months"),
    [(False, 0, 0), (True, 0, 3), (False, 1, 4), (False, 2, 5), (True, 3, 6), (False, 10, 13)],
)
def test_waiting_is_3_months_plus_1_per_lapsed_year(late, lapsed, months):
    assert waiting_months(late, lapsed, ON) == months


def test_waiting_before_2025_is_unknown_not_the_2025_rule():
    assert waiting_months(False, 2, dt.date(2024, 12, 31)) is None
    assert waiting_months(False, 2, dt.date(2025, 1, 1)) == 5
    assert waiting_months(False, 0, dt.date(2024, 12, 31)) == 0
    d = evaluate(resident(medical_lapsed_years=2), dt.date(2024, 12, 31))
    assert d.eligible is True
    assert "5 个月" not in texts(d)
    assert any("2025 年以前" in m and "等待期" in m for m in d.missing)


def test_reasons_state_the_waiting_period():
    d = evaluate(resident(medical_lapsed_years=2), ON)
    assert "固定待遇等待期 3 个月，断保 2 年 × 1 个月，共 5 个月" in texts(d)
    assert "没有待遇等待期" in texts(evaluate(resident(), ON))
    assert "在集中参保期外参保：固定待遇等待期 3 个月，断保 0 年" in texts(
        evaluate(resident(medical_enrol_late=True), ON)
    )


def test_employee_medical_is_not_eligible():
    d = evaluate(resident(employee_medical=True), ON)
    assert d.eligible is False
    assert d.reasons[-1].citation.article == 23


def test_tekun_fully_subsidised_dibao_amount_local():
    tekun = evaluate(resident(("tekun",)), ON)
    assert "全额资助" in texts(tekun)
    assert not any("低保对象" in m for m in tekun.missing)
    dibao = evaluate(resident(("dibao",)), ON)
    assert "定额资助" in texts(dibao)
    assert any("低保对象居民医保个人缴费的资助金额" in m for m in dibao.missing)


@pytest.mark.parametrize(
    ("on", "individual", "subsidy"),
    [(dt.date(2024, 1, 1), "400", "670"), (dt.date(2024, 12, 31), "400", "670"), (dt.date(2025, 1, 1), "400", "700")],
)
def test_national_minimum_by_year(on, individual, subsidy):
    t = texts(evaluate(resident(), on))
    assert f"个人缴费全国最低标准：{individual} 元/人/年" in t
    assert f"人均财政补助全国最低标准：{subsidy} 元/人/年" in t


def test_2026_gap_is_not_filled_and_2023_raises():
    d = evaluate(resident(), dt.date(2026, 3, 1))
    assert d.eligible is True
    assert "400 元" not in texts(d)
    assert any("2026 年城乡居民医保个人缴费最低标准未收录" in m for m in d.missing)
    with pytest.raises(BeforeFirstDate):
        evaluate(resident(), dt.date(2023, 12, 31))


def test_citations_exact():
    d = evaluate(resident(("dibao",)), ON)
    assert all(check_quote(r.citation) is None for r in d.reasons if r.citation)
    assert 25 in {r.citation.article for r in d.reasons if r.citation}
