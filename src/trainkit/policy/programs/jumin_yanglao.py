"""城乡居民基本养老保险: who may enrol, and who may claim the monthly pension.

Residents aged 16 or more, not full-time students, outside the employee pension scheme,
enrol where their 户籍 is (here: Dalian). From 60, with at least 15 contribution years,
the pension is paid monthly. The decision is "may claim" from the claim age and "may enrol
(and keep paying)" before it. The basic pension in Dalian is not in the kit, so no amount
is ever given; ``missing`` says where to confirm it.
"""

from __future__ import annotations

import datetime as dt

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household
from ..parameters import STATUS_TITLES, DatedValue, Parameter, load_parameter

__all__ = ["evaluate"]

PROGRAM = "jumin_yanglao"
TITLE = "城乡居民基本养老保险"
DOMAIN = "social_insurance"
ITEMS = ("resident_pension_enrolment", "resident_pension_claim")

ART_20 = Citation(law="社会保险法", article=20, quote="新型农村社会养老保险实行个人缴费、集体补助和政府补贴相结合。")
ART_21 = Citation(
    law="社会保险法",
    article=21,
    quote="参加新型农村社会养老保险的农村居民，符合国家规定条件的，按月领取新型农村社会养老保险待遇。",
)
ART_22 = Citation(
    law="社会保险法",
    article=22,
    quote="可以将城镇居民社会养老保险和新型农村社会养老保险合并实施。",
)

ENROL_AGE = "jumin-yanglao-enrol-min-age"
CLAIM_AGE = "jumin-yanglao-claim-age"
MIN_YEARS = "jumin-yanglao-min-years"
TIER_LOW = "jumin-yanglao-tier-lowest"
TIER_HIGH = "jumin-yanglao-tier-highest"
BASIC_PENSION = "jumin-yanglao-basic-pension-dalian"
WINDOW = "区社会保险经办机构或街道社保窗口"


def _lookup(param_id: str, on: dt.date) -> tuple[Parameter, DatedValue]:
    param = load_parameter(param_id)
    return param, param.at(on)


def _shown(param: Parameter, value: DatedValue) -> str:
    return f"{param.title} {value.value} {param.unit}（{STATUS_TITLES[value.status]}·{value.status}）"


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide for the applicant on ``on``; raises before the first dated figure (2016-08-12)."""
    member = household.applicant
    enrol_p, enrol_age = _lookup(ENROL_AGE, on)
    claim_p, claim_age = _lookup(CLAIM_AGE, on)
    years_p, min_years = _lookup(MIN_YEARS, on)
    ref = enrol_age.reference
    reasons = [Reason(f"城乡居民养老保险由城镇居民养老保险和新农保合并实施；判断对象：{member.label}", citation=ART_22)]

    if member.employee_pension:
        reasons.append(Reason("本人参加或领取职工基本养老保险，不属于城乡居民养老保险的参保对象", reference=ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if not member.hukou_dalian:
        reasons.append(Reason("城乡居民养老保险在户籍地参保；本人户籍不在大连，应回户籍地办理", reference=ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    if member.age >= claim_age.value:
        years = member.resident_pension_years
        reasons.append(Reason(f"{member.age} 周岁，达到{_shown(claim_p, claim_age)}", reference=ref))
        if years < min_years.value:
            reasons.append(
                Reason(
                    f"累计缴费 {years} 年，不足{_shown(years_p, min_years)}，暂不能按月领取；"
                    "能否延缴、补缴以当地规定为准（本工具包未收录）",
                    citation=ART_21,
                )
            )
            return Decision(PROGRAM, on, False, reasons=tuple(reasons))
        reasons.append(
            Reason(f"累计缴费 {years} 年，达到{_shown(years_p, min_years)}，可以按月领取养老金", citation=ART_21)
        )
        pension_p, pension = _lookup(BASIC_PENSION, on)
        reasons.append(
            Reason(
                "养老金由基础养老金和个人账户养老金组成；大连市基础养老金标准未收录，本工具包不给出金额",
                citation=ART_21,
            )
        )
        return Decision(
            PROGRAM,
            on,
            True,
            reasons=tuple(reasons),
            missing=(pension.missing if pension.value is None else f"{pension_p.title}（请核实）",),
        )

    if member.age < enrol_age.value:
        reasons.append(Reason(f"{member.age} 周岁，未达到{_shown(enrol_p, enrol_age)}", reference=ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if member.full_time_study != "none":
        reasons.append(Reason("在校学生不参加城乡居民养老保险", reference=ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    low_p, low = _lookup(TIER_LOW, on)
    _, high = _lookup(TIER_HIGH, on)
    reasons.append(
        Reason(
            f"{member.age} 周岁，达到{_shown(enrol_p, enrol_age)}，非在校学生、未参加职工养老保险，可以在户籍地参保缴费",
            reference=ref,
        )
    )
    reasons.append(
        Reason(
            f"缴费档次：{low_p.description.strip()}（最低 {low.value}、全国设定最高 {high.value} {low_p.unit}，"
            f"{STATUS_TITLES[low.status]}·{low.status}）",
            citation=ART_20,
            reference=low.reference,
        )
    )
    years_at_claim = member.resident_pension_years + int(claim_age.value) - member.age
    plan = (
        f"已缴费 {member.resident_pension_years} 年；从现在起每年缴费，到 {claim_age.value} 周岁时累计 "
        f"{years_at_claim} 年"
    )
    if years_at_claim < min_years.value:
        plan += f"，仍不足 {min_years.value} 年，到时不能按月领取（能否延缴、补缴以当地规定为准）"
    else:
        plan += f"，可以满足{_shown(years_p, min_years)}"
    reasons.append(Reason(plan, citation=ART_21))
    return Decision(PROGRAM, on, True, reasons=tuple(reasons))
