"""高龄津贴 (Dalian, 《大连市高龄津贴发放管理办法》 from 2025-10-01): who, how much, when to register.

Dalian 户籍 older people from 80, no income test (more generous than the national basis,
《老年人权益保障法》第三十三条, which encourages it for low-income people aged 80+). Monthly
by age tier, each tier its own dated series; from 100 the allowance equals the Dalian
urban 低保 standard in force (the dibao series, reused). Registration opens 3 months
before the 80th birthday. Dates before 2025-10-01 raise (earlier rules not found); after
the 办法's five years the rules are unknown and the decision is 待核实.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household, Member
from ..parameters import STATUS_TITLES, DatedValue, Reference, load_parameter

__all__ = ["age_on", "evaluate", "eightieth_birthday", "registration_opens"]

PROGRAM = "gaoling_jintie"
TITLE = "高龄津贴"
AMOUNT = "每月高龄津贴"  # how a decision's amount is named to the learner
DOMAIN = "elderly"
ITEMS = ("longevity_allowance",)

ART_33 = Citation(law="老年人权益保障法", article=33, quote="国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。")

START_AGE = 80
REGISTER_MONTHS_BEFORE = 3
# (lowest age of the tier, series); the highest tier is a multiple of the urban 低保 standard
TIERS = (
    (100, "gaoling-jintie-100-dalian"),
    (90, "gaoling-jintie-90-99-dalian"),
    (85, "gaoling-jintie-85-89-dalian"),
    (80, "gaoling-jintie-80-84-dalian"),
)
FIRST_TIER = "gaoling-jintie-80-84-dalian"
DIBAO_URBAN = "dibao-urban-standard-dalian"


def age_on(birth: dt.date, on: dt.date) -> int:
    """周岁 on ``on``: a year is complete on the birthday (29 February: on 1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eightieth_birthday(birth: dt.date) -> dt.date:
    """The day the person turns 80 (29 February births: 1 March in a common year)."""
    year = birth.year + START_AGE
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return birth.replace(year=year)


def registration_opens(birth: dt.date) -> dt.date:
    """Three calendar months before the 80th birthday (day clamped to the month's end)."""
    day = eightieth_birthday(birth)
    month = day.month - REGISTER_MONTHS_BEFORE
    year = day.year - (month <= 0)
    month = month + 12 if month <= 0 else month
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _age(member: Member, on: dt.date) -> int:
    if member.birth_date is None:
        return member.age
    exact = age_on(member.birth_date, on)
    if exact != member.age:
        raise ValueError(
            f"members: {member.label}的 age 与 birth_date 不一致：按出生日期 {member.birth_date}，"
            f"{on} 应为 {exact} 周岁。请改正其中一项"
        )
    return exact


def _window(member: Member, on: dt.date, ref: Reference | None) -> Reason:
    if member.birth_date is None:
        return Reason(
            f"登记时间：满{START_AGE}周岁前{REGISTER_MONTHS_BEFORE}个月内可以登记；"
            "未登记出生日期（birth_date），无法判断今天是否在登记期内",
            reference=ref,
        )
    opens, birthday = registration_opens(member.birth_date), eightieth_birthday(member.birth_date)
    span = f"登记期 {opens} 至 {birthday - dt.timedelta(days=1)}（满{START_AGE}周岁前{REGISTER_MONTHS_BEFORE}个月内）"
    if on < opens:
        return Reason(f"{on} 尚未到登记期：{span}", reference=ref)
    if on < birthday:
        return Reason(f"{on} 在登记期内，可以登记：{span}，{birthday} 满{START_AGE}周岁", reference=ref)
    return Reason(
        f"{on} 已过登记期：{span}；尚未登记的请尽快登记，逾期登记能否补发未核实（U），请向社区确认", reference=ref
    )


def _line(value: DatedValue) -> str:
    return f"{value.effective} 起执行，{STATUS_TITLES[value.status]}·{value.status}"


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide 高龄津贴 for the applicant on ``on``; raises before 2025-10-01."""
    rules = load_parameter(FIRST_TIER).at(on)  # raises before the Dalian 办法
    person = household.applicant
    age = _age(person, on)
    if rules.value is None:
        return Decision(
            PROGRAM, on, None, reasons=(Reason(f"判断对象：{person.label}", citation=ART_33),), missing=(rules.missing,)
        )
    ref = rules.reference
    reasons: list[Reason] = [
        Reason(
            f"判断对象：{person.label}；国家鼓励地方为八十周岁以上低收入老年人建立高龄津贴，大连市办法不设收入条件",
            citation=ART_33,
        ),
        Reason(f"依据《大连市高龄津贴发放管理办法》（{_line(rules)}）", reference=ref),
    ]
    if not person.hukou_dalian:
        reasons.append(Reason("户籍不在大连市，不属于大连市高龄津贴的发放对象", reference=ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    reasons.append(Reason("大连市户籍，符合户籍条件", reference=ref))
    if age < START_AGE:
        reasons.append(Reason(f"{age}周岁，未满{START_AGE}周岁，还不能领取", reference=ref))
        reasons.append(_window(person, on, ref))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if person.birth_date is not None:
        reasons.append(_window(person, on, ref))

    low, series_id = next((low, s) for low, s in TIERS if age >= low)
    series = load_parameter(series_id)
    tier = series.at(on)
    if tier.value is None:
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=(tier.missing,))
    if low != TIERS[0][0]:
        reasons.append(
            Reason(f"{age}周岁，{series.title}：每月 {tier.value} 元（{_line(tier)}）", reference=tier.reference)
        )
        return Decision(PROGRAM, on, True, amount=tier.value, period="month", reasons=tuple(reasons))

    dibao = load_parameter(DIBAO_URBAN)
    standard = dibao.at(on)
    reasons.append(
        Reason(f"{age}周岁，百岁老人的高龄津贴与大连市城市低保标准相同（{_line(tier)}）", reference=tier.reference)
    )
    if standard.value is None:
        return Decision(PROGRAM, on, True, reasons=tuple(reasons), missing=(standard.missing,))
    amount = standard.value * tier.value
    reasons.append(
        Reason(
            f"{dibao.title}：{standard.value} {dibao.unit}（{_line(standard)}），每月高龄津贴 {amount} 元",
            reference=standard.reference,
        )
    )
    return Decision(PROGRAM, on, True, amount=amount, period="month", reasons=tuple(reasons))
