"""Column helpers for person programs (one decided row per resident): how a reason names the
person and their 残疾人证, reason-code columns, and dated figures looked up once per distinct
series and spread to the rows. Text columns are categorical (or Arrow strings): a few distinct
values over many rows, never a Python string object per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..columns import categorical, constant, figure_columns, step, texts
from ..household import RELATION_TITLES
from ..shared import CARD, GRADE_TITLES, KIND_TITLES, card_columns

__all__ = [
    "GRADE_TITLES",
    "KIND_TITLES",
    "cards",
    "constant",
    "figure_table",
    "labels",
    "lazy_labels",
    "lazy_names",
    "named",
    "spread",
    "step",
    "texts",
]


def _arrow_text(column: pd.Series) -> pa.Array:
    """A text column as Arrow strings (zero-copy for the register's own string columns)."""
    try:
        values = pa.array(column.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        values = pa.array(column.astype(object).to_numpy(), from_pandas=True, type=pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = pa.array(column.astype(object).to_numpy(), from_pandas=True, type=pa.string())
    return values.cast(pa.string())


def labels(residents: pd.DataFrame) -> pd.arrays.ArrowStringArray:
    """Each resident as a reason names them (``member_label``): 王秀英（申请人，67岁）."""
    relation = _arrow_text(residents["relation"])
    relations = pa.array(list(RELATION_TITLES), type=pa.string())
    at = pc.index_in(relation, value_set=relations)
    title = pc.coalesce(pa.array(list(RELATION_TITLES.values()), type=pa.string()).take(at), relation)
    age = pc.cast(pa.array(residents["age"].to_numpy(dtype=np.int64)), pa.string())
    name = pc.fill_null(_arrow_text(residents["name"]), "")
    named = pc.binary_join_element_wise(name, "（", title, "，", age, "岁）", "")
    plain = pc.binary_join_element_wise(title, "（", age, "岁）", "")
    return pd.arrays.ArrowStringArray(pa.chunked_array([pc.if_else(pc.not_equal(name, ""), named, plain)]))


def lazy_labels(residents: pd.DataFrame) -> Callable[[np.ndarray], np.ndarray]:
    """:func:`labels` for the rows asked for only (an :class:`Outcome` ``lazy`` column): a register
    words the few rows it lists, not 300,000 labels nobody reads."""
    people = residents[["relation", "age", "name"]]
    return lambda at: np.asarray(labels(people.iloc[np.asarray(at)]), dtype=object)


def lazy_names(residents: pd.DataFrame) -> Callable[[np.ndarray], np.ndarray]:
    """Each resident's name, for the rows asked for only (an :class:`Outcome` ``lazy`` column)."""
    names = residents["name"]
    return lambda at: names.iloc[np.asarray(at)].to_numpy(dtype=object)


def named(residents: pd.DataFrame) -> np.ndarray:
    """Whether each resident has a name in the register (not blank)."""
    name = residents["name"]
    return (name.notna() & (name != "")).to_numpy(dtype=bool)


def cards(residents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Categorical]:
    """Each resident's 残疾人证: (has one, kind index into ``KIND_TITLES`` (-1: none), grade
    (NaN: none), its title such as 智力残疾三级 (missing without a card)), as the prepared
    register carries them (worked out for a frame without them)."""
    if CARD[0] in residents.columns:
        held, kind, grade, title = (residents[name] for name in CARD)
        return held.to_numpy(dtype=bool), kind.to_numpy(), grade.to_numpy(dtype=float), title.array
    return card_columns(residents)


def figure_table(
    param_ids: list[str], on: dt.date, prefix: str, *, before_first_is_gap: bool = False
) -> dict[str, np.ndarray]:
    """:func:`figure_columns` for a few series, one entry each (to :func:`spread` over the rows)."""
    return figure_columns(np.asarray(param_ids, dtype=object), on, prefix, before_first_is_gap=before_first_is_gap)


def spread(table: dict[str, np.ndarray], codes: np.ndarray) -> dict[str, object]:
    """Each row takes entry ``codes[i]`` of a :func:`figure_table` (text columns categorical).

    Text columns whose entries repeat alike (one series: every column) share one array of
    codes, spread over the rows once."""
    shared: dict[tuple[int, ...], np.ndarray] = {}
    missing = bool(len(codes)) and codes.min() < 0
    out: dict[str, object] = {}
    for name, column in table.items():
        if column.dtype.kind == "f":
            out[name] = column[codes]
            continue
        distinct, inverse = np.unique(np.asarray([str(v) for v in column], dtype=str), return_inverse=True)
        pattern = tuple(inverse.tolist())
        if pattern not in shared:  # the categorical's own code type; code -1 (missing) takes the last entry
            shared[pattern] = np.asarray([*pattern, -1] if missing else pattern, dtype=np.int8)[codes]
        out[name] = categorical(shared[pattern], tuple(distinct.tolist()))
    return out
