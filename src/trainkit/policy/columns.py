"""Column helpers every program shares: dated figures on a date, countable income, the
household each resident belongs to. Programs receive a *numbered* register: households in
rows ``0..k-1`` whose ``household_id`` is that row number, residents carrying it, ages on the day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .household import vocabulary
from .parameters import STATUS_TITLES, BeforeFirstDate, load_parameter

__all__ = [
    "counted_income",
    "figure_columns",
    "home_of",
    "per_household",
    "truthy",
    "value_on",
    "value_or_gap",
]


def value_on(param_id: str, on: dt.date) -> float | None:
    """A dated figure as a float (None in a gap); raises :class:`BeforeFirstDate` before the series."""
    v = load_parameter(param_id).at(on).value
    return None if v is None else float(v)


def value_or_gap(param_id: str, on: dt.date) -> float:
    """A dated figure, NaN in a gap and before the series starts (both are 待核实)."""
    try:
        v = value_on(param_id, on)
    except BeforeFirstDate:
        return np.nan
    return np.nan if v is None else v


def figure_columns(
    param_ids: np.ndarray, on: dt.date, prefix: str, *, before_first_is_gap: bool = False
) -> dict[str, np.ndarray]:
    """For each row's parameter id: the figure and how a reason quotes it (title, unit, since,
    status, what is missing in a gap), as columns ``{prefix}``, ``{prefix}_title`` … and
    ``{prefix}_param``. A date before a series raises :class:`BeforeFirstDate`, or with
    ``before_first_is_gap`` is a gap (NaN) like any other."""
    ids = pd.Series(param_ids, dtype=object)
    out: dict[str, np.ndarray] = {f"{prefix}_param": ids.to_numpy()}
    facts = {}
    for pid in ids.unique():
        series = load_parameter(pid)
        try:
            v = series.at(on)
        except BeforeFirstDate:
            if not before_first_is_gap:
                raise
            facts[pid] = (np.nan, series.title, series.unit, "", "", (
                f"{series.title}在本工具包中从 {series.values[0].effective} 起收录，{on} 的数值未收录，"
                "请向区民政局核实当时的标准。"
            ))
            continue
        facts[pid] = (
            np.nan if v.value is None else float(v.value),
            series.title,
            series.unit,
            str(v.effective),
            f"{STATUS_TITLES[v.status]}·{v.status}",
            v.missing or "",
        )
    names = ("", "_title", "_unit", "_since", "_status", "_missing")
    for i, suffix in enumerate(names):
        values = [facts[pid][i] for pid in ids]
        out[f"{prefix}{suffix}"] = np.array(values, dtype=float if i == 0 else object)
    return out


def counted_income(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's monthly income of the kinds that count, rounded to the cent."""
    kinds = [k.id for k in vocabulary().income_kinds if k.counted]
    return np.round(residents[[f"income_{k}" for k in kinds]].fillna(0).astype(float).sum(axis=1).to_numpy(), 2)


def home_of(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's household row."""
    return residents["household_id"].to_numpy(dtype=np.int64)


def per_household(values: np.ndarray, residents: pd.DataFrame, k: int) -> np.ndarray:
    """The sum of ``values`` over each household's residents (``k`` households)."""
    return np.bincount(home_of(residents), weights=np.asarray(values, dtype=float), minlength=k)


def truthy(column: pd.Series) -> np.ndarray:
    """A yes/no register column as booleans (blanks are no; CSV writes True as "True")."""
    return column.astype(object).isin([True, "True", "true", 1, "1"]).to_numpy()
