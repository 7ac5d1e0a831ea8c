"""低保 rules: who counts, what income counts, eligibility and the monthly 补差."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from trainkit.content import ContentError, read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Income, Member, dibao, load_household
from trainkit.policy.frames import frames_of
from trainkit.policy.household import EXCLUSION_TITLES
from trainkit.policy.programs.dibao import COUNTED, REASONS, evaluate, membership
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
AUG_2025 = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def member(relation: str = "applicant", age: int = 45, **kw) -> Member:
    incomes = tuple(Income(kind=k, monthly=Decimal(str(m))) for k, m in kw.pop("incomes", {}).items())
    return Member(relation=relation, age=age, incomes=incomes, **kw)


def household(*members: Member, property_check: str = "passed", rural: bool = False) -> Household:
    return Household(members=members, property_check=property_check, rural_standard=rural)


def alone(monthly, kind: str = "wages", **kw) -> Household:
    return household(member(incomes={kind: monthly}), **kw)


# ── content check: every hand-worked scenario holds ─────────────────────────


def _scenarios():
    path = CASEBANK / "scenarios" / "dibao.yaml"
    return ScenarioFile.model_validate(read_yaml(path)).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    if scenario.expected.eligible is not True:
        assert decision.amount is None


# ── who counts (共同生活的家庭成员) ────────────────────────────────────────────


@pytest.mark.parametrize(
    ("m", "counted", "why"),
    [
        (member("applicant"), True, "申请人本人"),
        (member("spouse", lives_together=False), True, "配偶"),
        (member("child", 10), True, "未成年子女"),
        (member("child", 17, lives_together=False), True, "未成年子女"),
        (member("child", 20, full_time_study="undergraduate", lives_together=False), True, "本科及以下"),
        (member("child", 18, full_time_study="secondary", lives_together=False), True, "本科及以下"),
        (member("child", 30, cannot_live_independently=True, lives_together=False), True, "不能独立生活"),
        (member("child", 24, full_time_study="postgraduate", lives_together=False), False, "研究生"),
        (member("child", 30, lives_together=False), False, "不属于"),
        (member("child", 30, lives_together=True), True, "长期共同居住"),
        (member("parent", 74, lives_together=True), True, "长期共同居住"),
        (member("parent", 74, lives_together=False), False, "不属于"),
        (member("parent_in_law", 76, lives_together=True), True, "长期共同居住"),
        (member("parent_in_law", 76, lives_together=False), False, "不属于"),
        (member("sibling", 40, lives_together=True, statutory_duty=False), False, "不属于"),
        (member("sibling", 40, lives_together=True, statutory_duty=True), True, "法定"),
        (member("sibling", 40, lives_together=False, statutory_duty=True), False, "不属于"),
        (member("grandparent", 85, lives_together=True, statutory_duty=True), True, "法定"),
        (member("grandchild", 6, lives_together=True), False, "不属于"),
        (member("other", 12, lives_together=True, statutory_duty=True), True, "法定"),  # 第八条第四项: a stepchild
        (member("other", 50, lives_together=True, statutory_duty=False), False, "不属于"),
        (member("other", 12, lives_together=False, statutory_duty=True), False, "不属于"),
        (member("spouse", excluded_as="prison"), False, "在监狱内服刑人员"),
        (member("spouse", excluded_as="declared_missing"), False, "宣告失踪人员"),
        (member("child", 10, excluded_as="declared_missing"), False, "宣告失踪人员"),
        (member("spouse", excluded_as="religious_apart_3y"), False, "宗教教职人员"),
    ],
)
def test_counts_in_household(m, counted, why):
    code = membership(frames_of(household(m))[1])[0]
    ok = code in COUNTED
    reason = REASONS[code].text.format(label="", exclusion=EXCLUSION_TITLES.get(m.excluded_as, "")).lstrip("：")
    assert ok is counted
    assert reason.startswith("计入" if counted else "不计入")
    assert why in reason


def test_member_not_counted_brings_no_income_and_no_head():
    # postgraduate daughter living apart earns 5000 a month: neither she nor her income counts
    h = household(
        member("applicant", incomes={"wages": 1000}),
        member("child", 24, full_time_study="postgraduate", lives_together=False, incomes={"wages": 5000}),
    )
    d = evaluate(h, AUG_2025)
    assert d.eligible is True
    assert d.amount == Decimal(11)  # 1011 × 1 − 1000


def test_excluded_spouse_is_not_a_head():
    h = household(
        member("applicant", 38, incomes={"wages": 1500}), member("spouse", 40, excluded_as="prison"), member("child", 8)
    )
    assert evaluate(h, AUG_2025).amount == Decimal(522)  # 1011 × 2 − 1500


def test_household_with_only_an_excluded_member_raises():
    with pytest.raises(ValueError, match="没有计入的家庭成员"):
        evaluate(household(member("applicant", excluded_as="prison")), AUG_2025)


# ── income and the threshold ────────────────────────────────────────────────


def test_income_equal_to_standard_is_not_eligible():
    d = evaluate(alone(1011), AUG_2025)
    assert d.eligible is False
    assert d.amount is None
    assert d.period is None


def test_income_equal_to_standard_times_heads_is_not_eligible():
    h = household(member(incomes={"wages": 2022}), member("child", 5))
    assert evaluate(h, AUG_2025).eligible is False
    h = household(member(incomes={"wages": "2021.99"}), member("child", 5))
    assert evaluate(h, AUG_2025).amount == Decimal("0.01")


def test_amount_is_an_exact_decimal():
    d = evaluate(alone("1010.99"), AUG_2025)
    assert d.eligible is True
    assert isinstance(d.amount, Decimal)
    assert d.amount == Decimal("0.01")
    assert str(d.amount) == "0.01"
    assert d.period == "month"


def test_float_income_from_yaml_stays_exact():
    h = Household.model_validate(
        {
            "property_check": "passed",
            "members": [{"relation": "applicant", "age": 50, "incomes": [{"kind": "wages", "monthly": 1010.99}]}],
        }
    )
    assert evaluate(h, AUG_2025).amount == Decimal("0.01")


def test_incomes_of_counted_members_add_up():
    h = household(
        member("applicant", incomes={"wages": 700, "property": 100}),
        member("spouse", incomes={"business": 300, "transfer": 200}),
    )
    assert evaluate(h, AUG_2025).amount == Decimal(722)  # 2022 − 1300


def test_excluded_income_kinds_do_not_count_but_are_reasons():
    h = household(member("applicant", 63, incomes={"wages": 900, "preferential_pension": 800, "scholarship": 300}))
    d = evaluate(h, AUG_2025)
    assert d.amount == Decimal(111)  # 1011 − 900
    texts = [r.text for r in d.reasons]
    assert "申请人（63岁）的优待抚恤金 800 元不计入家庭收入" in texts
    assert "申请人（63岁）的奖学金、助学金 300 元不计入家庭收入" in texts
    excluded = [r for r in d.reasons if "不计入家庭收入" in r.text]
    assert all(r.reference is not None and "不计入家庭收入" in r.reference.title for r in excluded)


def test_only_excluded_income_means_zero_income():
    d = evaluate(alone(600, kind="assistance_payment"), AUG_2025)
    assert d.amount == Decimal(1011)


# ── reasons and sources ─────────────────────────────────────────────────────


def _citations(decision):
    return [(r.citation.law, r.citation.article) for r in decision.reasons if r.citation]


def test_eligible_decision_cites_articles_9_and_12():
    d = evaluate(alone(950), AUG_2025)
    cited = _citations(d)
    assert ("社会救助暂行办法", 9) in cited
    assert ("社会救助暂行办法", 12) in cited
    for r in d.reasons:
        if r.citation:
            assert check_quote(r.citation) is None, r.citation
    assert any("1011" in r.text and r.reference and r.reference.href for r in d.reasons)


def test_ineligible_decision_cites_article_9_only():
    d = evaluate(alone(1200), AUG_2025)
    assert _citations(d) == [("社会救助暂行办法", 9)]
    assert "不符合收入条件" in d.reasons[-1].text


def test_property_unknown_is_pending_with_missing():
    d = evaluate(alone(600, property_check="unknown"), AUG_2025)
    assert d.eligible is None
    assert d.verdict == "待核实"
    assert d.amount is None
    assert len(d.missing) == 1
    assert "家庭财产状况尚未核查" in d.missing[0]


def test_property_failed_is_not_eligible():
    d = evaluate(alone(600, property_check="failed"), AUG_2025)
    assert d.eligible is False
    assert d.amount is None


# ── dates ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("monthly", [0, 500, 5000])
@pytest.mark.parametrize("on", [dt.date(2024, 7, 1), dt.date(2024, 10, 1), dt.date(2025, 6, 30)])
def test_gap_date_is_pending_and_never_has_an_amount(on, monthly):
    d = evaluate(alone(monthly), on)
    assert d.eligible is None
    assert d.amount is None
    assert d.period is None
    assert any("2024 年大连市城市低保标准未找到" in m for m in d.missing)
    assert not any("925" in r.text for r in d.reasons)


def test_before_first_standard_raises():
    with pytest.raises(BeforeFirstDate):
        evaluate(alone(100), dt.date(2021, 6, 30))
    assert evaluate(alone(100), dt.date(2021, 7, 1)).amount == Decimal(680)  # 780 − 100


def test_rural_standard_uses_846_in_august_2025():
    d = evaluate(alone(800, rural=True), AUG_2025)
    assert d.amount == Decimal(46)  # 846 − 800
    assert any("846" in r.text and "农村" in r.text for r in d.reasons)
    assert evaluate(alone(800), AUG_2025).amount == Decimal(211)  # urban: 1011 − 800


def test_rural_gap_is_pending_too():
    assert evaluate(alone(500, rural=True), dt.date(2024, 12, 1)).eligible is None


# ── the decision as JSON ────────────────────────────────────────────────────


def test_to_json_shape():
    h = household(member("applicant", incomes={"wages": 1389}), member("child", 10))
    out = evaluate(h, AUG_2025).to_json()
    assert set(out) == {"program", "on", "eligible", "amount", "period", "reasons", "missing"}
    assert out["program"] == "dibao"
    assert out["on"] == "2025-08-01"
    assert out["eligible"] is True
    assert out["amount"] == "633.00"
    assert out["period"] == "month"
    assert out["missing"] == []
    for reason in out["reasons"]:
        assert isinstance(reason["text"], str) and reason["text"]
        assert set(reason) <= {"text", "citation", "reference"}
    citations = [r["citation"] for r in out["reasons"] if "citation" in r]
    assert {"law": "社会救助暂行办法", "article": 12, "quote": dibao.ART_12.quote} in citations
    assert all("version" not in c for c in citations)  # None fields are left out


def test_to_json_pending_and_ineligible():
    pending = evaluate(alone(600, property_check="unknown"), AUG_2025).to_json()
    assert pending["eligible"] is None
    assert pending["amount"] is None
    assert pending["period"] is None
    assert pending["missing"] and "家庭财产" in pending["missing"][0]
    assert evaluate(alone(2000), AUG_2025).to_json()["eligible"] is False


def test_every_reason_carries_a_source():
    h = household(member(incomes={"wages": 1389}), member("child", 10))
    out = evaluate(h, AUG_2025).to_json()
    assert all("citation" in r or "reference" in r for r in out["reasons"])


# ── household validation ────────────────────────────────────────────────────


def test_unknown_income_kind_names_the_field():
    with pytest.raises(ValidationError) as err:
        Household.model_validate(
            {
                "members": [{"relation": "applicant", "age": 50, "incomes": [{"kind": "salary", "monthly": 1000}]}],
            }
        )
    errors = {e["loc"]: e["msg"] for e in err.value.errors()}
    assert "未知收入类型 'salary'" in errors[("members", 0, "incomes", 0, "kind")]


def test_unknown_income_kind_in_a_file(tmp_path):
    path = tmp_path / "bad-household.yaml"
    path.write_text(
        "property_check: passed\n"
        "members:\n"
        "  - {relation: applicant, age: 50, incomes: [{kind: wages, monthly: 900}]}\n"
        "  - {relation: spouse, age: 51, incomes: [{kind: pension, monthly: 300}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load_household(path)
    assert err.value.problems[0].startswith(f"{path}: members.1.incomes.0.kind: ")
    assert "pension" in err.value.problems[0]


def test_household_needs_a_member_and_known_relation():
    with pytest.raises(ValidationError):
        Household(members=())
    with pytest.raises(ValidationError):
        Member(relation="cousin", age=30)
    with pytest.raises(ValidationError):
        Income(kind="wages", monthly=Decimal(-1))


def test_shipped_household_example_loads_and_evaluates():
    paths = sorted((CASEBANK / "households").glob("*.yaml"))
    assert paths
    for path in paths:
        d = evaluate(load_household(path), AUG_2025)
        assert d.eligible in (True, False, None)


def test_failed_property_check_is_not_eligible_even_in_the_2024_gap():
    h = Household(property_check="failed", members=(Member(relation="applicant", age=60),))
    decision = evaluate(h, dt.date(2024, 10, 1))
    assert decision.eligible is False and decision.amount is None
