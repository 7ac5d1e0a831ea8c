"""A household record as the rules read it (YAML or JSON; see ``casebank/households/``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..content import ContentError, casebank_root, parse, read_yaml
from ..filecache import by_file
from .parameters import Reference

__all__ = [
    "Disability",
    "FamilyPlanning",
    "Household",
    "Income",
    "IncomeKind",
    "Member",
    "load_household",
    "member_label",
    "vocabulary",
]

Relation = Literal[
    "applicant",
    "spouse",
    "child",
    "parent",
    "parent_in_law",
    "grandparent",
    "grandchild",
    "sibling",
    "other",
]
RELATION_TITLES = {
    "applicant": "申请人",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "parent_in_law": "公婆/岳父母",
    "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女",
    "sibling": "兄弟姐妹",
    "other": "其他人员",
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


def _not_yes_no(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"应为整数，不能写 {str(value).lower()}（是/否）")
    return value


Whole = Annotated[int, BeforeValidator(_not_yes_no)]  # `age: true` is a typing slip, never 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Income(_Strict):
    kind: str
    monthly: Decimal = Field(ge=0, decimal_places=2, description="月收入，元（最多到分：两位小数）")

    @field_validator("kind")
    @classmethod
    def _declared(cls, kind: str) -> str:
        kinds = {k.id for k in vocabulary().income_kinds}
        if kind not in kinds:
            raise ValueError(f"未知收入类型 '{kind}'（可用：{', '.join(sorted(kinds))}）")
        return kind


class Disability(_Strict):
    """残疾人证上的类别与等级（一级最重）。"""

    kind: Literal["physical", "intellectual", "psychiatric", "visual", "hearing", "speech", "multiple"]
    grade: Whole = Field(ge=1, le=4)


class Member(_Strict):
    # who, and whether they count for 低保 (审核确认办法第八条)
    name: str = ""
    relation: Relation
    age: Whole = Field(ge=0, le=120, description="判断日期当天的周岁")
    birth_date: dt.date | None = Field(default=None, description="需要精确日期时填写（高龄津贴登记、儿童体检）")
    sex: Literal["female", "male"] | None = None
    hukou_dalian: bool = Field(default=True, description="户籍在大连市")
    lives_together: bool = True
    cannot_live_independently: bool = False
    full_time_study: Study = "none"
    statutory_duty: bool = False
    excluded_as: Exclusion | None = None
    incomes: tuple[Income, ...] = ()
    # health and disability
    disability: Disability | None = None
    severe_illness: bool = Field(default=False, description="患重特大疾病")
    chronic_illness: bool = False
    pregnant_weeks: Whole | None = Field(default=None, ge=0, le=45, description="孕周；未怀孕为空")
    # support: for 特困 (无法定义务人或义务人无能力)
    supporters: Literal["able", "unable", "none"] = Field(
        default="able", description="法定赡养、抚养、扶养义务人：有能力 / 无能力 / 没有"
    )
    # work
    employment: Literal["employed", "flexible", "unemployed", "retired", "none"] = "none"
    registered_unemployed_months: Whole = Field(default=0, ge=0, description="连续登记失业的月数")
    landless_farmer: bool = False
    released_from_custody: bool = Field(default=False, description="刑满释放或解除强制隔离戒毒")
    graduated_within_2y: bool = Field(default=False, description="离校两年内的高校毕业生")
    # social insurance
    employee_pension: bool = Field(default=False, description="参加或领取职工基本养老保险")
    resident_pension_years: Whole = Field(default=0, ge=0, le=80, description="城乡居民养老保险累计缴费年限")
    employee_medical: bool = Field(default=False, description="参加职工基本医疗保险")
    resident_medical_enrolled: bool = Field(default=False, description="本年度已参加城乡居民医保")
    medical_lapsed_years: Whole = Field(default=0, ge=0, le=80, description="居民医保断缴或未参保的年数")
    flexible_insurance_paid_monthly: Decimal = Field(
        default=Decimal(0), ge=0, decimal_places=2, description="灵活就业每月实缴社保费，元（最多两位小数）"
    )
    flexible_subsidy_first_approved: dt.date | None = Field(default=None, description="灵活就业社保补贴首次核准日期")
    employment_difficulty_recognised: bool = Field(default=False, description="已被人社部门认定为就业困难人员")
    medical_enrol_late: bool = Field(default=False, description="在居民医保集中参保期以外参保")
    receives: tuple[str, ...] = Field(
        default=(), description="本人正在享受的按人发放的项目 id，如 gaoling_jintie（按户发放的写在户的 receives）"
    )

    @field_validator("receives", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        """A register cell lists ids as text: "gaoling_jintie,tekun"."""
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value

    @property
    def label(self) -> str:
        return member_label(self.name, self.relation, self.age)


def member_label(name: str | None, relation: str, age: int) -> str:
    """How a reason names a member: 王秀英（申请人，67岁）."""
    title = RELATION_TITLES.get(relation, relation)
    return f"{name}（{title}，{age}岁）" if name else f"{title}（{age}岁）"


class FamilyPlanning(_Strict):
    """计划生育特别扶助所需的家庭情况。"""

    only_child: bool = Field(description="夫妻只生育或合法收养一个子女")
    child_outcome: Literal["living", "died", "disabled"]
    child_disability_grade: Whole | None = Field(default=None, ge=1, le=4)
    later_child: bool = Field(default=False, description="此后又生育或合法收养子女")
    certificate: bool | None = Field(
        default=None, description="持有《独生子女父母光荣证》：是、否（登记为未持有），未登记为空"
    )
    area: Literal["urban", "rural"] | None = Field(
        default=None,
        description="按计划生育特别扶助政策认定的城镇或农村家庭（不是低保执行城市还是农村标准）；未核实为空",
    )


class Household(_Strict):
    id: str = ""
    rural_standard: bool = False
    property_check: Literal["passed", "failed", "unknown"] = "unknown"
    receives: tuple[str, ...] = Field(default=(), description="全户正在享受的按户发放的项目 id，如 dibao")
    emergency: Literal["fire", "traffic_accident", "sudden_illness", "spending_surge", "other"] | None = Field(
        default=None, description="临时救助的急难情形"
    )
    emergency_hardship: bool | None = Field(
        default=None, description="急难情形是否导致基本生活暂时出现严重困难（入户核查结论）；未核查为空"
    )
    family_planning: FamilyPlanning | None = None
    members: tuple[Member, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_applicant(self) -> Household:
        count = sum(m.relation == "applicant" for m in self.members)
        if count > 1:
            raise ValueError(f"members: 登记了 {count} 名申请人（relation: applicant），一户只能有 1 名")
        return self

    @property
    def applicant(self) -> Member:
        return next((m for m in self.members if m.relation == "applicant"), self.members[0])

    def as_applicant(self, index: int) -> Household:
        """The same household seen from member ``index``: person-level programs decide for them."""
        if self.members[index].relation == "applicant":
            return self
        members = [
            m.model_copy(update={"relation": "applicant"})
            if i == index
            else m.model_copy(update={"relation": "other"})
            if m.relation == "applicant"
            else m
            for i, m in enumerate(self.members)
        ]
        return self.model_copy(update={"members": tuple(members)})


class IncomeKind(_Strict):
    id: str
    title: str
    counted: bool


class Vocabulary(_Strict):
    schema_version: int = 1
    income_kinds: tuple[IncomeKind, ...]
    income_reference: Reference
    household_reference: Reference


@by_file
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
