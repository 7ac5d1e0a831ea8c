"""Scenarios: hand-worked households with the expected outcome, one YAML file per program.

They run as tests and feed the quizzes. ``name`` is a sentence a reviewer can read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..content import load_named, yaml_files
from ..filecache import by_file
from .decision import Decision
from .household import Household

__all__ = ["Expected", "Scenario", "ScenarioFile", "load_scenarios", "mismatch"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(_Strict):
    eligible: bool | None
    amount: Decimal | None = None
    period: Literal["month", "year"] | None = None


class Scenario(_Strict):
    name: str = Field(min_length=8)
    date: dt.date
    household: Household
    expected: Expected
    why: str


class ScenarioFile(_Strict):
    schema_version: Literal[1] = 1
    program: str
    scenarios: tuple[Scenario, ...] = Field(min_length=1)


@by_file
def _load(path: Path) -> ScenarioFile:
    return load_named(ScenarioFile, path, name_field="program")


def load_scenarios() -> dict[str, ScenarioFile]:
    """Scenario files by program id."""
    return {f.program: f for f in map(_load, yaml_files("scenarios"))}


def mismatch(scenario: Scenario, decision: Decision) -> str | None:
    """What differs between the expected and the actual decision, or ``None``."""
    exp = scenario.expected
    if decision.eligible != exp.eligible:
        return f"结论应为 {exp.eligible}，实际为 {decision.eligible}"
    if decision.amount != exp.amount:  # no amount expected: none may be paid either
        return f"金额应为 {exp.amount if exp.amount is not None else '无'}，实际为 {decision.amount}"
    if exp.period is not None and decision.period != exp.period:
        return f"周期应为 {exp.period}，实际为 {decision.period}"
    return None
