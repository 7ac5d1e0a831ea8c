"""业主共同决定 (《民法典》第二百七十八条): is an owners' decision made?

Two steps. First the quorum: owners holding two-thirds or more of the exclusive area *and*
two-thirds or more of the owners take part in the vote. Then agreement, counted against
those who took part: items (六)–(八) need three-quarters or more of the participating area
and owners; the other items need more than half of each. "以上" includes the number itself
and "过半数" means strictly more than half (第一千二百五十九条). All comparisons are exact
fractions; percentages are shown only for reading.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache

from pydantic import Field, model_validator

from ..law import Citation, article
from .cases import Strict
from .finding import Finding, Step
from .numbers import Area, Count, percent, plain

__all__ = ["Case", "Tally", "evaluate", "matters"]

ART = 278
QUORUM = Citation(
    law="民法典",
    article=ART,
    quote="业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。",
)
SPECIAL = Citation(
    law="民法典",
    article=ART,
    quote="决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。",
)
ORDINARY = Citation(
    law="民法典",
    article=ART,
    quote="决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。",
)
INCLUSIVE = Citation(law="民法典", article=1259, quote="民法所称的“以上”、“以下”、“以内”、“届满”，包括本数")
EXCLUSIVE = Citation(law="民法典", article=1259, quote="所称的“不满”、“超过”、“以外”，不包括本数")
SPECIAL_ITEMS = (6, 7, 8)
NUMERALS = "一二三四五六七八九"
SHARE_WORDS = {Fraction(2, 3): "三分之二", Fraction(3, 4): "四分之三", Fraction(1, 2): "一半"}


class Tally(Strict):
    """专有部分面积（平方米）与业主人数。"""

    area: Area
    owners: Count


class Case(Strict):
    """第二百七十八条第一款第几项，全体、参与表决和同意的面积与人数。"""

    matter: int = Field(ge=1, le=9, strict=True, description="第二百七十八条第一款第几项（1–9）")
    total: Tally
    participating: Tally
    agreeing: Tally

    @model_validator(mode="after")
    def _nested(self) -> Case:
        if self.total.area <= 0 or self.total.owners <= 0:
            raise ValueError("total: 全体业主的专有部分面积和人数都应大于 0")
        for small, big, what in (
            (self.participating, self.total, "参与表决的面积或人数不能多于全体业主"),
            (self.agreeing, self.participating, "同意的面积或人数不能多于参与表决的业主"),
        ):
            if small.area > big.area or small.owners > big.owners:
                raise ValueError(what)
        return self


@cache
def matters() -> dict[int, Citation]:
    """项号 → the item's own line of Art. 278(1), quoted from the shipped text."""
    lines = article("民法典", ART).text.splitlines()
    items = {}
    for line in lines:
        if line.startswith("（") and line[1] in NUMERALS and line[2] == "）":
            items[NUMERALS.index(line[1]) + 1] = Citation(law="民法典", article=ART, quote=line.rstrip("；。"))
    return items


def _at_least(part: Fraction, whole: Fraction, share: Fraction) -> bool:
    return part >= whole * share


def _more_than(part: Fraction, whole: Fraction, share: Fraction) -> bool:
    return part > whole * share


def _measure(label: str, part: Tally, whole: Tally, share: Fraction, *, strict: bool) -> tuple[bool, bool, str]:
    """Whether area and owners reach ``share`` of ``whole``, and the sentence that shows it."""
    test = _more_than if strict else _at_least
    a_part, a_whole = Fraction(part.area), Fraction(whole.area)
    area_ok = test(a_part, a_whole, share)
    owners_ok = test(Fraction(part.owners), Fraction(whole.owners), share)
    need = whole.owners * share
    least = math.floor(need) + 1 if strict else math.ceil(need)
    word = "超过" if strict else "达到"
    text = (
        f"{label}：面积 {plain(part.area)} / {plain(whole.area)} 平方米（{percent(a_part / a_whole)}；"
        f"{SHARE_WORDS[share]}为 {plain(a_whole * share)} 平方米，须{word}），{'满足' if area_ok else '不满足'}；"
        f"人数 {part.owners} / {whole.owners} 人（{percent(Fraction(part.owners, whole.owners) if whole.owners else Fraction(0))}，"
        f"至少 {least} 人），{'满足' if owners_ok else '不满足'}"
    )
    return area_ok, owners_ok, text


def evaluate(case: Case) -> Finding:
    """Whether the owners' decision is made, with the quorum and agreement steps."""
    item = matters()[case.matter]
    special = case.matter in SPECIAL_ITEMS
    steps = [
        Step(
            f"表决事项属第二百七十八条第一款第（{NUMERALS[case.matter - 1]}）项，"
            + ("须经参与表决面积和人数各四分之三以上同意" if special else "须经参与表决面积和人数各过半数同意"),
            item,
        )
    ]
    area_ok, owners_ok, text = _measure("第一步 参与表决", case.participating, case.total, Fraction(2, 3), strict=False)
    quorum = area_ok and owners_ok
    steps.append(Step(text, QUORUM))
    steps.append(Step("“三分之二以上”包括恰好三分之二", INCLUSIVE))
    facts = {"quorum": quorum, "agreement": None, "passed": False, "threshold": "3/4" if special else "过半数"}
    if not quorum:
        missing = "、".join(w for w, ok in (("面积", area_ok), ("人数", owners_ok)) if not ok)
        steps.append(Step(f"参与表决的{missing}不足三分之二，表决不成立，不再计算同意比例"))
        return Finding("vote", "未通过：参与表决的业主不足法定人数", tuple(steps), facts)
    if special:
        area_ok, owners_ok, text = _measure(
            "第二步 同意", case.agreeing, case.participating, Fraction(3, 4), strict=False
        )
        steps.append(Step(text, SPECIAL))
        steps.append(Step("“四分之三以上”包括恰好四分之三", INCLUSIVE))
    else:
        area_ok, owners_ok, text = _measure(
            "第二步 同意", case.agreeing, case.participating, Fraction(1, 2), strict=True
        )
        steps.append(Step(text, ORDINARY))
        steps.append(Step("“过半数”即超过半数，恰好一半不够", EXCLUSIVE))
    agreed = area_ok and owners_ok
    facts.update(agreement=agreed, passed=agreed)
    if agreed:
        conclusion = "通过：参与表决和同意的面积、人数都达到第二百七十八条的要求"
    else:
        missing = "、".join(w for w, ok in (("面积", area_ok), ("人数", owners_ok)) if not ok)
        conclusion = f"未通过：同意的{missing}未达到第二百七十八条的要求"
    steps.append(Step(conclusion))
    return Finding("vote", conclusion, tuple(steps), facts)
