"""计划生育家庭特别扶助 over the whole register, one row per household (``member_no`` = the applicant's).

As in the rule ``policy/programs/jisheng_tefu.py``: only households with a family-planning record
(``fp_only_child`` filled) — the rest are "n/a", as the rule refuses them. The couple is the
applicant and the spouse; the woman (first woman of the couple) must be 49 or older; one child
only, who died or has a disability of grade 1–3; no later child. The certificate (a condition of
status U) on record is needed to pay; without it the household is 待核实, never refused. The amount
is the national minimum per spouse per month from four dated series (伤残/死亡 × 城镇/农村); a gap
gives 待核实, as does a couple with no woman registered. Looking up a date before the series
raises (when the register holds any family-planning record), as the rule does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...policy.programs.jisheng_tefu import SERIES, WOMAN_AGE, WORST_GRADE
from ._common import result, value_on
from ...policy.columns import applicant_of as applicant_members, yes_no as flags  # TRANSITION: until 计生特扶 is written once

PROGRAM = "jisheng_tefu"
OUTCOMES = ("living", "died", "disabled")


def _couples(
    households: pd.DataFrame, residents: pd.DataFrame, applicant: np.ndarray, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For the chosen households: the woman's age (NaN with no woman in the couple) and whether a
    member of the couple has no sex registered. The couple as ``spouses(household.as_applicant(i))``."""
    ids = households["household_id"].to_numpy()[chosen]
    people = residents[residents["household_id"].isin(ids)]
    own = pd.Series(applicant[chosen], index=ids).reindex(people["household_id"]).to_numpy()
    couple = people[
        people["relation"].isin(["applicant", "spouse"]).to_numpy() | (people["member_no"].to_numpy() == own)
    ]
    women = couple[(couple["sex"] == "female").to_numpy()].sort_values("member_no", kind="stable")
    woman_age = women.drop_duplicates("household_id").set_index("household_id")["age"].reindex(ids)
    no_sex = couple[couple["sex"].isna().to_numpy()]["household_id"].unique()
    return woman_age.to_numpy(dtype=float), pd.Index(ids).isin(no_sex)


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    n = len(households)
    applicant = applicant_members(households, residents)
    eligible = np.full(n, "n/a", dtype=object)
    amount = np.full(n, np.nan)
    reason = np.full(n, "没有登记计划生育家庭情况，不适用", dtype=object)
    frame = pd.DataFrame({"household_id": households["household_id"].reset_index(drop=True), "member_no": applicant})
    if "fp_only_child" not in households:
        return result(frame, eligible, amount, reason)
    plan = households["fp_only_child"].notna().to_numpy()
    if not plan.any():
        return result(frame, eligible, amount, reason)

    at = np.flatnonzero(plan)
    h = households.iloc[at]
    outcome = h["fp_child_outcome"].astype(object).to_numpy()
    died = outcome == "died"
    disabled = outcome == "disabled"
    rural = flags(h["rural_standard"])[0]
    standard = np.full(len(h), np.nan)
    for (kind, is_rural), series_id in SERIES.items():  # raises before the first figure, like the rule
        mask = (died if kind == "died" else ~died) & (rural == is_rural)
        if mask.any():
            value = value_on(series_id, on)
            standard[mask] = np.nan if value is None else value

    woman_age, no_sex = _couples(households, residents, applicant, at)
    no_woman = np.isnan(woman_age)
    grade = pd.to_numeric(h["fp_child_disability_grade"], errors="coerce").to_numpy(dtype=float)
    refused = (no_woman & no_sex) | (disabled & np.isnan(grade))  # the rule raises ValueError

    only_child, not_only = flags(h["fp_only_child"])
    later, _ = flags(h["fp_later_child"]) if "fp_later_child" in h else (np.zeros(len(h), bool), None)
    certificate, _ = flags(h["fp_certificate"]) if "fp_certificate" in h else (np.zeros(len(h), bool), None)
    young = ~no_woman & (woman_age < WOMAN_AGE)
    child_ok = died | (disabled & (grade <= WORST_GRADE))
    failed = young | ~only_child | ~child_ok | later

    verdict = np.full(len(h), None, dtype=object)
    money = np.full(len(h), np.nan)
    verdict[failed] = False
    pays = ~failed & certificate & ~no_woman & ~np.isnan(standard)
    verdict[pays] = True
    money[pays] = np.round(standard[pays], 2)
    verdict[refused] = "n/a"

    why = np.full(len(h), "", dtype=object)
    why[~failed & np.isnan(standard)] = "条件均符合；当天的全国最低扶助标准未收录（待核实）"
    why[~failed & no_woman] = "本户没有登记女方，年龄条件如何适用须向区卫生健康局核实（待核实）"
    why[~failed & ~certificate] = "其余条件均符合；未登记持有《独生子女父母光荣证》，此条件未核实（U），待核实"
    why[pays] = [f"条件均符合，夫妻每人每月 {s:.2f} 元（全国最低标准）" for s in standard[pays]]
    fails = [
        (later, "此后又生育或收养了子女"),
        (~child_ok, "独生子女未死亡，也没有三级以上残疾"),
        (~only_child, "不是只生育或合法收养一个子女"),
        (young, f"女方未满{WOMAN_AGE}周岁"),
    ]
    for mask, text in fails:  # the first condition that fails is named
        why[failed & mask] = text + "，不符合特别扶助条件"
    why[refused & no_woman & no_sex] = "申请人或配偶的性别未登记，无法判断女方年龄条件"
    why[refused & disabled & np.isnan(grade)] = "子女伤残但未登记残疾等级，无法判断"

    eligible[at], amount[at], reason[at] = verdict, money, why
    return result(frame, eligible, amount, reason)
