"""A household record as the rules read it (YAML or JSON; see ``casebank/households/``)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..content import ContentError, casebank_root, parse, read_yaml
from .parameters import Reference

__all__ = ["Household", "Income", "IncomeKind", "Member", "load_household", "vocabulary"]

Relation = Literal[
    "applicant", "spouse", "child", "parent", "parent_in_law",
    "grandparent", "grandchild", "sibling", "other",
]
RELATION_TITLES = {
    "applicant": "申请人", "spouse": "配偶", "child": "子女", "parent": "父母",
    "parent_in_law": "公婆/岳父母", "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女", "sibling": "兄弟姐妹", "other": "其他人员",
}
Exclusion = Literal["religious_apart_3y", "prison", "drug_rehab", "declared_missing", "provincial"]
EXCLUSION_TITLES = {
    "religious_apart_3y": "连续三年以上脱离家庭独立生活的宗教教职人员",
    "prison": "在监狱内服刑人员",
    "drug_rehab": "在戒毒所强制隔离戒毒人员",
    "declared_missing": "宣告失踪人员",
    "provincial": "省级民政部门认定不计入的其他人员",
}
Study = Literal["none", "secondary", "undergraduate", "postgraduate"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Income(_Strict):
    kind: str
    monthly: Decimal = Field(ge=0, description="月收入，元")

    @field_validator("kind")
    @classmethod
    def _declared(cls, kind: str) -> str:
        kinds = {k.id for k in vocabulary().income_kinds}
        if kind not in kinds:
            raise ValueError(f"未知收入类型 '{kind}'（可用：{', '.join(sorted(kinds))}）")
        return kind


class Member(_Strict):
    name: str = ""
    relation: Relation
    age: int = Field(ge=0, le=120)
    lives_together: bool = True
    cannot_live_independently: bool = False
    full_time_study: Study = "none"
    statutory_duty: bool = False
    excluded_as: Exclusion | None = None
    incomes: tuple[Income, ...] = ()

    @property
    def label(self) -> str:
        title = RELATION_TITLES[self.relation]
        return f"{self.name}（{title}，{self.age}岁）" if self.name else f"{title}（{self.age}岁）"


class Household(_Strict):
    id: str = ""
    rural_standard: bool = False
    property_check: Literal["passed", "failed", "unknown"] = "unknown"
    members: tuple[Member, ...] = Field(min_length=1)


class IncomeKind(_Strict):
    id: str
    title: str
    counted: bool


class Vocabulary(_Strict):
    schema_version: int = 1
    income_kinds: tuple[IncomeKind, ...]
    income_reference: Reference
    household_reference: Reference


@cache
def _vocabulary(path: Path) -> Vocabulary:
    return parse(Vocabulary, read_yaml(path), path)


def vocabulary() -> Vocabulary:
    """The declared vocabulary (``casebank/vocabulary.yaml``)."""
    return _vocabulary(casebank_root() / "vocabulary.yaml")


def load_household(path: Path) -> Household:
    """Read a household file (YAML or JSON); problems name the file and field."""
    if not path.is_file():
        raise ContentError(f"{path}: 文件不存在")
    return parse(Household, read_yaml(path), path)
