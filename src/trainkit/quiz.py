"""Self-check banks: one YAML file per bank under ``casebank/quiz/``, one schema, one loader.

An item is single choice, multiple choice, true/false or numeric; it names the service
items it evidences, explains the answer and gives its source (a statute citation or a
reference). :func:`check_answer` marks an answer and says why, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .content import ContentError, load_named, yaml_files
from .filecache import by_file
from .law import Citation
from .policy.parameters import Reference

__all__ = [
    "Bank",
    "Item",
    "Marking",
    "Template",
    "as_number",
    "check_answer",
    "contest_ref",
    "load_bank",
    "load_banks",
    "question_key",
    "quiz_ref",
    "variant",
]

ItemType = Literal["single", "multiple", "true_false", "numeric"]
TYPE_TITLES = {"single": "单选", "multiple": "多选", "true_false": "判断", "numeric": "计算"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    key: str = Field(pattern=r"^[A-H]$")
    text: str
    feedback: str | None = None


class Template(_Strict):
    """How to make fresh variants of a household item: the same skill, other figures.

    ``prompt`` and ``household`` hold ``{name}`` placeholders; ``vary`` gives each name a
    range ``[low, high, step]``; ``base`` the values of the item's own prompt and answer.
    The answer of a variant comes from the program's rule.
    """

    prompt: str
    program: str
    date: dt.date
    household: dict[str, Any]
    vary: dict[str, tuple[Decimal, Decimal, Decimal]] = Field(min_length=1)
    base: dict[str, Decimal]
    ask: Literal["amount", "eligible"] = "amount"


class Item(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    type: ItemType
    items: tuple[str, ...] = Field(min_length=1, description="服务事项 id")
    prompt: str
    options: tuple[Option, ...] = ()
    answer: str | list[str] | Decimal | bool
    tolerance: Decimal = Decimal(0)
    unit: str | None = None
    explanation: str
    sources: tuple[Citation | Reference, ...] = Field(min_length=1)
    template: Template | None = None
    answer_map: dict[str, bool | None] | None = Field(
        default=None, description="判断类模板题：选项字母 → 符合(true)/不符合(false)/待核实(null)"
    )

    @model_validator(mode="after")
    def _answer_fits_type(self) -> Item:
        keys = [o.key for o in self.options]
        if self.type in ("single", "multiple"):
            if len(keys) < 2 or len(set(keys)) != len(keys):
                raise ValueError("选择题至少两个选项，且选项字母不能重复")
            wanted = [self.answer] if self.type == "single" else self.answer
            if self.type == "single" and not isinstance(self.answer, str):
                raise ValueError("单选题的 answer 应是一个选项字母")
            if self.type == "multiple" and not isinstance(self.answer, list):
                raise ValueError("多选题的 answer 应是选项字母列表")
            if not set(wanted) <= set(keys):
                raise ValueError(f"answer {self.answer} 不在选项 {keys} 中")
        elif self.type == "true_false" and not isinstance(self.answer, bool):
            raise ValueError("判断题的 answer 应是 true 或 false")
        elif self.type == "numeric" and (isinstance(self.answer, (bool, str, list))):
            raise ValueError("计算题的 answer 应是数字")
        return self


class Bank(_Strict):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    domain: str
    items: tuple[Item, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Marking:
    correct: bool
    message: str
    score: float
    answered: bool = True


UNITS = (
    "元/人/月",
    "元/月",
    "元",
    "个小时",
    "小时",
    "个月",
    "周岁",
    "岁",
    "人次",
    "人",
    "户",
    "天",
    "日",
    "周",
    "年",
    "次",
    "项",
    "个",
    "份",
    "名",
    "位",
    "%",
)


def as_number(text: object) -> Decimal | None:
    """Read what a learner typed: full-width digits, commas and a trailing 元 are fine."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace(" ", "")
    for unit in UNITS:
        if s.endswith(unit):
            s = s.removesuffix(unit)
            break
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check_answer(item: Item, answer: object) -> Marking:
    """Mark one answer. Multiple choice earns partial credit only when no wrong key is chosen."""
    if answer is None or answer == "" or answer == [] or answer == ():
        return Marking(False, "还没有作答：请先选择或填写答案。", 0.0, answered=False)
    if item.type == "numeric":
        value = as_number(answer)
        if value is None:
            return Marking(False, f"“{answer}”不是一个数字，请只填写数字（如 633）。", 0.0, answered=False)
        ok = abs(value - item.answer) <= item.tolerance
        return Marking(
            ok, "回答正确。" if ok else f"不对，正确答案是 {item.answer}{item.unit or ''}。", 1.0 if ok else 0.0
        )
    if item.type == "true_false":
        if not isinstance(answer, bool):
            return Marking(False, "请选择“正确”或“错误”。", 0.0, answered=False)
        ok = answer == item.answer
        right = "正确" if item.answer else "错误"
        return Marking(ok, "回答正确。" if ok else f"不对，这个说法是{right}的。", 1.0 if ok else 0.0)
    chosen = {answer} if isinstance(answer, str) else set(answer)
    right = {item.answer} if isinstance(item.answer, str) else set(item.answer)
    if chosen == right:
        return Marking(True, "回答正确。", 1.0)
    keys = "、".join(sorted(right))
    if item.type == "multiple" and chosen < right:
        return Marking(False, f"选得不全，正确答案是 {keys}。", len(chosen) / len(right) / 2)
    return Marking(False, f"不对，正确答案是 {keys}。", 0.0)


