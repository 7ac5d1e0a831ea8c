"""母婴健康管理 schedule: dates worked by hand from a due date of 2025-10-08 (LMP 2025-01-01)."""

from __future__ import annotations

import datetime as dt

import pytest

from trainkit.policy.schedules import add_months, child_schedule, maternal_schedule, muying_jiankang, upcoming

D = dt.date
DUE = D(2025, 10, 8)  # 2025-01-01 + 280 days
BIRTH = D(2025, 10, 5)
DISCHARGE = D(2025, 10, 8)


def by_id(visits):  # noqa: ANN001, ANN201
    return {v.id: v for v in visits}


def test_prenatal_windows_in_pregnancy_weeks():
    v = by_id(maternal_schedule(due_date=DUE))
    assert (v["prenatal_1"].start, v["prenatal_1"].end) == (D(2025, 1, 1), D(2025, 4, 1))  # before week 13: day 0–90
    assert (v["prenatal_2"].start, v["prenatal_2"].end) == (D(2025, 4, 23), D(2025, 5, 27))  # weeks 16–20: day 112–146
    assert (v["prenatal_3"].start, v["prenatal_3"].end) == (D(2025, 5, 28), D(2025, 6, 24))  # weeks 21–24: day 147–174
    assert (v["prenatal_4"].start, v["prenatal_4"].end) == (D(2025, 7, 16), D(2025, 9, 16))  # weeks 28–36: day 196–258
    assert (v["prenatal_5"].start, v["prenatal_5"].end) == (D(2025, 9, 17), D(2025, 10, 14))  # weeks 37–40: day 259–286
    assert "《母子健康手册》" in v["prenatal_1"].title


def test_postnatal_from_real_birth_and_discharge():
    v = by_id(maternal_schedule(due_date=DUE, delivery_date=BIRTH, discharge_date=DISCHARGE))
    assert (v["postnatal_visit"].start, v["postnatal_visit"].end) == (D(2025, 10, 8), D(2025, 10, 15))
    assert v["postnatal_visit"].estimated is False
    assert (v["postnatal_42"].start, v["postnatal_42"].end) == (D(2025, 11, 16), D(2025, 11, 16))  # 10-05 + 42
    assert v["postnatal_42"].estimated is False


def test_postnatal_estimated_from_the_due_date():
    v = by_id(maternal_schedule(due_date=DUE))
    assert v["postnatal_visit"].start == DUE and v["postnatal_visit"].estimated
    assert v["postnatal_42"].start == D(2025, 11, 19) and v["postnatal_42"].estimated  # 10-08 + 42


def test_child_checks():
    v = by_id(child_schedule(birth_date=BIRTH, discharge_date=DISCHARGE))
    assert (v["newborn_visit"].start, v["newborn_visit"].end) == (D(2025, 10, 8), D(2025, 10, 15))
    assert (v["full_month"].start, v["full_month"].end) == (D(2025, 11, 2), D(2025, 11, 4))  # day 28–30
    expected = {
        "check_3m": D(2026, 1, 5),
        "check_6m": D(2026, 4, 5),
        "check_8m": D(2026, 6, 5),
        "check_12m": D(2026, 10, 5),
        "check_18m": D(2027, 4, 5),
        "check_24m": D(2027, 10, 5),
        "check_30m": D(2028, 4, 5),
        "check_36m": D(2028, 10, 5),
        "check_4y": D(2029, 10, 5),
        "check_5y": D(2030, 10, 5),
        "check_6y": D(2031, 10, 5),
    }
    for vid, day in expected.items():
        assert (v[vid].start, v[vid].end) == (day, day), vid
    assert len(v) == 13  # home visit, 满月, 8 infant checks, 3 yearly checks
    assert all(not x.estimated for x in v.values())


def test_newborn_visit_without_discharge_date_is_estimated_from_birth():
    v = by_id(child_schedule(birth_date=BIRTH))
    assert v["newborn_visit"].start == BIRTH and v["newborn_visit"].estimated
    assert v["full_month"].estimated is False


def test_every_entry_has_a_verified_source():
    visits = muying_jiankang(due_date=DUE, birth_date=BIRTH, discharge_date=DISCHARGE)
    assert len(visits) == 20  # 7 maternal + 13 child
    for v in visits:
        assert v.sources and all(s.status == "V" and s.href for s in v.sources)
    assert {s.href for v in visits if v.who == "child" for s in v.sources} == {
        "https://www.yanliang.gov.cn/xwzx/mszx/1967519154686730242.html"
    }
    assert [v.start for v in visits] == sorted(v.start for v in visits)


def test_due_date_only_estimates_everything_after_birth():
    visits = muying_jiankang(due_date=DUE)
    after = [v for v in visits if not v.id.startswith("prenatal")]
    assert after and all(v.estimated for v in after)
    assert by_id(visits)["check_3m"].start == D(2026, 1, 8)


def test_birth_date_only_has_no_prenatal_visits():
    ids = [v.id for v in muying_jiankang(birth_date=BIRTH)]
    assert not any(i.startswith("prenatal") for i in ids)
    assert "postnatal_42" in ids and "check_6y" in ids


def test_state_and_upcoming():
    visits = muying_jiankang(due_date=DUE, birth_date=BIRTH, discharge_date=DISCHARGE)
    v = by_id(visits)
    on = D(2025, 11, 3)
    assert v["full_month"].state(on) == "进行中"
    assert v["full_month"].state(D(2025, 11, 4)) == "进行中"  # last day inclusive
    assert v["full_month"].state(D(2025, 11, 5)) == "已过"
    assert v["check_3m"].state(on) == "未到"
    ids = [x.id for x in upcoming(visits, on)]
    assert ids[0] == "full_month"
    assert "newborn_visit" not in ids and "postnatal_42" in ids


def test_bad_input():
    with pytest.raises(ValueError, match="预产期或出生日期"):
        muying_jiankang()
    with pytest.raises(ValueError, match="出院日期 2025-10-01 早于"):
        muying_jiankang(birth_date=BIRTH, discharge_date=D(2025, 10, 1))


def test_add_months_clamps_to_month_end():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert add_months(D(2025, 1, 15), 36) == D(2028, 1, 15)
