"""Dated policy figures: one YAML file per series under ``casebank/parameters/``.

Each value carries its effective date, publication date where known, status
(V verified / S secondary / U unverified), reference and the date it was last reviewed.
A known gap is a value of ``null`` with what is missing; looking up a date before the
first value raises, it never defaults to zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..content import ContentError, casebank_root, load_named, yaml_files
from ..filecache import by_file

__all__ = [
    "BeforeFirstDate",
    "DatedValue",
    "Parameter",
    "Reference",
    "load_parameter",
    "load_parameters",
    "months_before",
]

Status = Literal["V", "S", "U"]
STATUS_TITLES = {"V": "已核实", "S": "二手来源", "U": "未核实"}
EffectiveBasis = Literal["stated", "inferred", "in_force_by"]
BASIS_NOTES = {  # said wherever the date is quoted
    "stated": "",
    "inferred": "（生效日期为推定）",
    "in_force_by": "（最晚此日已施行，起始日期未知）",
}


class BeforeFirstDate(LookupError):
    """The date asked for is before the first value of a series."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(_Strict):
    """A non-statute source: a notice, a 办法, a news report."""

    title: str
    href: str | None = None
    status: Status | None = None


class DatedValue(_Strict):
    effective: dt.date
    effective_basis: EffectiveBasis = Field(
        default="stated",
        description="stated：文件写明的生效日期；inferred：按惯例推定；in_force_by：只知道最晚此日已施行",
    )
    value: Decimal | None
    status: Status
    reviewed: dt.date
    published: dt.date | None = None
    reference: Reference | None = None
    missing: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _gap_or_sourced(self) -> DatedValue:
        if self.value is None and not self.missing:
            raise ValueError("value 为 null（缺口）时必须用 missing 写明缺什么、去哪里核实")
        if self.value is not None and self.reference is None:
            raise ValueError("有数值的条目必须给出 reference（title、href）")
        if self.value is not None and self.value < 0:
            raise ValueError("数值不能为负")
        return self

    @property
    def source_line(self) -> str:
        """'1011 元/人/月 · 2025-07-01起 · 已核实(V) · 来源…' without the unit."""
        ref = self.reference.title if self.reference else "无"
        return f"{self.since}起 · {STATUS_TITLES[self.status]}({self.status}) · 来源：{ref}"

    @property
    def since(self) -> str:
        """The effective date as every output quotes it, saying when it is inferred."""
        return f"{self.effective}{BASIS_NOTES[self.effective_basis]}"


class Parameter(_Strict):
    schema_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    program: str
    unit: str
    jurisdiction: str
    description: str | None = None
    values: tuple[DatedValue, ...] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _ascending(cls, values: tuple[DatedValue, ...]) -> tuple[DatedValue, ...]:
        dates = [v.effective for v in values]
        if dates != sorted(set(dates)):
            raise ValueError("effective 日期必须严格递增且不重复")
        return values

    def at(self, on: dt.date) -> DatedValue:
        """The value in force on ``on`` (a gap is returned as a value of ``None``)."""
        current = None
        for v in self.values:
            if v.effective <= on:
                current = v
        first = self.values[0]
        if current is None and first.effective_basis == "in_force_by":
            return DatedValue(  # in force by the first date, since when unknown: a gap, never a guess
                effective=on,
                value=None,
                status="U",
                reviewed=first.reviewed,
                missing=(
                    f"{self.title}：只知道最晚 {first.effective} 已施行，{on} 是否已施行、标准多少未收录；"
                    "请按当时的文件核实"
                ),
            )
        if current is None:
            raise BeforeFirstDate(
                f"{self.title}：{on} 早于本系列最早的生效日期 {self.values[0].effective}，没有可用的标准"
            )
        return current


@by_file
def _load(path: Path) -> Parameter:
    return load_named(Parameter, path)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier; a day the shorter month lacks (29 February, 31st) is its last day."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def load_parameters() -> dict[str, Parameter]:
    """Every parameter series, by id."""
    return {p.id: p for p in map(_load, yaml_files("parameters"))}


def load_parameter(param_id: str) -> Parameter:
    path = casebank_root() / "parameters" / f"{param_id}.yaml"
    if not path.is_file():
        raise ContentError(f"{path}: 文件不存在：未知参数 {param_id}")
    return _load(path)
