"""特困人员救助供养 over the whole register, one row per resident.

Each resident is decided for as if they were the applicant (``Household.as_applicant``):
their own age, disability, 法定义务人 and countable income, the household's 低保/特困 standard
(城市 or 农村) and property check. The three tests of 《社会救助暂行办法》第十四条 as in the rule
``policy/programs/tekun.py``: 无劳动能力 by the 认定办法 version in force (a dated parameter),
无法定义务人或义务人无能力, 无生活来源 (own income below the 低保 standard in force, property
checked); the amount is the stated Dalian 特困 standard. A gap in either series, or a date
before the 低保 series, gives 待核实; a date before the 2016 认定办法 raises, as the rule does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...policy.parameters import BeforeFirstDate, load_parameter
from ...policy.programs.tekun import DISABILITY_GRADES, MINOR_AGE, OLD_AGE, VERSION_SERIES
from ._common import counted_income, result, value_on

PROGRAM = "tekun"

DIBAO = {False: "dibao-urban-standard-dalian", True: "dibao-rural-standard-dalian"}
STANDARD = {False: "tekun-urban-standard-dalian", True: "tekun-rural-standard-dalian"}


def decided_rows(residents: pd.DataFrame) -> np.ndarray:
    """For each resident row, the row of the person the rule decides for when that resident applies.

    ``as_applicant(i)`` leaves a household unchanged when member ``i`` is already an applicant,
    and the rule then reads the household's first applicant; otherwise member ``i`` is the applicant.
    """
    rows = np.arange(len(residents))
    applicant = (residents["relation"] == "applicant").to_numpy()
    ids = residents["household_id"].to_numpy()
    if not pd.Series(ids[applicant]).duplicated().any():
        return rows
    order = residents.loc[applicant, ["household_id", "member_no"]].assign(row=rows[applicant])
    first = (
        order.sort_values("member_no", kind="stable").drop_duplicates("household_id").set_index("household_id")["row"]
    )
    rows[applicant] = first.reindex(ids[applicant]).to_numpy()
    return rows


def household_rows(households: pd.DataFrame, residents: pd.DataFrame) -> np.ndarray:
    """Each resident's row in ``households`` (-1 for a household not in it)."""
    k = len(households)
    codes, _ = pd.factorize(pd.concat([households["household_id"], residents["household_id"]], ignore_index=True))
    if (codes[:k] == np.arange(k)).all():  # unique household ids: a code below k is that household's row
        at = codes[k:]
        return np.where(at < k, at, -1)
    return pd.Index(households["household_id"]).get_indexer(residents["household_id"])


def household_facts(households: pd.DataFrame, residents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each resident's household: 农村 standard, property check failed, property check unknown
    (as in the household record: blanks are False / "unknown")."""
    at = household_rows(households, residents)
    known = at >= 0
    prop = households["property_check"]
    facts = [
        households["rural_standard"].astype(object).isin([True, "True", "true"]).to_numpy(),
        (prop == "failed").to_numpy(dtype=bool, na_value=False),
        (prop.isna() | (prop == "unknown")).to_numpy(dtype=bool, na_value=True),
    ]
    return tuple(np.where(known, fact[at], default) for fact, default in zip(facts, (False, False, True), strict=True))


def _standard(param_id: str, on) -> float:  # noqa: ANN001
    """A 低保 standard for the income test: NaN in a gap and before the series starts (待核实)."""
    try:
        v = value_on(param_id, on)
    except BeforeFirstDate:
        return np.nan
    return np.nan if v is None else v


def money(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    version = load_parameter(VERSION_SERIES).at(on)  # raises before the 2016 认定办法, like the rule
    n = len(residents)
    year = None if version.value is None else int(version.value)
    if year not in DISABILITY_GRADES:  # the rule raises ValueError for every applicant
        return result(
            residents,
            np.full(n, "n/a", dtype=object),
            np.full(n, np.nan),
            np.full(n, f"{on} 适用的《特困人员认定办法》版本未收录，无法判断", dtype=object),
        )

    who = decided_rows(residents)
    age = residents["age"].to_numpy()[who]
    kind = residents["disability_kind"]
    worst = np.full(n, np.nan)
    for listed, lightest in DISABILITY_GRADES[year].items():
        worst[(kind == listed).to_numpy(dtype=bool, na_value=False)] = lightest
    worst = worst[who]
    grade = pd.to_numeric(residents["disability_grade"], errors="coerce").to_numpy(dtype=float)[who]
    disabled = grade <= worst  # NaN (no disability, or a kind not in this version's scope) is False
    capable = (age >= OLD_AGE) | (age < MINOR_AGE) | disabled
    supported = residents["supporters"].isin(["none", "unable"]).to_numpy()[who]
    tested = capable & supported

    rural, failed, unknown = household_facts(households, residents)
    line = np.where(rural, _standard(DIBAO[True], on), _standard(DIBAO[False], on))
    income = np.round(counted_income(residents).to_numpy()[who], 6)  # exact for incomes in cents (Decimal in the rule)
    gap = np.isnan(line)
    over = tested & ~gap & (income >= line)
    under = tested & ~gap & (income < line)
    qualifies = under & ~failed & ~unknown

    eligible = np.full(n, None, dtype=object)
    amount = np.full(n, np.nan)
    eligible[~tested | over | (tested & failed)] = False
    if qualifies.any():  # the rule reads the 特困 standard only for someone who qualifies
        for is_rural in (False, True):
            mask = qualifies & (rural == is_rural)
            if mask.any():
                standard = value_on(STANDARD[is_rural], on)
                if standard is not None:
                    eligible[mask] = True
                    amount[mask] = round(standard, 2)

    reason = np.full(n, "", dtype=object)
    reason[~capable] = f"不属于无劳动能力：已满{MINOR_AGE}周岁、未满{OLD_AGE}周岁，残疾不在{year}年版认定办法的范围内"
    reason[capable & ~supported] = "有具备赡养、抚养、扶养能力的法定义务人"
    reason[~capable & ~supported] = "不属于无劳动能力，且有具备赡养、抚养、扶养能力的法定义务人"
    reason[tested & gap] = "低保标准未收录，无法判断无生活来源（待核实）"
    reason[tested & gap & failed] = "财产状况不符合规定，不属于无生活来源"
    if over.any():
        reason[over] = [
            f"本人月可计收入 {money(i)} 元不低于低保标准 {money(s)} 元，不属于无生活来源"
            for i, s in zip(income[over], line[over], strict=True)
        ]
    reason[under & failed] = "收入低于低保标准，但财产状况不符合规定，不属于无生活来源"
    reason[under & unknown] = "无劳动能力、收入低于低保标准、无义务人；财产尚未核查（待核实）"
    reason[qualifies] = "三项条件均符合；特困人员供养标准未收录（待核实）"
    paid = eligible == True  # noqa: E712  (object array of True/False/None)
    if paid.any():
        reason[paid] = [f"三项条件均符合，每月基本生活费 {money(a)} 元" for a in amount[paid]]
    return result(residents, eligible, amount, reason)
