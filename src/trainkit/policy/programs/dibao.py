"""最低生活保障 (低保): who counts, what income counts, eligibility and the monthly 补差.

Eligible when the countable monthly income of the household members who count is
strictly below the standard × the number of those members (《社会救助暂行办法》第九条),
and household property meets the local rule; the benefit is the gap, paid monthly
(第十二条). Dalian's property rule is not in the kit, so an unchecked property test
gives 待核实, as does a date where the standard is unknown. One row per household.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import (
    PROPERTY,
    counted_income,
    figure_columns,
    first_true,
    home_of,
    per_household,
    position_in,
    step,
    truthy,
)
from ..household import EXCLUSION_TITLES, vocabulary
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from . import household_rule

__all__ = ["decide", "evaluate"]

PROGRAM = "dibao"
TITLE = "最低生活保障（低保）"
AMOUNT = "每月补差"  # how a decision's amount is named to the learner
PERIOD = "month"
PER = "household"  # one decision per household; receipt recorded on the household
DOMAIN = "social_assistance"
ITEMS = ("dibao_application", "dibao_household", "dibao_income")
SERIES = {False: "dibao-urban-standard-dalian", True: "dibao-rural-standard-dalian"}
ART_9 = Citation(
    law="社会救助暂行办法",
    article=9,
    quote="国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。",
)
ART_12 = Citation(
    law="社会救助暂行办法",
    article=12,
    quote="按照共同生活的家庭成员人均收入低于当地最低生活保障标准的差额，按月发给最低生活保障金",
)
_HOUSEHOLD = vocabulary().household_reference
_INCOME = vocabulary().income_reference

REASONS = {
    # who counts: 《最低生活保障审核确认办法》第八条
    "excluded": Because("{label}：不计入：{exclusion}", reference=_HOUSEHOLD),
    "self": Because("{label}：计入：申请人本人及其配偶", reference=_HOUSEHOLD),
    "minor": Because("{label}：计入：未成年子女", reference=_HOUSEHOLD),
    "dependent": Because("{label}：计入：已成年但不能独立生活的子女", reference=_HOUSEHOLD),
    "student": Because("{label}：计入：在校接受全日制本科及以下学历教育的成年子女", reference=_HOUSEHOLD),
    "kin": Because("{label}：计入：与申请人家庭有法定赡养、扶养、抚养义务关系并长期共同居住", reference=_HOUSEHOLD),
    "duty": Because("{label}：计入：有法定扶养、抚养或赡养义务并长期共同居住", reference=_HOUSEHOLD),
    "postgraduate": Because(
        "{label}：不计入：研究生不属于“本科及以下”在校子女，且未与申请人长期共同居住", reference=_HOUSEHOLD
    ),
    "apart": Because("{label}：不计入：不属于共同生活的家庭成员", reference=_HOUSEHOLD),
    "income_not_counted": Because("{label}的{kind} {monthly} 元不计入家庭收入", reference=_INCOME),
    # the household
    "nobody": Because("没有计入的家庭成员，请至少登记申请人本人", reference=_HOUSEHOLD),
    "total": Because("共同生活的家庭成员 {n} 人，月可计收入合计 {income} 元", reference=_INCOME),
    "standard": Because(
        "{standard_title}：{standard} {standard_unit}（{standard_since} 起执行，{standard_status}），"
        "{n} 人合计 {line} 元",
        param="standard_param",
    ),
    "standard_unknown": Because("{standard_missing}", missing=True),
    "property_failed_anyway": Because("家庭财产状况不符合当地规定，无论标准是多少都不符合条件", citation=ART_9),
    "over": Because("月可计收入 {income} 元不低于 {line} 元（人均不低于标准），不符合收入条件", citation=ART_9),
    "under": Because("月可计收入 {income} 元低于 {line} 元，符合收入条件", citation=ART_9),
    "property_failed": Because("家庭财产状况不符合当地规定", citation=ART_9),
    "property_unchecked": Because(
        "家庭财产状况尚未核查：大连市低保家庭财产认定标准未收录本工具包，请按街道社会救助窗口的现行规定核查后再判断",
        missing=True,
    ),
    "paid": Because("家庭财产已核查符合规定；每月补差 {line} − {income} = {amount} 元", citation=ART_12),
}


MEMBERSHIP = ("excluded", "self", "minor", "dependent", "student", "kin", "duty", "postgraduate", "apart")


def membership(residents: pd.DataFrame) -> np.ndarray:
    """Each resident's code in ``REASONS``: whether they are one of the 共同生活的家庭成员."""
    return np.asarray(MEMBERSHIP, dtype=object)[_membership(residents)]


