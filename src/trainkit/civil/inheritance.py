"""法定继承 (《民法典》第一千一百二十七条至第一千一百三十条): who inherits, in which order, and
the default shares, with the adjustments the law allows given as reasons, never as percentages.

First order: spouse, children, parents, and a widowed son- or daughter-in-law who did the main
part of supporting the decedent (第一千一百二十九条). A child who died before the decedent is
represented by his or her lineal descendants (第一千一百二十八条第一款); in the second order a
sibling who died before is represented by his or her children (第二款); representatives share
the represented person's portion (第三款). The second order inherits only when nobody of the
first order inherits. Shares within the order are equal (第一千一百三十条第一款); care, more,
less or an agreed unequal split (第二至五款) are listed per heir, with no figure attached.
A will must keep a necessary portion for an heir who lacks both the ability to work and a
source of living (第一千一百四十一条), and so must paying the estate's debts (第一千一百五十九条);
here that heir is one of the order that inherits.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, StrictBool, model_validator

from ..law import Citation
from .cases import Strict
from .finding import Finding, Step
from .numbers import fraction_text

__all__ = ["RELATION_TITLES", "Case", "Person", "evaluate"]

Relation = Literal["spouse", "child", "parent", "child_in_law", "descendant", "sibling", "grandparent", "sibling_child"]
RELATION_TITLES = {
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "child_in_law": "丧偶儿媳/女婿",
    "descendant": "先去世子女的直系晚辈血亲",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母/外祖父母",
    "sibling_child": "先去世兄弟姐妹的子女",
}
FIRST = ("spouse", "child", "parent", "child_in_law")
SECOND = ("sibling", "grandparent")
REPRESENTS = {"descendant": "child", "sibling_child": "sibling"}


def _cite(article: int, quote: str) -> Citation:
    return Citation(law="民法典", article=article, quote=quote)


ORDER = _cite(
    1127, "继承开始后，由第一顺序继承人继承，第二顺序继承人不继承；没有第一顺序继承人继承的，由第二顺序继承人继承。"
)
ORDER_1 = _cite(1127, "第一顺序：配偶、子女、父母")
ORDER_2 = _cite(1127, "第二顺序：兄弟姐妹、祖父母、外祖父母")
REPRESENT_CHILD = _cite(1128, "被继承人的子女先于被继承人死亡的，由被继承人的子女的直系晚辈血亲代位继承。")
REPRESENT_SIBLING = _cite(1128, "被继承人的兄弟姐妹先于被继承人死亡的，由被继承人的兄弟姐妹的子女代位继承。")
REPRESENT_SHARE = _cite(1128, "代位继承人一般只能继承被代位继承人有权继承的遗产份额。")
IN_LAW = _cite(1129, "丧偶儿媳对公婆，丧偶女婿对岳父母，尽了主要赡养义务的，作为第一顺序继承人。")
EQUAL = _cite(1130, "同一顺序继承人继承遗产的份额，一般应当均等。")
CARE = _cite(1130, "对生活有特殊困难又缺乏劳动能力的继承人，分配遗产时，应当予以照顾。")
MORE = _cite(1130, "对被继承人尽了主要扶养义务或者与被继承人共同生活的继承人，分配遗产时，可以多分。")
LESS = _cite(1130, "有扶养能力和有扶养条件的继承人，不尽扶养义务的，分配遗产时，应当不分或者少分。")
AGREED = _cite(1130, "继承人协商同意的，也可以不均等。")
OTHERS = _cite(1131, "继承人以外的对被继承人扶养较多的人，可以分给适当的遗产。")
WILL_FIRST = _cite(1123, "有遗嘱的，按照遗嘱继承或者遗赠办理；有遗赠扶养协议的，按照协议办理。")
WILL_RESERVE = _cite(1141, "遗嘱应当为缺乏劳动能力又没有生活来源的继承人保留必要的遗产份额。")
DEBT_RESERVE = _cite(1159, "但是，应当为缺乏劳动能力又没有生活来源的继承人保留必要的遗产。")
SPLIT_FIRST = _cite(1153, "应当先将共同所有的财产的一半分出为配偶所有，其余的为被继承人的遗产。")
RENOUNCED = _cite(1124, "继承开始后，继承人放弃继承的，应当在遗产处理前，以书面形式作出放弃继承的表示")
LOST = _cite(1125, "继承人有下列行为之一的，丧失继承权")
TRANSFER = _cite(1152, "继承开始后，继承人于遗产分割前死亡，并没有放弃继承的，该继承人应当继承的遗产转给其继承人")
ESCHEAT = _cite(1160, "无人继承又无人受遗赠的遗产，归国家所有，用于公益事业")


class Person(Strict):
    """一位亲属及与分配有关的事实（均由调解员核实后填写；法院认定的以法院为准）。"""

    name: str = Field(min_length=1, max_length=40)
    relation: Relation
    through: str | None = Field(default=None, description="代位继承时：被代位的先去世子女或兄弟姐妹的姓名")
    died: Literal["before", "after"] | None = Field(default=None, description="先于/后于被继承人死亡")
    renounced: StrictBool = False
    lost_right: StrictBool = False
    main_support: StrictBool = False
    lived_with: StrictBool = False
    hardship: StrictBool = False
    failed_duty: StrictBool = False
    no_labor_no_income: StrictBool = False

    @property
    def title(self) -> str:
        return f"{self.name}（{RELATION_TITLES[self.relation]}）"


class Case(Strict):
    """被继承人、亲属，以及有无遗嘱、有无遗产债务、继承人是否协商不均等。"""

    decedent: str = Field(min_length=1, max_length=40)
    people: tuple[Person, ...] = ()
    will: StrictBool = False
    debts: StrictBool = False
    agreed_unequal: StrictBool = False

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        names = [p.name for p in self.people]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"姓名重复：{'、'.join(dupes)}（同名时请加区分，如“张一（长子）”）")
        if sum(p.relation == "spouse" for p in self.people) > 1:
            raise ValueError("配偶只能有一位")
        by_name = {p.name: p for p in self.people}
        for p in self.people:
            if p.relation in REPRESENTS:
                whom = by_name.get(p.through or "")
                want = REPRESENTS[p.relation]
                if whom is None or whom.relation != want or whom.died != "before":
                    raise ValueError(
                        f"{p.name}：被代位人（through）应是先于被继承人死亡的{RELATION_TITLES[want]}的姓名；"
                        f"该{RELATION_TITLES[want]}也要列出，并注明先于被继承人死亡（died: before）"
                    )
            elif p.through is not None:
                raise ValueError(f"{p.name}：只有代位继承人才填 through")
        return self


def _out(p: Person) -> tuple[str, Citation | None] | None:
    """Why ``p`` does not inherit in person, or ``None``."""
    if p.died == "before":
        return "先于被继承人死亡，本人不继承", None
    if p.renounced:
        return "已书面放弃继承", RENOUNCED
    if p.lost_right:
        return "丧失继承权", LOST
    if p.relation == "child_in_law" and not p.main_support:
        return "未尽主要赡养义务，不是法定继承人；如对被继承人扶养较多，可以分给适当的遗产", OTHERS
    return None


def _units(case: Case, relations: tuple[str, ...]) -> list[tuple[Person, list[Person]]]:
    """The shares of one order: (person, who takes the share); a represented share lists the representatives."""
    units = []
    for p in case.people:
        if p.relation not in relations:
            continue
        if p.died == "before" and p.relation in REPRESENTS.values():
            reps = [r for r in case.people if r.through == p.name and _out(r) is None]
            if reps:
                units.append((p, reps))
        elif _out(p) is None:
            units.append((p, [p]))
    return units


def _adjustments(heirs: list[Person], steps: list[Step]) -> dict[str, list[str]]:
    """第一千一百三十条第二至四款 for each heir: keys care / more / less, each with its step."""
    adjustments: dict[str, list[str]] = {}
    for h in heirs:
        found = []
        if h.hardship:
            found.append(("care", f"{h.title}：生活有特殊困难又缺乏劳动能力，分配时应当予以照顾", CARE))
        if h.main_support or h.lived_with:
            found.append(("more", f"{h.title}：尽了主要扶养义务或与被继承人共同生活，可以多分", MORE))
        if h.failed_duty:
            found.append(("less", f"{h.title}：有扶养能力和条件而不尽扶养义务，应当不分或者少分", LESS))
        for key, text, cite in found:
            adjustments.setdefault(h.name, []).append(key)
            steps.append(Step(text, cite))
    return adjustments


def evaluate(case: Case) -> Finding:
    """Who inherits by law, in which order, the default shares and the adjustments allowed."""
    steps: list[Step] = []
    if case.will:
        steps.append(
            Step("有遗嘱：先按遗嘱办理；以下是法定继承的结果，用于遗嘱未处分、无效等按法定继承办理的部分", WILL_FIRST)
        )
    if any(p.relation == "spouse" and p.died != "before" for p in case.people):
        steps.append(Step("先析产：夫妻共同财产先分出一半归配偶，其余才是遗产；以下份额都是遗产的份额", SPLIT_FIRST))
    for p in case.people:
        why = _out(p)
        if why:
            tail = "，不参加代位继承" if p.relation in REPRESENTS else ""
            steps.append(Step(f"{p.title}：{why[0]}{tail}", why[1]))
        elif p.died == "after":
            steps.append(
                Step(f"{p.title}：在被继承人之后、遗产分割前去世，仍是继承人；其应继承的份额转给其继承人", TRANSFER)
            )
        if p.relation == "child_in_law" and why is None:
            steps.append(Step(f"{p.title}：尽了主要赡养义务，作为第一顺序继承人", IN_LAW))
    order, units = 1, _units(case, FIRST)
    if units:
        steps.append(Step("有第一顺序继承人继承，第二顺序继承人不继承", ORDER))
    else:
        order, units = 2, _units(case, SECOND)
        steps.append(Step("没有第一顺序继承人继承，由第二顺序继承人继承", ORDER))
    if not units:
        steps.append(
            Step(
                "没有继承人继承：无人受遗赠的，遗产归国家所有，用于公益事业；"
                "死者生前是集体所有制组织成员的，归所在集体所有制组织所有",
                ESCHEAT,
            )
        )
        facts: dict[str, Any] = {"order": None, "shares": {}, "adjustments": {}, "reserve": []}
        return Finding("inheritance", f"{case.decedent}的遗产没有法定继承人继承", tuple(steps), facts)
    numeral = "一" if order == 1 else "二"
    steps.append(Step(f"第{numeral}顺序：{'、'.join(u[0].title for u in units)}", ORDER_1 if order == 1 else ORDER_2))
    share = Fraction(1, len(units))
    steps.append(Step(f"同一顺序 {len(units)} 份，一般均等：每份遗产的 {fraction_text(share)}", EQUAL))
    shares: dict[str, str] = {}
    heirs: list[Person] = []
    for represented, takers in units:
        if takers[0] is represented:
            shares[represented.name] = fraction_text(share)
            heirs.append(represented)
            continue
        each = share / len(takers)
        cite = REPRESENT_CHILD if represented.relation == "child" else REPRESENT_SIBLING
        steps.append(Step(f"{represented.title}先于被继承人死亡，由{'、'.join(t.name for t in takers)}代位继承", cite))
        steps.append(
            Step(
                f"代位继承人共同继承{represented.name}的一份（{fraction_text(share)}），"
                f"一般均分，每人 {fraction_text(each)}",
                REPRESENT_SHARE,
            )
        )
        for t in takers:
            shares[t.name] = fraction_text(each)
            heirs.append(t)
    adjustments = _adjustments(heirs, steps)
    if case.agreed_unequal:
        steps.append(Step("继承人协商同意的，也可以不按均等份额分配", AGREED))
    if adjustments:
        steps.append(
            Step(
                "照顾、多分、少分多少，法律没有规定比例：由继承人协商；协商不成的，可以由人民调解委员会调解或者向人民法院起诉"
            )
        )
    reserve = [h.name for h in heirs if h.no_labor_no_income] if (case.will or case.debts) else []
    for name in reserve:
        if case.will:
            steps.append(Step(f"{name}缺乏劳动能力又没有生活来源：遗嘱应当为其保留必要的遗产份额", WILL_RESERVE))
        if case.debts:
            steps.append(Step(f"{name}缺乏劳动能力又没有生活来源：清偿遗产债务时应当为其保留必要的遗产", DEBT_RESERVE))
    summary = "、".join(f"{n} {s}" for n, s in shares.items())
    conclusion = f"由第{numeral}顺序继承人继承，一般均等：{summary}"
    facts = {"order": order, "shares": shares, "adjustments": adjustments, "reserve": reserve}
    return Finding("inheritance", conclusion, tuple(steps), facts)
