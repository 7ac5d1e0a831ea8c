"""就业困难人员认定: common categories give 待核实, never 符合, because the local list is unknown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs.jiuye_kunnan import categories, evaluate
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 8, 1)
WINDOW = "区人力资源和社会保障局或街道劳动保障窗口"


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def person(age: int = 30, **kw) -> Member:
    return Member(relation="applicant", age=age, **kw)


def home(applicant: Member, *others: Member, receives: tuple[str, ...] = ()) -> Household:
    return Household(members=(applicant, *others), receives=receives)


WORKING_SPOUSE = Member(relation="spouse", age=33, employment="employed")


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "jiuye_kunnan.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    assert decision.eligible is not True  # the local list is unknown: never 符合
    assert decision.amount is None
    assert bool(decision.missing) == (decision.eligible is None)


@pytest.mark.parametrize(("age", "eligible"), [(39, False), (40, None)])
def test_women_at_39_and_40(age, eligible):
    h = home(person(age, sex="female", employment="none"), WORKING_SPOUSE)
    d = evaluate(h, ON)
    assert d.eligible is eligible
    assert ("4050" in [c.id for c in categories(h, h.applicant, ON)]) is (age >= 40)


@pytest.mark.parametrize(("age", "eligible"), [(49, False), (50, None)])
def test_men_at_49_and_50(age, eligible):
    h = home(person(age, sex="male", employment="flexible"))
    assert evaluate(h, ON).eligible is eligible


def test_woman_of_45_is_4050_but_man_of_45_is_not():
    assert [c.id for c in categories(home(person(45, sex="female")), person(45, sex="female"), ON)] == ["4050"]
    assert categories(home(person(45, sex="male")), person(45, sex="male"), ON) == ()


@pytest.mark.parametrize(("months", "long_unemployed"), [(11, False), (12, True)])
def test_unemployed_11_and_12_months(months, long_unemployed):
    h = home(person(30, sex="male", employment="unemployed", registered_unemployed_months=months), WORKING_SPOUSE)
    d = evaluate(h, ON)
    ids = [c.id for c in categories(h, h.applicant, ON)]
    assert ids == (["long_unemployed"] if long_unemployed else [])
    # unemployed either way: the local "一定时间" is unknown, so 11 months is not a 不符合
    assert d.eligible is None
    if long_unemployed:
        assert any("符合常见类别「连续失业一年以上」：连续登记失业 12 个月" in r.text for r in d.reasons)
    else:
        assert any("连续登记失业 11 个月，未达到" in r.text for r in d.reasons)
        assert any("连续失业多长时间可以认定" in m for m in d.missing)


def test_pending_names_what_and_where_to_confirm():
    d = evaluate(home(person(52, sex="male", employment="unemployed")), ON)
    assert d.verdict == "待核实"
    assert any("辽宁省（大连市）就业困难人员的具体范围" in m and "未收录" in m for m in d.missing)
    assert any(WINDOW in m and "4050人员" in m for m in d.missing)  # also 零就业: he lives alone
    assert any("法定退休年龄" in m for m in d.missing)


def test_employed_or_retired_is_not_eligible_even_in_a_category():
    for status in ("employed", "retired"):
        h = home(
            person(55, sex="male", employment=status, disability={"kind": "physical", "grade": 2}), receives=("dibao",)
        )
        d = evaluate(h, ON)
        assert d.eligible is False
        assert d.missing == ()


def test_each_common_category():
    cases = {
        "disabled": home(person(disability={"kind": "hearing", "grade": 4})),
        "dibao": home(person(), receives=("dibao",)),
        "zero_employment": home(person(employment="unemployed"), Member(relation="spouse", age=31, employment="none")),
        "landless": home(person(landless_farmer=True)),
        "released": home(person(released_from_custody=True)),
    }
    for cid, h in cases.items():
        assert [c.id for c in categories(h, h.applicant, ON)] == [cid], cid
        assert evaluate(h, ON).eligible is None


def test_zero_employment_needs_nobody_working():
    spouse_flexible = Member(relation="spouse", age=31, employment="flexible")
    h = home(person(employment="unemployed"), spouse_flexible)
    assert "zero_employment" not in [c.id for c in categories(h, h.applicant, ON)]


def test_sex_not_recorded():
    d = evaluate(home(person(45)), ON)  # could be a woman of 45 (4050) or a man (not)
    assert d.eligible is None
    assert any("请补登 sex" in m for m in d.missing)
    d50 = evaluate(home(person(50)), ON)  # 50: 4050 whichever the sex
    assert d50.eligible is None
    assert not any("sex" in m for m in d50.missing)


def test_clearly_outside_is_not_eligible():
    d = evaluate(home(person(25, sex="female", employment="none")), ON)
    assert d.eligible is False
    assert "不属于就业困难人员" in d.reasons[-1].text


def test_citations_are_exact_and_dates_before_the_law_raise():
    d = evaluate(home(person(40, sex="female", employment="unemployed")), ON)
    cited = [r.citation for r in d.reasons if r.citation]
    assert {c.article for c in cited} >= {52}
    assert all(check_quote(c) is None for c in cited)
    assert evaluate(home(person(40, sex="female")), dt.date(2008, 1, 1)).eligible is None
    with pytest.raises(BeforeFirstDate):
        evaluate(home(person(40, sex="female")), dt.date(2007, 12, 31))


# ── the retirement-age bound (retirement-age-*-lowest/highest: women 50–58, men 60–63 from 2025) ──


@pytest.mark.parametrize(
    ("sex", "age", "eligible"),
    [("female", 49, None), ("female", 50, None), ("female", 57, None), ("female", 58, False), ("female", 94, False)]
    + [("male", 59, None), ("male", 60, None), ("male", 62, None), ("male", 63, False)],
)
def test_at_or_past_the_highest_retirement_age_is_not_eligible(sex, age, eligible):
    assert evaluate(home(person(age, sex=sex, employment="unemployed")), ON).eligible is eligible


def test_past_retirement_age_says_so_and_cites_the_parameter_source():
    d = evaluate(home(person(94, sex="female", employment="unemployed")), ON)
    assert d.reasons[-1].text == "94 周岁，已达到女性法定退休年龄的上限 58 周岁，不在法定劳动年龄内，不属于就业困难人员"
    assert d.reasons[-1].reference.status == "S" and "延迟法定退休年龄" in d.reasons[-1].reference.title
    assert not any("4050" in r.text for r in d.reasons)


def test_between_the_bounds_asks_the_window_about_retirement_age():
    d = evaluate(home(person(61, sex="male", employment="unemployed")), ON)
    assert "61 周岁，在男性法定退休年龄的下限 60 周岁与上限 63 周岁之间" in d.reasons[1].text
    assert any("核实本人是否已到法定退休年龄" in m for m in d.missing)
    under = evaluate(home(person(52, sex="male", employment="unemployed")), ON)
    assert not any("法定退休年龄的下限" in r.text for r in under.reasons)


def test_sex_not_recorded_takes_the_higher_bound_and_before_2025_no_bound_applies():
    assert evaluate(home(person(62, employment="none")), ON).eligible is None
    assert evaluate(home(person(63, employment="none")), ON).eligible is False
    assert evaluate(home(person(94, sex="female", employment="unemployed")), dt.date(2024, 12, 31)).eligible is None
