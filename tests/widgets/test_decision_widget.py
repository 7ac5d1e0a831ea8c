"""The generic decision widget: every scenario round-trips, and edits change the decision."""

import pytest

from trainkit.policy import PROGRAMS
from trainkit.widgets import decision_widget

VERDICT = {True: "判断结果：符合条件", False: "判断结果：不符合条件", None: "判断结果：待核实"}


@pytest.mark.parametrize("program", list(PROGRAMS))
def test_every_scenario_gives_its_expected_verdict_through_the_form(program):
    widget = decision_widget(program)
    for index, scenario in enumerate(widget.scenarios):
        widget.picker.value = index
        widget.decide.click()
        assert VERDICT[scenario.expected.eligible] in widget.result.value, scenario.name


def _field(widget, *path):
    return next(f for p, f in widget.fields if p == path)


def test_editing_the_income_moves_a_household_across_the_line():
    widget = decision_widget("dibao")
    widget.picker.value = 0  # 两口之家月收入1389元 → 633
    widget.decide.click()
    assert "633" in widget.result.value
    _field(widget, "members", 0, "incomes", 0, "monthly").widget.value = "2022"
    widget.decide.click()
    assert VERDICT[False] in widget.result.value


def test_editing_the_age_moves_an_elder_to_the_next_allowance_tier():
    widget = decision_widget("gaoling_jintie")
    index = next(i for i, s in enumerate(widget.scenarios) if s.expected.amount == 30)
    widget.picker.value = index
    _field(widget, "members", 0, "age").widget.value = "85"
    birth = [f for p, f in widget.fields if p[-1] == "birth_date"]
    if birth:
        birth[0].widget.value = None
    widget.decide.click()
    assert "50" in widget.result.value and VERDICT[True] in widget.result.value
    assert "每月高龄津贴 <b>50" in widget.result.value and "补差" not in widget.result.value


@pytest.mark.parametrize(
    ("program", "label"), [("dibao", "每月补差"), ("tekun", "每月基本生活费"), ("jisheng_tefu", "每月特别扶助金")]
)
def test_an_amount_is_named_as_the_program_names_it(program, label):
    widget = decision_widget(program)
    index = next(i for i, s in enumerate(widget.scenarios) if s.expected.amount)
    widget.picker.value = index
    widget.decide.click()
    assert f"{label} <b>" in widget.result.value


def test_bad_input_is_explained_in_chinese():
    widget = decision_widget("dibao")
    widget.picker.value = 0
    _field(widget, "members", 0, "incomes", 0, "monthly").widget.value = "一千"
    widget.decide.click()
    assert "不小于 0 的数字" in widget.result.value and "Traceback" not in widget.result.value
    _field(widget, "members", 0, "incomes", 0, "monthly").widget.value = "100"
    _field(widget, "members", 0, "age").widget.value = "150"
    widget.decide.click()
    assert "填写有误" in widget.result.value and "年龄" in widget.result.value


def test_an_unknown_program_is_refused():
    with pytest.raises(ValueError, match="未知项目"):
        decision_widget("nosuch")


def test_a_yes_no_fact_that_may_be_unrecorded_has_three_answers():
    widget = decision_widget("jisheng_tefu")
    widget.picker.value = next(i for i, s in enumerate(widget.scenarios) if "没有登记是否持有光荣证" in s.name)
    certificate = _field(widget, "household", "family_planning", "certificate").widget
    assert [label for label, _ in certificate.options] == ["是", "否", "未登记"]
    assert certificate.value is None
    for value, verdict in ((None, None), (True, True), (False, False)):
        certificate.value = value
        widget.decide.click()
        assert VERDICT[verdict] in widget.result.value, value


def test_fields_of_one_kind_share_one_layout_and_style():
    fields = [f for program in ("linghuo_shebao_butie", "jisheng_tefu") for _p, f in decision_widget(program).fields]
    by_kind: dict[str, set[str]] = {}
    for field in fields:
        by_kind.setdefault(field.kind, set()).update({field.widget.layout.model_id, field.widget.style.model_id})
    assert len(fields) > 10 and len(by_kind) >= 4
    assert all(len(ids) == 2 for ids in by_kind.values()), by_kind  # one layout, one style per kind
