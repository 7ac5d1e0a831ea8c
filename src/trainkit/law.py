"""法条查询: the official statute texts shipped with the kit, and exact-quote checking.

The texts are package data copied from the bureau's reference set (see ``law/README.md``
for their sources). A citation is ``{law, article, quote}``; its quote must appear in the
article word for word after NFKC normalisation and removal of white space, with "……"
allowed between pieces of at least six characters.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Article", "Citation", "LawError", "article", "check_quote", "law_title", "laws"]

MIN_PIECE = 6
ALIASES = {
    "民法典": "civil_code",
    "人民调解法": "people_mediation_law",
    "社会救助暂行办法": "social_assistance_measures",
    "老年人权益保障法": "elderly_rights_law",
    "妇女权益保障法": "women_rights_law",
    "未成年人保护法": "minors_protection_law",
    "物业管理条例": "property_management_regulations",
    "城市居民委员会组织法": "urban_residents_committee_law",
    "居民委员会组织法": "urban_residents_committee_law",
    "反家庭暴力法": "anti_domestic_violence_law",
    "就业促进法": "employment_promotion_law",
    "社会保险法": "social_insurance_law",
    "个人信息保护法": "personal_information_protection_law",
    "传染病防治法": "infectious_disease_law",
    "人口与计划生育法": "population_family_planning_law",
    "反电信网络诈骗法": "anti_telecom_fraud_law",
    "社区矫正法": "community_corrections_law",
    "禁毒法": "narcotics_control_law",
    "消防法": "fire_protection_law",
    "残疾人保障法": "disabled_persons_protection_law",
    "基本医疗卫生与健康促进法": "basic_healthcare_law",
    "慈善法": "charity_law",
}
SUPERSEDED = {
    ("urban_residents_committee_law", 2018): "urban_residents_committee_law_2018",
    ("infectious_disease_law", 2013): "infectious_disease_law_2013",
}


class LawError(LookupError):
    """A law or article that does not exist in the shipped texts."""


class Citation(BaseModel):
    """A pointer into a statute, with an exact quote."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    law: str
    article: int = Field(ge=1)
    quote: str = Field(min_length=MIN_PIECE)
    version: int | None = None

    @property
    def label(self) -> str:
        number = article(self.law, self.article, version=self.version).label
        if self.version is None:
            return f"《{law_title(self.law)}》{number}"
        return f"《{_law(_slug(self.law))['title']}》（{self.version}年版，已废止）{number}"


@dataclass(frozen=True)
class Article:
    law: str
    number: int
    label: str
    text: str
    chapter: str | None


def _slug(law: str) -> str:
    name = law.strip().strip("《》").removeprefix("中华人民共和国")
    if name in _texts_index():
        return name
    if name in ALIASES:
        return ALIASES[name]
    raise LawError(f"未收录的法律：{law}（可用：{', '.join(sorted(ALIASES))}）")


@cache
def _texts_index() -> dict[str, str]:
    """slug → resource path of every shipped text, superseded versions included."""
    root = resources.files("trainkit") / "law"
    found = {}
    for folder in (root, root / "superseded"):
        for entry in folder.iterdir():
            if entry.name.endswith(".json"):
                found[entry.name.removesuffix(".json")] = entry
    return found


@cache
def _law(slug: str) -> dict:
    return json.loads(_texts_index()[slug].read_text(encoding="utf-8"))


def laws() -> dict[str, str]:
    """Current laws shipped: slug → Chinese title."""
    return {s: _law(s)["title"] for s in sorted(_texts_index()) if not _law(s).get("superseded")}


def law_title(law: str, *, version: int | None = None) -> str:
    slug = _versioned(_slug(law), version)
    data = _law(slug)
    return data["title"] + (f"（{version}年版，已废止）" if version else "")


def _versioned(slug: str, version: int | None) -> str:
    if version is None:
        return slug
    try:
        return SUPERSEDED[(slug, version)]
    except KeyError:
        raise LawError(f"{slug} 没有收录 {version} 年版本") from None


def article(law: str, number: int, *, version: int | None = None) -> Article:
    """One article, e.g. ``article("民法典", 1067)``."""
    slug = _versioned(_slug(law), version)
    for a in _law(slug)["articles"]:
        if a["number"] == number:
            return Article(slug, number, a["label"], a["text"], a.get("chapter"))
    raise LawError(f"《{_law(slug)['title']}》没有第{number}条（共{_law(slug)['article_count']}条）")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_quote(citation: Citation) -> str | None:
    """``None`` when the quote is exact, else what is wrong (in Chinese)."""
    try:
        body = _norm(article(citation.law, citation.article, version=citation.version).text)
    except LawError as err:
        return str(err)
    pieces = [p for p in re.split(r"……|\.\.\.|…", _norm(citation.quote)) if p]
    short = [p for p in pieces if len(p) < MIN_PIECE]
    if short:
        return f"引文片段过短（每段至少{MIN_PIECE}个字）：{short[0]}"
    pos = 0
    for piece in pieces:
        found = body.find(piece, pos)
        if found < 0:
            return f"引文与法条原文不符：“{piece[:30]}”"
        pos = found + len(piece)
    return None if pieces else "引文为空"
