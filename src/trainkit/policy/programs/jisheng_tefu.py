"""计划生育家庭特别扶助 (独生子女伤残、死亡家庭): the conditions and the national minimum by date.

Conditions (research §2.5, Hebei report, V): the woman is 49 or older; the couple had or
adopted only one child; that child died, or has a disability of grade 1–3; no child born or
adopted since; and the couple hold the 独生子女父母光荣证.

The certificate is settled by statute (V): 人口与计划生育法 (2021) Art. 32 gives 扶助 to
"获得《独生子女父母光荣证》的夫妻" whose only child is disabled or dies. So a certificate on
record satisfies the condition, and a household recorded as holding none is not eligible (the
reason names Art. 32 and sends a family that believes it holds one to 区卫生健康局 to check or
re-issue it). A register that says nothing about the certificate (``certificate`` empty) is
待核实: check whether the couple holds one. What the statute does not settle: the age of 49,
the grades, the amounts (Art. 32 says "按照规定") — those stay with the Hebei report and
the national notices; nor how a lost certificate is proved or re-issued, or the documents an
application needs — those are for 区卫生健康局.
Every condition is reported, then the amount: the national minimum per spouse per month,
from four dated series (伤残/死亡 × 城镇/农村). The dates of the raises between 2014 and
2022-07 are unknown, so that span is a gap and gives 待核实. Local top-ups (Liaoning,
Dalian) were not found. One row per household; only households with a family-planning
record (``fp_only_child`` filled) are decided, and only they look up a figure (a date before
the series raises :class:`BeforeFirstDate`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import (
    anyone,
    applicant_of,
    constant,
    figure_columns,
    first_true,
    home_of,
    per_household,
    position_in,
    texts,
    yes_no,
)
from ..columns import step as steps
from ..frames import FP_COLUMNS, frames_of
from ..household import Household
from ..outcome import NO, NOT_APPLIES, PENDING, YES, Because, Outcome
from ..parameters import Parameter, Reference, load_parameter
from . import household_rule

__all__ = ["decide", "evaluate", "series_for"]

PROGRAM = "jisheng_tefu"
TITLE = "计划生育家庭特别扶助"
AMOUNT = "每月特别扶助金"  # how a decision's amount is named to the learner
PERIOD = "month"
PER = "household"  # one decision per household (the couple); receipt recorded on the household
DOMAIN = "shidu_care"
ITEMS = ("special_support_claim",)

ART_33 = Citation(law="老年人权益保障法", article=33, quote="国家建立和完善计划生育家庭老年人扶助制度。")
CONDITIONS = Reference(
    title="计划生育家庭特别扶助制度的扶助对象条件（河北省新闻报道）",
    href="http://www.hebjxw.com/mShowInfo_News.asp?id=8987",
    status="V",
)
ART_32 = Citation(
    law="人口与计划生育法",
    article=32,
    quote="获得《独生子女父母光荣证》的夫妻，独生子女发生意外伤残、死亡的，按照规定获得扶助。",
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
FAILED = {  # the first condition that fails, named in the closing reason
    "young": f"女方未满{WOMAN_AGE}周岁",
    "not_only": "不是只生育或合法收养一个子女",
    "child": "独生子女未死亡，也没有三级以上残疾",
    "later": "此后又生育或收养了子女",
    "certificate": "登记为未获得《独生子女父母光荣证》",
}

REASONS = {
    "no_plan": Because("family_planning: 没有登记计划生育家庭情况（only_child、child_outcome 等），无法判断特别扶助"),
    "intro": Because("国家建立计划生育家庭老年人扶助制度；特别扶助金按全国最低标准判断", citation=ART_33),
    # the woman's age
    "no_sex": Because("members: 请填写申请人和配偶的 sex（female/male）：女方年龄是特别扶助的条件"),
    "woman_ok": Because(f"女方 {{woman_age}} 周岁，已满{WOMAN_AGE}周岁，符合年龄条件", reference=CONDITIONS),
    "woman_young": Because(f"女方 {{woman_age}} 周岁，未满{WOMAN_AGE}周岁，不符合年龄条件", reference=CONDITIONS),
    # the child
    "only": Because("夫妻只生育或合法收养一个子女，符合条件", reference=CONDITIONS),
    "not_only": Because("夫妻不是只生育或合法收养一个子女，不符合条件", reference=CONDITIONS),
    "died": Because("独生子女死亡（失独家庭），符合条件", reference=CONDITIONS),
    "grade_ok": Because("独生子女残疾{grade_title}（三级以上），符合条件", reference=CONDITIONS),
    "grade_low": Because("独生子女残疾{grade_title}，不在一至三级之内，不符合条件", reference=CONDITIONS),
    "grade_unknown": Because("family_planning.child_disability_grade: 子女伤残时请填写残疾等级（1–4 级，一级最重）"),
    "living": Because("独生子女健在且未登记三级以上残疾，不属于特别扶助对象", reference=CONDITIONS),
    "later": Because("此后又生育或合法收养了子女，不符合条件", reference=CONDITIONS),
    "no_later": Because("此后没有再生育或收养子女，符合条件", reference=CONDITIONS),
    # the certificate (人口与计划生育法第三十二条)
    "certificate": Because("夫妻获得了《独生子女父母光荣证》，符合条件", citation=ART_32),
    "no_certificate": Because(
        "登记为未获得《独生子女父母光荣证》，不符合人口与计划生育法第三十二条规定的扶助对象条件；"
        "如家庭认为曾经领取过光荣证，请带上身份证件到区卫生健康局核实或补办，核实后重新判断",
        citation=ART_32,
    ),
    "certificate_unrecorded": Because(
        "未登记是否获得《独生子女父母光荣证》，而获得光荣证是扶助的条件，这一条件暂时无法判断", citation=ART_32
    ),
    "refused": Because("{failed}，因此不能享受计划生育家庭特别扶助", reference=CONDITIONS),
    # what a 待核实 waits for
    "no_woman": Because("本户没有登记女方（如女方已去世，年龄条件如何适用请向区卫生健康局核实）", missing=True),
    "certificate_unknown": Because(
        "请核实本户夫妻是否持有《独生子女父母光荣证》（台账的 certificate 一栏为空），登记后重新判断", missing=True
    ),
    "standard_unknown": Because("{standard_missing}", missing=True),
    "area_unknown": Because(
        "未登记本户是城镇还是农村计划生育家庭，而 {on_date} 城镇、农村的特别扶助金标准不同："
        "请按户籍和当地卫生健康部门的认定核实（不按低保执行城市还是农村标准）",
        missing=True,
    ),
    # the amount
    "standard": Because(
        "{standard_title}：{standard} {standard_unit}（{standard_since} 起执行，{standard_status}）；"
        "城镇、农村按计划生育家庭的城乡身份区分（不看低保执行城市还是农村标准），本户{area}",
        param="standard_param",
    ),
    "total": Because(
        "金额按人计：夫妻双方每人每月 {standard} 元；本户登记夫妻 {couple} 人，合计每月 {total} 元。"
        "这是全国最低标准，辽宁省、大连市的加发标准未找到，请向区卫生健康局确认",
        reference=CONDITIONS,
    ),
}


def _series_ids(households: pd.DataFrame, *, rural: bool, rows: np.ndarray | None = None) -> np.ndarray:
    """Each household's national minimum series (死亡 or 伤残) in the 城镇 or the 农村 column
    (``rows``: of these households only)."""
    died = position_in(households["fp_child_outcome"], ["died"]) == 0
    return np.where(died if rows is None else died[rows], SERIES[("died", rural)], SERIES[("disabled", rural)]).astype(
        object
    )


def series_for(household: Household) -> Parameter:
    """The national minimum series for this family (伤残 or 死亡, 城镇 or 农村 as the family is)."""
    plan = household.family_planning
    if plan is None:
        raise ValueError(REASONS["no_plan"].text)
    if plan.area is None:
        raise ValueError("未登记本户是城镇还是农村计划生育家庭（family_planning.area）")
    return load_parameter(str(_series_ids(frames_of(household)[0], rural=plan.area == "rural")[0]))


def _figures(households: pd.DataFrame, plan: np.ndarray, on: dt.date) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The standard's columns for households with a record (only they look a figure up), and
    where the area is unknown while the 城镇 and 农村 figures differ (those stay 待核实)."""
    k = len(households)
    area = (
        households["fp_area"].astype(object).to_numpy()[plan] if "fp_area" in households else np.full(plan.sum(), None)
    )
    urban = figure_columns(_series_ids(households, rural=False, rows=plan), on, "standard")
    rural = figure_columns(_series_ids(households, rural=True, rows=plan), on, "standard")
    same = urban["standard"] == rural["standard"]  # NaN (a gap) is never the same
    is_rural = area == "rural"
    unknown_area = np.zeros(k, dtype=bool)
    unknown_area[plan] = (area != "rural") & (area != "urban") & ~same
    out = {}
    for name in urban:
        values = np.where(is_rural, np.asarray(rural[name], dtype=object), np.asarray(urban[name], dtype=object))
        column = np.full(k, np.nan) if name == "standard" else np.full(k, "", dtype=object)
        column[plan] = values.astype(float) if name == "standard" else values
        out[name] = column
    out["standard"][unknown_area] = np.nan
    words = np.full(k, "", dtype=object)
    words[plan] = np.where(is_rural, "按农村家庭", np.where(area == "urban", "按城镇家庭", "城镇、农村标准相同"))
    out["area"] = words
    return out, unknown_area


