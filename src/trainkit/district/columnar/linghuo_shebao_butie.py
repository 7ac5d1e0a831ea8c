"""灵活就业社会保险补贴 over the register: who, how much (2/3 of what was paid, down to the fen),
and whether the 3-year (就业困难人员) or 2-year (graduate) period still runs, with dates as arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...policy.parameters import load_parameter
from ._common import Reasons, result, value_on
from .jiuye_kunnan import decided_for, figure, flag, household_rows, member_column, number

__all__ = ["PROGRAM", "add_years", "ceiling", "screen"]

PROGRAM = "linghuo_shebao_butie"

SHARE = "linghuo-butie-share-thirds"
PERIOD = "linghuo-butie-period-years"
NEAR = "linghuo-butie-near-retirement-years"
GRADUATE_PERIOD = "linghuo-butie-graduate-period-years"
RETIREMENT = {
    "female": ("retirement-age-female-lowest", "retirement-age-female-highest"),
    "male": ("retirement-age-male-lowest", "retirement-age-male-highest"),
}
DAY = np.timedelta64(1, "D")


def add_years(days: np.ndarray, years) -> np.ndarray:  # noqa: ANN001
    """``add_years`` of the rule on a datetime64[D] array: the same calendar day ``years`` later;
    29 February → 1 March in a common year (day 29 of a 28-day February runs into March)."""
    months = days.astype("datetime64[M]")
    day_of_month = (days - months.astype("datetime64[D]")).astype(np.int64)
    shifted = months + (np.asarray(years, dtype=np.int64) * 12).astype("timedelta64[M]")
    return shifted.astype("datetime64[D]") + day_of_month * DAY


def dates(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A date column as datetime64[D] (NaT where empty)."""
    return pd.to_datetime(frame[name]).to_numpy().astype("datetime64[D]")


def ceiling(paid: np.ndarray, share: float) -> np.ndarray:
    """``(paid × share / 3)`` rounded down to the fen, as the rule's Decimal arithmetic does."""
    cents = paid * 100 * share
    whole = np.abs(cents - np.round(cents)) < 1e-6  # money to the fen: exact integer division
    fen = np.where(whole, np.floor_divide(np.round(cents), 3), np.floor(cents / 3))
    return fen / 100


# how the period ends for those who reach it
FUTURE, GRADUATE_ON, GRADUATE_OVER, RETIRED, RECOGNISED_ON, RECOGNISED_OVER, UNSURE = range(7)


