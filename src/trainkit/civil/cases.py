"""Reading a civil case file (YAML or JSON) and the hand-worked scenarios in ``casebank/civil/``.

Errors are Chinese and name the file and the field; a key given twice is an error rather
than silently keeping the last value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..content import ContentError, casebank_root

__all__ = ["Scenario", "ScenarioFile", "Strict", "load_case", "load_scenarios", "mismatch", "validate"]

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识这个字段（请检查拼写）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期（不含时刻），格式 YYYY-MM-DD",
    "dict_type": "应为“字段: 值”的表",
    "model_type": "应为“字段: 值”的表",
    "list_type": "应为列表（每项以“- ”开头）",
    "tuple_type": "应为列表（每项以“- ”开头）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
}


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {
            "greater_than_equal": "不能小于",
            "greater_than": "应大于",
            "less_than_equal": "不能大于",
            "less_than": "应小于",
        }[kind]
        return f"{word} {next(iter(ctx.values()))}"
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}"
    if kind in ("too_short", "too_long"):
        return f"数量不对（{err['msg']}）" if kind == "too_long" else f"至少需要 {ctx.get('min_length')} 项"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def validate(model: type[M], data: Any, where: str) -> M:
    """``data`` as ``model``; problems become ``where: field: 中文说明`` lines (a ContentError)."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ContentError(
            [f"{where}: {'.'.join(map(str, e['loc'])) or '(文件)'}: {_message(e)}" for e in err.errors()]
        ) from err


class _NoDuplicates(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping."""


def _mapping(loader: _NoDuplicates, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ContentError(f"第{key_node.start_mark.line + 1}行: {key}: 同一个字段写了两次，请只保留一个")
        seen.add(key)
    return loader.construct_mapping(node)


_NoDuplicates.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _read(path: Path) -> Any:
    if not path.is_file():
        raise ContentError(f"{path}: 文件不存在")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDuplicates)  # noqa: S506 — a SafeLoader
    except ContentError as err:
        raise ContentError(f"{path}: {err}") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else "YAML"
        raise ContentError(f"{path}: {where}: YAML 语法错误（{getattr(err, 'problem', err)}）") from err
    except UnicodeDecodeError as err:
        raise ContentError(f"{path}: 编码: 文件不是 UTF-8 编码，请另存为 UTF-8") from err


def load_case(model: type[M], path: Path) -> M:
    """One case file (YAML or JSON) as ``model``."""
    return validate(model, _read(path), str(path))


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
    scenarios = validate(ScenarioFile, _read(path), str(path))
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
