"""最低生活保障 (低保): who counts, what income counts, eligibility and the monthly 补差.

Eligible when the countable monthly income of the household members who count is
strictly below the standard × the number of those members (《社会救助暂行办法》第九条),
and household property meets the local rule; the benefit is the gap, paid monthly
(第十二条). Dalian's property rule is not in the kit, so an unchecked property test
gives 待核实, as does a date where the standard is unknown.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...law import Citation
from ..decision import Decision, Reason
from ..household import EXCLUSION_TITLES, Household, Member, vocabulary
from ..parameters import STATUS_TITLES, load_parameter

__all__ = ["counts_in_household", "evaluate", "standard_for"]

PROGRAM = "dibao"
TITLE = "最低生活保障（低保）"
AMOUNT = "每月补差"  # how a decision's amount is named to the learner
DOMAIN = "social_assistance"
ITEMS = ("dibao_application", "dibao_household", "dibao_income")
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


def standard_for(household: Household, on: dt.date):  # noqa: ANN201
    """The dated standard that applies to the household (urban or rural series)."""
    series = "dibao-rural-standard-dalian" if household.rural_standard else "dibao-urban-standard-dalian"
    return load_parameter(series), load_parameter(series).at(on)


def counts_in_household(member: Member) -> tuple[bool, str]:
    """Whether a member is one of the 共同生活的家庭成员 (审核确认办法第八条), and why."""
    if member.excluded_as:
        return False, f"不计入：{EXCLUSION_TITLES[member.excluded_as]}"
    rel = member.relation
    if rel in ("applicant", "spouse"):
        return True, "计入：申请人本人及其配偶"
    if rel == "child":
        if member.age < 18:
            return True, "计入：未成年子女"
        if member.cannot_live_independently:
            return True, "计入：已成年但不能独立生活的子女"
        if member.full_time_study in ("secondary", "undergraduate"):
            return True, "计入：在校接受全日制本科及以下学历教育的成年子女"
    if rel in ("child", "parent", "parent_in_law") and member.lives_together:
        return True, "计入：与申请人家庭有法定赡养、扶养、抚养义务关系并长期共同居住"
    if rel in ("grandparent", "grandchild", "sibling") and member.lives_together and member.statutory_duty:
        return True, "计入：有法定扶养、抚养或赡养义务并长期共同居住"
    if rel == "child" and member.full_time_study == "postgraduate":
        return False, "不计入：研究生不属于“本科及以下”在校子女，且未与申请人长期共同居住"
    return False, "不计入：不属于共同生活的家庭成员"


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide 低保 for ``household`` on date ``on``; raises before the first dated standard."""
    series, standard = standard_for(household, on)
    vocab = vocabulary()
    kinds = {k.id: k for k in vocab.income_kinds}
    reasons: list[Reason] = []

    counted: list[Member] = []
    for member in household.members:
        ok, why = counts_in_household(member)
        reasons.append(Reason(f"{member.label}：{why}", reference=vocab.household_reference))
        if ok:
            counted.append(member)
    if not counted:
        raise ValueError("members: 没有计入的家庭成员，请至少登记申请人本人")

    income = Decimal(0)
    for member in counted:
        for inc in member.incomes:
            kind = kinds[inc.kind]
            if kind.counted:
                income += inc.monthly
            else:
                reasons.append(
                    Reason(
                        f"{member.label}的{kind.title} {inc.monthly} 元不计入家庭收入",
                        reference=vocab.income_reference,
                    )
                )
    n = len(counted)
    reasons.append(Reason(f"共同生活的家庭成员 {n} 人，月可计收入合计 {income} 元", reference=vocab.income_reference))

    if standard.value is None:
        if household.property_check == "failed":
            reasons.append(Reason("家庭财产状况不符合当地规定，无论标准是多少都不符合条件", citation=ART_9))
            return Decision(PROGRAM, on, False, reasons=tuple(reasons))
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=(standard.missing,))

    line = standard.value * n
    reasons.append(
        Reason(
            f"{series.title}：{standard.value} {series.unit}"
            f"（{standard.effective} 起执行，{STATUS_TITLES[standard.status]}·{standard.status}），"
            f"{n} 人合计 {line} 元",
            reference=standard.reference,
        )
    )
    if income >= line:
        reasons.append(
            Reason(
                f"月可计收入 {income} 元不低于 {line} 元（人均不低于标准），不符合收入条件",
                citation=ART_9,
            )
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    reasons.append(Reason(f"月可计收入 {income} 元低于 {line} 元，符合收入条件", citation=ART_9))

    if household.property_check == "failed":
        reasons.append(Reason("家庭财产状况不符合当地规定", citation=ART_9))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if household.property_check == "unknown":
        return Decision(
            PROGRAM,
            on,
            None,
            reasons=tuple(reasons),
            missing=(
                "家庭财产状况尚未核查：大连市低保家庭财产认定标准未收录本工具包，"
                "请按街道社会救助窗口的现行规定核查后再判断",
            ),
        )
    amount = line - income
    reasons.append(Reason(f"家庭财产已核查符合规定；每月补差 {line} − {income} = {amount} 元", citation=ART_12))
    return Decision(PROGRAM, on, True, amount=amount, period="month", reasons=tuple(reasons))
