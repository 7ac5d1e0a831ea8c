"""What a rule returns: a decision with its reasons and the sources it relied on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from ..law import Citation
from .parameters import Reference

__all__ = ["Decision", "Reason", "PENDING", "cents"]

PENDING = "待核实"


def cents(value: float | Decimal) -> Decimal:
    """The one rounding rule for money: to the 分, half up (四舍五入), from the figure as written."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reason:
    text: str
    citation: Citation | None = None
    reference: Reference | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.citation:
            out["citation"] = self.citation.model_dump(exclude_none=True)
        if self.reference:
            out["reference"] = self.reference.model_dump(exclude_none=True)
        return out


@dataclass(frozen=True)
class Decision:
    """Eligible (``True``), not eligible (``False``) or 待核实 (``None``)."""

    program: str
    on: dt.date
    eligible: bool | None
    amount: Decimal | None = None
    period: Literal["month", "year"] | None = None
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.amount is not None:
            object.__setattr__(self, "amount", cents(self.amount))

    @property
    def amount_text(self) -> str:
        """``822.50 元/月``: the amount as every output writes it (empty when there is none)."""
        if self.amount is None:
            return ""
        return f"{self.amount} 元" + {"month": "/月", "year": "/年"}.get(self.period or "", "")

    @property
    def verdict(self) -> str:
        return {True: "符合条件", False: "不符合条件", None: PENDING}[self.eligible]

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "amount": None if self.amount is None else str(self.amount),
            "period": self.period,
            "reasons": [r.to_json() for r in self.reasons],
            "missing": list(self.missing),
        }
