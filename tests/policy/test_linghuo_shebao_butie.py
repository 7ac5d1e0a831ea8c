"""灵活就业社会保险补贴: 2/3 ceiling rounded down, 3- and 2-year periods, retirement bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import Household, Member
from trainkit.policy.programs.linghuo_shebao_butie import add_years, evaluate, retirement_window, subsidy_ceiling
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def worker(age: int = 40, paid="600", **kw) -> Household:
    kw.setdefault("employment", "flexible")
    kw.setdefault("employment_difficulty_recognised", True)
    return Household(
        members=(Member(relation="applicant", age=age, flexible_insurance_paid_monthly=Decimal(paid), **kw),)
    )


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "linghuo_shebao_butie.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if decision.eligible is not True:
        assert decision.amount is None
    if decision.eligible is None:
        assert decision.missing


@pytest.mark.parametrize(
    ("paid", "ceiling"),
    [
        ("600", "400.00"),  # 600 × 2/3
        ("500", "333.33"),  # 333.333… rounded down
        ("301", "200.66"),  # 200.666…: down, not half-up (200.67)
        ("1", "0.66"),  # 0.666…
        ("0.01", "0.00"),  # 0.00666…
        ("1234.56", "823.04"),  # 1234.56 × 2 / 3 = 823.04 exactly
    ],
)
def test_ceiling_is_two_thirds_rounded_down_to_the_fen(paid, ceiling):
    amount = subsidy_ceiling(Decimal(paid), ON)
    assert amount == Decimal(ceiling)
    assert str(amount) == ceiling
    assert amount * 3 <= Decimal(paid) * 2


def test_three_year_period_ends_on_the_anniversary():
    kw = {"sex": "male", "birth_date": dt.date(1980, 1, 1), "flexible_subsidy_first_approved": dt.date(2022, 8, 1)}
    last = evaluate(worker(45, "750", **kw), dt.date(2025, 7, 31))
    assert (last.eligible, last.amount, last.period) == (True, Decimal("500.00"), "month")
    assert any("至 2025-07-31 止" in r.text for r in last.reasons)
    ended = evaluate(worker(45, "750", **kw), dt.date(2025, 8, 1))
    assert ended.eligible is False
    assert "2025-08-01 起不再享受" in ended.reasons[-1].text


def test_graduate_period_is_two_years():
    kw = {
        "employment_difficulty_recognised": False,
        "graduated_within_2y": True,
        "flexible_subsidy_first_approved": dt.date(2023, 9, 1),
    }
    assert evaluate(worker(24, "450", **kw), dt.date(2025, 8, 31)).amount == Decimal("300.00")
    assert evaluate(worker(24, "450", **kw), dt.date(2025, 9, 1)).eligible is False


def test_recognised_graduate_gets_the_three_year_period():
    kw = {
        "graduated_within_2y": True,
        "sex": "female",
        "birth_date": dt.date(2001, 5, 5),
        "flexible_subsidy_first_approved": dt.date(2023, 9, 1),
    }
    assert evaluate(worker(24, "450", **kw), dt.date(2025, 9, 1)).eligible is True  # until 2026-08-31


def test_retirement_window_from_bounds():
    man = Member(relation="applicant", age=57, sex="male", birth_date=dt.date(1968, 3, 1))
    assert retirement_window(man, ON) == (dt.date(2028, 3, 1), dt.date(2031, 3, 1))  # 60 and 63
    woman = Member(relation="applicant", age=53, sex="female", birth_date=dt.date(1972, 6, 1))
    assert retirement_window(woman, ON) == (dt.date(2022, 6, 1), dt.date(2030, 6, 1))  # 50 and 58
    # age only, sex unknown: born 1980-08-02 … 1981-08-01; 50 at the earliest, 63 at the latest
    anyone = Member(relation="applicant", age=44)
    assert retirement_window(anyone, ON) == (dt.date(2030, 8, 2), dt.date(2044, 8, 1))


def test_near_retirement_is_pending_with_what_is_missing():
    h = worker(53, sex="female", birth_date=dt.date(1972, 6, 1), flexible_subsidy_first_approved=dt.date(2024, 1, 1))
    d = evaluate(h, ON)
    assert d.eligible is None and d.amount is None
    assert len(d.missing) == 1
    assert "法定退休年龄" in d.missing[0] and "区人力资源和社会保障局" in d.missing[0]
    assert "不足 5 年" in d.missing[0]


def test_not_eligible_without_flexible_work_payment_or_status():
    assert evaluate(worker(employment="employed"), ON).eligible is False
    assert evaluate(worker(paid="0"), ON).eligible is False
    d = evaluate(worker(employment_difficulty_recognised=False), ON)
    assert d.eligible is False
    assert "可先申请就业困难人员认定" in d.reasons[-1].text


def test_rounding_is_explained_as_the_kits_choice_and_sources_are_exact():
    d = evaluate(worker(40, "301", sex="male", birth_date=dt.date(1985, 3, 15)), ON)
    assert d.amount == Decimal("200.66")
    assert any("不足一分的部分舍去，是本工具包的取整方式" in r.text for r in d.reasons)
    assert any(
        r.reference
        and r.reference.href == "https://www.haibowan.gov.cn/c/2025-07-02/48966.shtml"
        and r.reference.status == "V"
        for r in d.reasons
    )
    assert all(check_quote(r.citation) is None for r in d.reasons if r.citation)


def test_dates_before_the_figures_are_known_in_force_are_pending_and_approval_after_the_date_is_an_error():
    early = evaluate(worker(), dt.date(2025, 3, 1))  # the series is only known in force by 2025-07-02
    assert early.eligible is None and early.amount is None and any("最晚 2025-07-02" in m for m in early.missing)
    assert evaluate(worker(employment="employed"), dt.date(2025, 3, 1)).eligible is False  # needs no figure
    assert evaluate(worker(sex="male", birth_date=dt.date(1985, 1, 1)), dt.date(2025, 7, 2)).eligible is True
    with pytest.raises(ValueError, match="晚于判断日期"):
        evaluate(worker(flexible_subsidy_first_approved=dt.date(2025, 9, 1)), ON)


def test_add_years_on_29_february():
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 3, 1)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2025, 8, 1), -45) == dt.date(1980, 8, 1)
