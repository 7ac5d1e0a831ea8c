"""One small community for the needs-analysis lessons and exercise, with a 台账 in Chinese.

:func:`load_district` cuts one 社区 (six 网格, about 500 households) out of a synthetic
西岗区 and renames the columns and coded values into the words a community worker's own
台账 uses, so that a learner's first pandas reads ``居民["年龄"] >= 80``. The English tables
stay available as ``District.raw`` for :func:`~trainkit.district.screen.screen_register`;
:func:`outreach_table` puts its outreach list into the same Chinese.

Nothing is written to disk: the district is regenerated from its seed in under a second, so
a cache could only go stale when the generator changes. Every call returns fresh copies,
so a learner who adds a column in one notebook changes nothing for the next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ..framework import load_framework
from ..policy import PROGRAMS
from .screen import ScreenResult
from .synth import NEEDS, synthesize

__all__ = [
    "LESSON_COMMUNITY",
    "LESSON_DATE",
    "LESSON_SEED",
    "District",
    "load_district",
    "mask_id",
    "mask_name",
    "outreach_table",
]

LESSON_SEED = 2026
LESSON_DATE = dt.date(2026, 6, 1)
LESSON_COMMUNITY = "示例07社区"
DISTRICT_HOUSEHOLDS = 20_000  # the whole synthetic district; one community is about 1/39 of it

SEX = {"female": "女", "male": "男"}
RELATION = {"applicant": "户主", "spouse": "配偶", "child": "子女", "parent": "父母"}
EMPLOYMENT = {"employed": "在职", "flexible": "灵活就业", "unemployed": "失业", "retired": "退休", "none": "其他"}
DISABILITY = {
    "physical": "肢体",
    "visual": "视力",
    "hearing": "听力",
    "intellectual": "智力",
    "psychiatric": "精神",
    "speech": "言语",
    "multiple": "多重",
}


@dataclass(frozen=True)
class District:
    """One community's tables: ``tables`` in Chinese for learners, ``raw`` as synthesised."""

    community: str
    on: dt.date
    tables: Mapping[str, pd.DataFrame]
    raw: Mapping[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise KeyError(f"台账里没有“{name}”这张表；可用的表：{'、'.join(self.tables)}")
        return self.tables[name]

    @property
    def note(self) -> str:
        """Source line for every chart and table shown from this district."""
        return f"数据：{self.community}（虚构），截至 {self.on.isoformat()}，由 trainkit 合成，不是真实统计"

    def __repr__(self) -> str:
        t = self.tables
        return (
            f"{self.community}（虚构）：{t['户']['网格'].nunique()} 个网格，{len(t['户'])} 户，{len(t['居民'])} 人；"
            f"服务记录 {len(t['服务记录'])} 条，需求问卷 {len(t['需求问卷'])} 份，议事议题 {len(t['议事议题'])} 条；"
            f"截至 {self.on.isoformat()}"
        )


@cache
def _whole(seed: int, on: dt.date) -> dict[str, pd.DataFrame]:
    return synthesize(DISTRICT_HOUSEHOLDS, seed=seed, on=on)


def load_district(*, community: str = LESSON_COMMUNITY, seed: int = LESSON_SEED, on: dt.date = LESSON_DATE) -> District:
    """The 台账 of one community (示例01社区 … 示例39社区) of the synthetic district ``seed``."""
    whole = _whole(seed, on)
    households = whole["households"]
    if community not in set(households["community"]):
        raise ValueError(f"没有名为“{community}”的社区：示例社区为 示例01社区 至 示例39社区")
    keep = set(households.loc[households["community"] == community, "household_id"])
    grids = set(households.loc[households["community"] == community, "grid"])
    raw = {
        name: table[table["household_id"].isin(keep)] if "household_id" in table else table[table["grid"].isin(grids)]
        for name, table in whole.items()
    }
    raw = {name: table.reset_index(drop=True).copy() for name, table in raw.items()}
    return District(community=community, on=on, tables=_chinese(raw), raw=raw)


def _receives(codes: str | None) -> str:
    return "、".join(PROGRAMS[c].TITLE if c in PROGRAMS else c for c in (codes or "").split(",") if c)


def _chinese(raw: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    people, hh = raw["residents"], raw["households"]
    together = people[people["lives_together"]].groupby("household_id").size()
    receives = hh.set_index("household_id")["receives"].map(_receives)
    households = pd.DataFrame(
        {
            "户编号": hh["household_id"],
            "网格": hh["grid"],
            "社区": hh["community"],
            "户人数": hh["household_id"].map(people.groupby("household_id").size()),
            "同住人数": hh["household_id"].map(together).fillna(0).astype(int),
            "享受待遇": hh["household_id"].map(receives),
        }
    )
    residents = pd.DataFrame(
        {
            "户编号": people["household_id"],
            "成员序号": people["member_no"],
            "网格": people["grid"],
            "姓名": people["name"],
            "身份证号": people["id_number"],
            "性别": people["sex"].map(SEX),
            "出生日期": people["birth_date"],
            "年龄": people["age"],
            "与户主关系": people["relation"].map(RELATION),
            "大连户籍": people["hukou_dalian"].astype(bool),
            "同住": people["lives_together"].astype(bool),
            "独居": (people["household_id"].map(together) == 1) & people["lives_together"],
            "残疾类别": people["disability_kind"].map(DISABILITY),
            "残疾等级": people["disability_grade"].astype("Int64"),
            "慢性病": people["chronic_illness"].astype(bool),
            "就业状况": people["employment"].map(EMPLOYMENT),
            "户享受待遇": people["household_id"].map(receives),
            "本人享受待遇": people["receives"].map(_receives) if "receives" in people else "",
        }
    )
    services = raw["services"].rename(columns={"household_id": "户编号", "date": "日期", "kind": "方式"})
    survey = raw["survey"].rename(columns={"household_id": "户编号", "grid": "网格", "satisfaction": "满意度", **NEEDS})
    topics = raw["topics"].rename(
        columns={"grid": "网格", "topic": "议题", "raised_on": "提出日期", "supporters": "附议人数"}
    )
    return {
        "户": households,
        "居民": residents,
        "服务记录": services.sort_values(["日期", "户编号"]).reset_index(drop=True),
        "需求问卷": survey,
        "议事议题": topics.sort_values(["网格", "提出日期"]).reset_index(drop=True),
    }


def outreach_table(result: ScreenResult) -> pd.DataFrame:
    """``screen_register``'s outreach list with Chinese headings and service items by title."""
    items = load_framework().items
    out = result.outreach
    return pd.DataFrame(
        {
            "网格": out["grid"],
            "户编号": out["household_id"],
            "成员序号": out["member_no"],
            "姓名": out["name"],
            "年龄": out["age"],
            "项目": out["program_title"],
            "结论": out["verdict"],
            "金额（元）": out["amount"],
            "依据": out["reason"],
            "服务事项": out["service_item"].map(lambda i: items[i].title if i in items else i),
        }
    ).reset_index(drop=True)


def mask_name(name: str) -> str:
    """Keep the surname, star the given name: ``【虚构】王秀英`` → ``【虚构】王**``."""
    text = str(name)
    prefix = "【虚构】" if text.startswith("【虚构】") else ""
    rest = text[len(prefix) :]
    return prefix + rest[:1] + "*" * max(len(rest) - 1, 1)


def mask_id(id_number: str) -> str:
    """Star every digit but the last four, keep other characters: ``虚构-19460520-000123`` → ``虚构-********-**0123``."""
    text = str(id_number)
    digits = [m.start() for m in re.finditer(r"[0-9Xx]", text)]
    hidden = set(digits[:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))
