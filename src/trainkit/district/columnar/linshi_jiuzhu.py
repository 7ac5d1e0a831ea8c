"""临时救助 over the whole register, one row per household (``member_no`` = the applicant's).

As in the rule ``policy/programs/linshi_jiuzhu.py`` (《社会救助暂行办法》第四十七条): a registered
急难情形 (fire, traffic accident, sudden illness; a spending surge only for a 低保 household;
"other" needs the local rule, so 待核实) that the 入户核查 found to cause serious hardship
(unchecked: 待核实). The Dalian amount is a dated series; in its gap an eligible household gets
no amount. A date before the series (2014-05-01) raises for the whole register, as the rule does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...policy.parameters import load_parameter
from ...policy.programs.linshi_jiuzhu import AMOUNT_SERIES, EMERGENCY_TITLES
from ._common import result

PROGRAM = "linshi_jiuzhu"
ACCIDENTS = ("fire", "traffic_accident", "sudden_illness")


def applicant_members(households: pd.DataFrame, residents: pd.DataFrame) -> np.ndarray:
    """Each household's applicant ``member_no`` (the first applicant; with none, the first member —
    ``Household.applicant``), in household order."""
    people = residents[["household_id", "member_no", "relation"]]
    applicants = people[people["relation"] == "applicant"].groupby("household_id", sort=False)["member_no"].min()
    chosen = applicants.reindex(households["household_id"])
    if chosen.isna().any():
        chosen = chosen.fillna(people.groupby("household_id", sort=False)["member_no"].min())
    return chosen.to_numpy() if chosen.isna().any() else chosen.to_numpy(dtype=np.int64)


def flags(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(is true, is false) for a yes/no/unknown register column (bools, 'True'/'False' text, blanks)."""
    values = column.astype(object)
    return values.isin([True, "True", "true"]).to_numpy(), values.isin([False, "False", "false"]).to_numpy()


def screen(households: pd.DataFrame, residents: pd.DataFrame, on) -> pd.DataFrame:  # noqa: ANN001
    figure = load_parameter(AMOUNT_SERIES).at(on)  # raises before the 暂行办法, like the rule
    n = len(households)
    registered = households["emergency"]
    kind = registered.astype(object).where(registered.notna(), None).to_numpy()
    receives = households["receives"].astype(object).where(households["receives"].notna(), "").astype(str)
    dibao = receives.str.contains(r"(?:^|,)dibao(?:,|$)", regex=True).to_numpy()
    checked_true, checked_false = flags(households["emergency_hardship"])

    none = registered.isna().to_numpy()
    accident = registered.isin(ACCIDENTS).to_numpy()
    surge = (registered == "spending_surge").fillna(False).to_numpy(dtype=bool)
    other = (registered == "other").fillna(False).to_numpy(dtype=bool)
    unknown_kind = ~none & ~accident & ~surge & ~other
    covered = accident | (surge & dibao) | other
    unchecked = covered & ~checked_true & ~checked_false

    eligible = np.full(n, None, dtype=object)
    amount = np.full(n, np.nan)
    eligible[none | (surge & ~dibao) | (covered & checked_false)] = False
    yes = covered & checked_true & ~other
    eligible[yes] = True
    if figure.value is not None:
        amount[yes] = round(float(figure.value), 2)
    eligible[unknown_kind] = "n/a"

    title = pd.Series(kind, dtype=object).map(EMERGENCY_TITLES).fillna("").to_numpy(dtype=object)
    reason = np.full(n, "没有登记急难情形，不属于临时救助对象", dtype=object)
    reason[surge & ~dibao] = "生活必需支出突然增加只适用于低保家庭；本户没有享受低保"
    reason[covered & checked_false] = title[covered & checked_false] + "，但入户核查认定基本生活没有出现严重困难"
    reason[unchecked] = title[unchecked] + "，尚未入户核查是否导致基本生活严重困难（待核实）"
    reason[other & ~checked_false] = "其他特殊困难：大连市（西岗区）规定的具体事项未收录（待核实）"
    paid = f"，救助金额 {float(figure.value):.2f} 元" if figure.value is not None else "，救助金额按当地标准（未收录）"
    reason[yes] = title[yes] + "导致基本生活暂时严重困难，属于临时救助对象" + paid
    reason[unknown_kind] = "急难情形的登记值无法识别"
    frame = pd.DataFrame(
        {
            "household_id": households["household_id"].reset_index(drop=True),
            "member_no": applicant_members(households, residents),
        }
    )
    return result(frame, eligible, amount, reason)
