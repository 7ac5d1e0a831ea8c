"""灵活就业社会保险补贴: who, how much, and for how long.

For a recognised 就业困难人员 (``employment_difficulty_recognised``) or a graduate within
two years of leaving school (``graduated_within_2y``) who works flexibly and pays social
insurance contributions. The subsidy is at most 2/3 of the contributions actually paid;
the kit shows that ceiling, rounded **down** to the fen so it never exceeds 2/3 (the kit's
choice; the local rule may set a lower fixed amount). Period: 就业困难人员 up to 3 years
from first approval, or to retirement if fewer than 5 years remained at first approval;
graduates up to 2 years.

Statutory retirement ages have been raised gradually since 2025 and the month-by-month
table is not in the kit. The rule only uses the bounds the 2024 decision states (men
60–63, women 50–58): when those cannot settle the period, the answer is 待核实. One row per
resident, decided as if they applied; a first approval dated after the day is a data error
(the rule does not apply). The figures are known only to be in force by 2025-07-02: on an
earlier day the candidates are 待核实, never paid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import figure, frame, member_column, member_flag, member_number, step
from ..frames import frames_of, numbered
from ..household import Household, Member
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from ..parameters import STATUS_TITLES, DatedValue, load_parameter
from . import household_rule

__all__ = ["add_years", "add_years_each", "ceiling", "decide", "evaluate", "retirement_window", "subsidy_ceiling"]

PROGRAM = "linghuo_shebao_butie"
TITLE = "灵活就业社会保险补贴"
AMOUNT = "每月社会保险补贴"  # how a decision's amount is named to the learner
PERIOD = "month"
PER = "person"  # one decision per resident; receipt recorded on the person
DOMAIN = "employment"
ITEMS = ("flexible_employment_subsidy",)

ART_52 = Citation(
    law="就业促进法",
    article=52,
    quote="采取税费减免、贷款贴息、社会保险补贴、岗位补贴等办法",
)
SI_ART_10 = Citation(
    law="社会保险法",
    article=10,
    quote="以及其他灵活就业人员可以参加基本养老保险，由个人缴纳基本养老保险费。",
)

SHARE = "linghuo-butie-share-thirds"
PERIOD_YEARS = "linghuo-butie-period-years"
NEAR = "linghuo-butie-near-retirement-years"
GRADUATE_PERIOD = "linghuo-butie-graduate-period-years"
RETIREMENT = {
    "female": ("retirement-age-female-lowest", "retirement-age-female-highest"),
    "male": ("retirement-age-male-lowest", "retirement-age-male-highest"),
}
WINDOW = "区人力资源和社会保障局或街道劳动保障窗口"
DAY = np.timedelta64(1, "D")

_LATE = "的 flexible_subsidy_first_approved（{approved}）晚于判断日期 {today}，请改正"
REASONS = {
    "share": Because("补贴上限：实缴社会保险费的 {share}/3（{share_since}起，{share_status}）", param="share_param"),
    "share_gap": Because("补贴上限：{today} 的标准未收录（{share_status}）"),
    "pending": Because("{gaps}", missing=True),
    "not_flexible": Because("本人不是灵活就业人员，不属于灵活就业社会保险补贴对象", citation=SI_ART_10),
    "not_paid": Because("没有以灵活就业人员身份实际缴纳社会保险费，补贴按实缴金额计算，无从补贴", citation=SI_ART_10),
    "not_target": Because(
        "本人既未被认定为就业困难人员，也不是离校 2 年内的高校毕业生；如符合就业困难人员的常见类别，可先申请就业困难人员认定",
        citation=ART_52,
    ),
    "first_time": Because("尚未核准过补贴：按首次申请、{today} 核准计算期限", citation=ART_52),
    "late_named": Because("members: {name}（申请人，{age}岁）" + _LATE),
    "late": Because("members: 申请人（{age}岁）" + _LATE),
    # graduates
    "graduate": Because("离校 2 年内的高校毕业生；{graduate_shown}", param="graduate_param"),
    "graduate_over": Because(
        "自 {approved} 首次核准起已满 {graduate_years} 年（{end} 起不再享受）", param="graduate_param"
    ),
    "graduate_on": Because("补贴期限自 {approved} 起，至 {last_day} 止", param="share_param"),
    # recognised 就业困难人员
    "recognised": Because("已认定为就业困难人员；{period_shown}；{near_shown}", param="period_param"),
    "retire_source": Because(
        "法定退休年龄只按上下限判断（逐月延迟对照表未收录）：{retire_shown}", param="retire_param"
    ),
    "retired": Because("按上限计算，本人最迟在 {latest} 已达法定退休年龄，不再享受", citation=ART_52),
    "far_on": Because(
        "首次核准（{approved}）时距法定退休年龄肯定不少于 {near} 年，补贴期限 {period} 年，至 {last_day} 止",
        param="share_param",
    ),
    "within": Because(
        "在 {period} 年期限内（至 {last_day}），且按下限计算最早 {earliest} 才到法定退休年龄；"
        "首次核准时距退休是否不足 {near} 年（可否延长至退休）待人社部门按出生年月核定",
        param="share_param",
    ),
    "far_over": Because(
        "首次核准（{approved}）时距法定退休年龄肯定不少于 {near} 年，期限 {period} 年，{end} 起不再享受",
        param="period_param",
    ),
    "unsure_missing": Because(
        f"本人的法定退休年龄：请到{WINDOW}按渐进式延迟法定退休年龄的规定（出生年月、原法定退休年龄类别）核定，"
        "再判断首次核准时距退休是否不足 {near} 年（可延长至退休）以及现在是否已到退休年龄",
        missing=True,
    ),
    "unsure": Because("本人最早 {earliest}、最迟 {latest} 达到法定退休年龄，本工具包无法确定确切日期", citation=ART_52),
    # the amount
    "grant": Because(
        "每月实缴 {paid} 元 × {share}/3 = {amount} 元（补贴上限；不足一分的部分舍去，"
        "是本工具包的取整方式；当地可能另定更低的具体标准）",
        citation=ART_52,
    ),
}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (or earlier); 29 February → 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def add_years_each(days: np.ndarray, years) -> np.ndarray:  # noqa: ANN001
    """:func:`add_years` on a datetime64[D] array (day 29 of a 28-day February runs into March)."""
    months = days.astype("datetime64[M]")
    day_of_month = (days - months.astype("datetime64[D]")).astype(np.int64)
    shifted = months + (np.asarray(years, dtype=np.int64) * 12).astype("timedelta64[M]")
    return shifted.astype("datetime64[D]") + day_of_month * DAY


def ceiling(paid: np.ndarray, share: float) -> np.ndarray:
    """``paid × share / 3`` rounded down to the fen (exact for sums of whole fen)."""
    cents = np.asarray(paid, dtype=float) * 100 * share
    whole = np.abs(cents - np.round(cents)) < 1e-6  # money to the fen: exact integer division
    return np.where(whole, np.floor_divide(np.round(cents), 3), np.floor(cents / 3)) / 100


def subsidy_ceiling(paid_monthly: Decimal, on: dt.date) -> Decimal:
    """At most N/3 of what was paid, rounded down to the fen (so never above the share)."""
    return Decimal(str(ceiling(np.array([float(paid_monthly)]), figure(SHARE, on))[0])).quantize(Decimal("0.01"))


def _dates(residents: pd.DataFrame, name: str) -> np.ndarray:
    """A date column as datetime64[D] (NaT where empty)."""
    return pd.to_datetime(residents[name]).to_numpy().astype("datetime64[D]")


def _ages(on: dt.date) -> dict[tuple[str, int], float]:
    return {(s, end): figure(RETIREMENT[s][end], on) for s in RETIREMENT for end in (0, 1)}


def _window(residents: pd.DataFrame, on: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest day each resident can reach statutory retirement age: the lowest and
    highest ages for their sex (both sexes when not recorded), from the birth date or, without it,
    every birth date that fits the age on ``on``."""
    ages = _ages(on)
    sex = member_column(residents, "sex")
    female, male = (sex == "female").to_numpy(bool), (sex == "male").to_numpy(bool)
    either = min(ages["female", 0], ages["male", 0]), max(ages["female", 1], ages["male", 1])
    low = np.where(female, ages["female", 0], np.where(male, ages["male", 0], either[0]))
    high = np.where(female, ages["female", 1], np.where(male, ages["male", 1], either[1]))
    birth, age = _dates(residents, "birth_date"), residents["age"].to_numpy(dtype=np.int64)
    known, now = ~np.isnat(birth), np.full(len(residents), np.datetime64(on, "D"))
    earliest = add_years_each(np.where(known, birth, add_years_each(now, -(age + 1)) + DAY), low.astype(np.int64))
    latest = add_years_each(np.where(known, birth, add_years_each(now, -age)), high.astype(np.int64))
    return earliest, latest


