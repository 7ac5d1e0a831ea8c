"""城乡居民基本医疗保险: who enrols, what it costs at least, and how long benefits wait.

Anyone outside the employee medical insurance may enrol. The national minimum individual
contribution and government subsidy are dated series (status S); Dalian's actual amount is
not in the kit. 特困 members' contributions are paid in full by the government, 低保
members' are subsidised by a locally set amount (not in the kit). From 2025, enrolling
outside the collection period or after a lapse means a waiting period: 3 months plus 1
month per year missed (国办发〔2024〕38号, S). The decision is whether the applicant may
enrol; amounts stay ``None``.
"""

from __future__ import annotations

import datetime as dt

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household
from ..parameters import STATUS_TITLES, DatedValue, Parameter, Reference, load_parameter

__all__ = ["evaluate", "waiting_months"]

PROGRAM = "jumin_yibao"
TITLE = "城乡居民基本医疗保险"
DOMAIN = "social_insurance"
ITEMS = ("resident_medical_enrolment",)

ART_23 = Citation(
    law="社会保险法",
    article=23,
    quote="职工应当参加职工基本医疗保险，由用人单位和职工按照国家规定共同缴纳基本医疗保险费。",
)
ART_25 = Citation(law="社会保险法", article=25, quote="城镇居民基本医疗保险实行个人缴费和政府补贴相结合。")
ART_25_SUBSIDY = Citation(
    law="社会保险法",
    article=25,
    quote="享受最低生活保障的人、丧失劳动能力的残疾人、低收入家庭六十周岁以上的老年人和未成年人等所需个人缴费部分，由政府给予补贴。",
)
ASSISTANCE = Reference(
    title="特困人员个人缴费全额资助、低保对象定额资助（国办发〔2021〕42号等，经第三方研究笔记转引）",
    status="S",
)
WAITING_DOC = Reference(
    title="国务院办公厅《关于健全基本医疗保险参保长效机制的指导意见》（国办发〔2024〕38号），央视网 2024-08-07 报道转载",
    href="http://m.yhxzz.com/zcjd/2024-8/7/244064.html",
    status="S",
)

INDIVIDUAL = "jumin-yibao-individual-min-national"
SUBSIDY = "jumin-yibao-subsidy-min-national"
WAIT_FIXED = "jumin-yibao-waiting-fixed-months"
WAIT_PER_YEAR = "jumin-yibao-waiting-months-per-lapsed-year"
WINDOW = "区医疗保障经办机构或街道医保窗口"


def _lookup(param_id: str, on: dt.date) -> tuple[Parameter, DatedValue]:
    param = load_parameter(param_id)
    return param, param.at(on)


def _figure(param_id: str, on: dt.date, missing: list[str]) -> str:
    param, value = _lookup(param_id, on)
    if value.value is None:
        missing.append(value.missing)
        return f"{param.title}：未收录（{STATUS_TITLES[value.status]}·{value.status}）"
    return (
        f"{param.title}：{value.value} {param.unit}"
        f"（{value.effective}起，{STATUS_TITLES[value.status]}·{value.status}）"
    )


def waiting_months(late: bool, lapsed_years: int, on: dt.date) -> int | None:
    """Months of waiting after enrolling: 0 when on time and continuous; ``None`` when unknown."""
    if not late and lapsed_years == 0:
        return 0
    fixed, per_year = _lookup(WAIT_FIXED, on)[1], _lookup(WAIT_PER_YEAR, on)[1]
    if fixed.value is None or per_year.value is None:
        return None
    return int(fixed.value + per_year.value * lapsed_years)


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide for the applicant on ``on``; raises before the first dated figure (2024-01-01)."""
    member = household.applicant
    missing: list[str] = []
    individual = _figure(INDIVIDUAL, on, missing)
    subsidy = _figure(SUBSIDY, on, missing)
    ind_ref = _lookup(INDIVIDUAL, on)[1].reference
    reasons = [Reason(f"判断对象：{member.label}", citation=ART_25)]

    if member.employee_medical:
        reasons.append(Reason("本人已参加职工基本医疗保险，不再参加城乡居民医保", citation=ART_23))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    reasons.append(Reason("未参加职工基本医疗保险，可以参加城乡居民基本医疗保险", citation=ART_25))
    if member.resident_medical_enrolled:
        reasons.append(Reason("本年度已参保，无需重复参保；下一年度请在集中参保期内按时续保", citation=ART_25))
    reasons.append(
        Reason(f"{individual}；{subsidy}；大连市实际个人缴费标准以当年通知为准", citation=ART_25, reference=ind_ref)
    )
    missing.append(f"大连市当年居民医保个人缴费标准（不低于全国最低标准）：请向{WINDOW}核实")

    if "tekun" in household.receives:
        reasons.append(Reason("特困人员：个人缴费部分由政府全额资助", citation=ART_25_SUBSIDY, reference=ASSISTANCE))
    elif "dibao" in household.receives:
        reasons.append(
            Reason(
                "低保对象：个人缴费部分由政府给予定额资助，资助金额由当地规定",
                citation=ART_25_SUBSIDY,
                reference=ASSISTANCE,
            )
        )
        missing.append(f"大连市对低保对象居民医保个人缴费的资助金额：请向{WINDOW}核实")

    late, lapsed = member.medical_enrol_late, member.medical_lapsed_years
    wait = waiting_months(late, lapsed, on)
    fixed_p, fixed = _lookup(WAIT_FIXED, on)
    if wait == 0:
        reasons.append(Reason("在集中参保期内参保且连续参保，没有待遇等待期", reference=WAITING_DOC))
    elif wait is None:
        reasons.append(Reason("集中参保期外参保或断保后再参保：待遇等待期在本日期的规定未收录", reference=WAITING_DOC))
        missing.append(fixed.missing)
    else:
        _, per_year = _lookup(WAIT_PER_YEAR, on)
        why = "、".join(t for t, on_ in (("在集中参保期外参保", late), ("断保后再参保", lapsed > 0)) if on_)
        reasons.append(
            Reason(
                f"{why}：固定待遇等待期 {fixed.value} 个月，断保 {lapsed} 年 × {per_year.value} 个月，"
                f"共 {wait} 个月，等待期满后才开始享受医保待遇"
                f"（{fixed_p.title}，{STATUS_TITLES[fixed.status]}·{fixed.status}）",
                reference=WAITING_DOC,
            )
        )
    return Decision(PROGRAM, on, True, reasons=tuple(reasons), missing=tuple(missing))
