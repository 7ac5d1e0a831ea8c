"""Drive the 低保 calculator with clicks and typed values."""

import datetime as dt

from trainkit.widgets import dibao_calculator


def _household(calc, *members):
    calc.on.value = dt.date(2025, 8, 1)
    first, *rest = members
    rows = [calc.rows.children[0]] + [calc.add_member(rel) for rel, *_ in rest]
    for row, (relation, age, income) in zip(rows, members, strict=True):
        row.relation.value = relation
        row.age.value = age
        row.counted_income.value = income


def test_two_person_household_gets_633_with_its_reasons():
    calc = dibao_calculator()
    _household(calc, ("applicant", "45", "1389"), ("child", "10", ""))
    calc.compute.click()
    html = calc.result.value
    assert "符合条件" in html and "633 元" in html
    assert "第九条" in html and "第十二条" in html
    assert "1011" in html


def test_income_equal_to_the_line_is_not_eligible():
    calc = dibao_calculator()
    _household(calc, ("applicant", "45", "2022"), ("spouse", "44", ""))
    calc.compute.click()
    assert "不符合条件" in calc.result.value


def test_a_date_in_the_2024_gap_says_to_verify():
    calc = dibao_calculator()
    _household(calc, ("applicant", "70", "500"))
    calc.on.value = dt.date(2024, 10, 1)
    calc.compute.click()
    assert "待核实" in calc.result.value
    assert "2024" in calc.result.value


def test_property_not_yet_checked_gives_pending():
    calc = dibao_calculator()
    _household(calc, ("applicant", "70", "500"))
    calc.property.value = "unknown"
    calc.compute.click()
    assert "待核实" in calc.result.value and "财产" in calc.result.value


def test_member_in_prison_is_not_counted():
    calc = dibao_calculator()
    _household(calc, ("applicant", "38", "1500"), ("spouse", "40", ""), ("child", "8", ""))
    calc.rows.children[1].excluded.value = "prison"
    calc.compute.click()
    assert "522 元" in calc.result.value


def test_bad_input_gets_a_friendly_message_not_a_traceback():
    calc = dibao_calculator()
    _household(calc, ("applicant", "abc", "100"))
    calc.compute.click()
    assert "年龄" in calc.result.value and "Traceback" not in calc.result.value
    for bad, word in (("-5", "不小于 0"), ("一千", "不小于 0"), ("99999999", "过大")):
        calc.rows.children[0].age.value = "45"
        calc.rows.children[0].counted_income.value = bad
        calc.compute.click()
        assert word in calc.result.value, bad
    calc.rows.children[0].counted_income.value = "100"
    calc.rows.children[0].age.value = "150"
    calc.compute.click()
    assert "0 到 120" in calc.result.value


def test_a_date_before_the_first_standard_is_explained():
    calc = dibao_calculator()
    _household(calc, ("applicant", "45", "100"))
    calc.on.value = dt.date(2020, 1, 1)
    calc.compute.click()
    assert "早于" in calc.result.value


def test_members_can_be_added_up_to_eight_and_removed():
    calc = dibao_calculator()
    for _ in range(10):
        calc.add_member()
    assert len(calc.rows.children) == 8
    calc.remove_member()
    assert len(calc.rows.children) == 7
