"""``trainkit screen``: every program over every household, and who is missed.

The outreach list holds each person or household that qualifies (or is 待核实) for a
program they do not yet receive — "让所有应该享受政策的人全都享受到" — with the reason and
the service item, plus a summary per grid for planning visits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..policy import PROGRAMS
from .columnar import load_screens

__all__ = ["ScreenResult", "screen_register", "write_outreach"]

VERDICT = {True: "符合条件", None: "待核实"}


@dataclass(frozen=True)
class ScreenResult:
    decisions: pd.DataFrame   # every program × household or person
    outreach: pd.DataFrame    # qualifies or 待核实, not yet receiving
    by_grid: pd.DataFrame     # outreach counts per grid and program


def screen_register(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> ScreenResult:
    """Run every columnar screen over the register on date ``on``."""
    parts = []
    for program, screen in load_screens().items():
        part = screen(households, residents, on)
        parts.append(part.assign(program=program))
    decisions = pd.concat(parts, ignore_index=True)
    receives = households.set_index("household_id")["receives"].fillna("")
    receiving = [program in receives.get(hid, "").split(",")
                 for program, hid in zip(decisions["program"], decisions["household_id"], strict=True)]
    open_case = decisions["eligible"].map(lambda v: v is True or v is None) & ~pd.Series(receiving)
    people = residents.set_index(["household_id", "member_no"])[["name", "age", "grid"]]
    outreach = decisions[open_case].join(people, on=["household_id", "member_no"])
    outreach = outreach.assign(
        program_title=outreach["program"].map({p: m.TITLE for p, m in PROGRAMS.items()}),
        service_item=outreach["program"].map({p: m.ITEMS[0] for p, m in PROGRAMS.items()}),
        verdict=outreach["eligible"].map(lambda v: VERDICT[v]),
    )[["grid", "household_id", "member_no", "name", "age", "program", "program_title", "verdict", "amount",
       "reason", "service_item"]].sort_values(["grid", "household_id", "member_no", "program"])
    by_grid = (outreach.groupby(["grid", "program_title", "verdict"]).size().unstack("verdict", fill_value=0)
               .reset_index())
    return ScreenResult(decisions=decisions, outreach=outreach.reset_index(drop=True), by_grid=by_grid)


def write_outreach(result: ScreenResult, out: Path) -> Path:
    """The outreach list and grid summary as Excel (.xlsx), CSV or Parquet, by the file's suffix."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    headers = {"grid": "网格", "household_id": "户编号", "member_no": "成员序号", "name": "姓名（虚构）", "age": "年龄",
               "program": "项目id", "program_title": "项目", "verdict": "结论", "amount": "金额（元）",
               "reason": "依据", "service_item": "服务事项"}
    table = result.outreach.rename(columns=headers)
    if out.suffix == ".xlsx":
        with pd.ExcelWriter(out) as writer:
            table.to_excel(writer, sheet_name="走访名单", index=False)
            result.by_grid.rename(columns={"grid": "网格", "program_title": "项目"}).to_excel(
                writer, sheet_name="网格汇总", index=False)
    elif out.suffix == ".parquet":
        result.outreach.to_parquet(out, index=False)
    else:
        table.to_csv(out, index=False, encoding="utf-8-sig")
    return out