def _woman_age(residents: pd.DataFrame, couple: np.ndarray, k: int) -> np.ndarray:
    """Per household: the age of the couple's first woman (NaN with none)."""
    women = np.flatnonzero(couple)
    women = women[(residents["sex"].iloc[women] == "female").to_numpy(dtype=bool)]
    home = residents["household_id"].to_numpy(dtype=np.int64)[women]
    order = np.lexsort((residents["member_no"].to_numpy(dtype=np.int64)[women], home))  # stable, as a sort is
    homes, first = np.unique(home[order], return_index=True)
    age = np.full(k, np.nan)
    age[homes] = residents["age"].to_numpy(dtype=float)[women][order][first]
    return age


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """计划生育家庭特别扶助 for every household of a numbered register on ``on``."""
    k = len(households)
    absent = {c: None for c in FP_COLUMNS if c not in households}
    if absent:  # a register without them (a copy only then: a register's frame is large)
        households = households.assign(**absent)
    plan = households["fp_only_child"].notna().to_numpy()
    figures, unknown_area = _figures(households, plan, on)
    standard = figures["standard"]

    # only the couples of households with a record are looked at: the others are not decided
    couple = plan[home_of(residents)] & (position_in(residents["relation"], ["applicant", "spouse"]) >= 0)
    woman_age = _woman_age(residents, couple, k)
    no_woman = np.isnan(woman_age)
    no_sex = anyone(residents, couple & residents["sex"].isna().to_numpy(), k)
    n_couple = per_household(couple, residents, k).astype(np.int64)

    outcome = position_in(households["fp_child_outcome"], ["died", "disabled"])
    died, disabled = outcome == 0, outcome == 1
    grade = pd.to_numeric(households["fp_child_disability_grade"], errors="coerce").to_numpy(dtype=float)
    only = yes_no(households["fp_only_child"])[0]
    later = yes_no(households["fp_later_child"])[0]
    certificate, no_certificate = yes_no(households["fp_certificate"])

    sexless = plan & no_woman & no_sex
    ungraded = plan & ~sexless & disabled & np.isnan(grade)
    decided = plan & ~sexless & ~ungraded
    young = ~no_woman & (woman_age < WOMAN_AGE)
    child_ok = died | (disabled & (grade <= WORST_GRADE))
    unrecorded = ~certificate & ~no_certificate
    failed = decided & (young | ~only | ~child_ok | later | no_certificate)
    open_ = decided & ~failed
    gap = np.isnan(standard) & ~unknown_area
    pending = open_ & (no_woman | unrecorded | gap | unknown_area)
    paid = open_ & ~pending

    eligible = np.full(k, PENDING, dtype=np.int8)
    eligible[failed] = NO
    eligible[paid] = YES
    eligible[~decided] = NOT_APPLIES

    def step(*pairs: tuple[np.ndarray, str]) -> pd.Categorical:
        return steps(k, *pairs)

    whole = np.nan_to_num(grade, nan=0)
    grade_code = np.where(np.isin(whole, list(GRADE_TITLES)), whole - 1, -1).astype(np.int64)
    failing = ("young", "not_only", "child", "later", "certificate")
    first_failed = first_true([young, ~only, ~child_ok, later, no_certificate], default=-1)
    asked = plan & ~sexless
    rows = {
        "household_id": households["household_id"].to_numpy(),
        "member_no": applicant_of(households, residents),
        "verdict": eligible,
        "amount": np.where(paid, np.round(standard, 2), np.nan),
        "plan_step": step((~plan, "no_plan"), (plan, "intro")),
        "woman_step": step(
            (sexless, "no_sex"), (asked & ~no_woman & ~young, "woman_ok"), (asked & young, "woman_young")
        ),
        "only_step": step((asked & only, "only"), (asked & ~only, "not_only")),
        "child_step": step(
            (asked & died, "died"),
            (asked & disabled & (grade <= WORST_GRADE), "grade_ok"),
            (asked & disabled & (grade > WORST_GRADE), "grade_low"),
            (ungraded, "grade_unknown"),
            (asked & ~died & ~disabled, "living"),
        ),
        "later_step": step((decided & later, "later"), (decided & ~later, "no_later")),
        "certificate_step": step(
            (decided & certificate, "certificate"),
            (decided & no_certificate, "no_certificate"),
            (decided & unrecorded, "certificate_unrecorded"),
        ),
        "refused_step": step((failed, "refused")),
        "woman_gap": step((open_ & no_woman, "no_woman")),
        "certificate_gap": step((open_ & unrecorded, "certificate_unknown")),
        "standard_gap": step((open_ & gap, "standard_unknown")),
        "area_gap": step((open_ & unknown_area, "area_unknown")),
        "standard_step": step((paid, "standard")),
        "total_step": step((paid, "total")),
        "woman_age": woman_age,
        "grade_title": texts(grade_code, list(GRADE_TITLES.values())),
        "failed": texts(first_failed, [FAILED[name] for name in failing]),
        "on_date": constant(k, str(on)),
        "couple": n_couple,
        "total": np.round(standard * n_couple, 2),
        **figures,
    }
    return Outcome(
        rows=rows,
        steps=(
            "plan_step",
            "woman_step",
            "only_step",
            "child_step",
            "later_step",
            "certificate_step",
            "refused_step",
            "woman_gap",
            "certificate_gap",
            "area_gap",
            "standard_gap",
            "standard_step",
            "total_step",
        ),
    )


evaluate = household_rule(__name__)
