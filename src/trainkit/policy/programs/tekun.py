"""特困人员救助供养: the three tests of 《社会救助暂行办法》第十四条 for the applicant, by date.

Which 《特困人员认定办法》 applies is itself a dated parameter
(``tekun-identification-version``): the 2016 version until 2021-06-30, the 2021 version
from 2021-07-01. They differ in which disability grades count as 无劳动能力. 无生活来源
compares the applicant's own countable income with the local 低保 standard in force
(the dibao series, reused) and needs the property check; the amount is the Dalian 特困
standard as stated in the notices (its own series), never 2 × 低保. Unknown figures —
a gap in either series, a date before the 低保 series starts — give 待核实.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...law import Citation
from ..decision import Decision, Reason
from ..household import Household, Member, vocabulary
from ..parameters import STATUS_TITLES, BeforeFirstDate, DatedValue, Parameter, load_parameter

__all__ = ["evaluate", "lacks_work_capacity", "rules_version"]

PROGRAM = "tekun"
TITLE = "特困人员救助供养"
AMOUNT = "每月基本生活费"  # how a decision's amount is named to the learner
DOMAIN = "social_assistance"
ITEMS = ("tekun_application",)

ART_14 = Citation(
    law="社会救助暂行办法",
    article=14,
    quote="国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人"
    "无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。",
)
ART_15 = Citation(
    law="社会救助暂行办法",
    article=15,
    quote="特困人员供养标准，由省、自治区、直辖市或者设区的市级人民政府确定、公布。",
)
ART_16 = Citation(
    law="社会救助暂行办法",
    article=16,
    quote="申请特困人员供养，由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请",
)

VERSION_SERIES = "tekun-identification-version"
OLD_AGE = 60  # 认定办法（2016、2021 两版相同）：60 周岁以上的老年人
MINOR_AGE = 16  # 未满 16 周岁的未成年人
# 无劳动能力的残疾类别与最轻的一级（一级最重），按认定办法的版本（发布年份）
DISABILITY_GRADES: dict[int, dict[str, int]] = {
    2016: {"intellectual": 2, "psychiatric": 2, "physical": 1},
    2021: {"intellectual": 3, "psychiatric": 3, "physical": 2, "visual": 1},
}
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


def rules_version(on: dt.date) -> tuple[Parameter, DatedValue, int]:
    """The 认定办法 version in force on ``on``; raises before the 2016 version."""
    series = load_parameter(VERSION_SERIES)
    value = series.at(on)
    if value.value is None:
        raise ValueError(f"{VERSION_SERIES}: {value.effective} 的版本缺失")
    year = int(value.value)
    if year not in DISABILITY_GRADES:
        raise ValueError(f"{VERSION_SERIES}: 未知版本 {year}（程序只认识 {sorted(DISABILITY_GRADES)}）")
    return series, value, year


def _scope(year: int) -> str:
    parts = [
        f"{KIND_TITLES[k]}残疾{'、'.join(GRADE_TITLES[g] for g in range(1, worst + 1))}"
        for k, worst in DISABILITY_GRADES[year].items()
    ]
    return "，".join(parts)


def lacks_work_capacity(member: Member, year: int) -> tuple[bool, str]:
    """Whether ``member`` is 无劳动能力 under the ``year`` version of the 认定办法, and why."""
    if member.age >= OLD_AGE:
        return True, f"属于无劳动能力：年满{OLD_AGE}周岁的老年人"
    if member.age < MINOR_AGE:
        return True, (
            f"属于无劳动能力：未满{MINOR_AGE}周岁的未成年人（同时符合孤儿、事实无人抚养儿童条件的，可选择相应保障）"
        )
    scope = f"{year}年版认定的残疾范围：{_scope(year)}"
    d = member.disability
    if d is None:
        return (
            False,
            f"不属于无劳动能力：{member.age}岁，未满{OLD_AGE}周岁、已满{MINOR_AGE}周岁，也没有登记残疾（{scope}）",
        )
    title = f"{KIND_TITLES[d.kind]}残疾{GRADE_TITLES[d.grade]}"
    worst = DISABILITY_GRADES[year].get(d.kind)
    if worst is not None and d.grade <= worst:
        return True, f"属于无劳动能力：{title}在{scope}之内"
    return False, (
        f"不属于无劳动能力：{title}不在{scope}之内（辽宁省规定的其他情形未收录本工具包，如有疑问请向区民政局确认）"
    )


def _own_income(member: Member, reasons: list[Reason]) -> Decimal:
    vocab = vocabulary()
    kinds = {k.id: k for k in vocab.income_kinds}
    income = Decimal(0)
    for inc in member.incomes:
        kind = kinds[inc.kind]
        if kind.counted:
            income += inc.monthly
        else:
            reasons.append(
                Reason(f"{member.label}的{kind.title} {inc.monthly} 元不计入收入", reference=vocab.income_reference)
            )
    reasons.append(Reason(f"{member.label}本人月可计收入 {income} 元", reference=vocab.income_reference))
    return income


def _dibao_standard(household: Household, on: dt.date) -> tuple[Parameter, DatedValue | None, str | None]:
    """The 低保 standard for the income test; a date before that series gives a missing text."""
    series = load_parameter(
        "dibao-rural-standard-dalian" if household.rural_standard else "dibao-urban-standard-dalian"
    )
    try:
        value = series.at(on)
    except BeforeFirstDate:
        return (
            series,
            None,
            (
                f"{series.title}在本工具包中从 {series.values[0].effective} 起收录，{on} 的标准未收录，"
                "无法判断“无生活来源”。请向区民政局社会救助科核实当时的低保标准。"
            ),
        )
    return series, value, value.missing


def _figure(series: Parameter, value: DatedValue) -> str:
    return (
        f"{series.title}：{value.value} {series.unit}"
        f"（{value.effective} 起执行，{STATUS_TITLES[value.status]}·{value.status}）"
    )


def evaluate(household: Household, on: dt.date) -> Decision:
    """Decide 特困人员救助供养 for the applicant on ``on``; raises before the 2016 认定办法."""
    _, version, year = rules_version(on)
    ref = version.reference
    person = household.applicant
    reasons: list[Reason] = [
        Reason(
            f"{on} 适用{year}年版《特困人员认定办法》（{version.effective} 起，"
            f"{STATUS_TITLES[version.status]}·{version.status}）；判断对象：{person.label}",
            reference=ref,
        )
    ]

    # 1 无劳动能力 and 3 无法定义务人或义务人无能力: need no local figure
    capable_ok, why = lacks_work_capacity(person, year)
    reasons.append(Reason(why, reference=ref))
    supporters_ok = person.supporters in ("none", "unable")
    reasons.append(
        Reason(
            {
                "none": "没有法定赡养、抚养、扶养义务人，符合条件",
                "unable": "法定赡养、抚养、扶养义务人无履行能力，符合条件",
                "able": "有具备赡养、抚养、扶养能力的法定义务人，不符合条件",
            }[person.supporters],
            citation=ART_14,
        )
    )
    if not (capable_ok and supporters_ok):
        reasons.append(Reason("第十四条的条件须同时具备，有一项不符合即不能认定为特困人员", citation=ART_14))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))

    # 2 无生活来源: own income below the 低保 standard, and property within the local rule
    income = _own_income(person, reasons)
    dibao_series, dibao, dibao_missing = _dibao_standard(household, on)
    if dibao is None or dibao.value is None:
        if household.property_check == "failed":
            reasons.append(Reason("财产状况不符合当地特困人员财产规定，不属于无生活来源", citation=ART_14))
            return Decision(PROGRAM, on, False, reasons=tuple(reasons))
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=(dibao_missing,))
    reasons.append(Reason(_figure(dibao_series, dibao), reference=dibao.reference))
    if income >= dibao.value:
        reasons.append(
            Reason(f"月可计收入 {income} 元不低于低保标准 {dibao.value} 元，不属于无生活来源", citation=ART_14)
        )
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    reasons.append(Reason(f"月可计收入 {income} 元低于低保标准 {dibao.value} 元，收入符合“无生活来源”", reference=ref))
    if household.property_check == "failed":
        reasons.append(Reason("财产状况不符合当地特困人员财产规定，不属于无生活来源", citation=ART_14))
        return Decision(PROGRAM, on, False, reasons=tuple(reasons))
    if household.property_check == "unknown":
        return Decision(
            PROGRAM,
            on,
            None,
            reasons=tuple(reasons),
            missing=(
                "财产状况尚未核查：大连市特困人员财产状况规定未收录本工具包，"
                "请按街道社会救助窗口的现行规定核查后再判断",
            ),
        )
    reasons.append(
        Reason("财产已核查符合规定；无劳动能力、无生活来源、无法定义务人（或义务人无能力）三项均符合", citation=ART_14)
    )

    # amount: the stated Dalian 特困 standard
    series = load_parameter(
        "tekun-rural-standard-dalian" if household.rural_standard else "tekun-urban-standard-dalian"
    )
    standard = series.at(on)
    if standard.value is None:
        return Decision(PROGRAM, on, None, reasons=tuple(reasons), missing=(standard.missing,))
    reasons.append(
        Reason(f"{_figure(series, standard)}（按公布的数值，不按低保标准推算）", reference=standard.reference)
    )
    reasons.append(Reason(f"每月基本生活费 {standard.value} 元（照料护理费另按当地标准，未收录）", citation=ART_15))
    reasons.append(Reason("由本人向户籍所在地街道办事处书面申请，申请有困难的可委托居委会代为提出", citation=ART_16))
    return Decision(PROGRAM, on, True, amount=standard.value, period="month", reasons=tuple(reasons))
