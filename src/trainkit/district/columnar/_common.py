"""Helpers shared by the columnar screens."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...policy import load_parameter
from ...policy.household import vocabulary


def value_on(param_id: str, on: dt.date) -> float | None:
    """A dated figure as a float (None in a gap); raises before the first date, like the rules."""
    v = load_parameter(param_id).at(on).value
    return None if v is None else float(v)


def counted_income(residents: pd.DataFrame) -> pd.Series:
    """Each resident's monthly income of the kinds that count."""
    kinds = [k.id for k in vocabulary().income_kinds if k.counted]
    return residents[[f"income_{k}" for k in kinds]].fillna(0).astype(float).sum(axis=1)


def verdicts(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def result(frame: pd.DataFrame, eligible: np.ndarray, amount: np.ndarray, reason: list[str] | np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"household_id": frame["household_id"].to_numpy(), "member_no": frame["member_no"].to_numpy(),
                         "eligible": pd.Series(eligible, dtype=object).to_numpy(),  # None stays None
                         "amount": amount, "reason": reason})
