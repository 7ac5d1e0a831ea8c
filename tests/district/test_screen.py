"""The outreach list: who qualifies or is 待核实 for what they do not yet receive."""

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from trainkit.district.register import read_register, residents_on
from trainkit.district.screen import screen_register
from trainkit.district.synth import GRIDS, synthesize
from trainkit.framework import load_framework

ON = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def district():
    return synthesize(1500, seed=11, on=dt.date(2025, 11, 1))


def test_the_synthetic_district_is_deterministic_and_visibly_fake(district):
    again = synthesize(1500, seed=11, on=dt.date(2025, 11, 1))
    pd.testing.assert_frame_equal(district["residents"], again["residents"])
    residents = district["residents"]
    assert residents["name"].str.startswith("【虚构】").all()
    assert residents["id_number"].str.startswith("虚构-").all()
    assert (
        district["households"]["grid"].nunique() <= GRIDS and district["households"]["grid"].str.match(r"G\d{3}").all()
    )
    for table in ("services", "survey", "topics"):
        assert len(district[table]) > 0


def test_outreach_leaves_out_what_a_household_already_receives(district):
    result = screen_register(district["households"], district["residents"], ON)
    receives = district["households"].set_index("household_id")["receives"].fillna("")
    for row in result.outreach.itertuples(index=False):
        assert row.program not in receives[row.household_id].split(",")
    dibao = result.decisions[result.decisions["program"] == "dibao"]
    taking = set(receives[receives.str.contains("dibao")].index)
    eligible = dibao[dibao["eligible"].map(lambda v: v is True)]
    assert len(eligible) > 0 and set(eligible["household_id"]) & taking  # some already receive it
    listed = set(result.outreach[result.outreach["program"] == "dibao"]["household_id"])
    assert (
        listed
        == set(eligible["household_id"]) - taking
        | set(dibao[dibao["eligible"].map(lambda v: v is None)]["household_id"]) - taking
    )
    assert set(result.outreach["verdict"]) <= {"符合条件", "待核实"}
    assert result.by_grid["grid"].str.match(r"G\d{3}").all()


def test_enrolled_residents_are_not_asked_to_enrol_again(district):
    result = screen_register(district["households"], district["residents"], ON)
    enrolled = district["residents"][district["residents"]["resident_medical_enrolled"]]
    keys = set(zip(enrolled["household_id"], enrolled["member_no"], strict=True))
    listed = result.outreach[result.outreach["program"] == "jumin_yibao"]
    assert listed.shape[0] > 0 and not keys & set(zip(listed["household_id"], listed["member_no"], strict=True))


def test_a_program_not_yet_in_force_is_left_out_with_its_reason(district):
    result = screen_register(district["households"], district["residents"], dt.date(2025, 6, 1))
    assert "gaoling_jintie" in result.not_in_force and "2025-10-01" in result.not_in_force["gaoling_jintie"]
    assert "gaoling_jintie" not in set(result.decisions["program"])


def test_ages_are_taken_on_the_screening_day(district):
    later = residents_on(district["residents"], dt.date(2027, 10, 31))  # two years less a day
    assert (later["age"] - district["residents"]["age"]).between(1, 2).all()


def test_synth_then_screen_from_the_command_line(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "trainkit", *args], capture_output=True, text=True, check=False)

    made = run("synth", "--households", "300", "--seed", "4", "--out", str(tmp_path / "d"), "--csv")
    assert made.returncode == 0 and (tmp_path / "d" / "residents.parquet").is_file()
    households, residents = read_register(tmp_path / "d")
    assert len(households) == 300
    screened = run("screen", str(tmp_path / "d"), "--on", "2025-12-01", "--out", str(tmp_path / "list.xlsx"))
    assert screened.returncode == 0, screened.stderr
    sheets = pd.read_excel(tmp_path / "list.xlsx", sheet_name=None)
    assert set(sheets) == {"走访名单", "网格汇总", "登记有误"}
    listed = sheets["走访名单"]
    assert listed["服务事项"].isin([item.title for item in load_framework().items.values()]).all()
    assert listed["依据"].str.len().gt(5).all() and set(listed["结论"]) <= {"符合条件", "待核实"}
    missing = run("screen", str(tmp_path / "nowhere"), "--on", "2025-12-01", "--out", str(tmp_path / "x.csv"))
    assert missing.returncode != 0


def test_a_malformed_register_is_reported_per_household_never_decided(tmp_path):
    """Two applicants, no applicant, a resident with no birth date or age: data to correct, not a crash."""
    tables = synthesize(200, seed=5, on=dt.date(2025, 11, 1))
    hh, rs = tables["households"], tables["residents"].copy()
    first, second, third = hh["household_id"].iloc[:3]
    rs.loc[(rs["household_id"] == first), "relation"] = "applicant"  # every member an applicant
    rs.loc[(rs["household_id"] == second) & (rs["relation"] == "applicant"), "relation"] = "other"
    undated = rs.index[rs["household_id"] == third][0]
    rs.loc[undated, ["birth_date", "age"]] = [None, None]
    fourth = hh["household_id"].iloc[3]
    hh = hh[hh["household_id"] != fourth]  # its members stay: a household the households table lost
    result = screen_register(hh, rs, ON)
    errors = result.data_errors.set_index("household_id")["reason"]
    assert "名申请人" in errors[first] or (rs["household_id"] == first).sum() == 1
    assert "没有登记申请人" in errors[second] and "出生日期" in errors[third]
    assert "住户表中没有这个户号" in errors[fourth]
    decided = set(result.decisions["household_id"]) | set(result.outreach["household_id"])
    assert not decided & {second, third, fourth}
    out = tmp_path / "list.csv"
    from trainkit.district.screen import write_outreach

    write_outreach(result, out)
    listed = pd.read_csv(out, encoding="utf-8-sig")
    assert (listed["结论"] == "登记有误，请核对台账").sum() == len(result.data_errors) >= 2


def test_a_benefit_paid_to_one_person_does_not_hide_an_eligible_spouse():
    """高龄津贴 is paid per person: the husband's allowance says nothing about his wife's."""
    from trainkit.policy import Household, Member
    from trainkit.policy.frames import frames_of

    on = dt.date(2025, 11, 1)
    couple = Household(
        id="H-couple",
        property_check="unknown",
        receives=("dibao",),  # paid to the household: nobody in it is asked to apply again
        members=(
            Member(
                name="甲", relation="applicant", age=86, birth_date=dt.date(1939, 3, 1), receives=("gaoling_jintie",)
            ),
            Member(name="乙", relation="spouse", age=83, birth_date=dt.date(1942, 5, 1)),
        ),
    )
    households, residents = frames_of(couple)
    households["grid"] = residents["grid"] = "G101"
    outreach = screen_register(households, residents, on).outreach
    allowance = outreach[outreach["program"] == "gaoling_jintie"]
    assert allowance["name"].tolist() == ["乙"]
    assert "dibao" not in set(outreach["program"])
