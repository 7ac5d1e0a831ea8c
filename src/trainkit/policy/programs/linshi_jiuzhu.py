"""临时救助: who is covered (《社会救助暂行办法》第四十七条) and how to apply (第四十八条).

Covered: a household whose basic life is temporarily in serious difficulty because of
fire, a traffic accident or a member's sudden major illness; a 低保 household whose
necessary spending surged beyond what it can bear; other households in special
difficulty. Whether the hardship is serious is the 入户核查 finding
(``emergency_hardship``); unchecked gives 待核实. What counts as "other special
difficulty" and the amounts are set locally (第四十九条) and were not found for Dalian,
so "other" gives 待核实 and an eligible household gets no amount: ``missing`` says
where to confirm it. No amount is ever invented.
"""

from __future__ import annotations

import datetime as dt

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household
from ..parameters import load_parameter

__all__ = ["evaluate"]

PROGRAM = "linshi_jiuzhu"
TITLE = "临时救助"
AMOUNT = "临时救助金"  # how a decision's amount is named to the learner
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


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide 临时救助 for ``household`` on ``on``; raises before 2014-05-01."""
    amount = load_parameter(AMOUNT_SERIES).at(on)  # raises before the 暂行办法 took effect
    kind = household.emergency
    reasons: list[Reason] = []

    if kind is None:
        reasons.append(
            Reason(
                "没有登记火灾、交通事故、突发重大疾病、支出突增或其他特殊困难等急难情形，不属于临时救助对象",
                citation=ART_47_ACCIDENT,
            )
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    title = EMERGENCY_TITLES[kind]
    if kind in ("fire", "traffic_accident", "sudden_illness"):
        reasons.append(
            Reason(f"急难情形：{title}，属于第四十七条列举的意外事件或突发重大疾病", citation=ART_47_ACCIDENT)
        )
    elif kind == "spending_surge":
        if "dibao" not in household.receives:
            reasons.append(
                Reason(
                    "生活必需支出突然增加这一项只适用于最低生活保障家庭；本户没有享受低保，不符合这一项。"
                    "如果支出增加是因其他特殊困难造成，应登记为“其他特殊困难”并向街道核实",
                    citation=ART_47_SPENDING,
                )
            )
            return Decision(PROGRAM, on, False, reasons=tuple(reasons))
        reasons.append(Reason(f"急难情形：{title}，本户是低保家庭，属于支出型困难", citation=ART_47_SPENDING))
    else:
        reasons.append(Reason(f"急难情形：{title}", citation=ART_47_OTHER))

    hardship = household.emergency_hardship
    if hardship is False:
        reasons.append(
            Reason(
                "入户核查认定基本生活没有因此出现严重困难，不符合临时救助条件",
                citation=ART_47_SPENDING if kind == "spending_surge" else ART_47_ACCIDENT,
            )
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    missing: list[str] = []
    if kind == "other":
        missing.append(
            "“其他特殊困难”的具体事项由县级以上地方人民政府确定（第四十九条），大连市（西岗区）的规定未收录；"
            "请向西岗区民政局社会救助科确认本情形是否属于临时救助范围"
        )
    if hardship is None:
        missing.append("尚未入户核查：请街道核实急难情形是否导致基本生活暂时出现严重困难（emergency_hardship）")
    if missing:
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=tuple(missing))

    reasons.append(
        Reason(
            "入户核查认定基本生活暂时出现严重困难，属于临时救助对象",
            citation=ART_47_SPENDING if kind == "spending_surge" else ART_47_ACCIDENT,
        )
    )
    reasons.append(
        Reason(
            "向所在街道办事处提出申请，经审核、公示后由区民政局审批；金额较小的可委托街道审批；"
            "情况紧急的可简化审批手续",
            citation=ART_48,
        )
    )
    if amount.value is None:
        reasons.append(
            Reason("救助金额按当地标准确定，大连市（西岗区）的标准未收录，本工具包不给金额", citation=ART_49)
        )
        return Decision(PROGRAM, on, True, reasons=tuple(reasons), missing=(amount.missing,))
    reasons.append(Reason(f"救助金额 {amount.value} 元", reference=amount.reference))
    return Decision(PROGRAM, on, True, amount=amount.value, reasons=tuple(reasons))
