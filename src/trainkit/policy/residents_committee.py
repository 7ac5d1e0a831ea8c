"""居民委员会: organisational rules of the 城市居民委员会组织法, chosen by date.

The 2025 revision (in force 2026-01-01, Art. 50) replaced the 2018 text. Up to
2025-12-31 the 2018 text applies (``version=2018`` citations); from 2026-01-01 the
current one. The kit starts at the 2018 amendment (2018-12-29); earlier dates raise, as
the 1989 text (a 3-year term) is not in the kit.

Each rule is a figure with the exact statute sentence that states it; a test checks the
figure against the Chinese numerals in the quote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..law import Citation
from .parameters import BeforeFirstDate

__all__ = ["Finding", "Rule", "check_committee", "law_version", "rules_on"]

LAW = "城市居民委员会组织法"
FROM_2018 = dt.date(2018, 12, 29)  # the 2018 amendment, taken as in force on adoption
FROM_2025 = dt.date(2026, 1, 1)
IN_FORCE_2025 = Citation(law=LAW, article=50, quote="本法自2026年1月1日起施行。")


@dataclass(frozen=True)
class Rule:
    """``low``–``high`` (``None`` for no bound) in ``unit``, stated by ``citation``."""

    topic: str
    title: str
    low: int | None
    high: int | None
    unit: str
    citation: Citation


def _c(article: int, quote: str, version: int | None) -> Citation:
    return Citation(law=LAW, article=article, quote=quote, version=version)


RULES: dict[int, dict[str, Rule]] = {
    2018: {
        "size": Rule(
            "size", "居民委员会的设立规模（一般）", 100, 700, "户", _c(6, "一般在一百户至七百户的范围内设立", 2018)
        ),
        "members": Rule(
            "members", "居民委员会成员人数", 5, 9, "人", _c(7, "居民委员会由主任、副主任和委员共五至九人组成", 2018)
        ),
        "term": Rule("term", "每届任期", 5, 5, "年", _c(8, "居民委员会每届任期五年，其成员可以连选连任", 2018)),
    },
    2025: {
        "size": Rule(
            "size",
            "居民委员会的设立规模（一般）",
            1000,
            3000,
            "户",
            _c(3, "一般在一千户至三千户的范围内设立，也可以根据实际需要，在适当范围内设立", None),
        ),
        "members": Rule(
            "members", "居民委员会成员人数", 5, 9, "人", _c(8, "居民委员会由主任、副主任和委员共五至九人组成", None)
        ),
        "woman": Rule("woman", "妇女成员", 1, None, "人", _c(8, "居民委员会成员中，应当有妇女成员", None)),
        "term": Rule("term", "每届任期", 5, 5, "年", _c(14, "居民委员会每届任期五年", None)),
        "disclosure": Rule(
            "disclosure", "居务公开的公布期限", 15, None, "日", _c(34, "公布的期限不得少于十五日", None)
        ),
    },
}
NO_DISCLOSURE_MINIMUM_2018 = _c(16, "收支帐目应当及时公布，接受居民监督", 2018)


@dataclass(frozen=True)
class Finding:
    """One check: ``ok`` True / False, or ``None`` when the law in force sets no such rule."""

    topic: str
    ok: bool | None
    text: str
    citation: Citation


def law_version(on: dt.date) -> int:
    """2018 up to 2025-12-31, 2025 from 2026-01-01; raises before 2018-12-29."""
    if on < FROM_2018:
        raise BeforeFirstDate(
            f"居民委员会组织法：{on} 早于本工具包收录的 2018 年修正文本（{FROM_2018}），没有可用的规则"
        )
    return 2025 if on >= FROM_2025 else 2018


def rules_on(on: dt.date) -> dict[str, Rule]:
    """The rules of the text in force on ``on``, by topic."""
    return RULES[law_version(on)]


def _range(rule: Rule, value: int) -> Finding:
    low = rule.low if rule.low is not None else value
    high = rule.high if rule.high is not None else value
    ok = low <= value <= high
    if rule.high is None:
        span = f"不少于 {rule.low} {rule.unit}"
    elif rule.low == rule.high:
        span = f"{rule.low} {rule.unit}"
    else:
        span = f"{rule.low}～{rule.high} {rule.unit}"
    verdict = "符合" if ok else "不符合"
    return Finding(rule.topic, ok, f"{rule.title}：{value} {rule.unit}，{verdict}（应为 {span}）", rule.citation)


def check_committee(
    *,
    on: dt.date,
    households: int | None = None,
    members: int | None = None,
    has_woman: bool | None = None,
    term_years: int | None = None,
    disclosure_days: int | None = None,
) -> tuple[Finding, ...]:
    """Check the facts given against the text in force on ``on``; facts left out are skipped.

    Size is a general range ("一般"); a committee outside it is reported as 不符合 the general
    range, which the 2025 text allows "根据实际需要" with the district government's approval.
    """
    version = law_version(on)
    rules = RULES[version]
    found: list[Finding] = []
    if households is not None:
        size = _range(rules["size"], households)
        if not size.ok and version == 2025:
            size = Finding("size", False, size.text + "；确有需要的，可以经区政府批准在适当范围内设立", size.citation)
        found.append(size)
    if members is not None:
        found.append(_range(rules["members"], members))
    if has_woman is not None:
        if "woman" in rules:
            rule = rules["woman"]
            text = (
                f"{rule.title}：{'有' if has_woman else '没有'}，{'符合' if has_woman else '不符合'}（应当有妇女成员）"
            )
            found.append(Finding("woman", has_woman, text, rule.citation))
        else:
            found.append(
                Finding("woman", None, "2018 年文本没有“应当有妇女成员”的规定（2026-01-01 起适用）", IN_FORCE_2025)
            )
    if term_years is not None:
        found.append(_range(rules["term"], term_years))
    if disclosure_days is not None:
        if "disclosure" in rules:
            found.append(_range(rules["disclosure"], disclosure_days))
        else:
            found.append(
                Finding(
                    "disclosure",
                    None,
                    "2018 年文本没有规定居务公开的最短公布期限（不少于十五日自 2026-01-01 起适用）",
                    NO_DISCLOSURE_MINIMUM_2018,
                )
            )
    return tuple(found)
