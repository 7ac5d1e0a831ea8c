"""Drive the 民法典 calculators with clicks and typed values, as a mediator would."""

import datetime as dt

from trainkit.widgets import deadline_calculator, inheritance_calculator, vote_calculator


def _tally(calc, total, participating, agreeing):
    for key, (area, owners) in zip(
        ("total", "participating", "agreeing"), (total, participating, agreeing), strict=True
    ):
        calc.boxes[key][0].value = area
        calc.boxes[key][1].value = owners


def test_vote_at_exactly_three_quarters_passes_with_its_articles():
    calc = vote_calculator()
    calc.matter.value = 6
    _tally(calc, ("9,000", "120"), ("6000平方米", "80人"), ("4500", "60"))
    calc.compute.click()
    html = calc.result.value
    assert "tk-ok" in html and "结论：通过" in html
    assert "第二百七十八条" in html and "第一千二百五十九条" in html


def test_vote_at_exactly_half_fails_and_bad_numbers_are_named():
    calc = vote_calculator()
    calc.matter.value = 4
    _tally(calc, ("9000", "120"), ("6000", "80"), ("3000", "41"))
    calc.compute.click()
    assert "tk-bad" in calc.result.value and "未通过" in calc.result.value
    calc.boxes["agreeing"][1].value = "四十一"
    calc.compute.click()
    assert "同意的人数“四十一”不对" in calc.result.value


def test_inheritance_by_representation_from_the_form():
    calc = inheritance_calculator()
    first = calc.rows.children[0]
    first.name.value, first.relation.value = "大儿子", "child"
    first.died.value = "before"
    grandson = calc.add_person("descendant")
    grandson.name.value, grandson.through.value = "孙子", "大儿子"
    daughter = calc.add_person("child")
    daughter.name.value = "女儿"
    calc.compute.click()
    html = calc.result.value
    assert "孙子 1/2" in html and "女儿 1/2" in html and "第一千一百二十八条" in html


def test_deadline_moves_past_the_listed_holidays_and_explains_a_bad_date():
    calc = deadline_calculator()
    calc.start.value = dt.date(2025, 3, 3)
    calc.asked.value = dt.date(2025, 5, 3)
    calc.holidays.value = "2025-05-01，2025-05-02 2025-05-03、2025-05-04 2025-05-05"
    calc.compute.click()
    assert "申请发证期到 2025-05-06" in calc.result.value
    calc.holidays.value = "5月1日"
    calc.compute.click()
    assert "法定休假日第1项：应为日期" in calc.result.value


def test_relatives_rows_share_their_looks():
    calc = inheritance_calculator()
    calc.add_person()
    first, second = calc.rows.children[:2]
    checks = [*first.flags.values(), *second.flags.values(), calc.will, calc.debts]
    assert len({c.style.model_id for c in checks}) == 1  # one style model for every check box
    assert len({c.layout.model_id for c in [*first.flags.values(), *second.flags.values()]}) == 1
    assert first.name.style is second.through.style and first.relation.style is second.died.style
