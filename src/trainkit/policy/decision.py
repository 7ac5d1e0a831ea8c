"""What a rule returns: a decision with its reasons and the sources it relied on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..law import Citation
from .parameters import Reference

__all__ = ["Decision", "Reason", "PENDING"]

PENDING = "待核实"


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

    @property
    def verdict(self) -> str:
        return {True: "符合条件", False: "不符合条件", None: PENDING}[self.eligible]

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "amount": None if self.amount is None else f"{self.amount:.2f}",
            "period": self.period,
            "reasons": [r.to_json() for r in self.reasons],
            "missing": list(self.missing),
        }
