"""临时救助: who is covered (《社会救助暂行办法》第四十七条) and how to apply (第四十八条).

Covered: a household whose basic life is temporarily in serious difficulty because of
fire, a traffic accident or a member's sudden major illness; a 低保 household whose
necessary spending surged beyond what it can bear; other households in special
difficulty. Whether the hardship is serious is the 入户核查 finding
(``emergency_hardship``); unchecked gives 待核实. What counts as "other special
difficulty" and the amounts are set locally (第四十九条) and were not found for Dalian,
so "other" gives 待核实 and an eligible household gets no amount: ``missing`` says
where to confirm it. No amount is ever invented. One row per household; a date before
the 暂行办法 (2014-05-01) raises :class:`BeforeFirstDate`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import applicant_of, constant, figure_columns, position_in, receiving, texts, yes_no
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from . import household_rule

__all__ = ["EMERGENCY_TITLES", "decide", "evaluate"]

PROGRAM = "linshi_jiuzhu"
TITLE = "临时救助"
AMOUNT = "临时救助金"  # how a decision's amount is named to the learner
PERIOD = None  # a one-off payment: neither monthly nor yearly (the rule never gave a period)
PER = "household"  # one decision per household; receipt recorded on the household
DOMAIN = "social_assistance"
ITEMS = ("temporary_assistance",)

AMOUNT_SERIES = "linshi-jiuzhu-amount-dalian"
ART_47_ACCIDENT = Citation(
    law="社会救助暂行办法",
    article=47,
    quote="国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭",
)
ART_47_SPENDING = Citation(
    law="社会救助暂行办法",
    article=47,
    quote="因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障家庭",
)
ART_47_OTHER = Citation(law="社会救助暂行办法", article=47, quote="以及遭遇其他特殊困难的家庭，给予临时救助。")
ART_48 = Citation(
    law="社会救助暂行办法",
    article=48,
    quote="申请临时救助的，应当向乡镇人民政府、街道办事处提出，经审核、公示后，由县级人民政府民政部门审批；"
    "救助金额较小的，县级人民政府民政部门可以委托乡镇人民政府、街道办事处审批。情况紧急的，可以按照规定简化审批手续。",
)
ART_49 = Citation(
    law="社会救助暂行办法", article=49, quote="临时救助的具体事项、标准，由县级以上地方人民政府确定、公布。"
)

EMERGENCY_TITLES = {
    "fire": "火灾",
    "traffic_accident": "交通事故",
    "sudden_illness": "家庭成员突发重大疾病",
    "spending_surge": "生活必需支出突然增加",
    "other": "其他特殊困难",
}
ACCIDENTS = ("fire", "traffic_accident", "sudden_illness")

REASONS = {
    # the 急难情形
    "none": Because(
        "没有登记火灾、交通事故、突发重大疾病、支出突增或其他特殊困难等急难情形，不属于临时救助对象",
        citation=ART_47_ACCIDENT,
    ),
    "accident": Because("急难情形：{title}，属于第四十七条列举的意外事件或突发重大疾病", citation=ART_47_ACCIDENT),
    "surge_not_dibao": Because(
        "生活必需支出突然增加这一项只适用于最低生活保障家庭；本户没有享受低保，不符合这一项。"
        "如果支出增加是因其他特殊困难造成，应登记为“其他特殊困难”并向街道核实",
        citation=ART_47_SPENDING,
    ),
    "surge": Because("急难情形：{title}，本户是低保家庭，属于支出型困难", citation=ART_47_SPENDING),
    "other": Because("急难情形：{title}", citation=ART_47_OTHER),
    "unknown_kind": Because("急难情形的登记值“{emergency}”无法识别，请按登记表的取值更正后再筛查"),
    # the 入户核查
    "no_hardship": Because("入户核查认定基本生活没有因此出现严重困难，不符合临时救助条件", citation=ART_47_ACCIDENT),
    "no_hardship_surge": Because(
        "入户核查认定基本生活没有因此出现严重困难，不符合临时救助条件", citation=ART_47_SPENDING
    ),
    "other_unlisted": Because(
        "“其他特殊困难”的具体事项由县级以上地方人民政府确定（第四十九条），大连市（西岗区）的规定未收录；"
        "请向西岗区民政局社会救助科确认本情形是否属于临时救助范围",
        missing=True,
    ),
    "unchecked": Because(
        "尚未入户核查：请街道核实急难情形是否导致基本生活暂时出现严重困难（emergency_hardship）", missing=True
    ),
    "hardship": Because("入户核查认定基本生活暂时出现严重困难，属于临时救助对象", citation=ART_47_ACCIDENT),
    "hardship_surge": Because("入户核查认定基本生活暂时出现严重困难，属于临时救助对象", citation=ART_47_SPENDING),
    # how to apply, and the amount
    "apply": Because(
        "向所在街道办事处提出申请，经审核、公示后由区民政局审批；金额较小的可委托街道审批；情况紧急的可简化审批手续",
        citation=ART_48,
    ),
    "rate_missing": Because("{rate_missing}", missing=True),
    "rate_unknown": Because("救助金额按当地标准确定，大连市（西岗区）的标准未收录，本工具包不给金额", citation=ART_49),
    "paid": Because("救助金额 {rate} 元", param="rate_param"),
}


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """临时救助 for every household of a numbered register on ``on``."""
    k = len(households)
    one = figure_columns(np.array([AMOUNT_SERIES], dtype=object), on, "rate")  # raises before 2014-05-01
    figures = {  # the same figure for every household, stored once
        name: np.full(k, values[0]) if name == "rate" else constant(k, values[0]) for name, values in one.items()
    }
    registered = households["emergency"]
    kinds = list(EMERGENCY_TITLES)
    kind = position_in(registered, kinds)  # -1: blank or not a kind the rule knows
    none = registered.isna().to_numpy()
    accident = np.isin(kind, [kinds.index(a) for a in ACCIDENTS])
    surge, other = kind == kinds.index("spending_surge"), kind == kinds.index("other")
    unknown = ~none & ~accident & ~surge & ~other
    dibao = receiving(households, "dibao")
    found, not_found = yes_no(households["emergency_hardship"])
    covered = accident | (surge & dibao) | other
    unchecked = covered & ~found & ~not_found
    refused = covered & not_found
    pending = covered & ~not_found & (other | unchecked)
    yes = covered & found & ~other
    rate = figures["rate"]
    known = ~np.isnan(rate)

    eligible = np.full(k, PENDING, dtype=np.int8)
    eligible[none | (surge & ~dibao) | refused] = NO
    eligible[yes] = YES
    eligible[unknown] = NOT_APPLIES

    def step(*pairs: tuple[np.ndarray, str]) -> np.ndarray:
        out = np.full(k, None, dtype=object)
        for mask, name in pairs:
            out[mask] = name
        return out

    rows = {
        "household_id": households["household_id"].to_numpy(),
        "member_no": applicant_of(households, residents),
        "verdict": eligible,
        "amount": np.where(yes & known, np.round(rate, 2), np.nan),
        "kind_step": step(
            (none, "none"),
            (accident, "accident"),
            (surge & ~dibao, "surge_not_dibao"),
            (surge & dibao, "surge"),
            (other, "other"),
            (unknown, "unknown_kind"),
        ),
        "refused_step": step((refused & ~surge, "no_hardship"), (refused & surge, "no_hardship_surge")),
        "other_step": step((pending & other, "other_unlisted")),
        "unchecked_step": step((pending & unchecked, "unchecked")),
        "hardship_step": step((yes & ~surge, "hardship"), (yes & surge, "hardship_surge")),
        "apply_step": step((yes, "apply")),
        "rate_missing_step": step((yes & ~known, "rate_missing")),
        "rate_step": step((yes & ~known, "rate_unknown"), (yes & known, "paid")),
        "title": texts(kind, list(EMERGENCY_TITLES.values())),
        **figures,
    }
    return Outcome(
        rows=rows,
        steps=(
            "kind_step",
            "refused_step",
            "other_step",
            "unchecked_step",
            "hardship_step",
            "apply_step",
            "rate_missing_step",
            "rate_step",
        ),
        lazy={"emergency": lambda at: np.where(none[at], "", registered.iloc[at].astype(str).to_numpy(dtype=object))},
    )


evaluate = household_rule(__name__)
