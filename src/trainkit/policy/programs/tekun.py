"""特困人员救助供养: the three tests of 《社会救助暂行办法》第十四条 for each person, by date.

Which 《特困人员认定办法》 applies is itself a dated parameter
(``tekun-identification-version``): the 2016 version until 2021-06-30, the 2021 version
from 2021-07-01 (:data:`VERSIONS`). They differ in which disability grades count as
无劳动能力. 无生活来源 compares the person's own countable income with the local 低保
standard in force (the dibao series, reused) and needs the property check; the amount is the
Dalian 特困 standard as stated in the notices (its own series), never 2 × 低保. Unknown
figures — a gap in either series, a date before the 低保 series starts — give 待核实.
One row per resident, each decided as if they applied (the household's 城乡 standard and
property check shared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import PROPERTY, at_home, counted_income, first_true, member_column, position_in, truthy
from ..frames import frames_of
from ..household import Household, Member, vocabulary
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from ..parameters import STATUS_TITLES, DatedValue, Parameter, load_parameter
from . import household_rule
from ._person import GRADE_TITLES, KIND_TITLES, cards, constant, figure_table, lazy_labels, spread, step, texts

__all__ = ["VERSIONS", "Version", "decide", "evaluate", "lacks_work_capacity", "rules_version"]

PROGRAM = "tekun"
TITLE = "特困人员救助供养"
AMOUNT = "每月基本生活费"  # how a decision's amount is named to the learner
PERIOD = "month"
PER = "person"  # one decision per resident; receipt recorded on the person
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
DIBAO = {False: "dibao-urban-standard-dalian", True: "dibao-rural-standard-dalian"}
STANDARD = {False: "tekun-urban-standard-dalian", True: "tekun-rural-standard-dalian"}
OLD_AGE = 60  # 认定办法（2016、2021 两版相同）：60 周岁以上的老年人
MINOR_AGE = 16  # 未满 16 周岁的未成年人


@dataclass(frozen=True)
class Version:
    """One 《特困人员认定办法》: the disability kinds that count as 无劳动能力 and the lightest
    grade of each (一级 is the most severe)."""

    year: int
    grades: dict[str, int]

    @property
    def scope(self) -> str:
        """How a reason names this version's disability scope."""
        parts = [
            f"{KIND_TITLES[k]}残疾{'、'.join(GRADE_TITLES[g] for g in range(1, worst + 1))}"
            for k, worst in self.grades.items()
        ]
        return f"{self.year}年版认定的残疾范围：{'，'.join(parts)}"


VERSIONS = {
    2016: Version(2016, {"intellectual": 2, "psychiatric": 2, "physical": 1}),
    2021: Version(2021, {"intellectual": 3, "psychiatric": 3, "physical": 2, "visual": 1}),
}

_REF = {"param": "version_param"}  # the reference of the 认定办法 version in force
_INCOME = vocabulary().income_reference
_UNCOUNTED = tuple(k for k in vocabulary().income_kinds if not k.counted)
_OTHER = "（辽宁省规定的其他情形未收录本工具包，如有疑问请向区民政局确认）"

