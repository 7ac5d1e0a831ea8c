"""How the report writes a figure: missing values, percentages, numbers, dates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["date_text", "missing", "number", "percent", "percents"]


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(value: Any) -> str:
    return "—" if missing(value) else f"{float(value):.0%}"


def percents(values: Sequence[float] | np.ndarray) -> list[str]:
    """:func:`percent` of each of many ratios (0–1), as it writes them.

    A district's matrix shows sixty thousand of them: each is rounded to a whole percent
    at once, as ``format`` rounds (``x * 100``, ties to even), and :func:`percent` writes
    each whole percent that occurs once.
    """
    whole = np.rint(np.asarray(values, dtype=float) * 100)
    known = whole[~np.isnan(whole)]
    texts = {k: percent(k / 100) for k in np.unique(known).tolist()}
    return ["—" if k != k else texts[k] for k in whole.tolist()]  # k != k: NaN, no figure


def number(value: float) -> str:
    return f"{value:g}"


def date_text(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d")
