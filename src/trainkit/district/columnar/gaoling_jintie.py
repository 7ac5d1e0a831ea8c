"""高龄津贴 over the whole register, one row per resident (each decided for as the applicant).

As in the rule ``policy/programs/gaoling_jintie.py``: the Dalian 办法 (from 2025-10-01) — a date
before it raises; a registered ``birth_date`` must agree with ``age`` on the day (otherwise the
rule refuses the record: "n/a"); then 大连户籍, 80 周岁 and the age tier, each tier its own
dated series, 100 周岁以上 a multiple of the urban 低保 standard in force. A gap gives 待核实;
a 百岁 allowance with the 低保 standard in a gap is eligible without an amount. The reason also
says when a 79-year-old is inside the registration window (three months before turning 80).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...policy.parameters import load_parameter
from ...policy.programs.gaoling_jintie import DIBAO_URBAN, FIRST_TIER, REGISTER_MONTHS_BEFORE, START_AGE, TIERS
from ._common import result, value_on
from .tekun import decided_rows, money

PROGRAM = "gaoling_jintie"
MAX_AGE = 130


def _birth_parts(birth: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day (ints; 0 where missing) and whether a birth date is registered."""
    when = pd.to_datetime(birth, errors="coerce")
    known = when.notna().to_numpy()
    parts = [getattr(when.dt, p).fillna(0).to_numpy(dtype=np.int64) for p in ("year", "month", "day")]
    return parts[0], parts[1], parts[2], known


def _leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _in_window(y: np.ndarray, m: np.ndarray, d: np.ndarray, on) -> np.ndarray:  # noqa: ANN001
    """Whether ``on`` is on or after the day registration opens (3 months before the 80th birthday)."""
    y80 = y + START_AGE
    feb29 = (m == 2) & (d == 29) & ~_leap(y80)
    m80, d80 = np.where(feb29, 3, m), np.where(feb29, 1, d)
    mo = m80 - REGISTER_MONTHS_BEFORE
    yo = np.where(mo <= 0, y80 - 1, y80)
    mo = np.where(mo <= 0, mo + 12, mo)
    first = ((yo - 1970) * 12 + mo - 1).astype("datetime64[M]")
    month_days = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    do = np.minimum(d80, month_days)
    return on.year * 10_000 + on.month * 100 + on.day >= yo * 10_000 + mo * 100 + do


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    first_tier = value_on(FIRST_TIER, on)  # raises before the Dalian 办法, like the rule
    n = len(residents)
    who = decided_rows(residents)
    age = residents["age"].to_numpy(dtype=np.int64)[who]
    y, m, d, dated = (part[who] for part in _birth_parts(residents["birth_date"]))
    exact = on.year - y - ((on.month * 100 + on.day) < (m * 100 + d))
    refused = dated & (exact != age)  # the rule raises ValueError: age and birth_date disagree
    hukou = ~residents["hukou_dalian"].astype(object).isin([False, "False", "false"]).to_numpy()[who]
    ages = np.clip(age, 0, MAX_AGE)

    eligible = np.full(n, None, dtype=object)
    amount = np.full(n, np.nan)
    reason = np.full(n, "《大连市高龄津贴发放管理办法》有效期届满后的规定未收录（待核实）", dtype=object)
    if first_tier is not None:
        local = ~refused & ~hukou
        eligible[local] = False
        reason[local] = "户籍不在大连市，不属于大连市高龄津贴发放对象"
        young = ~refused & hukou & (age < START_AGE)
        eligible[young] = False
        reason[young] = np.array(
            [f"{a}周岁，未满{START_AGE}周岁，还不能领取" for a in range(MAX_AGE + 1)], dtype=object
        )[ages[young]]
        soon = young & dated & (exact == START_AGE - 1) & _in_window(y, m, d, on)
        reason[soon] = (
            f"{START_AGE - 1}周岁，已进入登记期（满{START_AGE}周岁前{REGISTER_MONTHS_BEFORE}个月内），"
            f"可以先登记，满{START_AGE}周岁起领取"
        )
        upper = np.inf
        for low, series_id in TIERS:  # highest tier first
            tier = ~refused & hukou & (age >= low) & (age < upper)
            upper = low
            if not tier.any():
                continue
            value = value_on(series_id, on)
            if value is None:
                reason[tier] = f"{load_parameter(series_id).title}在 {on} 未收录（待核实）"
                continue
            eligible[tier] = True
            if low != TIERS[0][0]:
                amount[tier] = round(value, 2)
                reason[tier] = f"大连户籍，{load_parameter(series_id).title}：每月 {money(value)} 元"
                continue
            standard = value_on(DIBAO_URBAN, on)
            if standard is None:
                reason[tier] = "百岁老人的高龄津贴与城市低保标准相同，该标准未收录，金额待核实"
            else:
                amount[tier] = round(standard * value, 2)
                reason[tier] = f"百岁老人，与大连市城市低保标准相同：每月 {money(standard * value)} 元"
    reason[refused] = "登记的出生日期与年龄不一致，无法判断：请改正其中一项"
    eligible[refused] = "n/a"
    return result(residents, eligible, amount, reason)
