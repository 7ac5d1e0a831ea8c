"""就业困难人员认定: does a resident look like one, and what must the window confirm?

《就业促进法》第五十二条 defines 就业困难人员 and leaves the exact categories to each
province. Liaoning's (Dalian's) list is not in the kit (a gap series), so the rule can
only say 待核实 or 不符合:

- retired, or employed by an employer → 不符合 (not "难以实现就业");
- at or past the highest statutory retirement age for their sex (both sexes when it is not
  recorded: the higher bound) → 不符合: 就业困难人员 are of working age. The kit holds only the
  bounds of the 2024 decision (``retirement-age-*-lowest/highest``, status S, from
  2025-01-01), not the month-by-month table: between the bounds, whether the person has
  reached retirement age is 待核实; under the lower bound they are decided as below. Before
  2025-01-01 the kit has no retirement ages, so no bound is applied (4050 candidates are
  still asked to confirm it);
- matches a commonly listed category (4050人员, 残疾人, 低保家庭成员, 零就业家庭成员,
  连续失业一年以上, 失地农民, 刑满释放或解除强制隔离戒毒) → 待核实, naming what to confirm;
- registered unemployed but in no common category → 待核实 too (the local list and its
  "一定时间" may differ);
- not unemployed and in no common category → 不符合.

The age and month thresholds are dated series (status S); the category labels are the
kit's, each tagged with the same secondary source. One row per resident, decided as if
they applied: their own facts, the household's (低保, who works) shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import (
    anyone,
    at_home,
    constant,
    figure,
    figure_columns,
    member_column,
    member_flag,
    member_number,
    position_in,
    receiving,
    step,
    texts,
    value_or_gap,
)
from ..frames import frames_of, numbered
from ..household import Household, Member
from ..outcome import NO, PENDING, Because, Outcome, money
from ..parameters import STATUS_TITLES, Reference, load_parameter
from . import household_rule
from ._person import lazy_names, named

__all__ = ["Category", "categories", "decide", "evaluate"]

PROGRAM = "jiuye_kunnan"
TITLE = "就业困难人员认定"
AMOUNT = "金额"  # recognition only: never an amount
PERIOD = "month"
PER = "person"  # one decision per resident; recorded on the person
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
RETIREMENT = {  # (lowest, highest) statutory retirement age, 周岁
    "female": ("retirement-age-female-lowest", "retirement-age-female-highest"),
    "male": ("retirement-age-male-lowest", "retirement-age-male-highest"),
}

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
RETIRE = "是否未达法定退休年龄（2025 年起渐进式延迟退休，本工具包未收录逐月对照表）"


def _found(text: str, citation: Citation | None = None) -> Because:
    return Because(f"符合常见类别「{text}", citation=citation, reference=COMMON_LIST)


REASONS = {
    "subject_named": Because("判断对象：{name}（申请人，{age}岁），就业状态：{status}", citation=ART_52),
    "subject": Because("判断对象：申请人（{age}岁），就业状态：{status}", citation=ART_52),
    "retired": Because("已退休，不属于“难以实现就业”的就业援助对象", citation=ART_52),
    "employed": Because("已在用人单位就业，不属于“难以实现就业”的人员", citation=ART_52),
    "past_retirement": Because(
        "{age} 周岁，已达到{retire_whose}法定退休年龄的上限 {retire_high} 周岁，不在法定劳动年龄内，不属于就业困难人员",
        param="retire_param",
    ),
    "retire_between": Because(
        "{age} 周岁，在{retire_whose}法定退休年龄的下限 {retire_low} 周岁与上限 {retire_high} 周岁之间："
        "是否已到法定退休年龄，要看本人原法定退休年龄和出生年月",
        param="retire_param",
    ),
    # the common categories, in the rule's order
    "female_4050": _found("4050人员」：女性 {age} 周岁，达到{female_figure}"),
    "male_4050": _found("4050人员」：男性 {age} 周岁，达到{male_figure}"),
    "either_4050": _found("4050人员」：{age} 周岁，不论性别都达到4050人员的年龄"),
    "unsexed_4050": _found(
        "4050人员（性别未登记）」：{age} 周岁；女性满 {female_age}、男性满 {male_age} 周岁属常见的4050人员"
    ),
    "disabled": _found("残疾人」：持残疾人证（{disability_grade}级）"),
    "dibao": _found("低保家庭成员」：家庭正在享受最低生活保障"),
    "zero_employment": _found("零就业家庭成员」：本人失业，家庭成员中没有人就业或灵活就业", ART_56),
    "long_unemployed": _found("连续失业一年以上」：连续登记失业 {months} 个月，达到{long_figure}"),
    "landless": _found("失地农民」：登记为失地农民"),
    "released": _found("刑满释放或解除强制隔离戒毒人员」：登记为刑满释放或解除强制隔离戒毒"),
    "short": Because("连续登记失业 {months} 个月，未达到{long_figure}", reference=COMMON_LIST),
    # what the window must confirm (待核实)
    "local_gap": Because("{local_missing}", missing=True),
    "local_known": Because("{local_title}（请核实）", missing=True),
    "window_listed": Because(f"请到{WINDOW}核实「{{titles}}」是否列入本地目录及认定条件", missing=True),
    "window_other": Because(f"请到{WINDOW}核实本地目录是否另有适用类别，以及连续失业多长时间可以认定", missing=True),
    "confirm_retire": Because(f"「4050人员」：请核实{RETIRE}", missing=True),
    "confirm_window": Because(
        f"请到{WINDOW}核实本人是否已到法定退休年龄（逐月延迟对照表本工具包未收录）；已到的不属于就业困难人员",
        missing=True,
    ),
    "confirm_sex": Because(f"「4050人员（性别未登记）」：请核实本人性别（请补登 sex），以及{RETIRE}", missing=True),
    "confirm_zero": Because("「零就业家庭成员」：请核实家庭中法定劳动年龄内的成员是否均处于失业状态", missing=True),
    "confirm_long": Because("「连续失业一年以上」：请核实失业登记记录是否连续", missing=True),
    "not_unemployed": Because("本人目前不是失业状态（{status}）：请核实本地认定是否要求先办理失业登记", missing=True),
    # the verdict
    "pending": Because(
        "{local_title}未收录（{local_status}），按常见类别「{titles}」只能判断为待核实，不能直接认定",
        citation=ART_52_SCOPE,
    ),
    "unlisted": Because(
        "不符合本工具包收录的任何常见类别，但本人处于失业状态；本地目录和“连续失业一定时间”的口径未收录，"
        "不能据常见类别作出否定结论",
        citation=ART_52_SCOPE,
    ),
    "outside": Because("本人未处于失业状态（{status}），也不符合任何常见类别，不属于就业困难人员", citation=ART_52),
}

# the category steps: (step, {code: title}) in the rule's order
CATEGORY_STEPS = (
    (
        "c_4050",
        {
            "female_4050": "4050人员",
            "male_4050": "4050人员",
            "either_4050": "4050人员",
            "unsexed_4050": "4050人员（性别未登记）",
        },
    ),
    ("c_disabled", {"disabled": "残疾人"}),
    ("c_dibao", {"dibao": "低保家庭成员"}),
    ("c_zero", {"zero_employment": "零就业家庭成员"}),
    ("c_long", {"long_unemployed": "连续失业一年以上"}),
    ("c_landless", {"landless": "失地农民"}),
    ("c_released", {"released": "刑满释放或解除强制隔离戒毒人员"}),
)


@dataclass(frozen=True)
class Category:
    """A commonly listed category a resident matches, as the reason words it."""

    id: str
    title: str
    why: str


def _shown(param_id: str, on: dt.date) -> str:
    """A threshold as the reasons quote it: 4050人员中的女性年龄下限 40 周岁（…·S）."""
    param = load_parameter(param_id)
    value = param.at(on)
    return f"{param.title} {value.value} {param.unit}（{STATUS_TITLES[value.status]}·{value.status}）"


def _retirement(residents: pd.DataFrame, on: dt.date) -> dict[str, np.ndarray | pd.Categorical]:
    """Per resident: the lowest and highest statutory retirement age for their sex (NaN before
    the series), whose bounds they are, and the parameter a reason cites."""
    ages = {key: (value_or_gap(low, on), value_or_gap(high, on)) for key, (low, high) in RETIREMENT.items()}
    which = position_in(member_column(residents, "sex"), ["female", "male"])
    which[which < 0] = 2  # not recorded: both sexes' bounds
    female, male = ages["female"], ages["male"]
    low = np.array([female[0], male[0], min(female[0], male[0])])[which]  # whose bounds: a code, not a string per row
    high = np.array([female[1], male[1], max(female[1], male[1])])[which]
    unsexed = RETIREMENT["female" if female[1] > male[1] else "male"][1]
    return {
        "retire_low": low,
        "retire_high": high,
        "retire_whose": texts(which, ["女性", "男性", "两性（性别未登记）"]),
        "retire_param": texts(which, [RETIREMENT["female"][1], RETIREMENT["male"][1], unsexed]),
    }


def _categories(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> dict[str, np.ndarray]:
    """Per resident and category step: 0 when not in the category, else 1 + the code's position."""
    k, n = len(households), len(residents)
    female_age, male_age, months = figure(FEMALE_AGE, on), figure(MALE_AGE, on), figure(LONG_UNEMPLOYED, on)
    sex = position_in(member_column(residents, "sex"), ["female", "male"], blank=2)  # -1: another value
    age = residents["age"].to_numpy(dtype=float)
    employment = position_in(member_column(residents, "employment"), ["unemployed", "employed", "flexible"])
    unemployed, working = employment == 0, employment > 0
    # 4050: 1 a woman from her age, 2 a man from his, 3 sex unrecorded past both ages, 4 past the lower only
    reached = age >= np.array([female_age, male_age, max(female_age, male_age), np.inf])[sex]
    c_4050 = np.where(reached, np.array([1, 2, 3, 0], dtype=np.int8)[sex], np.int8(0))
    c_4050[(sex == 2) & ~reached & (age >= min(female_age, male_age))] = 4
    found = {
        "c_4050": c_4050,
        "c_disabled": residents["disability_kind"].notna().to_numpy(bool),
        "c_dibao": at_home(households, residents, receiving(households, "dibao")) if k else np.zeros(n, bool),
        "c_zero": unemployed & ~at_home(households, residents, anyone(residents, working, k)),
        "c_long": unemployed & (member_number(residents, "registered_unemployed_months") >= months),
        "c_landless": member_flag(residents, "landless_farmer"),
        "c_released": member_flag(residents, "released_from_custody"),
    }
    return {step: found[step].astype(np.int8, copy=False) for step, _ in CATEGORY_STEPS}