REASONS = {
    "version": Because(
        "{on} 适用{year}年版《特困人员认定办法》（{version_since} 起，{version_status}）；判断对象：{label}", **_REF
    ),
    "version_missing": Because("{version_param}: {version_since} 的版本缺失"),
    "version_unknown": Because(f"{{version_param}}: 未知版本 {{year}}（程序只认识 {sorted(VERSIONS)}）"),
    # 1 无劳动能力
    "old": Because(f"属于无劳动能力：年满{OLD_AGE}周岁的老年人", **_REF),
    "minor": Because(
        f"属于无劳动能力：未满{MINOR_AGE}周岁的未成年人（同时符合孤儿、事实无人抚养儿童条件的，可选择相应保障）", **_REF
    ),
    "no_disability": Because(
        f"不属于无劳动能力：{{age}}岁，未满{OLD_AGE}周岁、已满{MINOR_AGE}周岁，也没有登记残疾（{{scope}}）", **_REF
    ),
    "disabled_in": Because("属于无劳动能力：{card}在{scope}之内", **_REF),
    "disabled_out": Because("不属于无劳动能力：{card}不在{scope}之内" + _OTHER, **_REF),
    # 3 无法定义务人或义务人无能力
    "none": Because("没有法定赡养、抚养、扶养义务人，符合条件", citation=ART_14),
    "unable": Because("法定赡养、抚养、扶养义务人无履行能力，符合条件", citation=ART_14),
    "able": Because("有具备赡养、抚养、扶养能力的法定义务人，不符合条件", citation=ART_14),
    "not_both": Because("第十四条的条件须同时具备，有一项不符合即不能认定为特困人员", citation=ART_14),
    # 2 无生活来源
    **{
        f"uncounted_{k.id}": Because(f"{{label}}的{k.title} {{income_{k.id}}} 元不计入收入", reference=_INCOME)
        for k in _UNCOUNTED
    },
    "own_income": Because("{label}本人月可计收入 {income} 元", reference=_INCOME),
    "dibao": Because(
        "{dibao_title}：{dibao} {dibao_unit}（{dibao_since} 起执行，{dibao_status}）", param="dibao_param"
    ),
    "dibao_unknown": Because("{dibao_missing}", missing=True),
    "property_failed_anyway": Because("财产状况不符合当地特困人员财产规定，不属于无生活来源", citation=ART_14),
    "over": Because("月可计收入 {income} 元不低于低保标准 {dibao} 元，不属于无生活来源", citation=ART_14),
    "under": Because("月可计收入 {income} 元低于低保标准 {dibao} 元，收入符合“无生活来源”", **_REF),
    "property_failed": Because("财产状况不符合当地特困人员财产规定，不属于无生活来源", citation=ART_14),
    "property_unchecked": Because(
        "财产状况尚未核查：大连市特困人员财产状况规定未收录本工具包，请按街道社会救助窗口的现行规定核查后再判断",
        missing=True,
    ),
    "property_passed": Because(
        "财产已核查符合规定；无劳动能力、无生活来源、无法定义务人（或义务人无能力）三项均符合", citation=ART_14
    ),
    # the amount: the stated Dalian 特困 standard
    "standard": Because(
        "{standard_title}：{standard} {standard_unit}（{standard_since} 起执行，{standard_status}）"
        "（按公布的数值，不按低保标准推算）",
        param="standard_param",
    ),
    "standard_unknown": Because("{standard_missing}", missing=True),
    "apply": Because("由本人向户籍所在地街道办事处书面申请，申请有困难的可委托居委会代为提出", citation=ART_16),
    "paid": Because("每月基本生活费 {standard} 元（照料护理费另按当地标准，未收录）", citation=ART_15),
}
CAPACITY = ("old", "minor", "no_disability", "disabled_in", "disabled_out")  # 无劳动能力 codes, in the order tested
STEPS = (
    "version_step",
    "capacity",
    "supporters_step",
    "joint",
    *(f"uncounted_{k.id}" for k in _UNCOUNTED),
    "income_step",
    "dibao_step",
    "threshold",
    "property_step",
    "standard_step",
    "apply_step",
    "paid_step",
)


def rules_version(on: dt.date) -> tuple[Parameter, DatedValue, int]:
    """The 认定办法 version in force on ``on``; raises before the 2016 version."""
    series = load_parameter(VERSION_SERIES)
    value = series.at(on)
    if value.value is None:
        raise ValueError(
            REASONS["version_missing"].text.format(version_param=VERSION_SERIES, version_since=value.since)
        )
    year = int(value.value)
    if year not in VERSIONS:
        raise ValueError(REASONS["version_unknown"].text.format(version_param=VERSION_SERIES, year=year))
    return series, value, year


def _capacity(residents: pd.DataFrame, version: Version) -> tuple[np.ndarray, np.ndarray]:
    """Each resident's 无劳动能力 reason code (its position in ``CAPACITY``), and the title of
    their disability card."""
    age = residents["age"].to_numpy()
    disabled, kind, grade, card = cards(residents)
    lightest = np.array([version.grades.get(k, 0) for k in KIND_TITLES])[np.maximum(kind, 0)]
    code = first_true([age >= OLD_AGE, age < MINOR_AGE, ~disabled, grade <= lightest], default=4)
    return code, card


