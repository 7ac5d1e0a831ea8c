"""A city's register screened a piece at a time gives the list a whole-register screen gives."""

import datetime as dt
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from trainkit.content import ContentError
from trainkit.district.city import screen_in_chunks
from trainkit.district.register import read_register
from trainkit.district.screen import screen_register, write_outreach
from trainkit.district.synth import write_city

ON = dt.date(2025, 12, 1)
KEYS = ["grid", "household_id", "member_no", "program"]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Three districts of 120 households (the real city has 250,000 to a district), one household
    with two applicants and one with none: data errors, in two different districts."""
    folder = tmp_path_factory.mktemp("city")
    write_city(300, folder, seed=8, on=dt.date(2025, 11, 1), piece=120)
    households, residents = read_register(folder)
    sizes = residents["household_id"].value_counts()
    two = residents["household_id"] == sizes[sizes > 1].index.min()  # every member an applicant
    residents.loc[two, "relation"] = "applicant"
    none = (residents["household_id"] == households["household_id"][130]) & (residents["relation"] == "applicant")
    residents.loc[none, "relation"] = "other"
    residents.to_parquet(folder / "residents.parquet", index=False)
    return folder, households, residents


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: object for c in frame.columns if frame[c].dtype.kind not in "if"}).reset_index(drop=True)


def test_the_city_is_written_district_by_district(city):
    folder, households, residents = city
    assert pq.ParquetFile(folder / "households.parquet").num_row_groups == 3
    assert households["household_id"].is_unique and len(households) == 300
    assert households["grid"].str[:3].drop_duplicates().tolist() == ["D01", "D02", "D03"]
    assert residents["household_id"].isin(households["household_id"]).all()


@pytest.mark.parametrize("chunk", [120, 47, 1000])
def test_pieces_give_the_whole_register_screen(city, tmp_path, chunk):
    folder, households, residents = city
    whole = screen_register(households, residents, ON)
    out = tmp_path / "list.parquet"
    messages = []
    found = screen_in_chunks(folder, ON, out, chunk=chunk, progress=messages.append)
    listed = pd.read_parquet(out).sort_values(KEYS)
    assert len(whole.outreach) > 100 and found.rows == len(whole.outreach)
    pd.testing.assert_frame_equal(_plain(listed), _plain(whole.outreach.sort_values(KEYS)), check_dtype=False)
    pd.testing.assert_frame_equal(_plain(found.by_grid), _plain(whole.by_grid), check_dtype=False)
    pd.testing.assert_frame_equal(_plain(found.data_errors), _plain(whole.data_errors))
    assert len(found.data_errors) == 2
    assert found.verdicts == whole.outreach["verdict"].value_counts().to_dict()
    assert found.households == whole.outreach["household_id"].nunique()
    assert len(messages) == -(-300 // chunk) and messages[-1].startswith("已筛查 300/300 户")


def test_a_csv_list_holds_the_same_rows_then_the_errors(city, tmp_path):
    folder, households, residents = city
    whole = screen_register(households, residents, ON)
    write_outreach(whole, tmp_path / "whole.csv")
    screen_in_chunks(folder, ON, tmp_path / "pieces.csv", chunk=50)
    one, pieces = (pd.read_csv(tmp_path / name, encoding="utf-8-sig") for name in ("whole.csv", "pieces.csv"))
    assert not pieces.columns.str.startswith("\ufeff").any()
    order = ["网格", "户编号", "成员序号", "项目id", "依据"]
    pd.testing.assert_frame_equal(
        pieces.sort_values(order).reset_index(drop=True), one.sort_values(order).reset_index(drop=True)
    )
    assert (pieces["结论"] == "登记有误，请核对台账").sum() == 2


def test_residents_out_of_household_order_are_refused_with_what_to_do(city, tmp_path):
    folder, _, residents = city
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    (shuffled / "households.parquet").write_bytes((folder / "households.parquet").read_bytes())
    residents.iloc[::-1].to_parquet(shuffled / "residents.parquet", index=False)
    with pytest.raises(ContentError, match="未按户排列"):
        screen_in_chunks(shuffled, ON, tmp_path / "x.parquet", chunk=100)
    with pytest.raises(ContentError, match=r"\.parquet 或 \.csv"):
        screen_in_chunks(folder, ON, tmp_path / "x.xlsx", chunk=100)


def test_screen_in_pieces_from_the_command_line(city, tmp_path):
    folder, households, residents = city
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "trainkit",
            "screen",
            str(folder),
            "--on",
            "2025-12-01",
            "--out",
            str(tmp_path / "l.csv"),
        ]
        + ["--chunk", "100"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "已筛查 100/300 户" in run.stderr and "Traceback" not in run.stderr
    assert "登记有误、没有筛查的 2 户" in run.stderr
    whole = screen_register(households, residents, ON)
    assert f"涉及 {whole.outreach['household_id'].nunique()} 户" in run.stdout
