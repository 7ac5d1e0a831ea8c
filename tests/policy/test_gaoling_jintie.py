"""高龄津贴 (Dalian, from 2025-10-01): 户籍, age tiers exactly at each boundary, registration window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs import gaoling_jintie
from trainkit.policy.programs.gaoling_jintie import age_on, eightieth_birthday, evaluate, registration_opens
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
START = dt.date(2025, 10, 1)
NOV_2025 = dt.date(2025, 11, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def elder(age: int, *, rural: bool = False, **kw) -> Household:
    return Household(members=(Member(relation="applicant", age=age, **kw),), rural_standard=rural)


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "gaoling_jintie.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if scenario.expected.eligible is not True:
        assert decision.amount is None


def test_at_least_eight_scenarios():
    assert len(_scenarios()) >= 8


# ── age tiers, exactly at each boundary ─────────────────────────────────────


@pytest.mark.parametrize(
    ("age", "amount"),
    [
        (79, None),
        (80, 30),
        (84, 30),
        (85, 50),
        (89, 50),
        (90, 200),
        (99, 200),
        (100, 1011),
        (120, 1011),  # equal to the urban 低保 standard in force (2025-07-01: 1011)
    ],
)
def test_tiers_at_the_boundaries(age, amount):
    d = evaluate(elder(age), NOV_2025)
    assert d.eligible is (amount is not None)
    assert d.amount == (None if amount is None else Decimal(amount))
    assert d.period == ("month" if amount else None)


def test_centenarian_gets_the_urban_standard_even_in_a_rural_standard_area():
    assert evaluate(elder(101, rural=True), NOV_2025).amount == Decimal(1011)  # not the rural 846


def test_centenarian_reason_names_the_dibao_standard():
    texts = [r.text for r in evaluate(elder(100), NOV_2025).reasons]
    assert any("大连市城市居民最低生活保障标准：1011 元/人/月" in t and "每月高龄津贴 1011 元" in t for t in texts)


def test_no_income_test_and_non_dalian_hukou_is_not_eligible():
    assert evaluate(elder(86, hukou_dalian=False), NOV_2025).eligible is False
    assert evaluate(elder(86), NOV_2025).amount == Decimal(50)


# ── dates ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("age", [79, 85, 100])
def test_before_2025_10_01_raises(age):
    with pytest.raises(BeforeFirstDate, match="2025-09-30 早于本系列最早的生效日期 2025-10-01"):
        evaluate(elder(age), dt.date(2025, 9, 30))
    assert evaluate(elder(85), START).amount == Decimal(50)


def test_after_the_five_years_is_pending():
    assert evaluate(elder(92), dt.date(2030, 9, 30)).amount == Decimal(200)
    d = evaluate(elder(92), dt.date(2030, 10, 1))
    assert (d.eligible, d.amount) == (None, None)
    assert "有效期 5 年" in d.missing[0]


# ── registration window: within 3 months before the 80th birthday ───────────


@pytest.mark.parametrize(
    ("birth", "opens", "birthday"),
    [
        (dt.date(1946, 1, 15), dt.date(2025, 10, 15), dt.date(2026, 1, 15)),  # across the year end
        (dt.date(1946, 3, 15), dt.date(2025, 12, 15), dt.date(2026, 3, 15)),
        (dt.date(1946, 4, 10), dt.date(2026, 1, 10), dt.date(2026, 4, 10)),
        (dt.date(1946, 5, 31), dt.date(2026, 2, 28), dt.date(2026, 5, 31)),  # day clamped to Feb's end
        (dt.date(1947, 5, 31), dt.date(2027, 2, 28), dt.date(2027, 5, 31)),
        (dt.date(1948, 2, 29), dt.date(2027, 11, 29), dt.date(2028, 2, 29)),  # leap year to leap year
    ],
)
def test_registration_opens_three_months_before(birth, opens, birthday):
    assert eightieth_birthday(birth) == birthday
    assert registration_opens(birth) == opens


def test_29_february_birthday_in_a_common_year_is_1_march():
    assert eightieth_birthday(dt.date(2020, 2, 29)) == dt.date(2100, 3, 1)
    assert age_on(dt.date(1947, 2, 28), dt.date(2027, 2, 27)) == 79
    assert age_on(dt.date(1947, 2, 28), dt.date(2027, 2, 28)) == 80


@pytest.mark.parametrize(
    ("on", "age", "eligible", "phrase"),
    [
        (dt.date(2025, 10, 14), 79, False, "尚未到登记期"),
        (dt.date(2025, 10, 15), 79, False, "在登记期内，可以登记"),
        (dt.date(2026, 1, 14), 79, False, "在登记期内，可以登记"),
        (dt.date(2026, 1, 15), 80, True, "已过登记期"),
    ],
)
def test_window_reason(on, age, eligible, phrase):
    d = evaluate(elder(age, birth_date=dt.date(1946, 1, 15)), on)
    assert d.eligible is eligible
    window = [r.text for r in d.reasons if "登记期" in r.text]
    assert len(window) == 1
    assert window[0].startswith(f"{on} {phrase}")
    assert "2025-10-15 至 2026-01-14" in window[0]


def test_without_birth_date_the_window_cannot_be_judged():
    texts = [r.text for r in evaluate(elder(79), NOV_2025).reasons]
    assert any("未登记出生日期（birth_date），无法判断" in t for t in texts)


def test_age_and_birth_date_must_agree():
    with pytest.raises(ValueError, match="应为 79 周岁"):
        evaluate(elder(80, birth_date=dt.date(1946, 1, 15)), dt.date(2026, 1, 14))


# ── sources ─────────────────────────────────────────────────────────────────


def test_quote_is_exact_and_every_reason_has_a_source():
    assert check_quote(gaoling_jintie.ART_33) is None
    out = evaluate(elder(90), NOV_2025).to_json()
    assert (out["eligible"], out["amount"], out["period"]) == (True, "200.00", "month")
    assert all("citation" in r or "reference" in r for r in out["reasons"])
    refs = [r["reference"] for r in out["reasons"] if "reference" in r]
    assert all(r["href"].startswith("https://epaper.lnd.com.cn/") for r in refs)


def test_program_metadata():
    assert (gaoling_jintie.PROGRAM, gaoling_jintie.DOMAIN, gaoling_jintie.ITEMS) == (
        "gaoling_jintie",
        "elderly",
        ("longevity_allowance",),
    )
