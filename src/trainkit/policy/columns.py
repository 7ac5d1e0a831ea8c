"""Column helpers every program shares: dated figures on a date, countable income, the
household each resident belongs to. Programs receive a *numbered* register: households in
rows ``0..k-1`` whose ``household_id`` is that row number, residents carrying it, ages on the day.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import numpy as np
import pandas as pd

from .household import Member
from .parameters import STATUS_TITLES, BeforeFirstDate, load_parameter
from .shared import APPLICANT, INCOME, applicant_numbers, income_counted

__all__ = [
    "PROPERTY",
    "Step",
    "constant",
    "frame",
    "step",
    "texts",
    "anyone",
    "applicant_of",
    "categorical",
    "at_home",
    "counted_income",
    "figure",
    "figure_columns",
    "first_true",
    "home_of",
    "member_column",
    "member_flag",
    "member_number",
    "per_household",
    "position_in",
    "receiving",
    "truthy",
    "value_on",
    "value_or_gap",
    "yes_no",
]


PROPERTY = ("passed", "failed", "unknown")  # a household's 财产核查, coded by position (blank: unknown)


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
) -> dict[str, Any]:
    """For each row's parameter id: the figure and how a reason quotes it (title, unit, since,
    status, what is missing in a gap), as columns ``{prefix}``, ``{prefix}_title`` … and
    ``{prefix}_param``. A date before a series raises :class:`BeforeFirstDate`, or with
    ``before_first_is_gap`` is a gap (NaN) like any other."""
    if isinstance(param_ids, pd.Categorical):  # a few series chosen per row by code: no text per row
        chosen = param_ids.remove_unused_categories()
        which, ids = chosen.codes.astype(np.int64), pd.Index(chosen.categories, dtype=object)
    else:
        which, ids = pd.factorize(pd.Series(param_ids, dtype=object))
    out: dict[str, Any] = {}
    facts = []
    for pid in ids:
        series = load_parameter(pid)
        try:
            v = series.at(on)
        except BeforeFirstDate:
            if not before_first_is_gap:
                raise
            facts.append(
                (
                    np.nan,
                    series.title,
                    series.unit,
                    "",
                    "",
                    f"{series.title}在本工具包中从 {series.values[0].effective} 起收录，{on} 的数值未收录，"
                    "请向区民政局核实当时的标准。",
                )
            )
            continue
        facts.append(
            (
                np.nan if v.value is None else float(v.value),
                series.title,
                series.unit,
                v.since,
                f"{STATUS_TITLES[v.status]}·{v.status}",
                v.missing or "",
            )
        )
    names = ("", "_title", "_unit", "_since", "_status", "_missing")
    out[f"{prefix}_param"] = categorical(which, tuple(str(i) for i in ids))
    for i, suffix in enumerate(names):
        if i == 0:
            out[prefix] = np.array([f[0] for f in facts], dtype=float)[which]
            continue
        codes, distinct = _factorized([f[i] for f in facts])
        out[f"{prefix}{suffix}"] = categorical(codes[which], distinct)
    return out


def _factorized(values: list[object]) -> tuple[np.ndarray, tuple[str, ...]]:
    """A few values (one per series) as codes into their distinct texts (-1: none), in order."""
    distinct = tuple(dict.fromkeys(str(v) for v in values if v is not None))
    return np.array([-1 if v is None else distinct.index(str(v)) for v in values], dtype=np.int64), distinct


def counted_income(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's monthly income of the kinds that count, rounded to the cent (as the
    prepared register carries it; worked out for a frame without it)."""
    if INCOME in residents.columns:
        return residents[INCOME].to_numpy(dtype=float)
    return income_counted(residents)


