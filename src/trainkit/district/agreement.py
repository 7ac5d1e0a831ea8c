"""Hold the columnar screens to the per-household rules: the same register rows, both ways."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

import pandas as pd

from ..policy import PROGRAMS
from .columnar import load_screens
from .register import households_from_register, register_problems, residents_on

__all__ = ["Mismatch", "compare"]


@dataclass(frozen=True)
class Mismatch:
    program: str
    household_id: str
    member_no: int
    rule: tuple
    columnar: tuple


def _rule_outcome(program: str, household, index: int, on: dt.date) -> tuple:  # noqa: ANN001
    try:
        decision = PROGRAMS[program].evaluate(household.as_applicant(index), on)
    except ValueError:
        return ("n/a", None)
    return (decision.eligible, None if decision.amount is None else round(float(decision.amount), 2))


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
    screens = load_screens()
    programs = programs or list(screens)
    wrong = set(register_problems(households, residents).index)  # data to correct: no eligibility either way
    residents = residents_on(residents, on)
    decidable = [h for h in households["household_id"] if h not in wrong]
    ids = random.Random(seed).sample(decidable, min(sample, len(decidable)))
    records = {h.id: h for h in households_from_register(households, residents, ids)}
    ordered = residents[residents["household_id"].isin(ids)].sort_values(["household_id", "member_no"])
    position = {
        key: i
        for _, group in ordered.groupby("household_id", sort=False)
        for i, key in enumerate(zip(group["household_id"], group["member_no"], strict=True))
    }
    found = []
    for program in programs:
        screened = screens[program](households, residents, on)
        screened = screened[screened["household_id"].isin(ids)]
        for row in screened.itertuples(index=False):
            household = records[row.household_id]
            index = position[(row.household_id, row.member_no)]
            amount = (
                None
                if row.amount is None or (isinstance(row.amount, float) and math.isnan(row.amount))
                else round(float(row.amount), 2)
            )
            mine, theirs = (row.eligible, amount), _rule_outcome(program, household, index, on)
            if mine != theirs:
                found.append(Mismatch(program, row.household_id, index, theirs, mine))
    return found
