"""城乡居民基本养老保险: who may enrol, and who may claim the monthly pension.

Residents aged 16 or more, not full-time students, outside the employee pension scheme,
enrol where their 户籍 is (here: Dalian). From 60, with at least 15 contribution years,
the pension is paid monthly. The decision is "may claim" from the claim age and "may enrol
(and keep paying)" before it. The basic pension in Dalian is not in the kit, so no amount
is ever given; ``missing`` says where to confirm it. One row per resident, decided as if
they applied.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import figure, figure_columns, frame, member_column, member_flag, member_number, step
from ..outcome import NO, YES, Because, Outcome
from ..parameters import STATUS_TITLES, load_parameter
from . import household_rule
from ._person import lazy_names, named

__all__ = ["decide", "evaluate"]

PROGRAM = "jumin_yanglao"
TITLE = "城乡居民基本养老保险"
AMOUNT = "养老金"  # never given: Dalian's basic pension is not in the kit
PERIOD = "month"
PER = "person"  # one decision per resident; recorded on the person
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

_MERGED = "城乡居民养老保险由城镇居民养老保险和新农保合并实施；判断对象："
_UNSURE = "能否延缴、补缴以当地规定为准"
REASONS = {
    "subject_named": Because(_MERGED + "{name}（申请人，{age}岁）", citation=ART_22),
    "subject": Because(_MERGED + "申请人（{age}岁）", citation=ART_22),
    "employee": Because("本人参加或领取职工基本养老保险，不属于城乡居民养老保险的参保对象", param="enrol_param"),
    "outside": Because("城乡居民养老保险在户籍地参保；本人户籍不在大连，应回户籍地办理", param="enrol_param"),
    # from the claim age
    "claim_age": Because("{age} 周岁，达到{claim_figure}", param="enrol_param"),
    "short": Because(
        f"累计缴费 {{years}} 年，不足{{years_figure}}，暂不能按月领取；{_UNSURE}（本工具包未收录）", citation=ART_21
    ),
    "claim": Because("累计缴费 {years} 年，达到{years_figure}，可以按月领取养老金", citation=ART_21),
    "pension_gap": Because("{pension_missing}", missing=True),
    "pension_known": Because("{pension_title}（请核实）", missing=True),
    "no_amount": Because(
        "养老金由基础养老金和个人账户养老金组成；大连市基础养老金标准未收录，本工具包不给出金额", citation=ART_21
    ),
    # before it
    "young": Because("{age} 周岁，未达到{enrol_figure}", param="enrol_param"),
    "student": Because("在校学生不参加城乡居民养老保险", param="enrol_param"),
    "enrol": Because(
        "{age} 周岁，达到{enrol_figure}，非在校学生、未参加职工养老保险，可以在户籍地参保缴费", param="enrol_param"
    ),
    "tiers": Because(
        "缴费档次：{tier_description}（最低 {tier_low}、全国设定最高 {tier_high} {tier_unit}，{tier_status}）",
        citation=ART_20,
        param="tier_param",
    ),
    "plan_short": Because(
        "已缴费 {years} 年；从现在起每年缴费，到 {claim_age} 周岁时累计 {years_at_claim} 年，"
        f"仍不足 {{min_years}} 年，到时不能按月领取（{_UNSURE}）",
        citation=ART_21,
    ),
    "plan": Because(
        "已缴费 {years} 年；从现在起每年缴费，到 {claim_age} 周岁时累计 {years_at_claim} 年，可以满足{years_figure}",
        citation=ART_21,
    ),
}


def _shown(param_id: str, on: dt.date) -> str:
    """A figure as the reasons quote it: 城乡居民养老保险领取年龄 60 周岁（…·V）."""
    param = load_parameter(param_id)
    value = param.at(on)
    return f"{param.title} {value.value} {param.unit}（{STATUS_TITLES[value.status]}·{value.status}）"


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """城乡居民养老保险 for every resident of a numbered register on ``on``."""
    enrol_age, claim_age, min_years = figure(ENROL_AGE, on), figure(CLAIM_AGE, on), figure(MIN_YEARS, on)
    n = len(residents)
    age, years = residents["age"].to_numpy(dtype=float), member_number(residents, "resident_pension_years")
    employee = member_flag(residents, "employee_pension")
    outside = ~employee & ~member_flag(residents, "hukou_dalian")
    open_ = ~employee & ~outside
    claiming = open_ & (age >= claim_age)
    paid = claiming & (years >= min_years)
    young = open_ & ~claiming & (age < enrol_age)
    student = open_ & ~claiming & ~young & (member_column(residents, "full_time_study") != "none").to_numpy(bool)
    enrol = open_ & ~claiming & ~young & ~student
    at_claim = years + claim_age - age
    pension = figure_columns(np.array([BASIC_PENSION], dtype=object), on, "pension")
    low = load_parameter(TIER_LOW)

    has_name = named(residents)
    rows = frame(
        n,
        {
            "household_id": residents["household_id"].to_numpy(),
            "member_no": residents["member_no"].to_numpy(dtype=np.int64),
            "verdict": np.where(paid | enrol, YES, NO).astype(np.int8),
            "amount": np.full(n, np.nan),
            "subject": step(n, (has_name, "subject_named"), (~has_name, "subject")),
            "stop": step(n, (employee, "employee"), (outside, "outside")),
            "age_step": step(n, (claiming, "claim_age"), (young, "young"), (student, "student"), (enrol, "enrol")),
            "years_step": step(n, (claiming & ~paid, "short"), (paid, "claim"), (enrol, "tiers")),
            "pension_step": step(n, (paid, "pension_gap" if np.isnan(pension["pension"][0]) else "pension_known")),
            "last": step(
                n,
                (paid, "no_amount"),
                (enrol & (at_claim < min_years), "plan_short"),
                (enrol & (at_claim >= min_years), "plan"),
            ),
            "age": residents["age"].to_numpy(dtype=np.int64),
            "years": years.astype(np.int64),
            "years_at_claim": at_claim.astype(np.int64),
            "claim_age": claim_age,
            "min_years": min_years,
            "enrol_figure": _shown(ENROL_AGE, on),
            "claim_figure": _shown(CLAIM_AGE, on),
            "years_figure": _shown(MIN_YEARS, on),
            "enrol_param": ENROL_AGE,
            "tier_param": TIER_LOW,
            "tier_description": low.description.strip(),
            "tier_low": figure(TIER_LOW, on),
            "tier_high": figure(TIER_HIGH, on),
            "tier_unit": low.unit,
            "tier_status": f"{STATUS_TITLES[low.at(on).status]}·{low.at(on).status}",
            **{key: values[0] for key, values in pension.items()},
        },
    )
    steps = ("subject", "stop", "age_step", "years_step", "pension_step", "last")
    return Outcome(rows=rows, steps=steps, lazy={"name": lazy_names(residents)})


evaluate = household_rule(__name__)
