"""特困人员救助供养: the three tests of Art. 14, the 2016/2021 认定办法 switch, the stated standard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Income, Member
from trainkit.policy.household import Disability
from trainkit.policy.programs import tekun
from trainkit.policy.programs.tekun import evaluate, lacks_work_capacity, rules_version
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
AUG_2025 = dt.date(2025, 8, 1)
LAST_2016 = dt.date(2021, 6, 30)
FIRST_2021 = dt.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def person(
    age: int = 70, *, supporters: str = "none", disability: tuple[str, int] | None = None, incomes: dict | None = None
) -> Member:
    return Member(
        relation="applicant",
        age=age,
        supporters=supporters,
        disability=Disability(kind=disability[0], grade=disability[1]) if disability else None,
        incomes=tuple(Income(kind=k, monthly=Decimal(str(m))) for k, m in (incomes or {}).items()),
    )


def alone(*, property_check: str = "passed", rural: bool = False, **kw) -> Household:
    return Household(members=(person(**kw),), property_check=property_check, rural_standard=rural)


# ── content check: every hand-worked scenario holds ─────────────────────────


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "tekun.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if scenario.expected.eligible is not True:
        assert decision.amount is None


def test_at_least_eight_scenarios():
    assert len(_scenarios()) >= 8


# ── 无劳动能力 by version ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("m", "in_2016", "in_2021"),
    [
        (person(60), True, True),
        (person(59), False, False),
        (person(15), True, True),
        (person(16), False, False),
        (person(40, disability=("intellectual", 1)), True, True),
        (person(40, disability=("intellectual", 2)), True, True),
        (person(40, disability=("intellectual", 3)), False, True),
        (person(40, disability=("intellectual", 4)), False, False),
        (person(40, disability=("psychiatric", 2)), True, True),
        (person(40, disability=("psychiatric", 3)), False, True),
        (person(40, disability=("physical", 1)), True, True),
        (person(40, disability=("physical", 2)), False, True),
        (person(40, disability=("physical", 3)), False, False),
        (person(40, disability=("visual", 1)), False, True),
        (person(40, disability=("visual", 2)), False, False),
        (person(40, disability=("hearing", 1)), False, False),
        (person(40, disability=("speech", 1)), False, False),
    ],
)
def test_lacks_work_capacity_by_version(m, in_2016, in_2021):
    ok16, why16 = lacks_work_capacity(m, 2016)
    ok21, why21 = lacks_work_capacity(m, 2021)
    assert (ok16, ok21) == (in_2016, in_2021)
    assert why16.startswith("属于" if ok16 else "不属于")
    assert why21.startswith("属于" if ok21 else "不属于")


def test_reason_names_the_version_scope():
    _, why = lacks_work_capacity(person(40, disability=("intellectual", 3)), 2016)
    assert "智力残疾三级不在2016年版认定的残疾范围" in why
    assert "智力残疾一级、二级" in why and "肢体残疾一级" in why and "视力" not in why
    _, why = lacks_work_capacity(person(40, disability=("physical", 2)), 2021)
    assert "肢体残疾二级在2021年版认定的残疾范围" in why


# ── version chosen by date ──────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("on", "year"),
    [(dt.date(2016, 10, 10), 2016), (LAST_2016, 2016), (FIRST_2021, 2021), (dt.date(2030, 1, 1), 2021)],
)
def test_rules_version_switches_on_2021_07_01(on, year):
    _, value, found = rules_version(on)
    assert found == year
    assert value.reference is not None and value.reference.href


def test_the_2016_date_is_marked_unverified_and_the_2021_date_verified():
    _, v2016, _ = rules_version(LAST_2016)
    _, v2021, _ = rules_version(FIRST_2021)
    assert v2016.status == "U" and "未见原文" in v2016.note
    assert v2021.status == "V" and v2021.effective == FIRST_2021


def test_before_the_2016_version_raises_even_for_a_clear_case():
    with pytest.raises(BeforeFirstDate, match="2016-10-09 早于本系列最早的生效日期 2016-10-10"):
        evaluate(alone(age=59), dt.date(2016, 10, 9))
    assert evaluate(alone(age=59), dt.date(2016, 10, 10)).eligible is False


def test_same_person_switches_from_not_eligible_to_eligible_on_the_day():
    h = alone(age=40, supporters="unable", disability=("intellectual", 3))
    before, after = evaluate(h, LAST_2016), evaluate(h, FIRST_2021)
    assert (before.eligible, before.amount) == (False, None)
    assert (after.eligible, after.amount, after.period) == (True, Decimal(1560), "month")
    assert "2016年版" in before.reasons[0].text and "2021年版" in after.reasons[0].text


def test_2016_era_case_that_passes_the_ability_test_is_pending():
    d = evaluate(alone(age=70), LAST_2016)
    assert d.eligible is None and d.amount is None
    assert len(d.missing) == 1
    assert "从 2021-07-01 起收录" in d.missing[0] and "2021-06-30 的标准未收录" in d.missing[0]


# ── 无生活来源: threshold on the 低保 standard, property ───────────────────────


@pytest.mark.parametrize(
    ("monthly", "eligible"),
    [("0", True), ("1010.99", True), ("1011", False), ("1011.01", False)],
)
def test_income_threshold_is_strictly_below_1011(monthly, eligible):
    d = evaluate(alone(incomes={"transfer": monthly}), AUG_2025)
    assert d.eligible is eligible
    assert d.amount == (Decimal(2022) if eligible else None)  # stated standard, not a gap payment


def test_income_threshold_follows_the_dibao_series_by_date():
    h = alone(incomes={"wages": 800})
    assert evaluate(h, dt.date(2022, 6, 30)).eligible is False  # 800 ≥ 780
    assert evaluate(h, dt.date(2022, 7, 1)).amount == Decimal(1700)  # 800 < 850


def test_excluded_income_is_named_and_not_counted():
    d = evaluate(alone(incomes={"preferential_pension": 1500, "wages": 100}), AUG_2025)
    assert d.amount == Decimal(2022)
    texts = [r.text for r in d.reasons]
    assert "申请人（70岁）的优待抚恤金 1500 元不计入收入" in texts
    assert "申请人（70岁）本人月可计收入 100 元" in texts


def test_property_unknown_is_pending_and_failed_is_not_eligible():
    pending = evaluate(alone(property_check="unknown"), AUG_2025)
    assert pending.eligible is None and "财产状况尚未核查" in pending.missing[0]
    assert evaluate(alone(property_check="failed"), AUG_2025).eligible is False
    # a failed property check decides even inside the 2024 gap
    assert evaluate(alone(property_check="failed"), dt.date(2024, 10, 1)).eligible is False


def test_income_over_the_standard_decides_before_property():
    assert evaluate(alone(property_check="unknown", incomes={"wages": 1200}), AUG_2025).eligible is False


# ── 义务人 ─────────────────────────────────────────────────────────────────


def test_able_supporter_is_not_eligible_and_both_failures_are_reported():
    d = evaluate(alone(age=59, supporters="able"), AUG_2025)
    assert d.eligible is False
    texts = [r.text for r in d.reasons]
    assert any(t.startswith("不属于无劳动能力") for t in texts)
    assert "有具备赡养、抚养、扶养能力的法定义务人，不符合条件" in texts


@pytest.mark.parametrize("supporters", ["none", "unable"])
def test_no_or_unable_supporter_passes(supporters):
    assert evaluate(alone(supporters=supporters), AUG_2025).eligible is True


# ── the amount: stated values by date, gaps ─────────────────────────────────


@pytest.mark.parametrize(
    ("on", "urban", "rural"),
    [
        (FIRST_2021, 1560, 1014),
        (dt.date(2022, 6, 30), 1560, 1014),
        (dt.date(2022, 7, 1), 1700, 1105),
        (dt.date(2023, 6, 30), 1700, 1105),
        (dt.date(2023, 7, 1), 1850, 1203),
        (dt.date(2024, 6, 30), 1850, 1203),
        (dt.date(2025, 7, 1), 2022, 1315),
    ],
)
def test_standard_by_date(on, urban, rural):
    assert evaluate(alone(), on).amount == Decimal(urban)
    assert evaluate(alone(rural=True), on).amount == Decimal(rural)


@pytest.mark.parametrize("on", [dt.date(2024, 7, 1), dt.date(2024, 10, 1), dt.date(2025, 6, 30)])
def test_2024_gap_is_pending(on):
    d = evaluate(alone(), on)
    assert (d.eligible, d.amount, d.period) == (None, None, None)
    assert d.missing and "2024 年" in d.missing[0]
    assert not any("1850" in r.text for r in d.reasons)


def test_amount_is_read_from_the_tekun_series_not_derived(casebank):
    path = casebank / "parameters" / "tekun-urban-standard-dalian.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["values"][-2]["value"] = 2000  # the 2025 value, not 2 × 1011
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert evaluate(alone(), AUG_2025).amount == Decimal(2000)  # the copy is a fresh path, not cached


# ── sources ─────────────────────────────────────────────────────────────────


def test_quotes_are_exact():
    for cite in (tekun.ART_14, tekun.ART_15, tekun.ART_16):
        assert check_quote(cite) is None, cite


def test_every_reason_carries_a_source_and_json_shape():
    out = evaluate(alone(incomes={"wages": 100}), AUG_2025).to_json()
    assert out["eligible"] is True and out["amount"] == "2022.00" and out["period"] == "month"
    assert all("citation" in r or "reference" in r for r in out["reasons"])
    articles = {r["citation"]["article"] for r in out["reasons"] if "citation" in r}
    assert {14, 15, 16} <= articles


def test_program_metadata():
    assert (tekun.PROGRAM, tekun.DOMAIN, tekun.ITEMS) == ("tekun", "social_assistance", ("tekun_application",))
