"""A decision widget for any program: start from one of its hand-worked scenarios, change
the facts in a form, and see the decision with each reason and its legal basis."""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

import ipywidgets as w
from pydantic import BaseModel, ValidationError

from ..markup import STYLE, e
from ..policy import PROGRAMS, BeforeFirstDate, Household
from ..policy.household import EXCLUSION_TITLES, RELATION_TITLES
from ..policy.scenarios import load_scenarios
from ..policy.shared import KIND_TITLES
from ..quiz import as_number
from .calculator import render_decision
from .looks import look

__all__ = ["DecisionWidget", "decision_widget"]

LABELS = {
    "age": "年龄",
    "birth_date": "出生日期",
    "sex": "性别",
    "hukou_dalian": "大连户籍",
    "lives_together": "长期共同居住",
    "cannot_live_independently": "不能独立生活",
    "full_time_study": "在校情况",
    "statutory_duty": "有法定扶养义务",
    "excluded_as": "不计入情形",
    "severe_illness": "患重特大疾病",
    "chronic_illness": "患慢性病",
    "pregnant_weeks": "孕周",
    "supporters": "法定义务人",
    "employment": "就业状况",
    "registered_unemployed_months": "登记失业月数",
    "landless_farmer": "失地农民",
    "released_from_custody": "刑满释放或解除强制戒毒",
    "graduated_within_2y": "离校两年内高校毕业生",
    "employee_pension": "参加职工养老保险",
    "resident_pension_years": "居民养老缴费年限",
    "employee_medical": "参加职工医保",
    "resident_medical_enrolled": "本年已参加居民医保",
    "medical_lapsed_years": "居民医保断缴年数",
    "flexible_insurance_paid_monthly": "灵活就业月缴费（元）",
    "flexible_subsidy_first_approved": "补贴首次核准日期",
    "employment_difficulty_recognised": "已认定就业困难",
    "medical_enrol_late": "集中参保期外参保",
    "rural_standard": "执行农村标准",
    "property_check": "财产核查",
    "receives": "正在享受",
    "emergency": "急难情形",
    "emergency_hardship": "急难造成严重困难",
    "kind": "类别",
    "grade": "等级",
    "only_child": "只有一个子女",
    "child_outcome": "子女情况",
    "child_disability_grade": "子女残疾等级",
    "later_child": "此后又生育或收养",
    "certificate": "持独生子女父母光荣证",
    "disability": "残疾",
    "family_planning": "计划生育情况",
}
YES_NO = {True: "是", False: "否"}
CHOICES = {
    "female": "女",
    "male": "男",
    "none": "无",
    "secondary": "高中/中职在读",
    "undergraduate": "本科/专科在读",
    "postgraduate": "研究生在读",
    "able": "有能力",
    "unable": "无能力",
    "employed": "就业",
    "flexible": "灵活就业",
    "unemployed": "失业",
    "retired": "退休",
    "passed": "符合",
    "failed": "不符合",
    "unknown": "尚未核查",
    "fire": "火灾",
    "traffic_accident": "交通事故",
    "sudden_illness": "突发重病",
    "spending_surge": "支出骤增",
    "other": "其他",
    "living": "健在",
    "died": "死亡",
    "disabled": "伤残",
    **KIND_TITLES,  # 残疾类别
    **EXCLUSION_TITLES,
}


