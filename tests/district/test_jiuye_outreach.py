"""就业困难 on the synthetic district's outreach list: nobody at or past retirement age (issue 15 item 8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trainkit.district.screen import screen_register
from trainkit.district.synth import synthesize

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
ON = dt.date(2026, 6, 1)
HIGHEST = {"female": 58, "male": 63}  # retirement-age-*-highest on 2026-06-01, read from the parameter files


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def test_the_outreach_list_for_jiuye_kunnan_has_nobody_past_retirement_age():
    tables = synthesize(2000, seed=2026, on=ON)
    residents = tables["residents"]
    jobless_elders = (residents["age"] >= 65) & residents["employment"].isin(["unemployed", "none"])
    assert jobless_elders.sum() >= 20  # the register does hold people the old rule listed as 4050人员
    outreach = screen_register(tables["households"], residents, ON).outreach
    listed = outreach[outreach["program"] == "jiuye_kunnan"].merge(
        residents[["household_id", "member_no", "sex"]], on=["household_id", "member_no"]
    )
    assert len(listed) > 100
    assert (listed["age"] < 65).all()
    for sex, highest in HIGHEST.items():
        ages = listed.loc[listed["sex"] == sex, "age"]
        assert len(ages) and (ages < highest).all(), sex
