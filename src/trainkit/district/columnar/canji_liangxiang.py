"""残疾人两项补贴 over the register: 生活补贴 (残疾人 in a 低保 household) and 护理补贴 (一、二级;
三、四级智力、精神残疾 only if Dalian extends it → 待核实). Dalian's amounts are gaps: never an amount."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import Reasons, result, value_on
from .jiuye_kunnan import decided_for, household_flag, household_rows

PROGRAM = "canji_liangxiang"

LIVING = "canji-shenghuo-butie-dalian"
CARE = ("canji-huli-butie-grade1-dalian", "canji-huli-butie-grade2-dalian")
SEVERE_GRADES = (1, 2)
EXTENSION_KINDS = ("intellectual", "psychiatric")


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    value_on(LIVING, on)  # the rule's first look-up: raises before 2016-01-01
    rows = household_rows(households, residents)
    p = decided_for(residents, rows)
    kind = p["disability_kind"]
    disabled = kind.notna().to_numpy(bool)
    severe = disabled & np.isin(pd.to_numeric(p["disability_grade"]).to_numpy(dtype=float), SEVERE_GRADES)
    if severe.any():
        for param_id in CARE:  # looked up for 一、二级 cards (same first date)
            value_on(param_id, on)
    extension = disabled & ~severe & kind.isin(EXTENSION_KINDS).to_numpy(bool)
    living = disabled & household_flag(households, rows, "dibao")

    eligible = np.full(len(p), False, dtype=object)
    eligible[extension] = None
    eligible[living | severe] = True
    reasons = Reasons(len(p), "未登记残疾人证，两项补贴都以持有残疾人证为前提")
    reasons.set(disabled, "持残疾人证，但家庭未享受低保、也不是一至二级重度残疾，两项补贴都不符合")
    reasons.set(extension, "三、四级智力或精神残疾：大连是否把护理补贴扩大到非重度残疾未核实，待核实")
    reasons.set(living & ~severe, "低保家庭中的残疾人，符合困难残疾人生活补贴条件（金额未收录）")
    reasons.set(
        living & extension, "低保家庭中的残疾人，符合困难残疾人生活补贴条件；护理补贴能否扩大到本人待核实（金额未收录）"
    )
    reasons.set(severe & ~living, "一至二级重度残疾，符合重度残疾人护理补贴条件（金额未收录）")
    reasons.set(severe & living, "低保家庭中的一至二级重度残疾人，生活补贴和护理补贴都符合（金额未收录）")
    return result(residents, eligible, np.full(len(p), np.nan), reasons)
