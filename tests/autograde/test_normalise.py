"""Answers typed with a Chinese input method (no kernels)."""

import pytest

from trainkit.autograde.normalise import normalise_answer

STUB = "# 在下一行写：月补差 = 你的答案\n# 在这里填写答案\n"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("月补差 = 633元", "月补差 = 633"),
        ("月补差 = 2044元/月", "月补差 = 2044"),
        ("人数 = 4人", "人数 = 4"),
        ("第3题 = “A”", '第3题 = "A"'),
        ("第3题 ＝ ‘B’", '第3题 = "B"'),
        ("第3题 = 「C」", '第3题 = "C"'),
        ("人数 = ４", "人数 = 4"),
        ("第3题 ＝ A", '第3题 = "A"'),
        ("人数 = 4。", "人数 = 4"),
        ("月收入 = 2，000元", "月收入 = 2000"),
        ("月补差 ＝ （1011×4）－2000", "月补差 = (1011*4)-2000"),
    ],
)
def test_what_an_input_method_types_becomes_what_the_learner_meant(typed, meant):
    result = normalise_answer(STUB + typed)
    assert result.source == STUB + meant
    assert result.problem is None and result.changes


@pytest.mark.parametrize(
    "valid",
    [
        "月补差 = 2044",
        '第3题 = "A"',
        "月补差 = 1011 * 4 - 2000",
        'x = "符合，补差0元"',
        "人数 = 4.0",
        "A = 1\n第3题 = A",
        'print("他说：“好”")',
        "",
        # Python as written, even where it may not be what was meant: graded as written, as nbgrader does
        "第3题 = A",
        "月收入 = 2,000",
        "t = 1,000",
        "def f(n):\n    m = n\n    return m",
        "from math import *\ny = e",
        '第３题 = "Ａ"',
        "第3题 = Ｂ",
    ],
)
def test_valid_python_is_left_alone(valid):
    result = normalise_answer(STUB + valid, defined=frozenset({"A"}))
    assert result.source == STUB + valid and not result.changes and result.problem is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("月补差 = 2万", "阿拉伯数字"),
        ('第3题 = "A', "引号没有配对"),
        ("人数 4", "缺少等号"),
        ("人数 =", "没有填值"),
        ("月补差 = 5%", "小数"),
    ],
)
def test_what_cannot_be_fixed_is_explained_in_chinese(typed, says):
    result = normalise_answer(STUB + typed)
    assert result.source == STUB + typed and not result.changes
    assert says in result.problem and "第 3 行" in result.problem and "名称 = 值" in result.problem


def test_in_a_broken_cell_only_the_broken_lines_change():
    typed = "def f(n):\n    m = n\n    return m\nt = 1,000\n月补差 ＝ 633元"
    result = normalise_answer(typed)
    assert result.source == "def f(n):\n    m = n\n    return m\nt = 1,000\n月补差 = 633"
    assert len(result.changes) == 2 and all("月补差" in c for c in result.changes)


def test_each_change_is_reported_with_before_and_after():
    result = normalise_answer("月补差 = 633元")
    assert result.changes == ["月补差 = 633元 → 月补差 = 633（去掉了单位“元”）"]