def _period(
    q: pd.DataFrame,
    recognised: np.ndarray,
    on,
    years: dict[str, float],  # noqa: ANN001
    ages: dict[tuple[str, int], float],
) -> np.ndarray:
    """One of the outcomes above for each row of ``q`` (subsidised flexible workers who paid)."""
    today = np.datetime64(on, "D")
    approved = dates(q, "flexible_subsidy_first_approved")
    approved = np.where(np.isnat(approved), today, approved)  # not yet approved: approved today

    # retirement window: the lowest and highest statutory ages (both sexes when not recorded),
    # from the birth date or, without it, every birth date that fits the age on `on`
    sex = member_column(q, "sex")
    female, male = (sex == "female").to_numpy(bool), (sex == "male").to_numpy(bool)
    low = np.where(female, ages["female", 0], np.where(male, ages["male", 0], min(ages["female", 0], ages["male", 0])))
    high = np.where(female, ages["female", 1], np.where(male, ages["male", 1], max(ages["female", 1], ages["male", 1])))
    birth, age = dates(q, "birth_date"), number(q, "age").astype(np.int64)
    known, now = ~np.isnat(birth), np.full(len(q), today)
    earliest = add_years(np.where(known, birth, add_years(now, -(age + 1)) + DAY), low.astype(np.int64))
    latest = add_years(np.where(known, birth, add_years(now, -age)), high.astype(np.int64))
    within = (today < add_years(approved, int(years[PERIOD]))) & (today < earliest)
    surely_far = earliest >= add_years(approved, int(years[NEAR]))

    outcome = np.select(
        [
            approved > today,
            ~recognised & (today < add_years(approved, int(years[GRADUATE_PERIOD]))),
            ~recognised,
            today >= latest,
            within,
            surely_far,
        ],
        [FUTURE, GRADUATE_ON, GRADUATE_OVER, RETIRED, RECOGNISED_ON, RECOGNISED_OVER],
        UNSURE,
    )
    return outcome


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    p = decided_for(residents, household_rows(households, residents))
    gaps = [pid for pid in (SHARE, PERIOD, NEAR, GRADUATE_PERIOD) if value_on(pid, on) is None]
    if gaps:  # figures not known to be in force on this date: the candidates are 待核实, as in the rule
        return _pending(residents, p, on)
    share = figure(SHARE, on)
    years = {pid: figure(pid, on) for pid in (PERIOD, NEAR, GRADUATE_PERIOD)}
    ages = {(s, end): figure(RETIREMENT[s][end], on) for s in RETIREMENT for end in (0, 1)}
    n = len(p)
    paid = number(p, "flexible_insurance_paid_monthly")
    recognised, graduate = flag(p, "employment_difficulty_recognised"), flag(p, "graduated_within_2y")
    flexible = (member_column(p, "employment") == "flexible").to_numpy(bool)
    paying = flexible & (paid > 0)
    target = paying & (recognised | graduate)
    at = np.flatnonzero(target)  # only these reach the period: dates for a few rows
    state = np.full(n, -1)
    state[at] = _period(p.iloc[at], recognised[at], on, years, ages)

    granted = (state == GRADUATE_ON) | (state == RECOGNISED_ON)
    eligible = np.full(n, False, dtype=object)
    eligible[granted] = True
    eligible[state == UNSURE] = None
    eligible[state == FUTURE] = "n/a"  # the rule raises ValueError: first approval after `on`
    amount = np.full(n, np.nan)
    amount[granted] = ceiling(paid[granted], share)

    part = f"补贴实缴的 {share:g}/3（舍去不足一分）"
    reasons = Reasons(n, "本人不是灵活就业人员，不属于灵活就业社会保险补贴对象")
    reasons.set(flexible & ~paying, "没有以灵活就业人员身份实际缴纳社会保险费，无从补贴")
    reasons.set(paying & ~target, "既未被认定为就业困难人员，也不是离校 2 年内的高校毕业生")
    for code, text in (
        (FUTURE, "首次核准日期晚于判断日期，请改正登记"),
        (GRADUATE_ON, f"离校 2 年内的高校毕业生，在 {years[GRADUATE_PERIOD]:g} 年期限内，{part}"),
        (GRADUATE_OVER, f"离校 2 年内的高校毕业生，自首次核准已满 {years[GRADUATE_PERIOD]:g} 年，不再享受"),
        (RETIRED, "按法定退休年龄上限计算已到退休年龄，不再享受"),
        (RECOGNISED_ON, f"已认定的就业困难人员，在 {years[PERIOD]:g} 年期限内、未到退休年龄，{part}"),
        (RECOGNISED_OVER, f"首次核准时距退休肯定不少于 {years[NEAR]:g} 年，{years[PERIOD]:g} 年期限已满，不再享受"),
        (UNSURE, "法定退休年龄只有上下限，能否延长至退休、是否已退休待人社部门核定"),
    ):
        reasons.set(state == code, text)
    return result(residents, eligible, amount, reasons)


def _pending(residents: pd.DataFrame, p: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    n = len(p)
    paid = number(p, "flexible_insurance_paid_monthly")
    recognised, graduate = flag(p, "employment_difficulty_recognised"), flag(p, "graduated_within_2y")
    flexible = (member_column(p, "employment") == "flexible").to_numpy(bool)
    paying = flexible & (paid > 0)
    target = paying & (recognised | graduate)
    eligible = np.full(n, False, dtype=object)
    eligible[target] = None
    reasons = Reasons(n, "本人不是灵活就业人员，不属于灵活就业社会保险补贴对象")
    reasons.set(flexible & ~paying, "没有以灵活就业人员身份实际缴纳社会保险费，无从补贴")
    reasons.set(paying & ~target, "既未被认定为就业困难人员，也不是离校 2 年内的高校毕业生")
    first = load_parameter(SHARE).values[0].effective
    reasons.set(target, f"{on} 适用的补贴标准和期限未收录（只知道最晚 {first} 已施行），待核实")
    return result(residents, eligible, np.full(n, np.nan), reasons)
