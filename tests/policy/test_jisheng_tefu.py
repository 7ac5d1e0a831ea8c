"""计划生育家庭特别扶助: each condition, the woman's age at 49, the national minimum by date and its gap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.household import FamilyPlanning
from trainkit.policy.programs import jisheng_tefu
from trainkit.policy.programs.jisheng_tefu import evaluate, series_for
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
AUG_2025 = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def family(
    woman_age: int = 55,
    *,
    outcome: str = "died",
    grade: int | None = None,
    rural: bool = False,
    husband: bool = True,
    **plan,
) -> Household:
    members = [Member(relation="applicant", age=woman_age, sex="female")]
    if husband:
        members.append(Member(relation="spouse", age=woman_age + 2, sex="male"))
    area = "rural" if rural else "urban"  # the family's own status, not the 低保 standard the household is on
    fp = FamilyPlanning(
        **{
            "only_child": True,
            "child_outcome": outcome,
            "child_disability_grade": grade,
            "certificate": True,
            "area": area,
            **plan,
        }
    )
    return Household(members=tuple(members), family_planning=fp, rural_standard=not rural)


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "jisheng_tefu.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if scenario.expected.eligible is not True:
        assert decision.amount is None


def test_at_least_eight_scenarios():
    assert len(_scenarios()) >= 8


# ── conditions ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("age", "eligible"), [(48, False), (49, True), (50, True)])
def test_woman_age_threshold_49(age, eligible):
    assert evaluate(family(age), AUG_2025).eligible is eligible


def test_the_womans_age_counts_whoever_applies():
    h = Household(
        members=(Member(relation="applicant", age=60, sex="male"), Member(relation="spouse", age=48, sex="female")),
        family_planning=FamilyPlanning(only_child=True, child_outcome="died", certificate=True),
    )
    d = evaluate(h, AUG_2025)
    assert d.eligible is False
    assert "女方 48 周岁，未满49周岁，不符合年龄条件" in [r.text for r in d.reasons]


def test_with_two_women_in_the_couple_the_first_registered_counts():
    # a register that files both partners as female: the age read is the first member's, 48
    h = Household(
        members=(Member(relation="applicant", age=48, sex="female"), Member(relation="spouse", age=55, sex="female")),
        family_planning=FamilyPlanning(only_child=True, child_outcome="died", certificate=True),
    )
    d = evaluate(h, AUG_2025)
    assert d.eligible is False
    assert "女方 48 周岁，未满49周岁，不符合年龄条件" in [r.text for r in d.reasons]


@pytest.mark.parametrize(("grade", "amount"), [(1, 460), (2, 460), (3, 460), (4, None)])
def test_disabled_child_grade_1_to_3(grade, amount):
    d = evaluate(family(outcome="disabled", grade=grade), AUG_2025)
    assert d.amount == (None if amount is None else Decimal(amount))
    assert d.eligible is (amount is not None)


@pytest.mark.parametrize(
    ("plan", "text"),
    [
        ({"only_child": False}, "夫妻不是只生育或合法收养一个子女，不符合条件"),
        ({"later_child": True}, "此后又生育或合法收养了子女，不符合条件"),
        ({"child_outcome": "living"}, "独生子女健在且未登记三级以上残疾，不属于特别扶助对象"),
    ],
)
def test_each_failed_condition_is_named(plan, text):
    d = evaluate(family(**plan), AUG_2025)
    assert d.eligible is False
    assert text in [r.text for r in d.reasons]


def _certificate_reasons(decision):
    return [r for r in decision.reasons if "光荣证" in r.text]


def test_a_certificate_on_record_meets_the_condition_of_article_32():
    held = _certificate_reasons(evaluate(family(), AUG_2025))
    assert [r.text for r in held] == ["夫妻获得了《独生子女父母光荣证》，符合条件"]
    assert (held[0].citation.law, held[0].citation.article) == ("人口与计划生育法", 32)
    assert check_quote(held[0].citation) is None


def test_recorded_without_a_certificate_is_not_eligible_under_article_32():
    d = evaluate(family(certificate=False), AUG_2025)
    assert (d.eligible, d.amount, d.missing) == (False, None, ())
    cert = _certificate_reasons(d)
    assert "不符合人口与计划生育法第三十二条" in cert[0].text
    assert "区卫生健康局核实或补办" in cert[0].text
    assert cert[0].citation.article == 32
    assert d.reasons[-1].text == "登记为未获得《独生子女父母光荣证》，因此不能享受计划生育家庭特别扶助"


def test_a_register_silent_on_the_certificate_is_pending():
    d = evaluate(family(certificate=None), AUG_2025)
    assert (d.eligible, d.amount) == (None, None)
    assert len(d.missing) == 1 and "请核实本户夫妻是否持有《独生子女父母光荣证》" in d.missing[0]
    assert "无法判断" in _certificate_reasons(d)[0].text
    assert FamilyPlanning(only_child=True, child_outcome="died").certificate is None  # not recorded unless said


def test_no_certificate_is_listed_with_the_other_failed_conditions():
    d = evaluate(family(45, certificate=False), AUG_2025)
    assert d.eligible is False
    assert sum("不符合" in r.text for r in d.reasons) == 2
    assert d.reasons[-1].text.startswith("女方未满49周岁")


def test_all_failures_are_listed_not_just_the_first():
    d = evaluate(family(45, later_child=True, only_child=False), AUG_2025)
    assert sum("不符合" in r.text for r in d.reasons) == 3


def test_missing_inputs_raise_with_the_field():
    with pytest.raises(ValueError, match="family_planning"):
        evaluate(Household(members=(Member(relation="applicant", age=55, sex="female"),)), AUG_2025)
    with pytest.raises(ValueError, match="child_disability_grade"):
        evaluate(family(outcome="disabled"), AUG_2025)
    no_sex = Household(
        members=(Member(relation="applicant", age=55),),
        family_planning=FamilyPlanning(only_child=True, child_outcome="died", certificate=True),
    )
    with pytest.raises(ValueError, match="sex"):
        evaluate(no_sex, AUG_2025)


def test_widower_without_a_woman_registered_is_pending():
    h = Household(
        members=(Member(relation="applicant", age=60, sex="male"),),
        family_planning=FamilyPlanning(only_child=True, child_outcome="died", certificate=True),
    )
    d = evaluate(h, AUG_2025)
    assert (d.eligible, d.amount) == (None, None)
    assert "没有登记女方" in d.missing[0]


# ── amounts by date ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("on", "outcome", "rural", "amount"),
    [
        (dt.date(2014, 1, 1), "died", False, 340),
        (dt.date(2014, 1, 1), "died", True, 170),
        (dt.date(2014, 12, 31), "disabled", False, 270),
        (dt.date(2014, 12, 31), "disabled", True, 150),
        (dt.date(2022, 7, 1), "died", False, 590),
        (dt.date(2022, 7, 1), "died", True, 590),
        (dt.date(2022, 7, 1), "disabled", False, 460),
        (dt.date(2022, 7, 1), "disabled", True, 460),
    ],
)
def test_national_minimum_by_date(on, outcome, rural, amount):
    d = evaluate(family(outcome=outcome, grade=2 if outcome == "disabled" else None, rural=rural), on)
    assert (d.eligible, d.amount, d.period) == (True, Decimal(amount), "month")


@pytest.mark.parametrize("on", [dt.date(2015, 1, 1), dt.date(2016, 6, 1), dt.date(2020, 1, 1), dt.date(2022, 6, 30)])
@pytest.mark.parametrize("outcome", ["died", "disabled"])
def test_span_with_unknown_raise_dates_is_pending(on, outcome):
    d = evaluate(family(outcome=outcome, grade=1 if outcome == "disabled" else None), on)
    assert (d.eligible, d.amount, d.period) == (None, None, None)
    assert "350" in d.missing[0] or "450" in d.missing[0]
    assert "区卫生健康局" in d.missing[0]


def test_before_2014_raises():
    with pytest.raises(BeforeFirstDate, match="2013-12-31 早于"):
        evaluate(family(), dt.date(2013, 12, 31))


def test_amount_is_per_spouse_and_reasons_say_so():
    d = evaluate(family(), AUG_2025)
    assert d.amount == Decimal(590)
    text = d.reasons[-1].text
    assert "夫妻双方每人每月 590 元" in text and "夫妻 2 人，合计每月 1180 元" in text
    one = evaluate(family(husband=False), AUG_2025)
    assert one.amount == Decimal(590) and "夫妻 1 人，合计每月 590 元" in one.reasons[-1].text


def test_the_area_is_the_familys_not_the_dibao_standards():
    # a 城镇 family on the rural 低保 standard gets the 城镇 figure; an unknown area is 待核实 while figures differ
    assert family(rural=False).rural_standard and evaluate(family(rural=False), dt.date(2014, 6, 1)).amount == 340
    unknown = family(area=None)
    d = evaluate(unknown, dt.date(2014, 6, 1))
    assert d.eligible is None and any("城镇还是农村" in m for m in d.missing)


def test_series_for_picks_the_family_type_and_area():
    assert series_for(family()).id == "tefu-bereaved-urban-national"
    assert series_for(family(rural=True)).id == "tefu-bereaved-rural-national"
    assert series_for(family(outcome="disabled", grade=1)).id == "tefu-disability-urban-national"
    assert series_for(family(outcome="disabled", grade=1, rural=True)).id == "tefu-disability-rural-national"


# ── sources ─────────────────────────────────────────────────────────────────


def test_quote_is_exact_and_every_reason_has_a_source():
    assert check_quote(jisheng_tefu.ART_33) is None
    out = evaluate(family(), AUG_2025).to_json()
    assert (out["eligible"], out["amount"], out["period"]) == (True, "590.00", "month")
    assert all("citation" in r or "reference" in r for r in out["reasons"])


def test_program_metadata():
    assert (jisheng_tefu.PROGRAM, jisheng_tefu.DOMAIN, jisheng_tefu.ITEMS) == (
        "jisheng_tefu",
        "shidu_care",
        ("special_support_claim",),
    )


def test_a_csv_register_tells_recorded_no_from_not_recorded():
    import numpy as np
    import pandas as pd

    from trainkit.policy.frames import frames_of, numbered
    from trainkit.policy.outcome import eligible

    one, residents = frames_of(family(husband=False))
    homes = pd.concat([one] * 3, ignore_index=True).assign(
        household_id=["held", "recorded-no", "blank"], fp_certificate=["True", "False", np.nan]
    )  # as read from a CSV
    people = pd.concat([residents] * 3, ignore_index=True).assign(household_id=["held", "recorded-no", "blank"])
    outcome = jisheng_tefu.decide(*numbered(homes, people)[:2], AUG_2025)
    assert eligible(outcome.rows["verdict"].to_numpy()).tolist() == [True, False, None]
