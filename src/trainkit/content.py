"""Where the kit's authored content lives, and how it is read.

Content (framework, parameters, self-check banks, cases, lessons) sits in the
repository's ``casebank/`` folder. A wheel ships the same folder inside the package
as ``trainkit/_casebank``, so a plain install finds it too. ``TRAINKIT_CASEBANK``
points at another folder (a bureau's own bank, or a test fixture).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = [
    "ContentError",
    "casebank_root",
    "exercises_root",
    "load_named",
    "parse",
    "read_yaml",
    "yaml_files",
]

M = TypeVar("M", bound=BaseModel)

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent


class ContentError(ValueError):
    """Content that cannot be used. Each problem reads ``file: field: what is wrong``."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise ContentError(f"{candidates[0]}: 找不到内容目录；请在项目根目录运行，或设置 TRAINKIT_CASEBANK")


def casebank_root() -> Path:
    """The content folder in use."""
    if env := os.environ.get("TRAINKIT_CASEBANK"):
        return _first_existing(Path(env))
    return _first_existing(_PACKAGE / "_casebank", _REPO / "casebank")


def exercises_root() -> Path:
    """The nbgrader course template: ``nbgrader_config.py`` and ``source/``."""
    return _first_existing(_PACKAGE / "_exercises", _REPO / "exercises")


# libyaml's parser (PyYAML's C binding, in its wheels) reads the content ten times faster than
# the pure-Python one: a lesson with a case walk-through and a calculator opened 0.5 s sooner.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type, misc]
    """Safe YAML that refuses a key written twice in one mapping (plain YAML keeps the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"键 '{key}' 重复（第{seen[key]}行已写过）：请删去其中一个", key_node.start_mark
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error or a repeated key names the file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else "YAML"
        raise ContentError(f"{path}: {where}: YAML 语法错误（{getattr(err, 'problem', err)}）") from err
    except UnicodeDecodeError as err:
        raise ContentError(f"{path}: 编码: 文件不是 UTF-8 编码，请另存为 UTF-8") from err


_MESSAGES = {  # pydantic's error types, as a content writer reads them
    "missing": "缺少此项",
    "extra_forbidden": "未知字段：请检查拼写，或删去",
    "literal_error": "只能是 {expected}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "最多 {decimal_places} 位小数（金额到分）",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "too_short": "至少要有 {min_length} 项",
    "date_from_datetime_parsing": "应为日期，如 2025-08-01",
    "date_parsing": "应为日期，如 2025-08-01",
    "date_type": "应为日期，如 2025-08-01",
    "string_type": "应为文字",
    "string_too_short": "至少 {min_length} 个字",
    "too_long": "最多 {max_length} 项",
    "decimal_type": "应为数字",
    "date_from_datetime_inexact": "应为日期（不含时刻），如 2025-08-01",
    "dict_type": "应为“字段: 值”的表",
    "model_type": "应为“字段: 值”的表",
    "list_type": "应为列表（每项以“- ”开头）",
    "tuple_type": "应为列表（每项以“- ”开头）",
}


def _message(error: Any) -> str:
    template = _MESSAGES.get(error["type"])
    if template is None:
        return str(error["msg"]).removeprefix("Value error, ")
    ctx = dict(error.get("ctx", {}))
    if "expected" in ctx:  # pydantic lists choices as "'a', 'b' or 'c'"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ").replace(", ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return str(error["msg"])


def parse(model: type[M], data: Any, path: Path | str) -> M:
    """Validate ``data`` against ``model``; errors become ``file: field: message`` lines, in Chinese."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        errors = err.errors()
        inner = {e["loc"][:1] for e in errors if len(e["loc"]) > 1}
        # a list whose items failed is also "too short after validation": say only what failed
        errors = [e for e in errors if not (e["type"] == "too_short" and e["loc"][:1] in inner)]
        raise ContentError(
            [f"{path}: {'.'.join(map(str, e['loc'])) or '(文件)'}: {_message(e)}" for e in errors]
        ) from err


def load_named(model: type[M], path: Path, *, name_field: str = "id") -> M:
    """Parse one content file whose ``name_field`` must equal its file name."""
    obj = parse(model, read_yaml(path), path)
    if getattr(obj, name_field) != path.stem:
        raise ContentError(f"{path}: {name_field}: 应与文件名一致（{path.stem}）")
    return obj


def yaml_files(kind: str) -> tuple[Path, ...]:
    """All YAML files of one kind (``parameters``, ``quiz``, ``cases`` …), sorted."""
    folder = casebank_root() / kind
    return tuple(sorted(folder.rglob("*.yaml"))) if folder.is_dir() else ()
