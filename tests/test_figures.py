"""Figures stated once: correcting an amount in its parameter file names every place that states it."""

from __future__ import annotations

from pathlib import Path

from trainkit.check import run_check
from trainkit.content import read_yaml
from trainkit.figures import LOCK, find_places

REPO = Path(__file__).resolve().parents[1]


def test_the_record_of_stated_figures_is_up_to_date():
    """Content that states an amount was added or changed: run `trainkit figures update`."""
    recorded = read_yaml(REPO / "casebank" / LOCK)["figures"]
    assert find_places(REPO) == recorded


def test_correcting_the_2025_dibao_standard_lists_every_item_check_and_lesson_that_states_it(casebank):
    path = casebank / "parameters" / "dibao-urban-standard-dalian.yaml"
    text = path.read_text(encoding="utf-8")
    assert "value: 1011" in text
    path.write_text(text.replace("value: 1011", "value: 1020"), encoding="utf-8")
    problems = [p for p in run_check().problems if "trainkit figures update" in p]
    assert any(p.startswith("casebank/quiz/social-assistance-dibao.yaml: dibao-calc-01") for p in problems)
    assert any(
        p.startswith("exercises/source/social-assistance-dibao/dibao-exercise.ipynb: q4-check") for p in problems
    )
    assert any(p.startswith("notebooks/031-social-assistance-dibao.ipynb") for p in problems)
    assert problems and all("1011" in p and "改为 1020" in p for p in problems)


def test_an_unchanged_casebank_has_no_stale_figures(casebank):
    assert not [p for p in run_check().problems if "trainkit figures update" in p]
