"""Helpers shared by the columnar screens."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def cents_text(values: np.ndarray) -> pa.Array:
    """``f"{v:.2f}"`` for a whole column at once, for figures already rounded to cents (NaN: null)."""
    missing = np.isnan(values)
    cents = np.rint(np.abs(np.where(missing, 0.0, values)) * 100).astype(np.int64)
    whole = pc.cast(pa.array(cents // 100, mask=missing), pa.string())
    fraction = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    sign = pa.array(np.where(np.signbit(values), "-", ""))
    return pc.binary_join_element_wise(sign, whole, ".", fraction, "")


class Reasons:
    """A reason per row, kept as codes into the distinct sentences until the end."""

    def __init__(self, n: int, default: str) -> None:
        self.texts, self.codes = [default], np.zeros(n, dtype=np.int64)

    def set(self, mask: np.ndarray, text: str) -> None:
        self.codes[mask] = len(self.texts)
        self.texts.append(text)

    def set_each(self, mask: np.ndarray, texts: list[str], which: np.ndarray) -> None:
        """Rows in ``mask`` get ``texts[which]`` (``which`` aligned with the rows in ``mask``)."""
        self.codes[mask] = len(self.texts) + which
        self.texts.extend(texts)

    def column(self) -> pd.Categorical:
        code, distinct = pd.factorize(pd.array(self.texts, dtype="str"))
        return pd.Categorical.from_codes(code[self.codes], categories=distinct)


def result(
    frame: pd.DataFrame, eligible: np.ndarray, amount: np.ndarray, reason: Reasons | list[str] | np.ndarray | pa.Array
) -> pd.DataFrame:
    """The contract's frame, row for row with ``frame`` (its ids passed through as they are).

    ``eligible`` stays objects (True/False/None/"n/a": pandas would read a column of only None and
    "n/a" as text); ``reason`` is categorical, a few distinct sentences over many rows.
    """
    return pd.DataFrame(
        {
            "household_id": frame["household_id"].array,
            "member_no": frame["member_no"].to_numpy(),
            "eligible": pd.Series(eligible, dtype=object),
            "amount": amount,
            "reason": reason.column() if isinstance(reason, Reasons) else pd.Categorical(pd.array(reason, dtype="str")),
        }
    )
