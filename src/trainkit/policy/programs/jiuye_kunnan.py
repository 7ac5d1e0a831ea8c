"""就业困难人员认定: does the applicant look like one, and what must the window confirm?

《就业促进法》第五十二条 defines 就业困难人员 and leaves the exact categories to each
province. Liaoning's (Dalian's) list is not in the kit (a gap series), so the rule can
only say 待核实 or 不符合:

- retired, or employed by an employer → 不符合 (not "难以实现就业");
- matches a commonly listed category (4050人员, 残疾人, 低保家庭成员, 零就业家庭成员,
  连续失业一年以上, 失地农民, 刑满释放或解除强制隔离戒毒) → 待核实, naming what to confirm;
- registered unemployed but in no common category → 待核实 too (the local list and its
  "一定时间" may differ);
- not unemployed and in no common category → 不符合.

The age and month thresholds are dated series (status S); the category labels are the
kit's, each tagged with the same secondary source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household, Member
from ..parameters import STATUS_TITLES, DatedValue, Parameter, Reference, load_parameter

__all__ = ["Category", "categories", "evaluate"]

PROGRAM = "jiuye_kunnan"
TITLE = "就业困难人员认定"
DOMAIN = "employment"
ITEMS = ("employment_difficulty_recognition",)

ART_52 = Citation(
    law="就业促进法",
    article=52,
    quote="就业困难人员是指因身体状况、技能水平、家庭因素、失去土地等原因难以实现就业，"
    "以及连续失业一定时间仍未能实现就业的人员。",
)
ART_52_SCOPE = Citation(
    law="就业促进法",
    article=52,
    quote="就业困难人员的具体范围，由省、自治区、直辖市人民政府根据本行政区域的实际情况规定。",
)
ART_56 = Citation(
    law="就业促进法",
    article=56,
    quote="法定劳动年龄内的家庭人员均处于失业状况的城市居民家庭，可以向住所地街道、社区公共就业服务机构申请就业援助。",
)

LOCAL_LIST = "jiuye-kunnan-list-liaoning"
FEMALE_AGE = "jiuye-kunnan-4050-female-age"
MALE_AGE = "jiuye-kunnan-4050-male-age"
LONG_UNEMPLOYED = "jiuye-kunnan-long-unemployment-months"

COMMON_LIST = Reference(
    title="地方就业困难人员认定范围解读（非官方转载页）",
    href="http://www.eduyt.com/jiuyeshichang/88213.html",
    status="S",
)
WINDOW = "区人力资源和社会保障局或街道劳动保障窗口"
EMPLOYMENT_TITLES = {
    "employed": "在用人单位就业",
    "flexible": "灵活就业",
    "unemployed": "失业",
    "retired": "已退休",
    "none": "未就业、未登记失业",
}


@dataclass(frozen=True)
class Category:
    """A commonly listed category the applicant matches, and what to confirm about it."""

    id: str
    title: str
    why: str
    confirm: str = ""
    citation: Citation | None = None


def _figure(param: Parameter, value: DatedValue) -> str:
    return f"{param.title} {value.value} {param.unit}（{STATUS_TITLES[value.status]}·{value.status}）"


def _lookup(param_id: str, on: dt.date) -> tuple[Parameter, DatedValue]:
    param = load_parameter(param_id)
    return param, param.at(on)


def _four_fifty(member: Member, on: dt.date) -> Category | None:
    fp, female = _lookup(FEMALE_AGE, on)
    mp, male = _lookup(MALE_AGE, on)
    retire = "是否未达法定退休年龄（2025 年起渐进式延迟退休，本工具包未收录逐月对照表）"
    if member.sex == "female" and member.age >= female.value:
        return Category("4050", "4050人员", f"女性 {member.age} 周岁，达到{_figure(fp, female)}", retire)
    if member.sex == "male" and member.age >= male.value:
        return Category("4050", "4050人员", f"男性 {member.age} 周岁，达到{_figure(mp, male)}", retire)
    if member.sex is None and member.age >= max(female.value, male.value):
        return Category("4050", "4050人员", f"{member.age} 周岁，不论性别都达到4050人员的年龄", retire)
    if member.sex is None and member.age >= min(female.value, male.value):
        return Category(
            "4050",
            "4050人员（性别未登记）",
            f"{member.age} 周岁；女性满 {female.value}、男性满 {male.value} 周岁属常见的4050人员",
            "本人性别（请补登 sex），以及" + retire,
        )
    return None


def _zero_employment(household: Household, member: Member) -> bool:
    if member.employment != "unemployed":
        return False
    return not any(m.employment in ("employed", "flexible") for m in household.members)


def categories(household: Household, member: Member, on: dt.date) -> tuple[Category, ...]:
    """The common categories ``member`` matches on ``on`` (thresholds from the dated series)."""
    found: list[Category] = []
    if (c := _four_fifty(member, on)) is not None:
        found.append(c)
    if member.disability is not None:
        found.append(Category("disabled", "残疾人", f"持残疾人证（{member.disability.grade}级）"))
    if "dibao" in household.receives:
        found.append(Category("dibao", "低保家庭成员", "家庭正在享受最低生活保障"))
    if _zero_employment(household, member):
        found.append(
            Category(
                "zero_employment",
                "零就业家庭成员",
                "本人失业，家庭成员中没有人就业或灵活就业",
                "家庭中法定劳动年龄内的成员是否均处于失业状态",
                citation=ART_56,
            )
        )
    lp, months = _lookup(LONG_UNEMPLOYED, on)
    if member.employment == "unemployed" and member.registered_unemployed_months >= months.value:
        found.append(
            Category(
                "long_unemployed",
                "连续失业一年以上",
                f"连续登记失业 {member.registered_unemployed_months} 个月，达到{_figure(lp, months)}",
                "失业登记记录是否连续",
            )
        )
    if member.landless_farmer:
        found.append(Category("landless", "失地农民", "登记为失地农民"))
    if member.released_from_custody:
        found.append(Category("released", "刑满释放或解除强制隔离戒毒人员", "登记为刑满释放或解除强制隔离戒毒"))
    return tuple(found)


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide for the applicant on ``on``; raises before 2008-01-01 (the law's first day)."""
    member = household.applicant
    local_param, local = _lookup(LOCAL_LIST, on)
    status = EMPLOYMENT_TITLES[member.employment]
    reasons = [Reason(f"判断对象：{member.label}，就业状态：{status}", citation=ART_52)]

    if member.employment == "retired":
        reasons.append(Reason("已退休，不属于“难以实现就业”的就业援助对象", citation=ART_52))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if member.employment == "employed":
        reasons.append(Reason("已在用人单位就业，不属于“难以实现就业”的人员", citation=ART_52))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    found = categories(household, member, on)
    for c in found:
        reasons.append(Reason(f"符合常见类别「{c.title}」：{c.why}", citation=c.citation, reference=COMMON_LIST))
    lp, months = _lookup(LONG_UNEMPLOYED, on)
    if member.employment == "unemployed" and member.registered_unemployed_months < months.value:
        reasons.append(
            Reason(
                f"连续登记失业 {member.registered_unemployed_months} 个月，未达到{_figure(lp, months)}",
                reference=COMMON_LIST,
            )
        )

    local_gap = local.missing if local.value is None else f"{local_param.title}（请核实）"
    if found:
        titles = "、".join(c.title for c in found)
        reasons.append(
            Reason(
                f"{local_param.title}未收录（{STATUS_TITLES[local.status]}·{local.status}），"
                f"按常见类别「{titles}」只能判断为待核实，不能直接认定",
                citation=ART_52_SCOPE,
            )
        )
        missing = [local_gap, f"请到{WINDOW}核实「{titles}」是否列入本地目录及认定条件"]
        missing += [f"「{c.title}」：请核实{c.confirm}" for c in found if c.confirm]
        if member.employment != "unemployed":
            missing.append(f"本人目前不是失业状态（{status}）：请核实本地认定是否要求先办理失业登记")
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=tuple(missing))

    if member.employment == "unemployed":
        reasons.append(
            Reason(
                "不符合本工具包收录的任何常见类别，但本人处于失业状态；本地目录和“连续失业一定时间”的口径未收录，"
                "不能据常见类别作出否定结论",
                citation=ART_52_SCOPE,
            )
        )
        return Decision(
            PROGRAM,
            on,
            None,
            reasons=tuple(reasons),
            missing=(
                local_gap,
                f"请到{WINDOW}核实本地目录是否另有适用类别，以及连续失业多长时间可以认定",
            ),
        )

    reasons.append(
        Reason(
            f"本人未处于失业状态（{status}），也不符合任何常见类别，不属于就业困难人员",
            citation=ART_52,
        )
    )
    return Decision(PROGRAM, on, False, reasons=tuple(reasons))
