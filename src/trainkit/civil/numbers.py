"""Numbers a mediator types: areas as exact decimals (never binary floats), counts as integers."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

__all__ = ["Area", "Count", "fraction_text", "percent", "plain"]


def _decimal(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("应为数字，不是 true/false")
    if isinstance(value, int | float | str):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"应为数字（如 8523.45），不是“{value}”") from None
    return value


def _count(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"应为整数（人数），不是“{value}”")
    return value


Area = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, BeforeValidator(_count), Field(ge=0)]


def plain(value: Decimal | Fraction | int) -> str:
    """A number as a person writes it: 6667, 6666.67 (at most two decimals, rounded half up)."""
    d = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    d = d.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return f"{d.normalize():f}" if d == d.to_integral() else f"{d:f}".rstrip("0").rstrip(".")


def percent(part: Fraction) -> str:
    """A share as a percentage with two decimals, for reading only (comparisons stay exact)."""
    return f"{plain(part * 100)}%"


def fraction_text(part: Fraction) -> str:
    """1/3 as "1/3", 1 as "1"."""
    return str(part.numerator) if part.denominator == 1 else f"{part.numerator}/{part.denominator}"