def retirement_window(member: Member, on: dt.date) -> tuple[dt.date, dt.date]:
    """Earliest and latest day ``member`` can reach statutory retirement age (see :func:`_window`)."""
    _, residents, _ = numbered(*frames_of(Household(members=(member,))))
    earliest, latest = _window(residents, on)
    return earliest[0].astype(dt.date), latest[0].astype(dt.date)


def _shown(param_id: str, on: dt.date) -> str:
    param = load_parameter(param_id)
    value = param.at(on)
    return f"{param.title}：{value.value} {param.unit}（{value.since}起，{STATUS_TITLES[value.status]}·{value.status}）"


def _text(days: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Dates as the reasons write them (2025-08-01), only on the rows whose reasons quote them."""
    out = np.full(len(days), None, dtype=object)
    out[where] = np.datetime_as_string(days[where], unit="D")
    return out


def _status(value: DatedValue) -> str:
    return f"{STATUS_TITLES[value.status]}·{value.status}"


def _targets(residents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who works flexibly, who pays, who is a target (recognised or graduate), and recognised."""
    paid = member_number(residents, "flexible_insurance_paid_monthly")
    recognised = member_flag(residents, "employment_difficulty_recognised")
    graduate = member_flag(residents, "graduated_within_2y")
    flexible = (member_column(residents, "employment") == "flexible").to_numpy(bool)
    paying = flexible & (paid > 0)
    return flexible, paying, paying & (recognised | graduate), recognised


def _stop(n: int, flexible: np.ndarray, paying: np.ndarray, target: np.ndarray) -> pd.Categorical:
    return step(n, (~flexible, "not_flexible"), (flexible & ~paying, "not_paid"), (paying & ~target, "not_target"))


def _pending(residents: pd.DataFrame, on: dt.date, gaps: str) -> Outcome:
    """Before the figures are known in force: the conditions are checked, the targets are 待核实."""
    n = len(residents)
    flexible, paying, target, _ = _targets(residents)
    eligible = np.full(n, NO, dtype=np.int8)
    eligible[target] = PENDING
    rows = frame(
        n,
        {
            "household_id": residents["household_id"].to_numpy(),
            "member_no": residents["member_no"].to_numpy(dtype=np.int64),
            "verdict": eligible,
            "amount": np.full(n, np.nan),
            "share_step": step(n, (np.ones(n, dtype=bool), "share_gap")),
            "stop": _stop(n, flexible, paying, target),
            "gap_step": step(n, (target, "pending")),
            "today": str(on),
            "share_status": _status(load_parameter(SHARE).at(on)),
            "gaps": gaps,
        },
    )
    return Outcome(rows=rows, steps=("share_step", "stop", "gap_step"))


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """灵活就业社会保险补贴 for every resident of a numbered register on ``on``."""
    values = {pid: load_parameter(pid).at(on) for pid in (SHARE, PERIOD_YEARS, NEAR, GRADUATE_PERIOD)}
    gaps = "；".join(dict.fromkeys(v.missing for v in values.values() if v.missing))
    if gaps:  # the figures are not known to be in force on this day
        return _pending(residents, on, gaps)
    share = figure(SHARE, on)
    period, near, graduate_years = figure(PERIOD_YEARS, on), figure(NEAR, on), figure(GRADUATE_PERIOD, on)
    n = len(residents)
    today = np.datetime64(on, "D")
    paid = member_number(residents, "flexible_insurance_paid_monthly")
    flexible, paying, target, recognised = _targets(residents)
    at = np.flatnonzero(target)  # only these reach the period: dates for these few rows alone
    few = residents.iloc[at]
    recorded = _dates(few, "flexible_subsidy_first_approved")
    approved = np.where(np.isnat(recorded), today, recorded)
    grad_end = add_years_each(approved, int(graduate_years))
    end = np.where(recognised[at], add_years_each(approved, int(period)), grad_end)
    earliest, latest = _window(few, on)

    def spread(values: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[at] = values
        return out

    first_time = spread(np.isnat(recorded))
    late = spread(approved > today)
    going = target & ~late
    grad, rec = going & ~recognised, going & recognised
    grad_over = grad & spread(today >= grad_end)
    surely_far = spread(earliest >= add_years_each(approved, int(near)))
    retired = rec & spread(today >= latest)
    on_time = rec & ~retired & spread((today < end) & (today < earliest))
    far_over = rec & ~retired & ~on_time & surely_far
    unsure = rec & ~retired & ~on_time & ~surely_far
    granted = (grad & ~grad_over) | on_time

    eligible = np.full(n, NO, dtype=np.int8)
    eligible[granted] = YES
    eligible[unsure] = PENDING
    eligible[late] = NOT_APPLIES
    amount = np.full(n, np.nan)
    amount[granted] = ceiling(np.asarray(paid)[granted], share)  # the few granted rows only

    named = late & residents["name"].fillna("").ne("").to_numpy(bool)
    within = np.full(n, -1, dtype=np.int64)  # row → its place among the few with dates
    within[at] = np.arange(len(at))
    shown = {s: "；".join(_shown(pid, on) for pid in RETIREMENT[s]) for s in RETIREMENT}

    def dated(days: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        def make(rows: np.ndarray) -> np.ndarray:
            place = within[rows]
            return _text(days[np.maximum(place, 0)] if len(days) else np.full(len(rows), today), place >= 0)

        return make

    def by_sex(female: str, male: str, either: str) -> Callable[[np.ndarray], np.ndarray]:
        def make(rows: np.ndarray) -> np.ndarray:
            sex = member_column(residents.iloc[rows], "sex").to_numpy(dtype=object)
            return np.where(sex == "female", female, np.where(sex == "male", male, either)).astype(object)

        return make

    rows = frame(
        n,
        {
            "household_id": residents["household_id"].to_numpy(),
            "member_no": residents["member_no"].to_numpy(dtype=np.int64),
            "verdict": eligible,
            "amount": amount,
            "share_step": step(n, (np.ones(n, dtype=bool), "share")),
            "stop": _stop(n, flexible, paying, target),
            "first": step(n, (first_time, "first_time"), (named, "late_named"), (late & ~named, "late")),
            "kind": step(n, (grad, "graduate"), (rec, "recognised")),
            "retire_step": step(n, (rec, "retire_source")),
            "period_step": step(
                n,
                (grad_over, "graduate_over"),
                (grad & ~grad_over, "graduate_on"),
                (retired, "retired"),
                (on_time & surely_far, "far_on"),
                (on_time & ~surely_far, "within"),
                (far_over, "far_over"),
                (unsure, "unsure_missing"),
            ),
            "unsure_step": step(n, (unsure, "unsure")),
            "grant": step(n, (granted, "grant")),
            "age": residents["age"].to_numpy(dtype=np.int64),
            "paid": paid,
            "today": str(on),
            "share": share,
            "period": period,
            "near": near,
            "graduate_years": graduate_years,
            "share_since": values[SHARE].since,
            "share_status": _status(values[SHARE]),
            "share_param": SHARE,
            "graduate_param": GRADUATE_PERIOD,
            "period_param": PERIOD_YEARS,
            "graduate_shown": _shown(GRADUATE_PERIOD, on),
            "period_shown": _shown(PERIOD_YEARS, on),
            "near_shown": _shown(NEAR, on),
        },
    )
    steps = ("share_step", "stop", "first", "kind", "retire_step", "period_step", "unsure_step", "grant")
    lazy = {
        "name": lambda rows: residents["name"].iloc[rows].to_numpy(dtype=object),
        "approved": dated(approved),
        "end": dated(end),
        "last_day": dated(end - DAY),
        "earliest": dated(earliest),
        "latest": dated(latest),
        "retire_param": by_sex(RETIREMENT["female"][0], RETIREMENT["male"][0], RETIREMENT["female"][0]),
        "retire_shown": by_sex(shown["female"], shown["male"], shown["female"] + "；" + shown["male"]),
    }
    return Outcome(rows=rows, steps=steps, lazy=lazy)


evaluate = household_rule(__name__)