def _kind(annotation: Any) -> tuple[str, Any]:
    """('bool'|'int'|'decimal'|'date'|'choice'|'model'|'other', detail) for a field annotation."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    optional = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    if optional and args == [bool]:  # yes / no / not recorded: three answers, not a checkbox
        return "choice", ([True, False], True)
    if optional and len(args) == 1:
        kind, detail = _kind(args[0])
        return kind, (detail[0], True) if kind == "choice" else detail
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", (list(typing.get_args(annotation)), False)
    for python_type, name in ((bool, "bool"), (int, "int"), (Decimal, "decimal"), (dt.date, "date")):
        if annotation is python_type:
            return name, None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    return "other", None


class _Field:
    """One editable value: a widget and how to read it back."""

    def __init__(self, name: str, annotation: Any, value: Any):
        self.name, (self.kind, self.detail) = name, _kind(annotation)
        label = LABELS.get(name, name)
        if self.kind == "bool":
            self.widget = w.Checkbox(
                value=bool(value), description=label, indent=False, layout=look("plain"), style=look("check")
            )
        elif self.kind == "date":
            self.widget = w.DatePicker(value=value, description=label, layout=look("plain"), style=look("choice"))
        elif self.kind == "choice":
            options, optional = self.detail
            pairs = [(YES_NO[o] if isinstance(o, bool) else CHOICES.get(o, o), o) for o in options]
            if optional:
                pairs.append(("未登记" if isinstance(options[0], bool) else "—", None))
            self.widget = w.Dropdown(
                options=pairs, value=value, description=label, layout=look("plain"), style=look("choice")
            )
        else:
            self.widget = w.Text(
                value="" if value is None else str(value),
                description=label,
                layout=look("plain"),
                style=look("number"),
            )

    def read(self) -> Any:
        if self.kind in ("int", "decimal"):
            text = self.widget.value.strip()
            if not text:
                return None
            number = as_number(text)
            if number is None or number < 0:
                raise ValueError(f"“{LABELS.get(self.name, self.name)}”应填写不小于 0 的数字，现在是“{text}”")
            return int(number) if self.kind == "int" else number
        return self.widget.value


class DecisionWidget(w.VBox):
    """Pick a scenario, edit its facts, press 判断."""

    def __init__(self, program: str):
        if program not in PROGRAMS:
            raise ValueError(f"未知项目 {program}（可用：{', '.join(PROGRAMS)}）")
        self.program = PROGRAMS[program]
        self.scenarios = load_scenarios()[program].scenarios
        self.picker = w.Dropdown(
            options=[(s.name, i) for i, s in enumerate(self.scenarios)],
            value=0,
            description="情景",
            layout=w.Layout(width="95%"),
            style=look("choice"),
        )
        self.on = w.DatePicker(description="判断日期", layout=look("plain"), style=look("choice"))
        self.form = w.VBox(layout=look("plain"))
        self.decide = w.Button(description="判断", button_style="primary", layout=look("plain"), style=look("button"))
        self.result = w.HTML(layout=look("plain"), style=look("text"))
        self.picker.observe(lambda _c: self.load(self.picker.value), "value")
        self.decide.on_click(lambda _b: self.show())
        title = w.HTML(
            f"{STYLE}<div class='tk'><b>{e(self.program.TITLE)}</b>：先选一个已经手工算过的情景，"
            "再改动下面的事实（年龄、收入、日期……），看看结论怎么变。</div>",
            layout=look("plain"),
            style=look("text"),
        )
        super().__init__([title, self.picker, self.on, self.form, self.decide, self.result], layout=look("plain"))
        self.load(0)

    def load(self, index: int) -> None:
        scenario = self.scenarios[index]
        self.on.value = scenario.date
        self.fields: list[tuple[tuple, _Field]] = []
        boxes = [self._box(scenario.household, ("household",), "家庭情况")]
        for i, member in enumerate(scenario.household.members):
            title = f"{member.name or RELATION_TITLES[member.relation]}（{RELATION_TITLES[member.relation]}）"
            boxes.append(self._box(member, ("members", i), title))
        self.form.children = boxes
        self.base = scenario.household.model_dump()
        self.result.value = f"{STYLE}<div class='tk tk-muted'>手工算法：{e(scenario.why)}</div>"

    def _box(self, model: BaseModel, path: tuple, title: str) -> w.Widget:
        rows = []
        for name in sorted(model.model_fields_set, key=list(type(model).model_fields).index):
            if name in ("members", "name", "relation", "id"):
                continue
            annotation = type(model).model_fields[name].annotation
            value = getattr(model, name)
            if name == "incomes":
                for j, income in enumerate(value):
                    field = _Field(f"{income.kind}", Decimal, income.monthly)
                    field.widget.description = f"月收入·{income.kind}"
                    self.fields.append(((*path, "incomes", j, "monthly"), field))
                    rows.append(field.widget)
                continue
            kind, detail = _kind(annotation)
            if kind == "model" and value is not None:
                for sub in value.model_fields_set:
                    field = _Field(sub, type(value).model_fields[sub].annotation, getattr(value, sub))
                    self.fields.append(((*path, name, sub), field))
                    rows.append(field.widget)
                continue
            if kind == "other":
                continue
            field = _Field(name, annotation, value)
            self.fields.append(((*path, name), field))
            rows.append(field.widget)
        return w.VBox(
            [w.HTML(f"<b>{e(title)}</b>", layout=look("plain"), style=look("text")), *rows], layout=look("group")
        )

    def household(self) -> Household:
        data = self.base
        data = {**data, "members": [dict(m) for m in data["members"]]}
        for path, field in self.fields:
            node: Any = data if path[0] == "household" else data["members"][path[1]]
            keys = path[1:] if path[0] == "household" else path[2:]
            for key in keys[:-1]:
                node[key] = [dict(x) for x in node[key]] if isinstance(node[key], (list, tuple)) else dict(node[key])
                node = node[key]
            value = field.read()
            if value is None and keys[-1] in ("monthly",):
                value = Decimal(0)
            node[keys[-1]] = value
        return Household.model_validate(data)

    def show(self) -> None:
        try:
            decision = self.program.evaluate(self.household(), self.on.value)
        except ValidationError as err:
            first = err.errors()[0]
            where = "·".join(LABELS.get(str(p), str(p)) for p in first["loc"] if not isinstance(p, int))
            self.result.value = f"{STYLE}<div class='tk tk-wait'>填写有误（{e(where)}）：{e(first['msg'])}</div>"
            return
        except (ValueError, BeforeFirstDate) as err:
            self.result.value = f"{STYLE}<div class='tk tk-wait'>{e(err)}</div>"
            return
        self.result.value = render_decision(decision)


def decision_widget(program: str) -> DecisionWidget:
    """Show the decision widget of one program, e.g. ``decision_widget("gaoling_jintie")``."""
    return DecisionWidget(program)
