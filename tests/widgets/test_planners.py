"""The 母婴 schedule planner and the 居委会 rules check, driven as a learner would."""

import datetime as dt

from trainkit.widgets import committee_check, health_schedule


def test_the_schedule_lists_dated_visit_windows_with_sources():
    box = health_schedule()
    due, born, today = box.children[0].children
    due.value, today.value = dt.date(2026, 5, 1), dt.date(2026, 1, 10)
    box.children[1].click()
    html = box.children[2].value
    assert "孕产妇" in html and "儿童" in html and "V 已核实" in html
    assert "2032-05-01" in html  # the 6-year check of a child due 2026-05-01
    due.value = None
    box.children[1].click()
    assert "预产期" in box.children[2].value and "Traceback" not in box.children[2].value


def test_the_committee_check_uses_the_law_in_force_on_the_date():
    box = committee_check()
    on, first_row, _second_row, go, out = box.children
    households, members, _woman = first_row.children
    households.value, members.value = "800", "7"
    on.value = dt.date(2025, 12, 31)
    go.click()
    assert "2018 年版" in out.value and "800 户，不符合（应为 100～700 户）" in out.value
    assert "7 人，符合" in out.value
    on.value = dt.date(2026, 1, 1)
    go.click()
    assert "2025 年版" in out.value and "800 户，不符合" in out.value
    households.value = "很多"
    go.click()
    assert "不小于 0 的整数" in out.value
