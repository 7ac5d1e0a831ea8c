"""What a civil calculator returns: a conclusion and the steps that led to it, each with its article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..law import Citation

__all__ = ["Finding", "Step"]


@dataclass(frozen=True)
class Step:
    """One step of the reasoning; ``citation`` quotes the article it rests on."""

    text: str
    citation: Citation | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.citation:
            out["citation"] = self.citation.model_dump(exclude_none=True)
        return out


@dataclass(frozen=True)
class Finding:
    """``calculator`` (vote, inheritance, deadline), a one-line Chinese ``conclusion``, the
    ``steps``, and ``facts``: the outcome as plain values (what scenarios compare)."""

    calculator: str
    conclusion: str
    steps: tuple[Step, ...]
    facts: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "calculator": self.calculator,
            "conclusion": self.conclusion,
            "facts": _jsonable(self.facts),
            "steps": [s.to_json() for s in self.steps],
        }


def _jsonable(value: Any) -> Any:
    """Facts for JSON: dates as YYYY-MM-DD, everything else as it is."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value
