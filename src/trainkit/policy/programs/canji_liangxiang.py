"""残疾人两项补贴 (国发〔2015〕52号): who qualifies for 生活补贴 and 护理补贴.

- 困难残疾人生活补贴: a disabled person (残疾人证 holder) in a 低保 household.
- 重度残疾人护理补贴: a holder of the second-generation 残疾人证 graded 一级 or 二级.
  Extending it to non-severe (三、四级) intellectual or psychiatric disability is a local
  choice (U for Dalian) → 待核实 when that is the only route.

Who qualifies is decided (符合/不符合); how much is not: Dalian's amounts are not in the
kit (gap series), so the amount is always ``None`` and ``missing`` says where to confirm
it. A Shanghai figure appears only as a labelled example, never as the amount. One row per
resident, each decided as if they applied (the household's 低保 shared).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..columns import at_home, figure_columns, receiving
from ..frames import frames_of
from ..household import Household, Member
from ..outcome import NO, PENDING, YES, Because, Outcome, money
from ..parameters import Reference, load_parameter
from . import household_rule
from ._person import GRADE_TITLES, KIND_TITLES, cards, lazy_labels, step, texts

__all__ = ["decide", "evaluate", "qualifies"]

PROGRAM = "canji_liangxiang"
TITLE = "残疾人两项补贴"
AMOUNT = "每月补贴"  # how a decision's amount is named to the learner (never an amount: Dalian's is a gap)
PERIOD = "month"
PER = "person"  # one decision per resident; receipt recorded on the person
# casebank/framework.yaml has no item for the two disability subsidies; the closest is the
# 低保 application (生活补贴 follows from 低保 status, both are taken at the 街道 window).
DOMAIN = "social_assistance"
ITEMS = ("disability_subsidies",)

LIVING = "canji-shenghuo-butie-dalian"
CARE = {1: "canji-huli-butie-grade1-dalian", 2: "canji-huli-butie-grade2-dalian"}
SEVERE_GRADES = (1, 2)
EXTENSION_KINDS = ("intellectual", "psychiatric")

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
WINDOW = "区残联或街道残联专职委员"
_AMOUNT = "补贴金额：大连市标准未收录，结论只说明符合哪一项，金额待核实"

REASONS = {
    "no_card": Because("{label}未登记残疾人证，两项补贴都以持有残疾人证为前提", reference=SCHEME),
    "card": Because("{label}持残疾人证：{card}（按第二代残疾人证登记的等级判断）", reference=SCHEME),
    "living": Because("家庭正在享受低保，本人属于低保家庭中的残疾人，符合困难残疾人生活补贴条件", reference=SCHEME),
    "no_living": Because(
        "家庭未享受低保，不符合困难残疾人生活补贴条件（有的地方扩大到低收入家庭，大连是否扩大未核实）", reference=SCHEME
    ),
    "living_gap": Because("{living_gap}", missing=True),
    "care": Because("残疾等级为{grade}，属于重度残疾，符合重度残疾人护理补贴条件", reference=SCHEME),
    "care_extension": Because(
        "{card}不属于一至二级重度残疾；护理补贴可由地方扩大到非重度智力、精神残疾人，大连是否扩大未核实",
        reference=SCHEME,
    ),
    "no_care": Because("{card}不属于一至二级重度残疾，不符合重度残疾人护理补贴条件", reference=SCHEME),
    "care_gap": Because("{care_gap}", missing=True),
    "example": Because(
        "示例：上海 2021 年生活补贴每月 410 元（低保家庭）/ 290 元（低收入家庭），护理补贴每月 300 元（一级）/ "
        "150 元（二级及三级智力、精神残疾），非大连标准，不能用于计算大连的补贴",
        reference=SHANGHAI,
    ),
    "extension_too": Because(f"非重度智力、精神残疾人能否享受护理补贴：请向{WINDOW}核实大连是否扩大范围", missing=True),
    "extension_only": Because(
        f"非重度智力、精神残疾人能否享受护理补贴：请向{WINDOW}核实大连是否将护理补贴扩大到本人的类别和等级，"
        "以及适用的补贴标准",
        missing=True,
    ),
    # the conclusion, worded so that it says which subsidy (the decisive reason of an outreach row)
    "both": Because(f"生活补贴和护理补贴都符合。{_AMOUNT}", reference=SCHEME),
    "living_only": Because(f"符合困难残疾人生活补贴条件。{_AMOUNT}", reference=SCHEME),
    "care_only": Because(f"符合重度残疾人护理补贴条件。{_AMOUNT}", reference=SCHEME),
    "no_card_neither": Because("未登记残疾人证，两项补贴都不符合", reference=SCHEME),
    "neither": Because("持残疾人证，但家庭未享受低保、也不是一至二级重度残疾，两项补贴都不符合", reference=SCHEME),
}
STEPS = (
    "card_step",
    "living_step",
    "living_gap_step",
    "care_step",
    "care_gap_step",
    "example_step",
    "extension_step",
    "conclusion",
)


def _routes(households: pd.DataFrame, residents: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per resident: has a card, 生活补贴 (bool), 护理补贴 yes / local extension, the card's grade and title."""
    disabled, kind, grade, card = cards(residents)
    dibao = at_home(households, residents, receiving(households, "dibao"))
    severe = disabled & np.isin(grade, SEVERE_GRADES)
    extension = disabled & ~severe & np.isin(kind, [list(KIND_TITLES).index(k) for k in EXTENSION_KINDS])
    return {
        "disabled": disabled,
        "living": disabled & dibao,
        "care": severe,
        "extension": extension,
        "grade": grade,
        "card": card,
    }


