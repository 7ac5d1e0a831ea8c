"""What an evidence ``ref`` points at, in words a supervisor reads: the question, case step or
graded check behind ``quiz:…``, ``case:…``, ``exercise:…``, ``contest:…``, ``review:…`` and
``appeal:…``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["describe", "describe_many", "shorten"]

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[#*`>|]+")


def shorten(text: str, limit: int = 40) -> str:
    """One line of at most ``limit`` characters, with … where it was cut."""
    flat = _SPACE.sub(" ", _MARKUP.sub("", text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe(ref: str) -> str:
    """The full text behind ``ref`` (the ref itself when nothing is known about it)."""
    kind, _, rest = ref.partition(":")
    try:
        if kind == "quiz":
            bank, item = rest.split(":", 1)
            return f"自测题〔{_bank_title(bank)}〕{_quiz_prompt(bank, item)}"
        if kind == "contest":
            parts = rest.split(":")
            return f"练兵比武〔{_bank_title(parts[-2])}〕{_quiz_prompt(parts[-2], parts[-1])}"
        if kind == "case":
            case_id, step = rest.split(":")[:2]
            title, prompt = _case_step(case_id, step)
            return f"案例演练〔{title}〕{prompt}"
        if kind == "exercise":
            assignment, notebook, grade_id = rest.split(":")
            return (
                f"考核作业〔{_exercise_title(assignment, notebook)}〕{_exercise_text(assignment, notebook, grade_id)}"
            )
        if kind == "review":
            return f"督导评议：{_item_title(rest)}"
        if kind == "appeal":
            return f"第 {rest} 号申诉的复核"
    except (KeyError, ValueError, LookupError, OSError):
        pass
    return ref


def describe_many(refs: Iterable[str]) -> dict[str, str]:
    """``describe`` for each distinct ref."""
    return {ref: describe(ref) for ref in dict.fromkeys(refs)}


@cache
def _banks() -> dict:
    from .quiz import load_banks

    return load_banks()


def _bank_title(bank: str) -> str:
    return _banks()[bank].title


def _quiz_prompt(bank: str, item: str) -> str:
    return next(i.prompt for i in _banks()[bank].items if i.id == item)


def _case_step(case_id: str, step: str) -> tuple[str, str]:
    from .cases import load_case

    case = load_case(case_id)
    return case.title, next(s.prompt for s in case.steps if s.id == step)


def _item_title(item: str) -> str:
    from .framework import load_framework

    return load_framework().items[item].title


@cache
def _exercise_cells(assignment: str, notebook: str) -> tuple[tuple[str, str, dict], ...]:
    """(cell type, source, metadata) of each cell of a source notebook of the course."""
    import nbformat

    from .content import exercises_root

    path = Path(exercises_root()) / "source" / assignment / f"{notebook}.ipynb"
    return tuple((c.cell_type, c.source, dict(c.metadata)) for c in nbformat.read(path, as_version=4).cells)


def _exercise_title(assignment: str, notebook: str) -> str:
    """The notebook's first heading, else the assignment's id."""
    heading = next(
        (
            line
            for kind, source, _m in _exercise_cells(assignment, notebook)
            if kind == "markdown"
            for line in source.splitlines()
            if line.startswith("#")
        ),
        "",
    )
    return heading.lstrip("#").strip().removeprefix("考核作业：") or assignment


def _exercise_text(assignment: str, notebook: str, grade_id: str) -> str:
    """A rubric criterion by its name and what it looks for; any other graded cell by the question above it."""
    cells = _exercise_cells(assignment, notebook)
    at = next(i for i, (_t, _s, meta) in enumerate(cells) if meta.get("nbgrader", {}).get("grade_id") == grade_id)
    meta = cells[at][2].get("trainkit", {})
    if cells[at][2].get("nbgrader", {}).get("task") and meta.get("criterion"):
        return f"评分项“{meta['criterion']}”：{meta.get('looks_for', '')}"
    question = next(
        (
            source
            for kind, source, m in reversed(cells[:at])
            if kind == "markdown" and not m.get("nbgrader", {}).get("grade")
        ),
        "",
    )
    return question.strip() or grade_id
