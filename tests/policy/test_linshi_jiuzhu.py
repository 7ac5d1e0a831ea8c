"""临时救助: who (Art. 47), how (Art. 48), and never an invented amount."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from trainkit.content import read_yaml
from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate, Household, Member
from trainkit.policy.programs import linshi_jiuzhu
from trainkit.policy.programs.linshi_jiuzhu import evaluate
from trainkit.policy.scenarios import ScenarioFile, mismatch

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
AUG_2025 = dt.date(2025, 8, 1)
FIGURE = re.compile(r"\d+(\.\d+)?\s*元")


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def hh(emergency: str | None = "fire", hardship: bool | None = True, receives: tuple[str, ...] = ()) -> Household:
    return Household(
        members=(Member(relation="applicant", age=50),),
        emergency=emergency,
        emergency_hardship=hardship,
        receives=receives,
    )


def _scenarios():
    return ScenarioFile.model_validate(read_yaml(CASEBANK / "scenarios" / "linshi_jiuzhu.yaml")).scenarios


@pytest.mark.parametrize("scenario", [pytest.param(s, id=s.name) for s in _scenarios()])
def test_scenario(scenario):
    decision = evaluate(scenario.household, scenario.date)
    assert mismatch(scenario, decision) is None, f"{scenario.name}：{mismatch(scenario, decision)}"
    assert decision.amount is None  # Dalian tiers not found: never an amount


def test_at_least_eight_scenarios():
    assert len(_scenarios()) >= 8


# ── who ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", ["fire", "traffic_accident", "sudden_illness"])
def test_listed_emergencies_with_hardship_are_eligible(kind):
    d = evaluate(hh(kind), AUG_2025)
    assert d.eligible is True
    assert any(r.citation and r.citation.article == 47 and "火灾、交通事故" in r.citation.quote for r in d.reasons)


def test_spending_surge_only_for_dibao_households():
    assert evaluate(hh("spending_surge", receives=("dibao",)), AUG_2025).eligible is True
    assert evaluate(hh("spending_surge", receives=("dibao", "tekun")), AUG_2025).eligible is True
    for receives in ((), ("tekun",), ("gaoling_jintie",)):
        d = evaluate(hh("spending_surge", receives=receives), AUG_2025)
        assert d.eligible is False
        assert "只适用于最低生活保障家庭" in d.reasons[-1].text


def test_hardship_decides_checked_or_not():
    assert evaluate(hh(hardship=False), AUG_2025).eligible is False
    pending = evaluate(hh(hardship=None), AUG_2025)
    assert pending.eligible is None
    assert pending.missing == (
        "尚未入户核查：请街道核实急难情形是否导致基本生活暂时出现严重困难（emergency_hardship）",
    )


def test_no_emergency_is_not_eligible_whatever_the_hardship():
    for hardship in (True, False, None):
        assert evaluate(hh(None, hardship), AUG_2025).eligible is False


def test_other_special_difficulty_is_pending_on_the_local_list():
    d = evaluate(hh("other"), AUG_2025)
    assert d.eligible is None and len(d.missing) == 1 and "第四十九条" in d.missing[0]
    both = evaluate(hh("other", None), AUG_2025)
    assert len(both.missing) == 2
    assert evaluate(hh("other", False), AUG_2025).eligible is False


# ── how, and the amount that is not there ───────────────────────────────────


def test_eligible_has_no_amount_and_says_where_to_confirm():
    d = evaluate(hh(), AUG_2025)
    assert (d.eligible, d.amount, d.period) == (True, None, None)
    assert len(d.missing) == 1 and "西岗区民政局社会救助科" in d.missing[0]
    cited = [r.citation.article for r in d.reasons if r.citation]
    assert 48 in cited and 49 in cited
    assert not any(FIGURE.search(t) for t in [r.text for r in d.reasons] + list(d.missing))
    assert not any("示例" in r.text for r in d.reasons)


def test_json_shows_null_amount():
    out = evaluate(hh(), AUG_2025).to_json()
    assert out["eligible"] is True and out["amount"] is None and out["missing"]
    assert all("citation" in r or "reference" in r for r in out["reasons"])


def test_first_date_is_the_measures_in_force():
    assert evaluate(hh(), dt.date(2014, 5, 1)).eligible is True
    with pytest.raises(BeforeFirstDate, match="2014-04-30 早于"):
        evaluate(hh(), dt.date(2014, 4, 30))


def test_quotes_are_exact():
    for cite in (
        linshi_jiuzhu.ART_47_ACCIDENT,
        linshi_jiuzhu.ART_47_SPENDING,
        linshi_jiuzhu.ART_47_OTHER,
        linshi_jiuzhu.ART_48,
        linshi_jiuzhu.ART_49,
    ):
        assert check_quote(cite) is None, cite


def test_program_metadata():
    assert (linshi_jiuzhu.PROGRAM, linshi_jiuzhu.DOMAIN, linshi_jiuzhu.ITEMS) == (
        "linshi_jiuzhu",
        "social_assistance",
        ("temporary_assistance",),
    )
