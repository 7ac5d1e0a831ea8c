"""灵活就业社会保险补贴: who, how much, and for how long.

For a recognised 就业困难人员 (``employment_difficulty_recognised``) or a graduate within
two years of leaving school (``graduated_within_2y``) who works flexibly and pays social
insurance contributions. The subsidy is at most 2/3 of the contributions actually paid;
the kit shows that ceiling, rounded **down** to the fen so it never exceeds 2/3 (the kit's
choice; the local rule may set a lower fixed amount). Period: 就业困难人员 up to 3 years
from first approval, or to retirement if fewer than 5 years remained at first approval;
graduates up to 2 years.

Statutory retirement ages have been raised gradually since 2025 and the month-by-month
table is not in the kit. The rule only uses the bounds the 2024 decision states (men
60–63, women 50–58): when those cannot settle the period, the answer is 待核实.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household, Member
from ..parameters import STATUS_TITLES, DatedValue, Parameter, load_parameter

__all__ = ["add_years", "evaluate", "retirement_window", "subsidy_ceiling"]

PROGRAM = "linghuo_shebao_butie"
TITLE = "灵活就业社会保险补贴"
AMOUNT = "每月社会保险补贴"  # how a decision's amount is named to the learner
DOMAIN = "employment"
ITEMS = ("flexible_employment_subsidy",)

ART_52 = Citation(
    law="就业促进法",
    article=52,
    quote="采取税费减免、贷款贴息、社会保险补贴、岗位补贴等办法",
)
SI_ART_10 = Citation(
    law="社会保险法",
    article=10,
    quote="以及其他灵活就业人员可以参加基本养老保险，由个人缴纳基本养老保险费。",
)

SHARE = "linghuo-butie-share-thirds"
PERIOD = "linghuo-butie-period-years"
NEAR = "linghuo-butie-near-retirement-years"
GRADUATE_PERIOD = "linghuo-butie-graduate-period-years"
RETIREMENT = {
    "male": ("retirement-age-male-lowest", "retirement-age-male-highest"),
    "female": ("retirement-age-female-lowest", "retirement-age-female-highest"),
}
FEN = Decimal("0.01")
WINDOW = "区人力资源和社会保障局或街道劳动保障窗口"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (or earlier); 29 February → 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _lookup(param_id: str, on: dt.date) -> tuple[Parameter, DatedValue]:
    param = load_parameter(param_id)
    return param, param.at(on)


def _shown(param: Parameter, value: DatedValue) -> str:
    return f"{param.title}：{value.value} {param.unit}（{value.since}起，{STATUS_TITLES[value.status]}·{value.status}）"


def subsidy_ceiling(paid_monthly: Decimal, on: dt.date) -> Decimal:
    """At most N/3 of what was paid, rounded down to the fen (so never above the share)."""
    _, share = _lookup(SHARE, on)
    return (paid_monthly * share.value / 3).quantize(FEN, rounding=ROUND_DOWN)


def retirement_window(member: Member, on: dt.date) -> tuple[dt.date, dt.date]:
    """Earliest and latest day the member can reach statutory retirement age.

    Uses the lowest and highest ages in the 2024 decision for the member's sex (both sexes
    when not recorded), and the birth date or, without it, every birth date that fits the
    age on ``on``.
    """
    sexes = (member.sex,) if member.sex else ("female", "male")
    low = min(_lookup(RETIREMENT[s][0], on)[1].value for s in sexes)
    high = max(_lookup(RETIREMENT[s][1], on)[1].value for s in sexes)
    if member.birth_date is not None:
        earliest_birth = latest_birth = member.birth_date
    else:
        latest_birth = add_years(on, -member.age)
        earliest_birth = add_years(on, -(member.age + 1)) + dt.timedelta(days=1)
    return add_years(earliest_birth, int(low)), add_years(latest_birth, int(high))


def _retirement_source(member: Member, on: dt.date) -> Reason:
    sexes = (member.sex,) if member.sex else ("female", "male")
    shown = "；".join(_shown(*_lookup(pid, on)) for s in sexes for pid in RETIREMENT[s])
    _, value = _lookup(RETIREMENT[sexes[0]][0], on)
    return Reason(f"法定退休年龄只按上下限判断（逐月延迟对照表未收录）：{shown}", reference=value.reference)


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide for the applicant on ``on``; before the figures are known to be in force, 待核实."""
    member = household.applicant
    _, share = _lookup(SHARE, on)
    gaps = tuple(
        dict.fromkeys(
            v.missing for v in (_lookup(p, on)[1] for p in (SHARE, PERIOD, NEAR, GRADUATE_PERIOD)) if v.missing
        )
    )
    reasons = [
        Reason(
            f"补贴上限：实缴社会保险费的 {share.value}/3（{share.since}起，{STATUS_TITLES[share.status]}·{share.status}）"
            if share.value is not None
            else f"补贴上限：{on} 的标准未收录（{STATUS_TITLES[share.status]}·{share.status}）",
            reference=share.reference,
        )
    ]

    if member.employment != "flexible":
        reasons.append(Reason("本人不是灵活就业人员，不属于灵活就业社会保险补贴对象", citation=SI_ART_10))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    paid = member.flexible_insurance_paid_monthly
    if paid <= 0:
        reasons.append(
            Reason("没有以灵活就业人员身份实际缴纳社会保险费，补贴按实缴金额计算，无从补贴", citation=SI_ART_10)
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    recognised, graduate = member.employment_difficulty_recognised, member.graduated_within_2y
    if not (recognised or graduate):
        reasons.append(
            Reason(
                "本人既未被认定为就业困难人员，也不是离校 2 年内的高校毕业生；"
                "如符合就业困难人员的常见类别，可先申请就业困难人员认定",
                citation=ART_52,
            )
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    if gaps:  # the conditions hold; the figures that apply on this date are not known
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=gaps)
    approved = member.flexible_subsidy_first_approved
    if approved is None:
        approved = on
        reasons.append(Reason(f"尚未核准过补贴：按首次申请、{on} 核准计算期限", citation=ART_52))
    elif approved > on:
        raise ValueError(
            f"members: {member.label}的 flexible_subsidy_first_approved（{approved}）晚于判断日期 {on}，请改正"
        )
    amount = subsidy_ceiling(paid, on)
    grant = Reason(
        f"每月实缴 {paid} 元 × {share.value}/3 = {amount} 元（补贴上限；不足一分的部分舍去，"
        f"是本工具包的取整方式；当地可能另定更低的具体标准）",
        citation=ART_52,
    )
    if recognised:
        outcome = _recognised_period(member, on, approved, reasons)
    else:
        outcome = _graduate_period(on, approved, reasons)
    if isinstance(outcome, Decision):
        return outcome
    reasons += [Reason(outcome, reference=share.reference), grant]
    return Decision(PROGRAM, on, True, amount=amount, period="month", reasons=tuple(reasons))


def _last_day(end: dt.date) -> dt.date:
    return end - dt.timedelta(days=1)


def _graduate_period(on: dt.date, approved: dt.date, reasons: list[Reason]) -> Decision | str:
    """The period text while covered, else the 不符合 decision."""
    grad_p, years = _lookup(GRADUATE_PERIOD, on)
    end = add_years(approved, int(years.value))
    reasons.append(Reason(f"离校 2 年内的高校毕业生；{_shown(grad_p, years)}", reference=years.reference))
    if on >= end:
        reasons.append(
            Reason(f"自 {approved} 首次核准起已满 {years.value} 年（{end} 起不再享受）", reference=years.reference)
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    return f"补贴期限自 {approved} 起，至 {_last_day(end)} 止"


def _recognised_period(member: Member, on: dt.date, approved: dt.date, reasons: list[Reason]) -> Decision | str:
    """The period text while surely covered, else a 不符合 or 待核实 decision."""
    period_p, period = _lookup(PERIOD, on)
    near_p, near = _lookup(NEAR, on)
    reasons.append(
        Reason(f"已认定为就业困难人员；{_shown(period_p, period)}；{_shown(near_p, near)}", reference=period.reference)
    )
    reasons.append(_retirement_source(member, on))
    end = add_years(approved, int(period.value))
    earliest, latest = retirement_window(member, on)
    surely_far = earliest >= add_years(approved, int(near.value))

    if on >= latest:
        reasons.append(Reason(f"按上限计算，本人最迟在 {latest} 已达法定退休年龄，不再享受", citation=ART_52))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if on < end and on < earliest:
        if surely_far:
            return (
                f"首次核准（{approved}）时距法定退休年龄肯定不少于 {near.value} 年，"
                f"补贴期限 {period.value} 年，至 {_last_day(end)} 止"
            )
        return (
            f"在 {period.value} 年期限内（至 {_last_day(end)}），且按下限计算最早 {earliest} "
            f"才到法定退休年龄；首次核准时距退休是否不足 {near.value} 年（可否延长至退休）"
            f"待人社部门按出生年月核定"
        )
    if surely_far:
        reasons.append(
            Reason(
                f"首次核准（{approved}）时距法定退休年龄肯定不少于 {near.value} 年，期限 {period.value} 年，"
                f"{end} 起不再享受",
                reference=period.reference,
            )
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    reasons.append(
        Reason(
            f"本人最早 {earliest}、最迟 {latest} 达到法定退休年龄，本工具包无法确定确切日期",
            citation=ART_52,
        )
    )
    return Decision(
        PROGRAM,
        on,
        None,
        reasons=tuple(reasons),
        missing=(
            f"本人的法定退休年龄：请到{WINDOW}按渐进式延迟法定退休年龄的规定（出生年月、原法定退休年龄类别）核定，"
            f"再判断首次核准时距退休是否不足 {near.value} 年（可延长至退休）以及现在是否已到退休年龄",
        ),
    )
