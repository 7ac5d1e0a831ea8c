"""Mediation cases: one YAML file per case under ``casebank/cases/<area>/``, one schema.

A case is a realistic community dispute told by its parties, walked through as a
branching sequence of decision points. Every legal point is a statute citation with an
exact quote; the debrief says what the law says and what a good mediator does; the
limits say when mediation must give way to 诉讼, 仲裁, 公安, 妇联 or 法律援助.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .app_text import unfold
from .content import ContentError, casebank_root, load_named, yaml_files
from .filecache import by_file
from .law import Citation

__all__ = [
    "Case",
    "Option",
    "Step",
    "load_case",
    "load_cases",
    "new_case_template",
    "personal_data_warnings",
    "walk_score",
]

END = "end"
Referral = Literal["诉讼", "仲裁", "公安", "妇联", "法律援助", "人民法院", "行政机关", "公证", "其他"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _unfold(cls, value: object) -> object:
        # a line folded by YAML (``>``) leaves a space between two Chinese characters: not the author's
        return unfold(value) if isinstance(value, str) else value


class Party(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(description="虚构姓名或称呼，如 陈女士")
    role: str = Field(description="身份，如 业主、物业经理、长子")
    position: str = Field(min_length=10, description="立场：当事人自己的话")
    interests: str = Field(min_length=10, description="立场背后的真实需求与顾虑")


class Option(_Strict):
    key: str = Field(pattern=r"^[A-F]$")
    text: str
    feedback: str = Field(min_length=10)
    score: float = Field(ge=0, le=1, description="这个选择的好坏：1 最佳，0 错误")
    next: str = Field(description="下一步的 id，或 end")


class Step(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    situation: str | None = Field(default=None, description="进入这一步时的新情况")
    prompt: str
    options: tuple[Option, ...] = Field(min_length=2)


class Limit(_Strict):
    when: str
    refer_to: Referral
    why: str


class Criterion(_Strict):
    criterion: str
    points: int = Field(ge=1, le=10)
    looks_for: str = Field(min_length=10)


class Debrief(_Strict):
    law: str = Field(min_length=30, description="法律怎么说")
    mediator: str = Field(min_length=30, description="好的调解员怎么做（自愿、平等、合法，不阻止诉讼）")


class Case(_Strict):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    area: str
    items: tuple[str, ...] = Field(min_length=1)
    difficulty: Literal[1, 2, 3] = Field(description="1 入门、2 进阶、3 复杂")
    contributed_by: str = Field(default="trainkit 编写组", description="投稿人（可写岗位，不写真实姓名）")
    facts: str = Field(min_length=80)
    parties: tuple[Party, ...] = Field(min_length=2)
    citations: tuple[Citation, ...] = Field(min_length=2)
    steps: tuple[Step, ...] = Field(min_length=3)
    debrief: Debrief
    limits: tuple[Limit, ...] = Field(min_length=1)
    rubric: tuple[Criterion, ...] = Field(min_length=3)

    @model_validator(mode="after")
    def _branches_hold_together(self) -> Case:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("steps 的 id 重复")
        for step in self.steps:
            keys = [o.key for o in step.options]
            if len(set(keys)) != len(keys):
                raise ValueError(f"步骤 {step.id} 的选项字母重复")
            for option in step.options:
                if option.next != END and option.next not in ids:
                    raise ValueError(f"步骤 {step.id} 选项 {option.key} 的 next '{option.next}' 不存在")
                if option.next == step.id:
                    raise ValueError(f"步骤 {step.id} 选项 {option.key} 指向自己")
        if not any(len({o.next for o in s.options}) > 1 for s in self.steps):
            raise ValueError("至少要有一个真正的分支：同一步骤的不同选项通向不同的下一步")
        reachable, frontier = {ids[0]}, [ids[0]]
        by_id = {s.id: s for s in self.steps}
        while frontier:
            for option in by_id[frontier.pop()].options:
                if option.next != END and option.next not in reachable:
                    reachable.add(option.next)
                    frontier.append(option.next)
        if unreachable := [i for i in ids if i not in reachable]:
            raise ValueError(f"从第一步走不到的步骤：{', '.join(unreachable)}")
        if _longest_path(by_id, ids[0], set()) < 3:
            raise ValueError("每条路线至少经过 3 个决策点")
        return self

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


def _longest_path(by_id: dict[str, Step], at: str, seen: set[str]) -> int:
    if at in seen:
        raise ValueError(f"步骤之间有循环（经过 {at}）")
    seen = seen | {at}
    return 1 + max((_longest_path(by_id, o.next, seen) for o in by_id[at].options if o.next != END), default=0)


def walk_score(case: Case, choices: list[str]) -> float:
    """Mean option score along the path the choices take (0–1)."""
    step, scores = case.steps[0], []
    for key in choices:
        option = next(o for o in step.options if o.key == key)
        scores.append(option.score)
        if option.next == END:
            break
        step = case.step(option.next)
    return sum(scores) / len(scores) if scores else 0.0


@by_file
def _load(path: Path) -> Case:
    case = load_named(Case, path)
    if case.area != path.parent.name:
        raise ContentError(f"{path}: area: '{case.area}' 与所在文件夹 {path.parent.name} 不一致")
    return case


def load_cases(area: str | None = None) -> dict[str, Case]:
    """Every case (of one area), by id."""
    cases = {c.id: c for c in map(_load, yaml_files("cases"))}
    return {k: c for k, c in cases.items() if area is None or c.area == area}


def load_case(case_id: str) -> Case:
    cases = load_cases()
    if case_id not in cases:
        raise ContentError(f"{casebank_root() / 'cases'}: 找不到案例 {case_id}")
    return cases[case_id]


_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ADDRESS = re.compile(r"[\u4e00-\u9fa5]{2,}(路|街|大道|胡同)\d+号(?!院)|\d+号楼\d+单元\d+(室|号)")


def personal_data_warnings(text: str) -> list[str]:
    """What in a case looks like real personal data (ID numbers, mobile numbers, exact addresses)."""
    found = []
    for pattern, what in ((_ID_NUMBER, "身份证号"), (_PHONE, "手机号"), (_ADDRESS, "精确门牌地址")):
        for match in pattern.finditer(text):
            found.append(f"疑似{what}“{match.group(0)}”：请去标识化（改为虚构或删除）")
    return found


def new_case_template(area: str, case_id: str) -> str:
    """A commented YAML template for an experienced worker's case in ``area``."""
    from importlib import resources

    from .framework import load_framework

    mediation = next((d for d in load_framework().domains if any(a.id == area for a in d.areas)), None)
    if mediation is None:
        areas = [a.id for d in load_framework().domains for a in d.areas]
        raise ValueError(f"未知调解领域 {area}（可用：{', '.join(areas)}）")
    item = next(i.id for i in mediation.items if i.area == area)
    title = next(a.title for a in mediation.areas if a.id == area)
    text = (resources.files("trainkit") / "templates" / "case-template.yaml.in").read_text(encoding="utf-8")
    return text.format(area=area, area_title=title, item=item, case_id=case_id)
