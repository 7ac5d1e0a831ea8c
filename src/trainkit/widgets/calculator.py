"""The 低保 calculator: enter a household, see the decision, each step and its legal basis."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from ..markup import STYLE, badge, e, link
from ..policy import PROGRAMS, BeforeFirstDate, Household, Income, Member, dibao
from ..policy.decision import Decision
from ..policy.household import EXCLUSION_TITLES, RELATION_TITLES
from ..quiz import as_number
from .looks import look

__all__ = ["DibaoCalculator", "dibao_calculator"]

STUDY = [
    ("不在校", "none"),
    ("高中/中职在读", "secondary"),
    ("本科/专科在读", "undergraduate"),
    ("研究生在读", "postgraduate"),
]
EXCLUDED = [("—", None), *((t, k) for k, t in EXCLUSION_TITLES.items())]
VERDICT_CLASS = {True: "tk-ok", False: "tk-bad", None: "tk-wait"}


class MemberRow(w.HBox):
    """One household member: relation, age, living together, study, exclusion, incomes."""

    def __init__(self, relation: str = "applicant"):
        choice, number = look("choice"), look("number")
        self.relation = w.Dropdown(
            options=[(t, k) for k, t in RELATION_TITLES.items()],
            value=relation,
            layout=w.Layout(width="130px"),
            style=choice,
        )
        self.age = w.Text(placeholder="年龄", layout=w.Layout(width="60px"), style=number)
        self.together = w.Checkbox(
            value=True, description="长期共同居住", indent=False, layout=w.Layout(width="115px"), style=look("check")
        )
        self.study = w.Dropdown(options=STUDY, value="none", layout=w.Layout(width="125px"), style=choice)
        self.excluded = w.Dropdown(options=EXCLUDED, value=None, layout=w.Layout(width="150px"), style=choice)
        self.counted_income = w.Text(placeholder="计入收入/月", layout=w.Layout(width="100px"), style=number)
        self.other_income = w.Text(placeholder="不计入收入/月", layout=w.Layout(width="110px"), style=number)
        super().__init__(
            [self.relation, self.age, self.together, self.study, self.excluded, self.counted_income, self.other_income],
            layout=look("plain"),
        )

    def member(self, number: int) -> Member:
        """The member entered, or ValueError with a friendly message naming the row and field."""
        age = as_number(self.age.value)
        if age is None or age != int(age) or not 0 <= age <= 120:
            raise ValueError(f"第{number}位成员的年龄“{self.age.value}”不对：请填写 0 到 120 之间的整数。")
        incomes = []
        for box, kind, title in (
            (self.counted_income, "wages", "计入收入"),
            (self.other_income, "preferential_pension", "不计入收入"),
        ):
            if not box.value.strip():
                continue
            amount = as_number(box.value)
            if amount is None or amount < 0:
                raise ValueError(f"第{number}位成员的{title}“{box.value}”不对：请填写不小于 0 的金额，如 1389。")
            if amount > 1_000_000:
                raise ValueError(f"第{number}位成员的{title} {amount} 元/月 明显过大，请核对是否多填了位数。")
            incomes.append(Income(kind=kind, monthly=amount))
        return Member(
            relation=self.relation.value,
            age=int(age),
            lives_together=self.together.value,
            full_time_study=self.study.value,
            excluded_as=self.excluded.value,
            incomes=tuple(incomes),
        )


class DibaoCalculator(w.VBox):
    """Up to eight members; 计算 shows the decision with its reasons and sources."""

    def __init__(self):
        self.on = w.DatePicker(
            description="判断日期", value=dt.date.today(), layout=look("plain"), style=look("choice")
        )
        self.rural = w.ToggleButtons(
            options=[("城市标准", False), ("农村标准（普兰店、瓦房店、庄河）", True)], value=False
        )
        self.property = w.RadioButtons(
            description="财产核查",
            options=[("符合本地规定", "passed"), ("不符合", "failed"), ("尚未核查", "unknown")],
            value="passed",
            layout=look("plain"),
            style=look("choice"),
        )
        self.rows = w.VBox([MemberRow("applicant")], layout=look("plain"))
        add = w.Button(description="添加成员", icon="plus", layout=look("plain"), style=look("button"))
        remove = w.Button(description="删除最后一位", layout=look("plain"), style=look("button"))
        add.on_click(lambda _b: self.add_member())
        remove.on_click(lambda _b: self.remove_member())
        self.compute = w.Button(description="计算", button_style="primary", layout=look("plain"), style=look("button"))
        self.compute.on_click(lambda _b: self.show())
        self.result = w.HTML(layout=look("plain"), style=look("text"))
        header = w.HTML(
            f"{STYLE}<div class='tk tk-muted'>每行一位成员：关系 · 年龄 · 是否长期共同居住 · "
            "在校情况 · 不计入情形 · 计入的月收入（工资、经营、财产、转移性收入）· "
            "不计入的月收入（如优待抚恤金）</div>",
            layout=look("plain"),
            style=look("text"),
        )
        buttons = w.HBox([add, remove, self.compute], layout=look("plain"))
        super().__init__(
            [self.on, self.rural, self.property, header, self.rows, buttons, self.result], layout=look("plain")
        )

    def add_member(self, relation: str = "spouse") -> MemberRow:
        if len(self.rows.children) >= 8:
            self.result.value = f"{STYLE}<div class='tk tk-wait'>最多录入 8 位成员。</div>"
            return self.rows.children[-1]
        row = MemberRow(relation)
        self.rows.children = [*self.rows.children, row]
        return row

    def remove_member(self) -> None:
        if len(self.rows.children) > 1:
            self.rows.children = self.rows.children[:-1]

    def household(self) -> Household:
        members = tuple(row.member(i) for i, row in enumerate(self.rows.children, start=1))
        return Household(rural_standard=self.rural.value, property_check=self.property.value, members=members)

    def decide(self) -> Decision:
        if self.on.value is None:
            raise ValueError("请选择判断日期。")
        return dibao.evaluate(self.household(), self.on.value)

    def show(self) -> None:
        try:
            decision = self.decide()
        except (ValueError, BeforeFirstDate) as err:
            self.result.value = f"{STYLE}<div class='tk tk-wait'>{e(err)}</div>"
            return
        self.result.value = render_decision(decision)


def render_decision(d: Decision) -> str:
    """A decision as HTML: the verdict, the amount, then every reason with its source."""
    amount = f"，{amount_label(d)} <b>{d.amount} 元</b>" if d.amount is not None else ""
    steps = []
    for r in d.reasons:
        src = ""
        if r.citation:
            src = f"<span class='tk-muted'>（{e(r.citation.label)}：“{e(r.citation.quote)}”）</span>"
        elif r.reference:
            src = f"<span class='tk-muted'>（{link(r.reference.title, r.reference.href)} {badge(r.reference.status)}）</span>"
        steps.append(f"<li>{e(r.text)}{src}</li>")
    missing = "".join(f"<li>{e(m)}</li>" for m in d.missing)
    return (
        f"{STYLE}<div class='tk'><div class='tk-card'><div class='{VERDICT_CLASS[d.eligible]}'>"
        f"{d.on} 判断结果：{e(d.verdict)}{amount}</div><ol>{''.join(steps)}</ol>"
        f"{f'<div class=tk-wait>还需核实：</div><ul>{missing}</ul>' if missing else ''}</div></div>"
    )


def amount_label(d: Decision) -> str:
    """What the amount is, in the program's own words ("每月补差", "每月高龄津贴" …)."""
    program = PROGRAMS.get(d.program)
    return getattr(program, "AMOUNT", None) or {"month": "每月金额", "year": "每年金额"}.get(d.period, "金额")


def dibao_calculator() -> DibaoCalculator:
    """Show the 低保 calculator."""
    return DibaoCalculator()