@by_file
def _load(path: Path) -> Bank:
    bank = load_named(Bank, path)
    ids = [i.id for i in bank.items]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise ContentError(f"{path}: items: 题目 id 重复：{', '.join(dupes)}")
    return bank


def load_banks() -> dict[str, Bank]:
    """Every self-check bank, by id."""
    return {b.id: b for b in map(_load, yaml_files("quiz"))}


def load_bank(bank_id: str) -> Bank:
    banks = load_banks()
    if bank_id not in banks:
        raise ContentError(f"quiz/{bank_id}.yaml: 文件不存在：未知自测题库 {bank_id}")
    return banks[bank_id]


def _fill(node: Any, values: dict[str, Decimal]) -> Any:
    if isinstance(node, str):
        return node.format(**{k: f"{v:f}" for k, v in values.items()})
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, values) for v in node]
    return node


def template_problems(item: Item) -> list[str]:
    """Whether the item's own prompt and answer are the template filled with ``base``."""
    t = item.template
    problems = []
    if _fill(t.prompt, t.base) != item.prompt:
        problems.append("prompt 与 template.prompt 代入 base 后的文字不一致")
    try:
        if template_answer(item, t.base) != item.answer:
            problems.append(f"answer {item.answer} 与规则算出的 {template_answer(item, t.base)} 不一致")
    except (ValueError, KeyError) as err:
        problems.append(str(err))
    return problems


def _decide(item: Item, values: dict[str, Decimal]):  # noqa: ANN202
    from .policy import PROGRAMS, Household

    t = item.template
    return PROGRAMS[t.program].evaluate(Household.model_validate(_fill(t.household, values)), t.date)


def template_answer(item: Item, values: dict[str, Decimal]) -> str | Decimal:
    """The answer the program's rule gives for the template filled with ``values``."""
    decision = _decide(item, values)
    if item.template.ask == "amount":
        if decision.amount is None:
            raise ValueError(f"{item.id}: 这组数值下没有金额（结论：{decision.verdict}）")
        return decision.amount
    keys = [k for k, v in (item.answer_map or {}).items() if v == decision.eligible]
    if len(keys) != 1:
        raise ValueError(f"{item.id}: answer_map 中没有唯一对应“{decision.verdict}”的选项")
    return keys[0]


def variant(item: Item, rng: random.Random, *, tries: int = 50) -> Item:
    """A fresh variant of a template item: new figures in the prompt, the answer from the rule."""
    if item.template is None:
        raise ValueError(f"{item.id} 没有模板，不能生成变式题")
    for _ in range(tries):
        values = {}
        for name, (low, high, step) in item.template.vary.items():
            steps = int((high - low) / step)
            values[name] = low + step * rng.randint(0, steps)
        if values == item.template.base:
            continue
        try:
            answer = template_answer(item, values)
        except ValueError:
            continue
        steps = "；".join(r.text for r in _decide(item, values).reasons)
        return item.model_copy(
            update={
                "prompt": _fill(item.template.prompt, values),
                "answer": answer,
                "explanation": f"按规则逐步判断：{steps}。",
            }
        )
    raise ValueError(f"{item.id}: {tries} 次都没有生成有效的变式，请检查 vary 的范围")


# Evidence refs of a self-check question: the same question answered in a lesson, in 每日15分钟
# or in a 练兵比武 round is one question for review scheduling and item analysis.


def quiz_ref(bank_id: str, item_id: str) -> str:
    """The evidence ref of one self-check item, wherever it is answered (lesson or 每日15分钟)."""
    return f"quiz:{bank_id}:{item_id}"


def contest_ref(contest_id: str, number: int, bank_id: str, item_id: str) -> str:
    """The evidence ref of question ``number`` of a 练兵比武 round, drawn from a self-check bank."""
    return f"contest:{contest_id}:q{number}:{bank_id}:{item_id}"


def question_key(ref: str) -> tuple[str, str] | None:
    """``(bank, item)`` of a self-check ref: ``quiz:<bank>:<item>`` or ``contest:<id>:<q>:<bank>:<item>``."""
    parts = ref.split(":")
    if parts[0] == "quiz" and len(parts) == 3:
        return parts[1], parts[2]
    if parts[0] == "contest" and len(parts) == 5:
        return parts[3], parts[4]
    return None
