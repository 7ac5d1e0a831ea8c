"""Figures stated once: where the content writes out an amount from the parameter files.

A quiz item, a graded check, a lesson paragraph may state 1011 (元/人/月) in its own words.
``casebank/figures.yaml`` records, for every dated money figure of the parameter files, the
places that state it — found by :func:`find_places` and written by ``trainkit figures update``.
When a figure is corrected in its parameter file, ``trainkit check`` names every recorded
place that still states the old number (:func:`stale_figures`); after they are rewritten,
``trainkit figures update`` records the new state.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import nbformat

from .content import casebank_root, read_yaml
from .policy.parameters import load_parameters

__all__ = ["LOCK", "find_places", "stale_figures", "update_lock"]

LOCK = "figures.yaml"


def _money(unit: str) -> bool:
    return "元" in unit


def _number(value: Any) -> str | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number < 100:  # small numbers (ages, counts, 60 元) are everywhere; only distinctive amounts are tracked
        return None
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _texts(root: Path) -> list[tuple[str, str]]:
    """(place, text) for every piece of content that may state a figure."""
    found: list[tuple[str, str]] = []
    casebank = root / "casebank"
    for path in sorted((casebank / "quiz").glob("*.yaml")):
        data = read_yaml(path) or {}
        for item in data.get("items", []):
            found.append(
                (f"casebank/quiz/{path.name}: {item.get('id')}", json.dumps(item, ensure_ascii=False, default=str))
            )
    for path in sorted((casebank / "lessons").glob("*.yaml")):
        found.append((f"casebank/lessons/{path.name}", path.read_text(encoding="utf-8")))
    for folder, pattern in (("exercises/source", "*/*.ipynb"), ("notebooks", "*.ipynb")):
        for path in sorted((root / folder).glob(pattern)):
            rel = path.relative_to(root).as_posix()
            for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                meta = json.dumps(cell.metadata.get("trainkit", {}), ensure_ascii=False, default=str)
                found.append((f"{rel}: {gid or f'第 {number} 格'}", cell.source + "\n" + meta))
    return found


def find_places(root: Path) -> list[dict[str, Any]]:
    """Every dated money figure and the places in the content that state it."""
    texts = _texts(root)
    entries = []
    for parameter in sorted(load_parameters().values(), key=lambda p: p.id):
        if not _money(parameter.unit):
            continue
        for value in parameter.values:
            shown = _number(value.value)
            if shown is None:
                continue
            # a year is not a sum: "2022-12-01", "2022/12", "2022 年" are dates, never 2022 元
            pattern = re.compile(rf"(?<![\d.\-/]){re.escape(shown)}(?!\d|\s*年|[-/.]\d)")
            places = [place for place, text in texts if pattern.search(text)]
            if places:
                entries.append(
                    {
                        "parameter": parameter.id,
                        "effective": value.effective.isoformat(),
                        "value": shown,
                        "places": places,
                    }
                )
    return entries


def update_lock(root: Path) -> Path:
    """Write ``casebank/figures.yaml`` from the content as it is now."""
    import yaml

    from .atomic import write_text

    header = (
        "# Written by `trainkit figures update`: the places in the content that state each dated amount\n"
        "# of casebank/parameters. `trainkit check` lists them when a figure is corrected.\n"
    )
    data = {"schema_version": 1, "figures": find_places(root)}
    return write_text(root / "casebank" / LOCK, header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def stale_figures() -> list[str]:
    """One problem line per recorded place whose figure no longer matches its parameter."""
    lock = casebank_root() / LOCK
    if not lock.is_file():
        return []
    parameters = load_parameters()
    problems: list[str] = []
    for entry in (read_yaml(lock) or {}).get("figures", []):
        parameter = parameters.get(entry["parameter"])
        effective = dt.date.fromisoformat(str(entry["effective"]))
        value = next((v for v in parameter.values if v.effective == effective), None) if parameter else None
        now = _number(value.value) if value is not None else None
        if now == str(entry["value"]):
            continue
        what = f"改为 {now}" if now else "已删除或改为待核实"
        problems.extend(
            f"{place}: 写的是 {entry['parameter']} {effective} 的数字 {entry['value']}，参数文件中已{what}："
            "请改写这里（或改为从参数取数），然后运行 trainkit figures update"
            for place in entry["places"]
        )
    return problems
