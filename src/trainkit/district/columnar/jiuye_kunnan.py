"""就业困难人员认定 over the register: one row per resident, decided as if they applied. Never
符合: with Liaoning's list not in the kit, a common category or being unemployed gives 待核实.

Also home to the person-level helpers the other work and insurance screens share (whose facts
decide a row, record defaults for empty cells, household facts per resident).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ...policy.household import Member
from ._common import Reasons, result, value_on

__all__ = [
    "PROGRAM",
    "decided_for",
    "figure",
    "flag",
    "household_flag",
    "household_rows",
    "member_column",
    "number",
    "screen",
]

PROGRAM = "jiuye_kunnan"

LOCAL_LIST = "jiuye-kunnan-list-liaoning"
FEMALE_AGE = "jiuye-kunnan-4050-female-age"
MALE_AGE = "jiuye-kunnan-4050-male-age"
LONG_UNEMPLOYED = "jiuye-kunnan-long-unemployment-months"

# the common categories in the rule's order; bit k of a row's code is CATEGORIES[k]
CATEGORIES = (
    "4050人员",
    "4050人员（性别未登记）",
    "残疾人",
    "低保家庭成员",
    "零就业家庭成员",
    "连续失业一年以上",
    "失地农民",
    "刑满释放或解除强制隔离戒毒人员",
)


# -- shared by the person-level screens -------------------------------------------------------


def figure(param_id: str, on) -> float:  # noqa: ANN001
    """A figure the rule compares or multiplies with: a gap there makes the rule fail, so fail too."""
    v = value_on(param_id, on)
    if v is None:
        raise TypeError(f"{param_id}：{on} 处于缺口（null），按户规则也无法计算")
    return v


def household_rows(households: pd.DataFrame, residents: pd.DataFrame) -> np.ndarray:
    """Each resident's household as a row number of ``households`` (-1 when it is not there)."""
    found = pc.index_in(pa.array(residents["household_id"]), value_set=pa.array(households["household_id"]))
    return np.asarray(pc.fill_null(found, -1), dtype=np.int64)


def decided_for(residents: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Whose facts decide each row, positionally aligned with ``residents``.

    Normally the row's own. ``Household.as_applicant`` leaves the household unchanged for a member
    who already is an ``applicant``, and ``Household.applicant`` is the first one, so in a household
    with two applicants the second is decided as the first.
    """
    app = (residents["relation"] == "applicant").to_numpy(dtype=bool) & (rows >= 0)
    per = np.bincount(rows[app], minlength=rows.max() + 1 if len(rows) else 0)
    twice = app & (per[np.maximum(rows, 0)] > 1)
    if not twice.any():
        return residents
    where = np.flatnonzero(app)
    order = where[np.lexsort((residents["member_no"].to_numpy()[where], rows[where]))]
    first = np.full(per.size, -1)
    first[rows[order][::-1]] = order[::-1]  # the earliest applicant of each household wins
    index = np.arange(len(residents))
    index[twice] = first[rows[twice]]
    return residents.iloc[index]


def member_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A member field, with the record's default where the register leaves it empty."""
    column = frame[name]
    default = Member.model_fields[name].default
    if default is None or not column.isna().any():
        return column
    return column.astype(object).where(column.notna(), default)


def flag(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A yes/no member field, with the record's default where the register leaves it empty."""
    return member_column(frame, name).to_numpy().astype(bool)


def number(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric member field as floats, with the record's default where the register leaves it empty."""
    values = pd.to_numeric(frame[name]).to_numpy(dtype=float)
    empty = np.isnan(values)
    return np.where(empty, float(Member.model_fields[name].default), values) if empty.any() else values


def household_flag(households: pd.DataFrame, rows: np.ndarray, program: str) -> np.ndarray:
    """Per resident: does their household already receive ``program`` (``receives`` lists ids)."""
    receives = households["receives"].astype(object).where(households["receives"].notna(), "").astype(str)
    has = ("," + receives + ",").str.contains(f",{program},", regex=False).to_numpy(dtype=bool)
    return (rows >= 0) & has[np.maximum(rows, 0)] if len(has) else np.zeros(len(rows), dtype=bool)


def household_any(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per resident: is ``mask`` true for anyone in their household."""
    counts = np.bincount(rows[mask & (rows >= 0)], minlength=rows.max() + 1 if len(rows) else 0)
    return (rows >= 0) & (counts[np.maximum(rows, 0)] > 0)


# -- the screen ------------------------------------------------------------------------------


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    value_on(LOCAL_LIST, on)  # the rule's first look-up: raises before 2008-01-01
    female_age, male_age, months = figure(FEMALE_AGE, on), figure(MALE_AGE, on), figure(LONG_UNEMPLOYED, on)
    rows = household_rows(households, residents)
    p = decided_for(residents, rows)
    employment = member_column(p, "employment")
    sex = member_column(p, "sex")
    female, male, unknown = (sex == "female").to_numpy(bool), (sex == "male").to_numpy(bool), sex.isna().to_numpy()
    age = number(p, "age")
    unemployed = (employment == "unemployed").to_numpy(bool)
    working = member_column(residents, "employment").isin(["employed", "flexible"]).to_numpy(bool)

    found = [
        (female & (age >= female_age)) | (male & (age >= male_age)) | (unknown & (age >= max(female_age, male_age))),
        unknown & (age >= min(female_age, male_age)) & (age < max(female_age, male_age)),
        p["disability_kind"].notna().to_numpy(bool),
        household_flag(households, rows, "dibao"),
        unemployed & ~household_any(rows, working),
        unemployed & (number(p, "registered_unemployed_months") >= months),
        flag(p, "landless_farmer"),
        flag(p, "released_from_custody"),
    ]
    bits = sum(m.astype(np.int64) << k for k, m in enumerate(found))
    some = bits > 0
    codes, which = np.unique(bits[some], return_inverse=True)
    reasons = Reasons(len(p), "未处于失业状态，也不符合常见类别，不属于就业困难人员")
    reasons.set(~some & unemployed, "失业但不符合常见类别，本地目录和连续失业时长未收录，待核实")
    reasons.set_each(
        some,
        [
            f"符合常见类别「{'、'.join(t for k, t in enumerate(CATEGORIES) if code >> k & 1)}」，"
            "本地认定目录未收录，待核实"
            for code in codes
        ],
        which,
    )
    eligible = np.where(some | unemployed, None, False).astype(object)
    for status, why in (
        ("employed", "已在用人单位就业，不属于就业困难人员"),
        ("retired", "已退休，不属于就业困难人员"),
    ):
        mask = (employment == status).to_numpy(bool)
        eligible[mask] = False
        reasons.set(mask, why)
    return result(residents, eligible, np.full(len(p), np.nan), reasons)
