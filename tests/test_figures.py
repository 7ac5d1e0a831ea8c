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


def test_a_year_is_not_a_sum_of_the_same_digits(tmp_path):
    """特困's 2022 元 is a figure; 2022-12-01, 2022/12 and 2022 年 are dates and state no figure."""
    bank = tmp_path / "casebank" / "quiz"
    bank.mkdir(parents=True)
    dates = ["自 2022-12-01 起执行", "2022/12 的台账", "2022 年的标准", "2022年起"]
    items = [{"id": f"date-{n}", "prompt": text} for n, text in enumerate(dates)]
    items.append({"id": "sum", "prompt": "城市特困人员基本生活标准每月 2022 元"})
    (bank / "test.yaml").write_text(
        "items:\n" + "".join(f"- id: {i['id']}\n  prompt: {i['prompt']}\n" for i in items), encoding="utf-8"
    )
    places = {p for entry in find_places(tmp_path) if entry["value"] == "2022" for p in entry["places"]}
    assert places == {"casebank/quiz/test.yaml: sum"}
