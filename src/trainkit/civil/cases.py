"""Reading a civil case file (YAML or JSON) and the hand-worked scenarios in ``casebank/civil/``.

Errors are Chinese and name the file and the field; a key given twice is an error rather
than silently keeping the last value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..content import ContentError, casebank_root, parse, read_yaml

__all__ = ["Scenario", "ScenarioFile", "Strict", "load_case", "load_scenarios", "mismatch"]

M = TypeVar("M", bound=BaseModel)


def _read(path: Path) -> Any:
    """A case file: YAML, or JSON (which YAML reads too); a key given twice is refused."""
    if not path.is_file():
        raise ContentError(f"{path}: 文件不存在")
    return read_yaml(path)


def load_case(model: type[M], path: Path) -> M:
    """One case file (YAML or JSON) as ``model``."""
    return parse(model, _read(path), path)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scenario(Strict):
    """A hand-worked case: the input, the expected facts (only the keys given are compared), why."""

    name: str = Field(min_length=8)
    case: dict[str, Any]
    expected: dict[str, Any] = Field(min_length=1)
    why: str = Field(min_length=8)


class ScenarioFile(Strict):
    schema_version: int = 1
    calculator: str
    scenarios: tuple[Scenario, ...] = Field(min_length=1)


def load_scenarios(calculator: str) -> ScenarioFile:
    """``casebank/civil/<calculator>.yaml``."""
    path = casebank_root() / "civil" / f"{calculator}.yaml"
    scenarios = parse(ScenarioFile, _read(path), path)
    if scenarios.calculator != calculator:
        raise ContentError(f"{path}: calculator: 应与文件名一致（{calculator}）")
    return scenarios


def mismatch(expected: dict[str, Any], facts: dict[str, Any]) -> str | None:
    """The first expected key whose value differs from the calculator's, or ``None``."""
    for key, want in expected.items():
        if key not in facts:
            return f"{key}: 计算结果里没有这一项"
        got = facts[key]
        if _plain(got) != _plain(want):
            return f"{key}: 应为 {want!r}，实际为 {got!r}"
    return None


def _plain(value: Any) -> Any:
    """Dates and numbers as text, so YAML's own types compare with the calculator's."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    return str(value)