def _titles(found: dict[str, np.ndarray]) -> pd.Categorical:
    """Per row, the titles of its categories joined by 、 (worded once per combination)."""
    keys = np.zeros(len(found["c_4050"]), dtype=np.int64)
    for name, _ in CATEGORY_STEPS:
        keys = keys * 8 + found[name]
    combos, where = np.unique(keys, return_inverse=True)
    words = []
    for key in combos:
        titles = []
        for _, codes in reversed(CATEGORY_STEPS):
            key, which = divmod(int(key), 8)
            if which:
                titles.append(list(codes.values())[which - 1])
        words.append("、".join(reversed(titles)))
    same, unique = pd.factorize(pd.Index(words, dtype=object))  # 4050 by sex or by age alone: one title
    return pd.Categorical.from_codes(same[where.reshape(-1)], categories=unique)


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """就业困难人员认定 for every resident of a numbered register on ``on``."""
    local = figure_columns(np.array([LOCAL_LIST], dtype=object), on, "local")  # raises before 2008-01-01
    n = len(residents)
    kinds = list(EMPLOYMENT_TITLES)
    employment = position_in(member_column(residents, "employment"), kinds)  # -1: another value
    retired, employed = employment == kinds.index("retired"), employment == kinds.index("employed")
    unemployed = employment == kinds.index("unemployed")
    retirement = _retirement(residents, on)
    age = residents["age"].to_numpy(dtype=float)
    past = ~(retired | employed) & (age >= retirement["retire_high"])  # NaN bounds (before 2025): never
    between = ~(retired | employed | past) & (age >= retirement["retire_low"])
    open_ = ~(retired | employed | past)
    found = {step: codes * open_ for step, codes in _categories(households, residents, on).items()}
    some = np.zeros(n, dtype=bool)
    for codes in found.values():
        some |= codes > 0
    pending, unlisted = some, open_ & ~some & unemployed
    months = member_number(residents, "registered_unemployed_months")
    c_4050 = found["c_4050"]

    eligible = np.full(n, NO, dtype=np.int8)
    eligible[pending | unlisted] = PENDING
    has_name = named(residents)
    gap = "local_gap" if np.isnan(local["local"][0]) else "local_known"
    status = pd.Categorical.from_codes(employment, categories=list(EMPLOYMENT_TITLES.values()))
    rows = {
        "household_id": residents["household_id"].to_numpy(),
        "member_no": residents["member_no"].to_numpy(dtype=np.int64),
        "verdict": eligible,
        "amount": np.full(n, np.nan),
        "subject": step(n, (has_name, "subject_named"), (~has_name, "subject")),
        "stop": step(n, (retired, "retired"), (employed, "employed"), (past, "past_retirement")),
        "retire_step": step(n, (between, "retire_between")),
        **{
            step: pd.Categorical.from_codes(found[step] - 1, categories=pd.Index(list(codes), dtype=object))
            for step, codes in CATEGORY_STEPS
        },
        "short": step(n, (open_ & unemployed & (months < figure(LONG_UNEMPLOYED, on)), "short")),
        "local_step": step(n, (pending | unlisted, gap)),
        "window": step(n, (pending, "window_listed"), (unlisted, "window_other")),
        "confirm_retire": step(n, (between & (pending | unlisted), "confirm_window")),
        "confirm_4050": step(
            n, ((c_4050 >= 1) & (c_4050 <= 3) & ~between, "confirm_retire"), (c_4050 == 4, "confirm_sex")
        ),
        "confirm_zero": step(n, (found["c_zero"] > 0, "confirm_zero")),
        "confirm_long": step(n, (found["c_long"] > 0, "confirm_long")),
        "not_unemployed": step(n, (pending & ~unemployed, "not_unemployed")),
        "verdict_step": step(n, (pending, "pending"), (unlisted, "unlisted"), (open_ & ~some & ~unemployed, "outside")),
        "age": residents["age"].to_numpy(dtype=np.int64),
        "status": status,
        "months": months,
        "disability_grade": pd.to_numeric(residents["disability_grade"]).to_numpy(dtype=float),
        "female_age": figure(FEMALE_AGE, on),
        "male_age": figure(MALE_AGE, on),
        "female_figure": constant(n, _shown(FEMALE_AGE, on)),
        "male_figure": constant(n, _shown(MALE_AGE, on)),
        "long_figure": constant(n, _shown(LONG_UNEMPLOYED, on)),
        **retirement,
        **{key: constant(n, values[0]) for key, values in local.items() if key != "local"},
        "local": local["local"][0],
    }
    steps = (
        "subject",
        "stop",
        "retire_step",
        *found,
        "short",
        "local_step",
        "window",
        "confirm_retire",
        "confirm_4050",
        "confirm_zero",
        "confirm_long",
        "not_unemployed",
        "verdict_step",
    )
    lazy = {
        "name": lazy_names(residents),
        "titles": lambda at: np.asarray(_titles({name: codes[at] for name, codes in found.items()}), dtype=object),
    }
    return Outcome(rows=rows, steps=steps, lazy=lazy)


def categories(household: Household, member: Member, on: dt.date) -> tuple[Category, ...]:
    """The common categories ``member`` of ``household`` matches on ``on`` (whatever their work)."""
    households, residents, _ = numbered(*frames_of(household))
    index = household.members.index(member)
    found = _categories(households, residents, on)
    row = {
        "age": member.age,
        "female_age": money(figure(FEMALE_AGE, on)),
        "male_age": money(figure(MALE_AGE, on)),
        "female_figure": _shown(FEMALE_AGE, on),
        "male_figure": _shown(MALE_AGE, on),
        "long_figure": _shown(LONG_UNEMPLOYED, on),
        "months": member.registered_unemployed_months,
        "disability_grade": member.disability.grade if member.disability else "",
    }
    out = []
    for name, codes in CATEGORY_STEPS:
        which = int(found[name][index])
        if which:
            code, title = list(codes.items())[which - 1]
            out.append(Category("4050" if name == "c_4050" else code, title, REASONS[code].text.format(**row)))
    return tuple(out)


evaluate = household_rule(__name__)
