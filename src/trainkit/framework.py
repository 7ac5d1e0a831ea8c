"""The competency framework: domains, their service items (事项) and the rating scale."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .content import ContentError, casebank_root, parse, read_yaml
from .filecache import by_file

__all__ = ["Domain", "Framework", "Level", "ServiceItem", "load_framework"]

ASCII_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceItem(_Strict):
    id: str = Field(pattern=ASCII_ID)
    title: str
    area: str | None = None


class Area(_Strict):
    id: str = Field(pattern=ASCII_ID)
    title: str


class Domain(_Strict):
    id: str = Field(pattern=ASCII_ID)
    title: str
    short: str = Field(max_length=6, description="表头等窄处使用的简称")
    items: tuple[ServiceItem, ...] = Field(min_length=1)
    areas: tuple[Area, ...] = ()


class Level(_Strict):
    id: str = Field(pattern=ASCII_ID)
    title: str
    proficient: bool = False


class Framework(_Strict):
    schema_version: int = 1
    title: str
    domains: tuple[Domain, ...] = Field(min_length=1)
    scale: tuple[Level, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _ids_unique(self) -> Framework:
        for kind, ids in (
            ("domains", [d.id for d in self.domains]),
            ("items", [i.id for d in self.domains for i in d.items]),
        ):
            dupes = sorted({x for x in ids if ids.count(x) > 1})
            if dupes:
                raise ValueError(f"{kind} 中 id 重复：{', '.join(dupes)}")
        for d in self.domains:
            areas = {a.id for a in d.areas}
            for item in d.items:
                if item.area is not None and item.area not in areas:
                    raise ValueError(f"事项 {item.id} 的 area '{item.area}' 未在领域 {d.id} 中声明")
        return self

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(f"未知领域：{domain_id}")

    def find_domain(self, name: str) -> Domain:
        """A domain by its id, its title or its short name (``社会救助`` or ``social_assistance``)."""
        wanted = name.strip()
        exact = [d for d in self.domains if wanted in (d.id, d.title, d.short)]
        begun = [d for d in self.domains if len(wanted) >= 2 and d.title.startswith(wanted)]
        if len(exact or begun) == 1:
            return (exact or begun)[0]
        valid = "；".join(f"{d.short}（{d.id}）" for d in self.domains)
        what = "不止一个领域以此开头" if begun else "未知领域"
        raise ValueError(f"{what}：{name}。可用：{valid}")

    @property
    def items(self) -> dict[str, ServiceItem]:
        return {i.id: i for d in self.domains for i in d.items}

    def domain_of(self, item_id: str) -> str:
        """The domain id a service item belongs to."""
        for d in self.domains:
            if any(i.id == item_id for i in d.items):
                return d.id
        raise KeyError(f"未知服务事项：{item_id}")

    def level(self, level_id: str) -> Level:
        for lv in self.scale:
            if lv.id == level_id:
                return lv
        raise ValueError(f"能力框架的评定等级（scale）中缺少 {level_id}，请在 framework.yaml 中补上")


@by_file
def _load(path: Path) -> Framework:
    if not path.is_file():
        raise ContentError(f"{path}: 文件不存在：能力框架缺失")
    return parse(Framework, read_yaml(path), path)


def load_framework() -> Framework:
    """Load and validate ``casebank/framework.yaml``."""
    return _load(casebank_root() / "framework.yaml")
