"""高龄津贴 (Dalian, 《大连市高龄津贴发放管理办法》 from 2025-10-01): who, how much, when to register.

Dalian 户籍 older people from 80, no income test (more generous than the national basis,
《老年人权益保障法》第三十三条, which encourages it for low-income people aged 80+). Monthly
by age tier, each tier its own dated series; from 100 the allowance equals the Dalian
urban 低保 standard in force (the dibao series, reused). Registration opens 3 months
before the 80th birthday. Dates before 2025-10-01 raise (earlier rules not found); after
the 办法's five years the rules are unknown and the decision is 待核实. One row per
resident, each decided as if they applied; a registered birth date that disagrees with the
age on the day means the record cannot be decided on (the rule does not apply until corrected).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import first_true, member_flag
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from ..parameters import load_parameter
from ..shared import birth_fields
from . import household_rule
from ._person import constant, figure_table, lazy_labels, spread, step

__all__ = ["age_on", "decide", "eightieth_birthday", "evaluate", "registration_opens"]

PROGRAM = "gaoling_jintie"
TITLE = "高龄津贴"
AMOUNT = "每月高龄津贴"  # how a decision's amount is named to the learner
PERIOD = "month"
PER = "person"  # one decision per resident; receipt recorded on the person
DOMAIN = "elderly"
ITEMS = ("longevity_allowance",)

ART_33 = Citation(law="老年人权益保障法", article=33, quote="国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。")

START_AGE = 80
REGISTER_MONTHS_BEFORE = 3
# (lowest age of the tier, series), highest first; the highest tier is a multiple of the urban 低保 standard
TIERS = (
    (100, "gaoling-jintie-100-dalian"),
    (90, "gaoling-jintie-90-99-dalian"),
    (85, "gaoling-jintie-85-89-dalian"),
    (80, "gaoling-jintie-80-84-dalian"),
)
FIRST_TIER = "gaoling-jintie-80-84-dalian"
DIBAO_URBAN = "dibao-urban-standard-dalian"

_RULES = {"param": "rules_param"}  # the reference of the Dalian 办法
_SPAN = f"登记期 {{opens}} 至 {{window_end}}（满{START_AGE}周岁前{REGISTER_MONTHS_BEFORE}个月内）"

REASONS = {
    "refused": Because(
        "members: {label}的 age 与 birth_date 不一致：按出生日期 {birth_date}，{on} 应为 {exact} 周岁。请改正其中一项"
    ),
    "subject_gap": Because("判断对象：{label}", citation=ART_33),
    "rules_unknown": Because("{rules_missing}", missing=True),
    "subject": Because(
        "判断对象：{label}；国家鼓励地方为八十周岁以上低收入老年人建立高龄津贴，大连市办法不设收入条件", citation=ART_33
    ),
    "rules": Because("依据《大连市高龄津贴发放管理办法》（{rules_since} 起执行，{rules_status}）", **_RULES),
    "outsider": Because("户籍不在大连市，不属于大连市高龄津贴的发放对象", **_RULES),
    "local": Because("大连市户籍，符合户籍条件", **_RULES),
    "young": Because(f"{{age}}周岁，未满{START_AGE}周岁，还不能领取", **_RULES),
    "window_undated": Because(
        f"登记时间：满{START_AGE}周岁前{REGISTER_MONTHS_BEFORE}个月内可以登记；"
        "未登记出生日期（birth_date），无法判断今天是否在登记期内",
        **_RULES,
    ),
    "window_before": Because(f"{{on}} 尚未到登记期：{_SPAN}", **_RULES),
    "window_open": Because(f"{{on}} 在登记期内，可以登记：{_SPAN}，{{birthday}} 满{START_AGE}周岁", **_RULES),
    "window_past": Because(
        f"{{on}} 已过登记期：{_SPAN}；尚未登记的请尽快登记，逾期登记能否补发未核实（U），请向社区确认", **_RULES
    ),
    "tier_unknown": Because("{tier_missing}", missing=True),
    "tier": Because(
        "{age}周岁，{tier_title}：每月 {tier} 元（{tier_since} 起执行，{tier_status}）", param="tier_param"
    ),
    "centenarian": Because(
        "{age}周岁，百岁老人的高龄津贴与大连市城市低保标准相同（{tier_since} 起执行，{tier_status}）",
        param="tier_param",
    ),
    "dibao_unknown": Because("{dibao_missing}", missing=True),
    "dibao": Because(
        "{dibao_title}：{dibao} {dibao_unit}（{dibao_since} 起执行，{dibao_status}），每月高龄津贴 {amount} 元",
        param="dibao_param",
    ),
}
# Before turning 80 and not yet inside the registration window, the window is said before the
# age, so that the last reason — the one an outreach list shows — is why: too young.
STEPS = (
    "refused_step",
    "subject_step",
    "rules_step",
    "hukou",
    "early_window",
    "age_step",
    "window",
    "tier_step",
    "dibao_step",
)


def _ages(y: np.ndarray, m: np.ndarray, d: np.ndarray, on: dt.date) -> np.ndarray:
    """周岁 on ``on``: a year is complete on the birthday (29 February: on 1 March in common years)."""
    return on.year - y - ((on.month * 100 + on.day) < (m * 100 + d)).astype(np.int64)


def _day(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    return ((y - 1970) * 12 + m - 1).astype("datetime64[M]").astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")


def _leap(y: np.ndarray) -> np.ndarray:
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _window_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, ...]:
    """:func:`_window` as year, month, day numbers (opens, then the 80th birthday): compared as
    ``yyyymmdd`` integers over a whole register, no calendar objects."""
    y80 = y + START_AGE
    feb29 = (m == 2) & (d == 29) & ~_leap(y80)
    m80, d80 = np.where(feb29, 3, m), np.where(feb29, 1, d)
    months = y80 * 12 + (m80 - 1) - REGISTER_MONTHS_BEFORE
    yo, mo = months // 12, months % 12 + 1
    length = _MONTH_DAYS[mo - 1] + ((mo == 2) & _leap(yo))
    return yo, mo, np.minimum(d80, length), y80, m80, d80


def _window(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The day registration opens (three calendar months before, the day clamped to the month's
    end) and the 80th birthday (29 February births: 1 March in a common year)."""
    yo, mo, do, yb, mb, db = _window_ymd(y, m, d)
    return _day(yo, mo, do), _day(yb, mb, db)


