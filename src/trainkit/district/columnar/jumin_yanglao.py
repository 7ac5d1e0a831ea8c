"""城乡居民基本养老保险 over the register: may claim (claim age and enough years) or may enrol
(from the enrolment age, not a student); never an amount (Dalian's basic pension is a gap)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import Reasons, result
from .jiuye_kunnan import decided_for, figure, flag, household_rows, member_column, number

__all__ = ["PROGRAM", "screen"]

PROGRAM = "jumin_yanglao"

ENROL_AGE = "jumin-yanglao-enrol-min-age"
CLAIM_AGE = "jumin-yanglao-claim-age"
MIN_YEARS = "jumin-yanglao-min-years"


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    enrol_age, claim_age, min_years = figure(ENROL_AGE, on), figure(CLAIM_AGE, on), figure(MIN_YEARS, on)
    p = decided_for(residents, household_rows(households, residents))
    age, years = number(p, "age"), number(p, "resident_pension_years")
    employee, outside = flag(p, "employee_pension"), ~flag(p, "hukou_dalian")
    open_ = ~employee & ~outside
    claim = open_ & (age >= claim_age)
    claim_ok = claim & (years >= min_years)
    young = open_ & ~claim & (age < enrol_age)
    student = open_ & ~claim & ~young & (member_column(p, "full_time_study") != "none").to_numpy(bool)
    enrol = open_ & ~claim & ~young & ~student

    eligible = np.where(claim_ok | enrol, True, False).astype(object)
    reasons = Reasons(len(p), "参加或领取职工基本养老保险，不属于城乡居民养老保险参保对象")
    reasons.set(~employee & outside, "户籍不在大连，应回户籍地参加城乡居民养老保险")
    reasons.set(claim_ok, f"达到 {claim_age:g} 周岁且累计缴费满 {min_years:g} 年，可以按月领取养老金（金额未收录）")
    reasons.set(claim & ~claim_ok, f"达到 {claim_age:g} 周岁但累计缴费不足 {min_years:g} 年，暂不能按月领取")
    reasons.set(young, f"未满 {enrol_age:g} 周岁，不能参保")
    reasons.set(student, "在校学生不参加城乡居民养老保险")
    reasons.set(enrol, f"满 {enrol_age:g} 周岁、非在校学生、未参加职工养老保险，可以在户籍地参保缴费")
    return result(residents, eligible, np.full(len(p), np.nan), reasons)