def lacks_work_capacity(member: Member, year: int) -> tuple[bool, str]:
    """Whether ``member`` is 无劳动能力 under the ``year`` version of the 认定办法, and why."""
    version = VERSIONS[year]
    residents = frames_of(Household(members=(member.model_copy(update={"relation": "applicant"}),)))[1]
    number, card = _capacity(residents, version)
    code = CAPACITY[int(number[0])]
    why = REASONS[code].text.format(age=member.age, card=card[0], scope=version.scope)
    return code in ("old", "minor", "disabled_in"), why


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """特困 for every resident of a numbered register on ``on``, each as the applicant."""
    n = len(residents)
    series = load_parameter(VERSION_SERIES)
    in_force = series.at(on)  # raises before the 2016 认定办法
    year = None if in_force.value is None else int(in_force.value)
    version = VERSIONS.get(year) if year is not None else None
    common = {
        "household_id": residents["household_id"].to_numpy(),
        "member_no": residents["member_no"].to_numpy(dtype=np.int64),
        "amount": np.full(n, np.nan),
        "version_param": constant(n, VERSION_SERIES),
        "version_since": constant(n, in_force.since),
        "year": np.full(n, -1 if year is None else year, dtype=np.int64),
    }
    if version is None:  # the rule does not apply to anyone on this date
        rows = {
            **common,
            "verdict": np.full(n, NOT_APPLIES, dtype=np.int8),
            "version_step": step(n, (np.ones(n, dtype=bool), "version_missing" if year is None else "version_unknown")),
        }
        return Outcome(rows=rows, steps=("version_step",))

    rural = at_home(households, residents, truthy(households["rural_standard"]))
    # 财产核查 as passed 0 / failed 1 / unknown 2 (a blank is unknown), spread to the residents
    prop = at_home(households, residents, position_in(households["property_check"], PROPERTY, blank=2))
    capacity, card = _capacity(residents, version)
    capable = np.isin(capacity, [CAPACITY.index(c) for c in ("old", "minor", "disabled_in")])
    supporters = position_in(member_column(residents, "supporters"), ["none", "unable"])
    supported = supporters >= 0
    tested = capable & supported

    income = counted_income(residents)
    table = figure_table([DIBAO[False], DIBAO[True]], on, "dibao", before_first_is_gap=True)
    before = _before_dibao(on)  # the rule's own words for a date before a 低保 series
    table["dibao_missing"] = np.where(before != "", before, table["dibao_missing"])
    dibao = spread(table, rural.astype(int))
    line = dibao["dibao"]
    known = ~np.isnan(line)
    failed, unknown = prop == 1, prop == 2
    over = tested & known & (income >= line)
    under = tested & known & ~over
    reached = under & ~failed & ~unknown  # the three tests met: the amount is looked up
    standard = spread(
        figure_table([STANDARD[False], STANDARD[True]], on, "standard", before_first_is_gap=True), rural.astype(int)
    )
    paid = reached & ~np.isnan(standard["standard"])

    eligible = np.full(n, PENDING, dtype=np.int8)
    eligible[~tested | over | (tested & failed)] = NO
    eligible[paid] = YES
    amount = np.where(paid, np.round(standard["standard"], 2), np.nan)

    everyone = np.ones(n, dtype=bool)
    kept = {f"income_{k.id}": _blank_zero(residents[f"income_{k.id}"]) for k in _UNCOUNTED}
    uncounted = {
        f"uncounted_{k.id}": step(n, (tested & (kept[f"income_{k.id}"] > 0), f"uncounted_{k.id}")) for k in _UNCOUNTED
    }
    rows = {
        **common,
        "verdict": eligible,
        "amount": amount,
        "version_step": step(n, (everyone, "version")),
        "capacity": texts(capacity, list(CAPACITY)),
        "supporters_step": step(n, (everyone, "able"), (supporters == 0, "none"), (supporters == 1, "unable")),
        "joint": step(n, (~tested, "not_both")),
        **uncounted,
        "income_step": step(n, (tested, "own_income")),
        "dibao_step": step(
            n,
            (tested & known, "dibao"),
            (tested & ~known & failed, "property_failed_anyway"),
            (tested & ~known & ~failed, "dibao_unknown"),
        ),
        "threshold": step(n, (over, "over"), (under, "under")),
        "property_step": step(
            n,
            (under & failed, "property_failed"),
            (under & unknown, "property_unchecked"),
            (reached, "property_passed"),
        ),
        "standard_step": step(n, (paid, "standard"), (reached & ~paid, "standard_unknown")),
        "apply_step": step(n, (paid, "apply")),
        "paid_step": step(n, (paid, "paid")),
        "on": constant(n, on),
        "version_status": constant(n, _status(in_force)),
        "scope": constant(n, version.scope),
        "age": residents["age"].to_numpy(dtype=np.int64),
        "card": card,
        "income": income,
        **kept,
        **dibao,
        **standard,
    }
    return Outcome(rows=rows, steps=STEPS, lazy={"label": lazy_labels(residents)})


def _blank_zero(column: pd.Series) -> np.ndarray:
    """A money column as floats, a blank as 0."""
    values = column.to_numpy(dtype=float)
    return np.where(np.isnan(values), 0.0, values)


def _status(value: DatedValue) -> str:
    return f"{STATUS_TITLES[value.status]}·{value.status}"


def _before_dibao(on: dt.date) -> np.ndarray:
    """Urban, rural: what is missing when ``on`` is before that 低保 series ("" when it is not)."""
    out = []
    for rural in (False, True):
        series = load_parameter(DIBAO[rural])
        first = series.values[0].effective
        out.append(
            f"{series.title}在本工具包中从 {first} 起收录，{on} 的标准未收录，"
            "无法判断“无生活来源”。请向区民政局社会救助科核实当时的低保标准。"
            if on < first
            else ""
        )
    return np.array(out, dtype=object)


evaluate = household_rule(__name__)
