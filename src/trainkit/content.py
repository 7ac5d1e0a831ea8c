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


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error names the file and line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else "YAML"
        raise ContentError(f"{path}: {where}: YAML 语法错误（{getattr(err, 'problem', err)}）") from err
    except UnicodeDecodeError as err:
        raise ContentError(f"{path}: 编码: 文件不是 UTF-8 编码，请另存为 UTF-8") from err


def parse(model: type[M], data: Any, path: Path) -> M:
    """Validate ``data`` against ``model``; errors become ``file: field: message`` lines."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ContentError(
            [f"{path}: {'.'.join(map(str, e['loc'])) or '(文件)'}: {e['msg']}" for e in err.errors()]
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
