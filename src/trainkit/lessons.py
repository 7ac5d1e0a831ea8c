"""The lesson catalogue (``casebank/lessons.yaml``): what the 学习地图 lists, in order."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .content import casebank_root, parse, read_yaml

__all__ = ["Lesson", "load_lessons"]


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    domain: str
    notebook: str = Field(pattern=r"^[A-Za-z0-9_.-]+\.ipynb$")
    minutes: int = Field(gt=0, le=240)
    banks: tuple[str, ...] = ()
    items: tuple[str, ...] = Field(min_length=1)


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: int = 1
    lessons: tuple[Lesson, ...]


def load_lessons() -> tuple[Lesson, ...]:
    path: Path = casebank_root() / "lessons.yaml"
    return parse(Catalogue, read_yaml(path), path).lessons
