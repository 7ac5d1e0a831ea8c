"""城乡居民基本医疗保险 over the register: anyone outside the employee medical insurance may enrol;
the reason gives the waiting period (3 months + 1 per lapsed year from 2025; unknown before)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import Reasons, result, value_on
from .jiuye_kunnan import decided_for, flag, household_rows, number

PROGRAM = "jumin_yibao"

INDIVIDUAL = "jumin-yibao-individual-min-national"
SUBSIDY = "jumin-yibao-subsidy-min-national"
WAIT_FIXED = "jumin-yibao-waiting-fixed-months"
WAIT_PER_YEAR = "jumin-yibao-waiting-months-per-lapsed-year"
ENROL = "未参加职工医保，可以参加城乡居民医保；"


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    for param_id in (INDIVIDUAL, SUBSIDY):  # the rule's first look-ups: raise before 2024-01-01
        value_on(param_id, on)
    fixed, per_year = value_on(WAIT_FIXED, on), value_on(WAIT_PER_YEAR, on)
    p = decided_for(residents, household_rows(households, residents))
    employee = flag(p, "employee_medical")
    lapsed = number(p, "medical_lapsed_years")
    waits = flag(p, "medical_enrol_late") | (lapsed != 0)

    eligible = np.where(employee, False, True).astype(object)
    reasons = Reasons(len(p), ENROL + "按时连续参保，没有待遇等待期")
    if fixed is None or per_year is None:
        reasons.set(waits, ENROL + "集中参保期外或断保后参保，待遇等待期的规定未收录")
    elif waits.any():
        months, which = np.unique((fixed + per_year * lapsed[waits]).astype(np.int64), return_inverse=True)
        reasons.set_each(waits, [ENROL + f"集中参保期外或断保后参保，待遇等待期 {m} 个月" for m in months], which)
    reasons.set(employee, "已参加职工基本医疗保险，不再参加城乡居民医保")
    return result(residents, eligible, np.full(len(p), np.nan), reasons)
