"""残疾人两项补贴: who qualifies is decided, the Dalian amount never is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs.canji_liangxiang import evaluate, qualifies
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2025, 8, 1)


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def disabled(kind: str | None, grade: int | None = None, *, dibao: bool = False) -> Household:
    card = None if kind is None else {"kind": kind, "grade": grade}
    return Household(
        receives=("dibao",) if dibao else (), members=(Member(relation="applicant", age=40, disability=card),)
    )


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "canji_liangxiang.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    assert decision.amount is None and decision.period is None


@pytest.mark.parametrize(
    ("kind", "grade", "dibao", "living", "care"),
    [
        ("physical", 1, False, False, True),
        ("physical", 2, False, False, True),
        ("physical", 3, False, False, False),  # just past the severe grades
        ("intellectual", 2, False, False, True),
        ("intellectual", 3, False, False, None),  # non-severe intellectual: local extension
        ("psychiatric", 4, False, False, None),
        ("hearing", 4, True, True, False),
        ("visual", 1, True, True, True),
        (None, None, True, False, False),  # no 残疾人证, no subsidy
    ],
)
def test_who_qualifies(kind, grade, dibao, living, care):
    h = disabled(kind, grade, dibao=dibao)
    assert qualifies(h, h.applicant) == {"living": living, "care": care}


def test_eligible_without_an_amount_and_says_where_to_confirm_it():
    d = evaluate(disabled("physical", 2, dibao=True), ON)
    assert d.eligible is True and d.amount is None
    assert len(d.missing) == 2  # 生活补贴 and 二级护理补贴 amounts
    assert all("未收录" in m and "区残联" in m for m in d.missing)
    assert any("二级残疾人护理补贴" in m for m in d.missing)


def test_grade_1_and_grade_2_use_their_own_gap_series():
    one = evaluate(disabled("physical", 1), ON).missing
    two = evaluate(disabled("physical", 2), ON).missing
    assert any("一级残疾人护理补贴" in m for m in one)
    assert any("二级残疾人护理补贴" in m for m in two)


def test_extension_only_is_pending():
    d = evaluate(disabled("intellectual", 3), ON)
    assert d.eligible is None
    assert any("是否将护理补贴扩大" in m for m in d.missing)


def test_shanghai_figure_is_only_a_labelled_example():
    d = evaluate(disabled("physical", 1), ON)
    example = [r for r in d.reasons if r.text.startswith("示例：上海 2021 年")]
    assert len(example) == 1
    assert "非大连标准" in example[0].text
    assert example[0].reference.status == "V"
    assert example[0].reference.href.startswith("https://fgw.sh.gov.cn/")
    assert d.amount is None


def test_no_card_is_not_eligible_and_dates_before_2016_raise():
    assert evaluate(disabled(None, dibao=True), ON).eligible is False
    assert evaluate(disabled("physical", 1), dt.date(2016, 1, 1)).eligible is True
    with pytest.raises(BeforeFirstDate):
        evaluate(disabled("physical", 1), dt.date(2015, 12, 31))


def test_every_reason_has_a_source():
    for h in (disabled("physical", 1, dibao=True), disabled("psychiatric", 3), disabled("physical", 3)):
        assert all(r.reference or r.citation for r in evaluate(h, ON).reasons)
