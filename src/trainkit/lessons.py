"""The lesson catalogue: one file per lesson under ``casebank/lessons/``, listed by ``order``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .content import load_named, yaml_files
from .filecache import by_file

__all__ = ["Lesson", "load_lessons"]


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    order: int = Field(ge=0, description="学习地图中的顺序：领域序号 × 100 + 课内序号")
    title: str
    domain: str
    notebook: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ipynb$")
    minutes: int = Field(gt=0, le=240)
    banks: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    items: tuple[str, ...] = Field(min_length=1)


@by_file
def _load(path: Path) -> Lesson:
    return load_named(Lesson, path)


def load_lessons() -> tuple[Lesson, ...]:
    """Every lesson, in learning-map order."""
    return tuple(sorted(map(_load, yaml_files("lessons")), key=lambda lesson: (lesson.order, lesson.id)))
