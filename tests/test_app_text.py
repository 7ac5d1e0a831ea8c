"""Lesson and case text as the code-free app shows it: no run-a-cell instructions, no empty
headings, no doubled quotes, no spaces left between Chinese characters by folded YAML lines."""

import json
import shutil
from pathlib import Path

import yaml

from trainkit.app_text import LAB_ONLY, case_text_problems, empty_headings, notebook_problems, run_cell_phrases
from trainkit.cases import Case
from trainkit.check import run_check

FIXTURE = Path(__file__).parent / "data" / "test-water-cutoff.yaml"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _md(text, *tags):
    return {"cell_type": "markdown", "metadata": {"tags": list(tags)}, "source": text}


def _code(text):
    return {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None}


def _write(path, cells):
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_run_cell_phrases_are_found_and_widget_instructions_are_not():
    assert run_cell_phrases("运行下面两格。") == ["运行下面"]
    assert run_cell_phrases("选中它，按 Shift + Enter 运行") == ["Shift + Enter"]
    assert run_cell_phrases("把上面第一格里的 80 改成 75") == ["上面第一格里"]
    assert run_cell_phrases("你可以在下面新建一个代码格试试") == ["新建一个代码格"]
    assert run_cell_phrases("下面是低保计算器。把月可计收入改成 2022 元，点“计算”。") == []
    assert run_cell_phrases("电梯运行噪音、施工期间出入") == []


def test_a_lesson_telling_the_learner_to_run_a_cell_is_named_with_what_to_do(tmp_path):
    bad = _write(tmp_path / "bad.ipynb", [_md("# 课\n\n运行下一格，打开低保计算器。"), _code("dibao_calculator()")])
    [problem] = notebook_problems(bad, label="notebooks/bad.ipynb")
    assert problem.startswith("notebooks/bad.ipynb: 第1格: ")
    assert "运行下一" in problem and LAB_ONLY in problem and "请改写" in problem


def test_the_same_words_in_a_lab_only_cell_are_fine(tmp_path):
    ok = _write(
        tmp_path / "ok.ipynb",
        [
            _md("# 课\n\n下面是低保计算器。"),
            _md("选中代码格，按 Shift+Enter 运行。", LAB_ONLY),
            _code("dibao_calculator()"),
        ],
    )
    assert notebook_problems(ok) == []


def test_a_heading_with_only_lab_only_text_or_imports_under_it_is_empty():
    cells = [
        _md("# 课\n\n学习目标……\n\n## 怎么用"),
        _md("选中灰色的代码格，按 Shift+Enter 运行。", LAB_ONLY),
        _md("## 开始之前"),
        _code("from trainkit.widgets import whoami"),
        _md("## 一、算一算"),
        _code("dibao_calculator()"),
        _md("## 小结"),
    ]
    assert empty_headings(cells) == [(0, "怎么用"), (2, "开始之前"), (6, "小结")]
    cells[1]["metadata"]["tags"] = []
    cells[1]["source"] = "下面的计算器按说明操作即可。"
    assert [h for _, h in empty_headings(cells)] == ["开始之前", "小结"]


def test_an_empty_heading_is_named_by_file_cell_and_heading(tmp_path):
    bad = _write(
        tmp_path / "bad.ipynb",
        [_md("# 课\n\n## 怎么用"), _md("按 Shift+Enter。", LAB_ONLY), _md("## 一、正文\n\n内容")],
    )
    [problem] = notebook_problems(bad)
    assert problem.startswith("bad.ipynb: 第1格: 标题“怎么用”") and "空的" in problem


def test_every_shipped_notebook_reads_right_in_the_app():
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert len(notebooks) > 20
    assert [p for nb in notebooks for p in notebook_problems(nb)] == []


def test_case_texts_with_a_folded_space_or_doubled_quotes_are_named():
    problems = case_text_problems(
        {"facts": "住在小两居里。 这套房是他买的。", "parties.0.position": "“我不同意。”她说得很坚决。"},
        where="cases/x.yaml",
        quotes=("parties.0.position",),
    )
    assert len(problems) == 2
    assert problems[0].startswith("cases/x.yaml: facts: 两个汉字之间有空格") and "小两居里。 这套房" in problems[0]
    assert problems[1].startswith("cases/x.yaml: parties.0.position: 显示时引号成双")
    fine = {"parties.0.position": "“我不同意，你们看着办。”", "facts": "3 号楼的陈女士"}
    assert case_text_problems(fine, where="x", quotes=("parties.0.position",)) == []


def test_the_case_schema_joins_lines_folded_between_chinese_characters():
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    lines = [
        "某小区3号楼的陈女士因不满电梯维修拖延，半年没有交物业费。",
        "物业公司为催费关闭了她家的进户水阀，",
        "陈女士带着孩子来到社区居委会，情绪激动，要求社区马上让物业恢复供水，并表示要去法院告物业。",
    ]
    folded = yaml.safe_load("facts: >-\n" + "".join(f"  {line}\n" for line in lines))
    assert "。 物业" in folded["facts"]  # what YAML itself gives
    data["facts"] = folded["facts"]
    data["parties"][0]["position"] = "电梯坏了三个月没人修，\n凭什么让我交钱？"
    case = Case.model_validate(data)
    assert case.facts == "".join(lines)
    assert case.parties[0].position == "电梯坏了三个月没人修，凭什么让我交钱？"


def test_check_names_a_bad_notebook_and_a_doubly_quoted_case(casebank):
    notebooks = casebank.parent / "notebooks"
    notebooks.mkdir()
    _write(notebooks / "999-bad.ipynb", [_md("# 课\n\n把上面一格改成 75 后重新运行。"), _code("quiz('x')")])
    folder = casebank / "cases" / "property_service"
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "position: 电梯坏了三个月没人修", "position: “电梯坏了三个月没人修。”她一进门就说，"
    )
    (folder / "test-water-cutoff.yaml").write_text(text, encoding="utf-8")
    problems = run_check().problems
    assert [p for p in problems if p.startswith("notebooks/999-bad.ipynb: 第1格: ") and "重新运行" in p]
    quoted = [p for p in problems if "test-water-cutoff.yaml: parties.0.position: 显示时引号成双" in p]
    assert len(quoted) == 1


def test_a_fixture_copy_stays_clean(casebank):
    folder = casebank / "cases" / "property_service"
    shutil.copy(FIXTURE, folder)
    assert not [p for p in run_check().problems if "test-water-cutoff" in p]
