"""计划生育家庭特别扶助 (独生子女伤残、死亡家庭): the conditions and the national minimum by date.

Conditions (research §2.5, Hebei report, V): the woman is 49 or older; the couple had or
adopted only one child; that child died, or has a disability of grade 1–3; no child born or
adopted since; the 独生子女父母光荣证 is held (U as a current national condition — a
household without one on record is 待核实, never refused on an unverified condition).
Every condition is reported, then the amount: the national minimum per spouse per month,
from four dated series (伤残/死亡 × 城镇/农村). The dates of the raises between 2014 and
2022-07 are unknown, so that span is a gap and gives 待核实. Local top-ups (Liaoning,
Dalian) were not found.
"""

from __future__ import annotations

import datetime as dt

from ...law import Citation
from ..decision import Decision, Reason
from ..household import FamilyPlanning, Household, Member
from ..parameters import STATUS_TITLES, Parameter, Reference, load_parameter

__all__ = ["evaluate", "series_for", "spouses"]

PROGRAM = "jisheng_tefu"
TITLE = "计划生育家庭特别扶助"
AMOUNT = "每月特别扶助金"  # how a decision's amount is named to the learner
DOMAIN = "shidu_care"
ITEMS = ("special_support_claim",)

ART_33 = Citation(law="老年人权益保障法", article=33, quote="国家建立和完善计划生育家庭老年人扶助制度。")
CONDITIONS = Reference(
    title="计划生育家庭特别扶助制度的扶助对象条件（河北省新闻报道）",
    href="http://www.hebjxw.com/mShowInfo_News.asp?id=8987",
    status="V",
)
CERTIFICATE = Reference(
    title="持有《独生子女父母光荣证》作为现行全国条件未核实（以区卫生健康局的规定为准）",
    status="U",
)
WOMAN_AGE = 49
WORST_GRADE = 3  # 子女残疾等级为三级以上（一、二、三级）
SERIES = {
    ("disabled", False): "tefu-disability-urban-national",
    ("disabled", True): "tefu-disability-rural-national",
    ("died", False): "tefu-bereaved-urban-national",
    ("died", True): "tefu-bereaved-rural-national",
}
GRADE_TITLES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _plan(household: Household) -> FamilyPlanning:
    if household.family_planning is None:
        raise ValueError("family_planning: 没有登记计划生育家庭情况（only_child、child_outcome 等），无法判断特别扶助")
    return household.family_planning


def spouses(household: Household) -> tuple[Member, ...]:
    """The couple as registered: the applicant and the spouse."""
    return tuple(m for m in household.members if m.relation in ("applicant", "spouse"))


def series_for(household: Household) -> Parameter:
    """The national minimum series for this family (伤残 or 死亡, 城镇 or 农村)."""
    plan = _plan(household)
    outcome = "died" if plan.child_outcome == "died" else "disabled"
    return load_parameter(SERIES[(outcome, household.rural_standard)])


def _woman(household: Household) -> Member | None:
    couple = spouses(household)
    women = [m for m in couple if m.sex == "female"]
    if women:
        return women[0]
    if any(m.sex is None for m in couple):
        raise ValueError("members: 请填写申请人和配偶的 sex（female/male）：女方年龄是特别扶助的条件")
    return None


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide 计划生育家庭特别扶助 on ``on``; raises before 2014-01-01."""
    plan = _plan(household)
    series = series_for(household)
    standard = series.at(on)  # raises before the first national figure in the kit
    reasons: list[Reason] = [
        Reason("国家建立计划生育家庭老年人扶助制度；特别扶助金按全国最低标准判断", citation=ART_33)
    ]
    failed = False

    woman = _woman(household)
    missing: list[str] = []
    if woman is None:
        missing.append("本户没有登记女方（如女方已去世，年龄条件如何适用请向区卫生健康局核实）")
    elif woman.age >= WOMAN_AGE:
        reasons.append(Reason(f"女方 {woman.age} 周岁，已满{WOMAN_AGE}周岁，符合年龄条件", reference=CONDITIONS))
    else:
        reasons.append(Reason(f"女方 {woman.age} 周岁，未满{WOMAN_AGE}周岁，不符合年龄条件", reference=CONDITIONS))
        failed = True

    if plan.only_child:
        reasons.append(Reason("夫妻只生育或合法收养一个子女，符合条件", reference=CONDITIONS))
    else:
        reasons.append(Reason("夫妻不是只生育或合法收养一个子女，不符合条件", reference=CONDITIONS))
        failed = True

    if plan.child_outcome == "died":
        reasons.append(Reason("独生子女死亡（失独家庭），符合条件", reference=CONDITIONS))
    elif plan.child_outcome == "disabled":
        grade = plan.child_disability_grade
        if grade is None:
            raise ValueError("family_planning.child_disability_grade: 子女伤残时请填写残疾等级（1–4 级，一级最重）")
        if grade <= WORST_GRADE:
            reasons.append(Reason(f"独生子女残疾{GRADE_TITLES[grade]}（三级以上），符合条件", reference=CONDITIONS))
        else:
            reasons.append(
                Reason(f"独生子女残疾{GRADE_TITLES[grade]}，不在一至三级之内，不符合条件", reference=CONDITIONS)
            )
            failed = True
    else:
        reasons.append(Reason("独生子女健在且未登记三级以上残疾，不属于特别扶助对象", reference=CONDITIONS))
        failed = True

    if plan.later_child:
        reasons.append(Reason("此后又生育或合法收养了子女，不符合条件", reference=CONDITIONS))
        failed = True
    else:
        reasons.append(Reason("此后没有再生育或收养子女，符合条件", reference=CONDITIONS))

    if plan.certificate:
        reasons.append(
            Reason(f"持有《独生子女父母光荣证》（此条件状态：{STATUS_TITLES['U']}·U）", reference=CERTIFICATE)
        )
    else:
        reasons.append(
            Reason(
                f"未登记持有《独生子女父母光荣证》；此条件作为现行全国条件{STATUS_TITLES['U']}（U），不作为否定的理由",
                reference=CERTIFICATE,
            )
        )
        missing.append("未登记《独生子女父母光荣证》：请核实本户是否持证，并向区卫生健康局确认持证是否仍是条件")

    if failed:
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if standard.value is None:
        missing.append(standard.missing)
    if missing:
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=tuple(missing))

    couple = spouses(household)
    total = standard.value * len(couple)
    reasons.append(
        Reason(
            f"{series.title}：{standard.value} {series.unit}（{standard.effective} 起执行，"
            f"{STATUS_TITLES[standard.status]}·{standard.status}）；"
            f"城镇、农村按本户是否执行农村标准（rural_standard）区分，本户按{'农村' if household.rural_standard else '城镇'}",
            reference=standard.reference,
        )
    )
    reasons.append(
        Reason(
            f"金额按人计：夫妻双方每人每月 {standard.value} 元；本户登记夫妻 {len(couple)} 人，合计每月 {total} 元。"
            "这是全国最低标准，辽宁省、大连市的加发标准未找到，请向区卫生健康局确认",
            reference=CONDITIONS,
        )
    )
    return Decision(PROGRAM, on, True, amount=standard.value, period="month", reasons=tuple(reasons))
