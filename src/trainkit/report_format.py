"""How the report writes a figure: missing values, percentages, numbers, dates."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["date_text", "missing", "number", "percent"]


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent(value: Any) -> str:
    return "—" if missing(value) else f"{float(value):.0%}"


def number(value: float) -> str:
    return f"{value:g}"


def date_text(moment: Any) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d")
