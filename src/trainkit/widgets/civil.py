"""民法典 calculators for the mediation lessons: fill in a form, see the conclusion with each
step and the article it quotes. Like the 低保 calculator they record nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ipywidgets as w

from ..civil import Finding, deadline, inheritance, vote
from ..content import ContentError, parse
from ..markup import STYLE, e
from ..quiz import as_number
from .looks import look

__all__ = [
    "DeadlineCalculator",
    "InheritanceCalculator",
    "VoteCalculator",
    "deadline_calculator",
    "inheritance_calculator",
    "render_finding",
    "vote_calculator",
]

VERDICT_CLASS: dict[Any, str] = {True: "tk-ok", False: "tk-bad"}


def render_finding(f: Finding) -> str:
    """A finding as HTML: the conclusion, then every step with the article it quotes."""
    steps = []
    for s in f.steps:
        src = f"<br><span class='tk-muted'>{e(s.citation.label)}：“{e(s.citation.quote)}”</span>" if s.citation else ""
        steps.append(f"<li>{e(s.text)}{src}</li>")
    verdict = VERDICT_CLASS.get(f.facts.get("passed"), "")
    return (
        f"{STYLE}<div class='tk'><div class='tk-card'><div class='{verdict}'>结论：{e(f.conclusion)}</div>"
        f"<ol>{''.join(steps)}</ol></div></div>"
    )


FIELD_TITLES = {
    "matter": "表决事项",
    "total": "全体业主",
    "participating": "参与表决",
    "agreeing": "同意",
    "area": "面积",
    "owners": "人数",
    "people": "亲属",
    "name": "姓名",
    "through": "被代位人",
    "start": "起算日",
    "asked_on": "询问日",
    "holidays": "法定休假日",
    "decedent": "被继承人",
}


def _field(path: str) -> str:
    """``holidays.0`` as 法定休假日第1项, for a learner who never sees the YAML keys."""
    parts = [f"第{int(p) + 1}项" if p.isdigit() else FIELD_TITLES.get(p, p) for p in path.split(".")]
    return "".join(parts)


def _problem(text: str) -> str:
    lines = []
    for line in text.splitlines():
        where, _, rest = line.removeprefix("表单: ").partition(": ")
        lines.append(rest if where == "(文件)" else f"{_field(where)}：{rest}" if rest else line)
    return f"{STYLE}<div class='tk tk-wait'>{'<br>'.join(e(x) for x in lines)}</div>"


class _Calculator(w.VBox):
    """A form, a 计算 button and the result; subclasses build ``case()``."""

    module: Any

    def _finish(self, children: list[w.Widget]) -> None:
        self.compute = w.Button(description="计算", button_style="primary")
        self.compute.on_click(lambda _b: self.show())
        self.result = w.HTML()
        super().__init__([*children, self.compute, self.result])

    def case(self) -> dict[str, Any]:
        raise NotImplementedError

    def decide(self) -> Finding:
        return self.module.evaluate(parse(self.module.Case, self.case(), "表单"))

    def show(self) -> None:
        try:
            finding = self.decide()
        except (ValueError, ContentError) as err:
            self.result.value = _problem(str(err))
            return
        self.result.value = render_finding(finding)


def _number(box: w.Text, what: str, *, whole: bool = False) -> Any:
    value = as_number(re.sub(r"(平方米|㎡|人)$", "", box.value.strip()))
    if value is None or value < 0 or (whole and value != int(value)):
        kind = "不小于 0 的整数" if whole else "不小于 0 的数字"
        raise ValueError(f"{what}“{box.value}”不对：请填写{kind}。")
    return int(value) if whole else str(value)


class VoteCalculator(_Calculator):
    """第二百七十八条：事项、全体/参与表决/同意的专有部分面积和人数。"""

    module = vote

    def __init__(self):
        self.matter = w.Dropdown(
            description="表决事项",
            options=[(c.quote, n) for n, c in vote.matters().items()],
            value=4,
            layout=w.Layout(width="560px"),
            style={"description_width": "80px"},
        )
        self.boxes = {}
        rows = []
        for key, title in (("total", "全体业主"), ("participating", "参与表决"), ("agreeing", "同意")):
            area = w.Text(placeholder="面积（平方米）", layout=look("narrow"))
            owners = w.Text(placeholder="人数", layout=look("narrow"))
            self.boxes[key] = (area, owners)
            rows.append(w.HBox([w.Label(title, layout=w.Layout(width="80px")), area, owners]))
        self._finish([self.matter, *rows])

    def case(self) -> dict[str, Any]:
        out: dict[str, Any] = {"matter": self.matter.value}
        for key, (area, owners) in self.boxes.items():
            title = {"total": "全体业主", "participating": "参与表决", "agreeing": "同意"}[key]
            out[key] = {
                "area": _number(area, f"{title}的面积"),
                "owners": _number(owners, f"{title}的人数", whole=True),
            }
        return out


DIED = [("在世", None), ("先于被继承人去世", "before"), ("后于被继承人去世", "after")]
FLAGS = [
    ("renounced", "书面放弃继承"),
    ("lost_right", "丧失继承权"),
    ("main_support", "尽了主要扶养/赡养义务"),
    ("lived_with", "与被继承人共同生活"),
    ("hardship", "生活有特殊困难又缺乏劳动能力"),
    ("failed_duty", "有能力却不尽扶养义务"),
    ("no_labor_no_income", "缺乏劳动能力又没有生活来源"),
]


class PersonRow(w.VBox):
    """One relative: name, relation, whom he or she represents, when died, and the facts that matter."""

    def __init__(self, relation: str = "spouse"):
        self.name = w.Text(placeholder="姓名或称呼", layout=look("narrow"), style=look("number"))
        self.relation = w.Dropdown(
            options=[(t, k) for k, t in inheritance.RELATION_TITLES.items()],
            value=relation,
            layout=w.Layout(width="200px"),
            style=look("choice"),
        )
        self.through = w.Text(placeholder="代位：被代位人姓名", layout=w.Layout(width="150px"), style=look("number"))
        self.died = w.Dropdown(options=DIED, value=None, layout=w.Layout(width="150px"), style=look("choice"))
        self.flags = {
            k: w.Checkbox(description=t, indent=False, layout=look("wide"), style=look("check")) for k, t in FLAGS
        }
        super().__init__(
            [
                w.HBox([self.name, self.relation, self.died, self.through]),
                w.HBox(list(self.flags.values()), layout=w.Layout(flex_flow="row wrap")),
            ],
            layout=w.Layout(border="1px solid #d0d7de", padding="4px", margin="2px 0"),
        )

    def person(self, number: int) -> dict[str, Any]:
        name = self.name.value.strip()
        if not name:
            raise ValueError(f"第{number}位亲属没有填姓名或称呼。")
        out: dict[str, Any] = {"name": name, "relation": self.relation.value, "died": self.died.value}
        if self.through.value.strip():
            out["through"] = self.through.value.strip()
        out.update({k: box.value for k, box in self.flags.items()})
        return out


class InheritanceCalculator(_Calculator):
    """法定继承：被继承人、亲属逐一录入，是否有遗嘱、有无遗产债务。"""

    module = inheritance

    def __init__(self):
        self.decedent = w.Text(description="被继承人", value="被继承人", layout=look("plain"), style=look("number"))
        self.will = w.Checkbox(description="有遗嘱", indent=False, layout=look("plain"), style=look("check"))
        self.debts = w.Checkbox(description="有遗产债务", indent=False, layout=look("plain"), style=look("check"))
        self.agreed = w.Checkbox(
            description="继承人协商同意不均等", indent=False, layout=look("plain"), style=look("check")
        )
        self.rows = w.VBox([PersonRow("spouse")])
        add = w.Button(description="添加亲属", icon="plus")
        remove = w.Button(description="删除最后一位")
        add.on_click(lambda _b: self.add_person())
        remove.on_click(lambda _b: self.remove_person())
        note = w.HTML(
            f"{STYLE}<div class='tk tk-muted'>每位亲属一栏。先去世的子女或兄弟姐妹也要列出（选“先于被继承人去世”），"
            "代位继承人在“被代位人姓名”里写他的名字。丧偶儿媳/女婿是否尽了主要赡养义务、是否丧失继承权，"
            "按核实的事实勾选；有争议的由人民法院认定。</div>"
        )
        self._finish(
            [self.decedent, w.HBox([self.will, self.debts, self.agreed]), note, self.rows, w.HBox([add, remove])]
        )

    def add_person(self, relation: str = "child") -> PersonRow:
        if len(self.rows.children) >= 12:
            self.result.value = _problem("最多录入 12 位亲属。")
            return self.rows.children[-1]
        row = PersonRow(relation)
        self.rows.children = [*self.rows.children, row]
        return row

    def remove_person(self) -> None:
        if len(self.rows.children) > 1:
            self.rows.children = self.rows.children[:-1]

    def case(self) -> dict[str, Any]:
        return {
            "decedent": self.decedent.value.strip() or "被继承人",
            "will": self.will.value,
            "debts": self.debts.value,
            "agreed_unequal": self.agreed.value,
            "people": [row.person(i) for i, row in enumerate(self.rows.children, start=1)],
        }


class DeadlineCalculator(_Calculator):
    """离婚冷静期或司法确认：起算日、询问日和最后一日附近的法定休假日。"""

    module = deadline

    def __init__(self):
        self.kind = w.ToggleButtons(
            options=[("离婚冷静期", "divorce_cooling_off"), ("司法确认", "judicial_confirmation")],
            value="divorce_cooling_off",
        )
        self.start = w.DatePicker(description="起算日")
        self.asked = w.DatePicker(description="询问日", value=dt.date.today())
        self.holidays = w.Textarea(
            placeholder="最后一日附近的法定休假日（含周末），每个日期 YYYY-MM-DD，用空格或逗号分开",
            layout=w.Layout(width="560px", height="60px"),
        )
        note = w.HTML(
            f"{STYLE}<div class='tk tk-muted'>起算日：离婚冷静期填婚姻登记机关收到离婚登记申请之日；"
            "司法确认填调解协议生效之日。工具包没有节假日日历，只按你列出的休假日顺延。</div>"
        )
        self._finish([self.kind, self.start, self.asked, self.holidays, note])

    def case(self) -> dict[str, Any]:
        if self.start.value is None:
            raise ValueError("请选择起算日。")
        days = [d for d in re.split(r"[\s,，、；;]+", self.holidays.value.strip()) if d]
        out: dict[str, Any] = {"kind": self.kind.value, "start": self.start.value, "holidays": days}
        if self.asked.value is not None:
            out["asked_on"] = self.asked.value
        return out


def vote_calculator() -> VoteCalculator:
    """Show the 业主共同决定 calculator."""
    return VoteCalculator()


def inheritance_calculator() -> InheritanceCalculator:
    """Show the 法定继承 calculator."""
    return InheritanceCalculator()


def deadline_calculator() -> DeadlineCalculator:
    """Show the 离婚冷静期/司法确认 calculator."""
    return DeadlineCalculator()
