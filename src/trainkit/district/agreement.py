"""Hold the register screen to the rule run on one household: the same program, the whole
register at once versus each sampled household alone (a register of one).

The two paths share the program but nothing else: the screen ages the register column-wise
(:func:`residents_on`), numbers households and groups members; the single path rebuilds each
household record from the raw register and ages its members here, one date at a time. A
difference means one household's decision depends on its neighbours or on the path taken.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..policy import PROGRAMS, Household
from ..policy.frames import frames_of, numbered
from ..policy.outcome import eligible
from .register import households_from_register, register_problems, residents_on
from .screen import screen_program

__all__ = ["Mismatch", "compare"]


@dataclass(frozen=True)
class Mismatch:
    program: str
    household_id: str
    member_no: int
    alone: tuple  # (eligible, amount) of the household decided on its own
    screen: tuple  # the same, from the whole-register screen


def _aged(household: Household, on: dt.date) -> Household:
    """The record on ``on``: ages from birth dates; members not yet born left out."""
    members = []
    for m in household.members:
        if m.birth_date is None:
            members.append(m)
            continue
        b = m.birth_date
        age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        if age >= 0:
            members.append(m.model_copy(update={"age": age}))
    return household.model_copy(update={"members": tuple(members)})


def _against_each_alone(
    program: str, screen: pd.DataFrame, records: dict[str, Household], born: pd.DataFrame, on: dt.date
) -> list[Mismatch]:
    """Each sampled household run alone (a register of one, built from its record): one run gives
    every row of it, so a personal program is not run once per member."""
    rule = PROGRAMS[program]
    found = []
    for home, rows in screen.groupby("household_id", sort=False):
        homes, people, _ = numbered(*frames_of(records[home]))
        alone = rule.decide(homes, people, on).rows
        # frames_of numbers the record's members 1..n in register order: back to the register's numbers
        numbers = born[born["household_id"] == home].sort_values("member_no")["member_no"].tolist()
        theirs = {
            numbers[int(m) - 1]: (_verdict(e), _money(a))
            for m, e, a in zip(alone["member_no"], eligible(alone["verdict"].to_numpy()), alone["amount"], strict=True)
        }
        for row in rows.itertuples(index=False):
            mine = (_verdict(row.eligible), _money(row.amount))
            if theirs.get(row.member_no) != mine:
                found.append(Mismatch(program, home, row.member_no, theirs.get(row.member_no, ()), mine))
    return found


def _verdict(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _money(value: Any) -> float | None:
    return None if value is None or math.isnan(float(value)) else round(float(value), 2)


def compare(
    households: pd.DataFrame,
    residents: pd.DataFrame,
    on: dt.date,
    *,
    sample: int = 100,
    seed: int = 0,
    programs: list[str] | None = None,
) -> list[Mismatch]:
    """Screen the whole register, then decide a random sample one by one; list every difference."""
    programs = programs or list(PROGRAMS)
    wrong = set(register_problems(households, residents).index)  # data to correct: no eligibility either way
    decidable = [h for h in households["household_id"] if h not in wrong]
    ids = random.Random(seed).sample(decidable, min(sample, len(decidable)))
    unborn = residents[residents["household_id"].isin(ids)]
    records = {}
    for record in households_from_register(households, unborn.assign(age=unborn["age"].fillna(0)), ids):
        aged = _aged(record, on)
        if aged.members:
            records[record.id] = aged
    born = residents_on(residents, on)
    found = []
    for program in programs:
        screen = screen_program(program, households, residents, on)
        screen = screen[screen["household_id"].isin(records.keys())]
        found += _against_each_alone(program, screen, records, born, on)
    return found