_LATER = 9999_12_31  # a day after any window: "not yet"


def _number(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    return y * 10_000 + m * 100 + d


def _one(birth: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.array([birth.year]), np.array([birth.month]), np.array([birth.day])


def age_on(birth: dt.date, on: dt.date) -> int:
    """周岁 on ``on``: a year is complete on the birthday (29 February: on 1 March in common years)."""
    return int(_ages(*_one(birth), on)[0])


def eightieth_birthday(birth: dt.date) -> dt.date:
    """The day the person turns 80 (29 February births: 1 March in a common year)."""
    return _window(*_one(birth))[1][0].astype(dt.date)


def registration_opens(birth: dt.date) -> dt.date:
    """Three calendar months before the 80th birthday (day clamped to the month's end)."""
    return _window(*_one(birth))[0][0].astype(dt.date)


def _text(days: np.ndarray) -> np.ndarray:
    """Dates as text (2025-12-01)."""
    return np.datetime_as_string(days, unit="D").astype(object)


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """高龄津贴 for every resident of a numbered register on ``on``, each as the applicant."""
    n = len(residents)
    in_force = load_parameter(FIRST_TIER).at(on)  # raises before the Dalian 办法
    zero = np.zeros(n, dtype=np.int64)
    rules = spread(figure_table([FIRST_TIER], on, "rules"), zero)
    gap = in_force.value is None
    age = residents["age"].to_numpy(dtype=np.int64)
    y, m, d, dated = birth_fields(residents)
    exact = _ages(y, m, d, on)
    refused = dated & (exact != age)
    decided = ~refused
    local = member_flag(residents, "hukou_dalian")
    open_ = decided & (not gap)
    young = open_ & local & (age < START_AGE)
    grown = open_ & local & (age >= START_AGE)
    today = on.year * 10_000 + on.month * 100 + on.day
    # The window is worked out only where it can have opened: before 79 it opens more than nine
    # months ahead (so after today), and so does the 80th birthday.
    near = np.flatnonzero(dated & (exact >= START_AGE - 1))
    opens, birthday = np.full(n, _LATER), np.full(n, _LATER)
    yo, mo, do, yb, mb, db = _window_ymd(y[near], m[near], d[near])
    opens[near], birthday[near] = _number(yo, mo, do), _number(yb, mb, db)

    tier_code = first_true([age >= low for low, _ in TIERS[:-1]], default=len(TIERS) - 1)
    tier = spread(figure_table([series for _, series in TIERS], on, "tier"), tier_code)
    tier_known = ~np.isnan(tier["tier"])
    hundred = grown & tier_known & (tier_code == 0)
    dibao = spread(figure_table([DIBAO_URBAN], on, "dibao"), zero)
    dibao_known = ~np.isnan(dibao["dibao"])

    eligible = np.full(n, PENDING, dtype=np.int8)
    eligible[open_ & (~local | young)] = NO
    eligible[grown & tier_known] = YES
    eligible[refused] = NOT_APPLIES
    amount = np.full(n, np.nan)
    ordinary = grown & tier_known & (tier_code != 0)
    amount[ordinary] = np.round(tier["tier"][ordinary], 2)
    centenarian_paid = hundred & dibao_known
    amount[centenarian_paid] = np.round(dibao["dibao"][centenarian_paid] * tier["tier"][centenarian_paid], 2)

    windowed = young | (grown & dated)
    rows = {
        "household_id": residents["household_id"].to_numpy(),
        "member_no": residents["member_no"].to_numpy(dtype=np.int64),
        "verdict": eligible,
        "amount": amount,
        "refused_step": step(n, (refused, "refused")),
        "subject_step": step(n, (decided & gap, "subject_gap"), (open_, "subject")),
        "rules_step": step(n, (decided & gap, "rules_unknown"), (open_, "rules")),
        "hukou": step(n, (open_ & ~local, "outsider"), (open_ & local, "local")),
        "age_step": step(n, (young, "young")),
        "early_window": step(n, (young & ~dated, "window_undated"), (young & dated & (today < opens), "window_before")),
        "window": step(
            n,
            (windowed & dated & (today >= birthday), "window_past"),
            (windowed & dated & (today < birthday) & (today >= opens), "window_open"),
        ),
        "tier_step": step(n, (grown & ~tier_known, "tier_unknown"), (ordinary, "tier"), (hundred, "centenarian")),
        "dibao_step": step(n, (hundred & ~dibao_known, "dibao_unknown"), (centenarian_paid, "dibao")),
        "on": constant(n, on),
        "age": age,
        "exact": exact,
        **rules,
        **tier,
        **dibao,
    }
    lazy = {  # worded only for the rows whose reasons quote them
        "label": lazy_labels(residents),
        "birth_date": lambda at: _text(_day(y[at], m[at], d[at])),
        "opens": lambda at: _text(_window(y[at], m[at], d[at])[0]),
        "window_end": lambda at: _text(_window(y[at], m[at], d[at])[1] - np.timedelta64(1, "D")),
        "birthday": lambda at: _text(_window(y[at], m[at], d[at])[1]),
    }
    return Outcome(rows=rows, steps=STEPS, lazy=lazy)


evaluate = household_rule(__name__)
