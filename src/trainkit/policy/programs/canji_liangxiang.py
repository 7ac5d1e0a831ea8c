"""残疾人两项补贴 (国发〔2015〕52号): who qualifies for 生活补贴 and 护理补贴.

- 困难残疾人生活补贴: a disabled person (残疾人证 holder) in a 低保 household.
- 重度残疾人护理补贴: a holder of the second-generation 残疾人证 graded 一级 or 二级.
  Extending it to non-severe (三、四级) intellectual or psychiatric disability is a local
  choice (U for Dalian) → 待核实 when that is the only route.

Who qualifies is decided (符合/不符合); how much is not: Dalian's amounts are not in the
kit (gap series), so the amount is always ``None`` and ``missing`` says where to confirm
it. A Shanghai figure appears only as a labelled example, never as the amount.
"""

from __future__ import annotations

import datetime as dt

from ..decision import Decision, Reason
from ..household import Household, Member
from ..parameters import Parameter, Reference, load_parameter

__all__ = ["evaluate", "qualifies"]

PROGRAM = "canji_liangxiang"
TITLE = "残疾人两项补贴"
# casebank/framework.yaml has no item for the two disability subsidies; the closest is the
# 低保 application (生活补贴 follows from 低保 status, both are taken at the 街道 window).
DOMAIN = "social_assistance"
ITEMS = ("disability_subsidies",)

LIVING = "canji-shenghuo-butie-dalian"
CARE = {1: "canji-huli-butie-grade1-dalian", 2: "canji-huli-butie-grade2-dalian"}
SEVERE_GRADES = (1, 2)
EXTENSION_KINDS = ("intellectual", "psychiatric")
KIND_TITLES = {
    "physical": "肢体",
    "intellectual": "智力",
    "psychiatric": "精神",
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "multiple": "多重",
}
GRADE_TITLES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

SCHEME = Reference(
    title="《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）政策解读（湖南省民政部门网站）",
    href="https://gx-cm.com/mzj/zwgk_167/fdxxgknr/zcwj/zcjd/202111/t20211109_1840347",
    status="S",
)
SHANGHAI = Reference(
    title="上海市困难残疾人生活补贴和重度残疾人护理补贴标准（2021 年，上海市发展和改革委员会）",
    href="https://fgw.sh.gov.cn/rysf/20201230/a282da23ed644794b23d4017d60c16b4.html",
    status="V",
)
SHANGHAI_EXAMPLE = Reason(
    "示例：上海 2021 年生活补贴每月 410 元（低保家庭）/ 290 元（低收入家庭），护理补贴每月 300 元（一级）/ "
    "150 元（二级及三级智力、精神残疾），非大连标准，不能用于计算大连的补贴",
    reference=SHANGHAI,
)
WINDOW = "区残联或街道残联专职委员"


def qualifies(household: Household, member: Member) -> dict[str, bool | None]:
    """``{"living": …, "care": …}``: True qualifies, False does not, None is a local extension."""
    d = member.disability
    if d is None:
        return {"living": False, "care": False}
    living = "dibao" in household.receives
    if d.grade in SEVERE_GRADES:
        care: bool | None = True
    elif d.kind in EXTENSION_KINDS:
        care = None
    else:
        care = False
    return {"living": living, "care": care}


def _gap(param: Parameter, on: dt.date) -> str:
    value = param.at(on)
    return value.missing if value.value is None else f"{param.title}：{value.value} {param.unit}"


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide for the applicant on ``on``; raises before 2016-01-01 (the scheme's first day)."""
    member = household.applicant
    living_p = load_parameter(LIVING)
    living_gap = _gap(living_p, on)
    d = member.disability
    if d is None:
        return Decision(
            PROGRAM,
            on,
            False,
            reasons=(Reason(f"{member.label}未登记残疾人证，两项补贴都以持有残疾人证为前提", reference=SCHEME),),
        )
    ok = qualifies(household, member)
    card = f"{KIND_TITLES[d.kind]}残疾{GRADE_TITLES[d.grade]}"
    reasons = [Reason(f"{member.label}持残疾人证：{card}（按第二代残疾人证登记的等级判断）", reference=SCHEME)]
    missing: list[str] = []

    if ok["living"]:
        reasons.append(
            Reason("家庭正在享受低保，本人属于低保家庭中的残疾人，符合困难残疾人生活补贴条件", reference=SCHEME)
        )
        missing.append(living_gap)
    else:
        reasons.append(
            Reason(
                "家庭未享受低保，不符合困难残疾人生活补贴条件（有的地方扩大到低收入家庭，大连是否扩大未核实）",
                reference=SCHEME,
            )
        )

    if ok["care"] is True:
        reasons.append(
            Reason(f"残疾等级为{GRADE_TITLES[d.grade]}，属于重度残疾，符合重度残疾人护理补贴条件", reference=SCHEME)
        )
        missing.append(_gap(load_parameter(CARE[d.grade]), on))
    elif ok["care"] is None:
        reasons.append(
            Reason(
                f"{card}不属于一至二级重度残疾；护理补贴可由地方扩大到非重度智力、精神残疾人，大连是否扩大未核实",
                reference=SCHEME,
            )
        )
    else:
        reasons.append(Reason(f"{card}不属于一至二级重度残疾，不符合重度残疾人护理补贴条件", reference=SCHEME))

    reasons.append(SHANGHAI_EXAMPLE)
    if ok["living"] or ok["care"] is True:
        reasons.append(Reason("补贴金额：大连市标准未收录，结论只说明符合哪一项，金额待核实", reference=SCHEME))
        if ok["care"] is None:
            missing.append(f"非重度智力、精神残疾人能否享受护理补贴：请向{WINDOW}核实大连是否扩大范围")
        return Decision(PROGRAM, on, True, reasons=tuple(reasons), missing=tuple(missing))
    if ok["care"] is None:
        return Decision(
            PROGRAM,
            on,
            None,
            reasons=tuple(reasons),
            missing=(
                f"非重度智力、精神残疾人能否享受护理补贴：请向{WINDOW}核实大连是否将护理补贴扩大到本人的类别和等级，"
                "以及适用的补贴标准",
            ),
        )
    return Decision(PROGRAM, on, False, reasons=tuple(reasons))