def _membership(residents: pd.DataFrame) -> np.ndarray:
    """:func:`membership` as positions in ``MEMBERSHIP`` (numbers, not a text per resident)."""
    rel, age = residents["relation"], residents["age"].to_numpy()
    together = truthy(residents["lives_together"])
    study = residents["full_time_study"]
    child = (rel == "child").to_numpy()
    return first_true(
        [
            residents["excluded_as"].notna().to_numpy(),
            rel.isin(["applicant", "spouse"]).to_numpy(),
            child & (age < 18),
            child & truthy(residents["cannot_live_independently"]),
            child & study.isin(["secondary", "undergraduate"]).to_numpy(),
            rel.isin(["child", "parent", "parent_in_law"]).to_numpy() & together,
            rel.isin(["grandparent", "grandchild", "sibling", "other"]).to_numpy()  # 第八条第四项
            & together
            & truthy(residents["statutory_duty"]),
            child & (study == "postgraduate").to_numpy(),
        ],
        default=len(MEMBERSHIP) - 1,
    )


COUNTED = ("self", "minor", "dependent", "student", "kin", "duty")


def _member_reasons(residents: pd.DataFrame, code: np.ndarray, counts: np.ndarray) -> pd.DataFrame:
    """The members' reasons in order: whether each counts, then their incomes that do not."""
    people = residents[["household_id", "member_no", "name", "relation", "age"]]
    rows = [people.assign(code=code, counted=counts, exclusion=residents["excluded_as"].map(EXCLUSION_TITLES), order=0)]
    for kind in vocabulary().income_kinds:
        if kind.counted:
            continue
        monthly = residents[f"income_{kind.id}"].fillna(0).astype(float).to_numpy()
        shown = counts & (monthly > 0)
        if shown.any():
            rows.append(
                people[shown].assign(code="income_not_counted", kind=kind.title, monthly=monthly[shown], order=1)
            )
    return pd.concat(rows, ignore_index=True).sort_values(["household_id", "member_no", "order"], kind="stable")


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """低保 for every household of a numbered register on ``on``."""
    k = len(households)
    code = _membership(residents)
    counts = np.isin(code, [MEMBERSHIP.index(c) for c in COUNTED])
    n = per_household(counts, residents, k).astype(np.int64)
    income = np.round(per_household(np.where(counts, counted_income(residents), 0.0), residents, k), 2)
    rural = truthy(households["rural_standard"]).astype(np.int8)
    figures = figure_columns(pd.Categorical.from_codes(rural, categories=[SERIES[False], SERIES[True]]), on, "standard")
    standard = np.asarray(figures["standard"], dtype=float)
    line = np.round(standard * n, 2)
    prop = position_in(households["property_check"], PROPERTY, blank=2)  # passed 0, failed 1, unknown (or blank) 2
    known = ~np.isnan(standard)
    nobody = n == 0
    over = known & (income >= line)
    under = known & ~over

    eligible = np.full(k, PENDING, dtype=np.int8)
    eligible[(~known & (prop == 1)) | over | (under & (prop == 1))] = NO
    paid = under & (prop == 0)
    eligible[paid] = YES
    eligible[nobody] = NOT_APPLIES
    amount = np.where(paid & ~nobody, np.round(line - income, 2), np.nan)

    def reached(*pairs: tuple[np.ndarray, str]) -> pd.Categorical:
        return step(k, *((mask & ~nobody, name) for mask, name in pairs))

    applicant = np.flatnonzero((residents["relation"] == "applicant").to_numpy(dtype=bool))
    homes, first = np.unique(home_of(residents)[applicant], return_index=True)  # the household's first applicant
    member_no = np.ones(k, dtype=np.int64)  # no applicant: member 1
    member_no[homes] = residents["member_no"].to_numpy(dtype=np.int64)[applicant][first]
    rows = {
        "household_id": households["household_id"].to_numpy(),
        "member_no": member_no,
        "verdict": eligible,
        "amount": amount,
        "total": step(k, (~nobody, "total"), (nobody, "nobody")),
        "standard_step": reached(
            (known, "standard"),
            (~known & (prop == 1), "property_failed_anyway"),
            (~known & (prop != 1), "standard_unknown"),
        ),
        "income_step": reached((over, "over"), (under, "under")),
        "property_step": reached(
            (under & (prop == 1), "property_failed"),
            (under & (prop == 2), "property_unchecked"),
            (paid, "paid"),
        ),
        "n": n,
        "income": income,
        "line": line,
        **figures,
    }
    return Outcome(
        rows=rows,
        steps=("total", "standard_step", "income_step", "property_step"),
        members=lambda homes: _member_reasons(*_of(homes, residents, code, counts)),
    )


def _of(homes: np.ndarray, residents: pd.DataFrame, code: np.ndarray, counts: np.ndarray) -> tuple:
    """The residents of the households ``homes``, with their codes: reasons only for those read."""
    mine = np.isin(residents["household_id"].to_numpy(), homes)
    return residents[mine], np.asarray(MEMBERSHIP, dtype=object)[code[mine]], counts[mine]


evaluate = household_rule(__name__)
