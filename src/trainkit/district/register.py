"""The register's shape: one row per resident (the household record's member fields), one row
per household (its household fields), and the way back to :class:`~trainkit.policy.Household`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..content import ContentError
from ..policy import Household
from ..policy.frames import FP_COLUMNS, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS
from ..policy.household import vocabulary
from ..policy.shared import BIRTH, birth_fields

__all__ = [
    "FP_COLUMNS",
    "HOUSEHOLD_COLUMNS",
    "MEMBER_COLUMNS",
    "households_from_register",
    "positions",
    "read_register",
    "register_problems",
    "residents_on",
]


def read_register(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``households`` and ``residents`` from a folder written by ``trainkit synth`` (Parquet or CSV)."""
    folder = Path(folder)
    tables = []
    for name in ("households", "residents"):
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        if parquet.is_file():
            tables.append(pd.read_parquet(parquet))
        elif csv.is_file():
            tables.append(pd.read_csv(csv, dtype={"household_id": str}, keep_default_na=False, na_values=[""]))
        else:
            raise ContentError(f"{folder}: 找不到 {name}.parquet 或 {name}.csv：请先运行 trainkit synth --out {folder}")
    return tables[0], tables[1]


def register_problems(households: pd.DataFrame, residents: pd.DataFrame, *, at: np.ndarray | None = None) -> pd.Series:
    """Households whose register entry cannot be decided on, with the reason in Chinese:
    no applicant, more than one, a resident with neither a birth date nor an age, or residents
    filed under a household id the households table does not have.
    They are data to correct, never an eligibility. ``at``: each resident's household row
    (:func:`positions`), when the caller has it already."""
    index = pd.Index(households["household_id"], name="household_id")
    at = positions(index, residents["household_id"]) if at is None else at
    applicant = (residents["relation"] == "applicant").to_numpy(dtype=bool)
    count = np.bincount(at[(at >= 0) & applicant], minlength=len(index))
    flagged = count != 1
    born = pd.to_datetime(residents["birth_date"], errors="coerce") if "birth_date" in residents else None
    undated = residents["age"].isna() if born is None else (born.isna() & residents["age"].isna())
    homes = residents.loc[undated, "household_id"].unique() if undated.any() else []
    where = index.get_indexer(homes) if len(homes) else np.array([], dtype=np.int64)
    flagged[where[where >= 0]] = True
    rows = np.flatnonzero(flagged)
    many = count[rows]
    words = [
        "没有登记申请人（户主）" if c == 0 else f"登记了 {c} 名申请人（应为 1 名）" if c > 1 else ""
        for c in many.tolist()
    ]
    reasons = pd.Series(words, index=index[rows], dtype=object)
    if len(homes):
        extra = "有成员既没有出生日期也没有年龄"
        inside = reasons.index.isin(homes)
        reasons[inside] = [f"{r}；{extra}" if r else extra for r in reasons[inside]]
        outside = [h for h, w in zip(homes, where, strict=True) if w < 0]
        if outside:
            reasons = pd.concat([reasons, pd.Series(extra, index=pd.Index(outside, name="household_id"), dtype=object)])
    orphans = residents.loc[at < 0, "household_id"].unique()
    if len(orphans):  # members of a household the households table does not have
        missing = "住户表中没有这个户号（有成员登记在此户下）：请补登住户或改正成员的户号"
        reasons = pd.concat([reasons, pd.Series(missing, index=pd.Index(orphans, name="household_id"), dtype=object)])
        reasons = reasons[~reasons.index.duplicated()]
    return reasons[reasons != ""]


def positions(homes: pd.Index, ids: pd.Series) -> np.ndarray:
    """Each id's row in ``homes`` (-1: not there); Arrow's hash lookup when both are Arrow text."""
    if homes.is_unique:
        try:
            wanted, kept = _arrow(ids.array), _arrow(homes.array)
            in_order = _in_order(wanted, kept)
            if in_order is not None:
                return in_order
            return pc.index_in(wanted, value_set=kept).fill_null(-1).to_numpy().astype(np.int64)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
    return homes.get_indexer(ids)


def _arrow(values: object) -> pa.Array:
    array = pa.array(values)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _in_order(wanted: pa.Array, kept: pa.Array) -> np.ndarray | None:
    """The rows of ``kept`` when residents are listed household by household in the households'
    order (as a register is written): each run of one id is the next household, the first id
    of each run checked against it — no hash table. None when they are not so listed."""
    if not len(wanted) or wanted.null_count or len(kept) < 2 or wanted.type != kept.type:
        return None
    starts = np.ones(len(wanted), dtype=bool)
    starts[1:] = pc.not_equal(wanted[1:], wanted[:-1]).to_numpy(zero_copy_only=False)
    first = np.flatnonzero(starts)
    if len(first) > len(kept) or not pc.all(pc.equal(kept[: len(first)], wanted.take(pa.array(first)))).as_py():
        return None
    at = np.cumsum(starts, dtype=np.int64) - 1
    return at


def residents_on(residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    """The register seen on date ``on``: each age recomputed from the birth date.

    A register is written on one day; screened months later, its ages would be stale; screened
    years earlier, some residents were not yet born and are left out.
    """
    if "birth_date" not in residents:
        return residents
    year, month, day, dated = fields = birth_fields(residents)  # kept: the programs read them too
    computed = on.year - year - ((month > on.month) | ((month == on.month) & (day > on.day)))
    given = residents["age"].to_numpy(dtype=float)
    age = np.where(dated, computed, given)  # no date: as given
    age = np.where(np.isnan(age), -1, age).astype(int)  # neither: -1, left for register_problems to name
    kept = (age >= 0) | (~dated & np.isnan(given))  # not yet born: not there
    return residents.assign(age=age, **dict(zip(BIRTH, fields, strict=True)))[kept]


def _value(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def household_record(household: pd.Series, members: pd.DataFrame) -> Household:
    """One register household as the record the rules read."""
    kinds = [k.id for k in vocabulary().income_kinds]
    people = []
    for row in members.itertuples(index=False):
        data = {name: _value(getattr(row, name)) for name in MEMBER_COLUMNS}
        data = {k: v for k, v in data.items() if v is not None}
        data["incomes"] = [
            {"kind": k, "monthly": str(getattr(row, f"income_{k}"))}
            for k in kinds
            if _value(getattr(row, f"income_{k}")) not in (None, 0, 0.0)
        ]
        if _value(row.disability_kind) is not None:
            data["disability"] = {"kind": row.disability_kind, "grade": int(row.disability_grade)}
        people.append(data)
    record = {name: _value(household[name]) for name in HOUSEHOLD_COLUMNS}
    record["receives"] = tuple(x for x in (record["receives"] or "").split(",") if x)
    record = {k: v for k, v in record.items() if v is not None}
    if _value(household.get("fp_only_child")) is not None:
        record["family_planning"] = {
            name.removeprefix("fp_"): _value(household[name])
            for name in FP_COLUMNS
            if _value(household[name]) is not None
        }
    return Household(id=str(household["household_id"]), members=people, **record)


def households_from_register(
    households: pd.DataFrame, residents: pd.DataFrame, ids: list[str] | None = None
) -> Iterator[Household]:
    """Household records for the given ids (all by default), in register order."""
    chosen = households if ids is None else households[households["household_id"].isin(ids)]
    grouped = dict(tuple(residents.groupby("household_id", sort=False)))
    for _, household in chosen.iterrows():
        if household["household_id"] in grouped:  # a household whose members were all born later has none
            yield household_record(household, grouped[household["household_id"]].sort_values("member_no"))