def home_of(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's household row."""
    return residents["household_id"].to_numpy(dtype=np.int64)


def per_household(values: np.ndarray, residents: pd.DataFrame, k: int) -> np.ndarray:
    """The sum of ``values`` over each household's residents (``k`` households)."""
    return np.bincount(home_of(residents), weights=np.asarray(values, dtype=float), minlength=k)


def truthy(column: pd.Series) -> np.ndarray:
    """A yes/no register column as booleans (blanks are no; CSV writes True as "True")."""
    return _among(column, (True, "True", "true", 1, "1"))


def position_in(column: pd.Series, values: list[str] | tuple[str, ...], *, blank: int = -1) -> np.ndarray:
    """Each row's position in ``values`` (-1: not listed; ``blank`` where the cell is empty). A
    categorical column (a screened register's few-valued text) is looked up once per category,
    not once per row."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = pd.Index(list(values), dtype=object).get_indexer(column.cat.categories.astype(object))
        return np.append(found, blank)[column.array.codes]
    found = pd.Index(list(values), dtype=object).get_indexer(column.astype(object).to_numpy())
    return np.where(column.isna().to_numpy(), blank, found) if blank != -1 else found


def _among(column: pd.Series, values: tuple[object, ...]) -> np.ndarray:
    """``column.astype(object).isin(values)`` without a Python object per row: a boolean column
    is read as it is, a categorical one by its few categories (what a screened register holds)."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        flags = column.to_numpy(dtype=bool)
        return flags if True in values else np.zeros(len(flags), dtype=bool) if False not in values else ~flags
    if isinstance(dtype, pd.CategoricalDtype):
        kinds, codes = dtype.categories.astype(object), column.array.codes
    else:  # a few distinct values (True, "True", blanks…): each looked up once
        codes, kinds = pd.factorize(column.to_numpy(dtype=object))
    hit = pd.Series(kinds, dtype=object).isin(values).to_numpy()
    return np.append(hit, False)[codes]  # code -1 (blank) is never a hit


def first_true(conditions: list[np.ndarray], *, default: int) -> np.ndarray:
    """Per row, the position of the first condition that holds (``default`` where none does), as
    ``np.select(conditions, range(len(conditions)), default)`` gives it: taken from the last
    condition to the first in small integers (no index array, no branch per row)."""
    codes = np.full(len(conditions[0]), default, dtype=np.int16)
    for number in range(len(conditions) - 1, -1, -1):
        codes -= np.asarray(conditions[number], dtype=bool).astype(np.int16) * (codes - np.int16(number))
    return codes


def figure(param_id: str, on: dt.date) -> float:
    """A figure the rule cannot do without (a gap raises: the rule cannot be computed)."""
    v = value_on(param_id, on)
    if v is None:
        raise BeforeFirstDate(f"{param_id}：{on} 处于缺口（null），无法计算")
    return v


def member_column(residents: pd.DataFrame, name: str) -> pd.Series:
    """A member field, with the household record's default where the register leaves it empty."""
    column = residents[name]
    default = Member.model_fields[name].default
    if default is None or not column.isna().any():
        return column
    if isinstance(column.dtype, pd.CategoricalDtype) and isinstance(default, str):  # filled by code
        return (column if default in column.cat.categories else column.cat.add_categories([default])).fillna(default)
    return column.astype(object).where(column.notna(), default)


def member_flag(residents: pd.DataFrame, name: str) -> np.ndarray:
    """A yes/no member field as booleans (empty: the record's default; "True"/"False" text from CSV)."""
    return _among(member_column(residents, name), (True, "True", "true", 1, "1"))


def member_number(residents: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric member field as floats (empty: the record's default)."""
    values = pd.to_numeric(residents[name]).to_numpy(dtype=float)
    empty = np.isnan(values)
    return np.where(empty, float(Member.model_fields[name].default), values) if empty.any() else values


def yes_no(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(is yes, is no) for a yes/no/unknown column (bools, "True"/"False" text, blanks unknown)."""
    return _among(column, (True, "True", "true")), _among(column, (False, "False", "false"))


def at_home(households: pd.DataFrame, residents: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """A per-household array spread to each resident of a numbered register."""
    return np.asarray(values)[home_of(residents)]


def anyone(residents: pd.DataFrame, mask: np.ndarray, k: int) -> np.ndarray:
    """Per household (``k`` of them): is ``mask`` true for any of its residents."""
    return per_household(mask, residents, k) > 0


def receiving(households: pd.DataFrame, program: str) -> np.ndarray:
    """Per household: does it already receive ``program`` (``receives`` lists program ids)."""
    codes, kinds = pd.factorize(households["receives"])  # a few distinct lists: each read once
    listed = np.array([f",{program}," in f",{kind}," for kind in kinds] + [False], dtype=bool)
    return listed[codes]


def applicant_of(households: pd.DataFrame, residents: pd.DataFrame) -> np.ndarray:
    """Each household's applicant ``member_no`` (the first applicant; with none, the first member),
    as the prepared register carries it (worked out for a frame without it)."""
    if APPLICANT in households.columns:
        return households[APPLICANT].to_numpy(dtype=np.int64)
    return applicant_numbers(households, residents)


@functools.lru_cache(maxsize=4096)
def _dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """One dtype per set of categories: a household decided alone builds dozens of small columns."""
    return pd.CategoricalDtype(pd.Index(categories, dtype="str"))


def categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    """Codes into a few texts as a categorical column (the codes are not checked: -1 is missing)."""
    return pd.Categorical.from_codes(codes, dtype=_dtype(categories), validate=False)


def texts(codes: np.ndarray, table: list[str]) -> pd.Categorical:
    """``table[code]`` for every row (-1: missing), as a categorical column."""
    codes = np.asarray(codes)
    if not len(table):
        return categorical(np.full(len(codes), -1, dtype=np.int8), ())
    distinct, inverse = np.unique(np.asarray(table, dtype=str), return_inverse=True)
    inverse = inverse.astype(np.int8 if len(distinct) < 127 else np.int32)  # the categorical's own code type
    if len(codes) and codes.min() < 0:
        inverse = np.append(inverse, -1)  # code -1 (missing) takes the last entry
    return categorical(inverse[codes], tuple(distinct.tolist()))


def constant(n: int, value: object) -> pd.Categorical:
    """One text repeated over ``n`` rows."""
    return categorical(np.zeros(n, dtype=np.int8), (str(value),))


def frame(n: int, columns: dict[str, Any]) -> dict[str, Any]:
    """Outcome rows from columns: a plain text is the same on every row (:func:`constant`), the
    rest as given (an :class:`~trainkit.policy.outcome.Outcome` takes them as they are read)."""
    return {key: constant(n, value) if isinstance(value, str) else value for key, value in columns.items()}


class Step:
    """A column of reason codes not yet filled: ``(mask, code)`` pairs kept as given, filled for
    the rows a reason is read for (:meth:`take`). A register's screen words the few rows it
    lists; filling every step for 300,000 rows would be work nobody reads."""

    __slots__ = ("n", "names", "pairs")

    def __init__(self, n: int, pairs: tuple[tuple[np.ndarray, str], ...]) -> None:
        self.n = n
        self.pairs = pairs
        self.names = tuple(dict.fromkeys(name for _, name in pairs))

    def __len__(self) -> int:
        return self.n

    def take(self, at: np.ndarray | None = None) -> pd.Categorical:
        """The codes of the rows at ``at`` (every row without it), as a categorical column."""
        size = self.n if at is None else len(at)
        codes: np.ndarray[Any, np.dtype[np.signedinteger[Any]]] = np.full(
            size, -1, dtype=np.int8 if len(self.names) < 127 else np.int16
        )  # the categorical's own code type
        for mask, name in self.pairs:  # codes := name where mask, as small-integer arithmetic
            hit = np.broadcast_to(np.asarray(mask, dtype=bool), (self.n,))
            hit = hit if at is None else hit[at]
            codes -= hit.astype(codes.dtype) * (codes - self.names.index(name))
        return categorical(codes, self.names)


def step(n: int, *pairs: tuple[np.ndarray, str]) -> Step:
    """A column of reason codes: each ``(mask, code)`` in turn (later pairs win), missing elsewhere;
    filled when read (:meth:`Step.take`)."""
    return Step(n, pairs)
