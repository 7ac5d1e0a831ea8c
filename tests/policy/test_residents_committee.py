"""居委会组织法 rules chosen by date: the 2018 text up to 2025-12-31, the 2025 text from 2026-01-01."""

from __future__ import annotations

import datetime as dt

import pytest

from trainkit.law import check_quote
from trainkit.policy import BeforeFirstDate
from trainkit.policy.residents_committee import RULES, check_committee, law_version, rules_on

D = dt.date
OLD, NEW = D(2025, 12, 31), D(2026, 1, 1)

DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """5 → 五, 15 → 十五, 700 → 七百, 3000 → 三千 (enough for these figures)."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        if n >= value:
            digit, n = divmod(n, value)
            out += ("" if (value == 10 and digit == 1 and not out) else DIGITS[digit]) + unit
    return out + (DIGITS[n] if n else "")


def findings(on: dt.date, **facts) -> dict:
    return {f.topic: f for f in check_committee(on=on, **facts)}


@pytest.mark.parametrize(
    ("on", "version"),
    [(D(2018, 12, 29), 2018), (OLD, 2018), (NEW, 2025), (D(2030, 1, 1), 2025)],
)
def test_version_by_date(on, version):
    assert law_version(on) == version


def test_before_the_2018_text_raises():
    with pytest.raises(BeforeFirstDate, match="2018-12-28"):
        law_version(D(2018, 12, 28))


def test_every_quote_is_exact_and_old_ones_carry_version_2018():
    for version, rules in RULES.items():
        for rule in rules.values():
            assert check_quote(rule.citation) is None, rule
            assert rule.citation.version == (2018 if version == 2018 else None)


def test_figures_match_the_numerals_in_the_quotes():
    assert [chinese(n) for n in (5, 9, 15, 100, 700, 1000, 3000)] == [
        "五",
        "九",
        "十五",
        "一百",
        "七百",
        "一千",
        "三千",
    ]
    for rules in RULES.values():
        for rule in rules.values():
            if rule.topic == "woman":
                continue
            for n in {rule.low, rule.high} - {None}:
                assert chinese(n) in rule.citation.quote, (rule, n)


@pytest.mark.parametrize(
    ("on", "households", "ok"),
    [
        (OLD, 99, False),
        (OLD, 100, True),
        (OLD, 700, True),
        (OLD, 701, False),
        (OLD, 1500, False),
        (NEW, 999, False),
        (NEW, 1000, True),
        (NEW, 3000, True),
        (NEW, 3001, False),
        (NEW, 500, False),
    ],
)
def test_size_100_700_then_1000_3000(on, households, ok):
    f = findings(on, households=households)["size"]
    assert f.ok is ok
    assert f.citation.article == (6 if on == OLD else 3)


def test_size_outside_range_under_2025_mentions_the_exception():
    assert "适当范围" in findings(NEW, households=800)["size"].text
    assert "适当范围" not in findings(OLD, households=800)["size"].text


@pytest.mark.parametrize(("members", "ok"), [(4, False), (5, True), (9, True), (10, False)])
@pytest.mark.parametrize("on", [OLD, NEW])
def test_members_five_to_nine_in_both(on, members, ok):
    assert findings(on, members=members)["members"].ok is ok


def test_woman_member_required_only_from_2026():
    assert findings(NEW, has_woman=False)["woman"].ok is False
    assert findings(NEW, has_woman=True)["woman"].ok is True
    old = findings(OLD, has_woman=False)["woman"]
    assert old.ok is None and old.citation.article == 50


@pytest.mark.parametrize("on", [OLD, NEW])
def test_term_five_years(on):
    assert findings(on, term_years=5)["term"].ok is True
    assert findings(on, term_years=3)["term"].ok is False
    assert findings(on, term_years=5)["term"].citation.article == (8 if on == OLD else 14)


def test_disclosure_at_least_15_days_from_2026():
    assert findings(NEW, disclosure_days=14)["disclosure"].ok is False
    assert findings(NEW, disclosure_days=15)["disclosure"].ok is True
    assert findings(NEW, disclosure_days=15)["disclosure"].citation.article == 34
    old = findings(OLD, disclosure_days=7)["disclosure"]
    assert old.ok is None and old.citation.version == 2018


def test_only_given_facts_are_checked():
    assert check_committee(on=NEW) == ()
    assert set(findings(NEW, members=7, term_years=5)) == {"members", "term"}
    assert set(rules_on(OLD)) == {"size", "members", "term"}
    assert set(rules_on(NEW)) == {"size", "members", "woman", "term", "disclosure"}