def qualifies(household: Household, member: Member) -> dict[str, bool | None]:
    """``{"living": …, "care": …}``: True qualifies, False does not, None is a local extension."""
    homes, residents = frames_of(household)
    at = next((i for i, m in enumerate(household.members) if m is member), household.members.index(member))
    route = _routes(homes.assign(household_id=0), residents.assign(household_id=0))
    care = None if route["extension"][at] else bool(route["care"][at])
    return {"living": bool(route["living"][at]), "care": care}


def _gaps(param_ids: list[str], codes: np.ndarray, on: dt.date, prefix: str) -> np.ndarray:
    """What to confirm for each row's series: its missing text, or its figure where it is known
    (worded once per series, then indexed)."""
    table = figure_columns(np.asarray(param_ids, dtype=object), on, prefix)
    words = [
        missing if np.isnan(value) else f"{title}：{money(value)} {unit}"
        for value, title, unit, missing in zip(
            table[prefix], table[f"{prefix}_title"], table[f"{prefix}_unit"], table[f"{prefix}_missing"], strict=True
        )
    ]
    return texts(codes, words)


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """两项补贴 for every resident of a numbered register on ``on``, each as the applicant."""
    n = len(residents)
    load_parameter(LIVING).at(on)  # the rule's first look-up: raises before 2016-01-01
    route = _routes(households, residents)
    disabled, living, care, extension = route["disabled"], route["living"], route["care"], route["extension"]
    severe_grade = np.where(care, route["grade"], 1).astype(int) - 1
    paid = living | care

    eligible = np.full(n, NO, dtype=np.int8)
    eligible[extension] = PENDING
    eligible[paid] = YES

    rows = {
        "household_id": residents["household_id"].to_numpy(),
        "member_no": residents["member_no"].to_numpy(dtype=np.int64),
        "verdict": eligible,
        "amount": np.full(n, np.nan),
        "card_step": step(n, (~disabled, "no_card"), (disabled, "card")),
        "living_step": step(n, (disabled & living, "living"), (disabled & ~living, "no_living")),
        "living_gap_step": step(n, (living, "living_gap")),
        "care_step": step(n, (care, "care"), (extension, "care_extension"), (disabled & ~care & ~extension, "no_care")),
        "care_gap_step": step(n, (care, "care_gap")),
        "example_step": step(n, (disabled, "example")),
        "extension_step": step(n, (extension & paid, "extension_too"), (extension & ~paid, "extension_only")),
        "conclusion": step(
            n,
            (living & care, "both"),
            (living & ~care, "living_only"),
            (care & ~living, "care_only"),
            (disabled & ~paid & ~extension, "neither"),
            (~disabled, "no_card_neither"),
        ),
        "card": route["card"],
        "grade": texts(np.where(care, severe_grade, -1), list(GRADE_TITLES.values())),
        "living_gap": _gaps([LIVING], np.zeros(n, dtype=np.int64), on, "living"),
        "care_gap": _gaps([CARE[g] for g in SEVERE_GRADES], np.clip(severe_grade, 0, 1), on, "care"),
    }
    return Outcome(rows=rows, steps=STEPS, lazy={"label": lazy_labels(residents)})


evaluate = household_rule(__name__)
