"""最低生活保障 over the whole register: who counts, countable income, the line, the gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._common import cents_text, counted_income, result, value_on

PROGRAM = "dibao"


def _counts(r: pd.DataFrame) -> pd.Series:
    """审核确认办法第八条, as in ``counts_in_household``."""
    rel, age, together = r["relation"], r["age"], r["lives_together"].astype(bool)
    study = r["full_time_study"]
    child_counts = (rel == "child") & (
        (age < 18) | r["cannot_live_independently"].astype(bool) | study.isin(["secondary", "undergraduate"])
    )
    kin = rel.isin(["child", "parent", "parent_in_law"]) & together
    duty = rel.isin(["grandparent", "grandchild", "sibling"]) & together & r["statutory_duty"].astype(bool)
    counted = rel.isin(["applicant", "spouse"]) | child_counts | kin | duty
    return counted & r["excluded_as"].isna()


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    counted = _counts(residents)
    income = counted_income(residents).where(counted, 0.0)
    per_household = (
        pd.DataFrame({"household_id": residents["household_id"], "n": counted.astype(int), "income": income})
        .groupby("household_id", sort=False)
        .sum()
    )
    h = households.set_index("household_id").join(per_household).fillna({"n": 0, "income": 0.0})
    h["n"] = h["n"].astype(int)
    standard = np.where(
        h["rural_standard"].astype(bool),
        value_on("dibao-rural-standard-dalian", on) or np.nan,
        value_on("dibao-urban-standard-dalian", on) or np.nan,
    )
    line = standard * h["n"].to_numpy()
    income = np.round(h["income"].to_numpy(), 2)
    prop = h["property_check"].to_numpy()
    gap = np.isnan(standard)
    over = ~gap & (income >= line - 1e-9)
    eligible = np.full(len(h), None, dtype=object)
    eligible[gap & (prop == "failed")] = False
    eligible[over] = False
    under = ~gap & ~over
    eligible[under & (prop == "failed")] = False
    eligible[under & (prop == "passed")] = True
    amount = np.where(under & (prop == "passed"), np.round(line - income, 2), np.nan)
    eligible[h["n"].to_numpy() == 0] = "n/a"  # nobody counts: the rule does not apply
    people = pc.cast(pa.array(h["n"].to_numpy()), pa.string())
    budget = pc.if_else(gap, "标准待核实", pc.binary_join_element_wise("保障线 ", cents_text(line), " 元", ""))
    unchecked = pc.if_else(pd.isna(eligible) & ~gap, "，家庭财产尚未核查", "")
    reason = pc.binary_join_element_wise(
        "共同生活 ", people, " 人，月可计收入 ", cents_text(income), " 元，", budget, unchecked, ""
    )
    applicants = (
        residents[residents["relation"] == "applicant"]
        .drop_duplicates("household_id")
        .set_index("household_id")["member_no"]
    )  # a register that lists two: the first (see register_problems)
    frame = pd.DataFrame({"household_id": h.index, "member_no": applicants.reindex(h.index).to_numpy()})
    return result(frame, eligible, amount, reason)
