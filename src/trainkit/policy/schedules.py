"""母婴健康管理 (muying_jiankang): the visit schedule for a pregnant woman and her child.

From the 国家基本公共卫生服务规范（第三版）, as summarised by the sources below (status V):

- 孕产妇: first check before week 13 (the 《母子健康手册》 is issued then), one visit each
  in weeks 16–20, 21–24, 28–36 and 37–40, a home visit within a week of discharge, and a
  check on day 42 after delivery;
- 0–6 岁儿童: a newborn home visit within a week of discharge, the 满月 check at 28–30
  days, checks at 3, 6, 8, 12, 18, 24, 30 and 36 months, then yearly at 4, 5 and 6.

Counting conventions are the kit's: pregnancy weeks run from the first day of the last
period, taken as the due date minus 280 days; "weeks 16–20" runs from the first day of week
16 to the last day of week 20; "within a week" is the discharge day and the 7 days after it;
a check "at 3 months" is listed on the day the child is 3 months old (a day past the end
of a month falls back to its last day), and the 社区卫生服务中心 sets the actual appointment.
Dates counted from the due date, or from the birth date when the discharge date is
unknown, are marked ``estimated``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .parameters import Reference

__all__ = ["Visit", "add_months", "child_schedule", "maternal_schedule", "muying_jiankang", "upcoming"]

Who = Literal["maternal", "child"]

MATERNAL_SOURCES = (
    Reference(
        title="孕产妇健康管理服务规范（国家基本公共卫生服务规范第三版）要点",
        href="http://jkxxw.com.cn/nvxing/ycbj/65124.html",
        status="V",
    ),
    Reference(
        title="国家基本公共卫生服务规范（第三版）全文（文档转载）",
        href="https://m.taodocs.com/p-1140838843.html",
        status="V",
    ),
)
CHILD_SOURCES = (
    Reference(
        title="0～6岁儿童健康管理服务（县级政府网站）",
        href="https://www.yanliang.gov.cn/xwzx/mszx/1967519154686730242.html",
        status="V",
    ),
)

PREGNANCY_DAYS = 280
WEEK = 7
# (id, title, first week, last week); None as the first week means "from the start of pregnancy"
PRENATAL = (
    ("prenatal_1", "第1次产前检查（孕13周前），建立《母子健康手册》", None, 12),
    ("prenatal_2", "第2次产前随访（孕16～20周）", 16, 20),
    ("prenatal_3", "第3次产前随访（孕21～24周）", 21, 24),
    ("prenatal_4", "第4次产前随访（孕28～36周）", 28, 36),
    ("prenatal_5", "第5次产前随访（孕37～40周）", 37, 40),
)
HOME_VISIT_DAYS = 7
POSTNATAL_CHECK_DAY = 42
FULL_MONTH_DAYS = (28, 30)
CHECK_MONTHS = (3, 6, 8, 12, 18, 24, 30, 36)
CHECK_YEARS = (4, 5, 6)


@dataclass(frozen=True)
class Visit:
    """One visit or check with the days it falls on (both inclusive) and its sources."""

    who: Who
    id: str
    title: str
    start: dt.date
    end: dt.date
    counted_from: str
    estimated: bool
    sources: tuple[Reference, ...]

    def state(self, on: dt.date) -> str:
        """未到 / 进行中 / 已过 on ``on``."""
        if on < self.start:
            return "未到"
        return "进行中" if on <= self.end else "已过"


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later; a day past the end of the month falls back to its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _home_visit(who: Who, id_: str, title: str, discharge: dt.date, estimated: bool, sources) -> Visit:  # noqa: ANN001
    anchor = "出生日期（出院日期未登记，先按出生日期估算）" if estimated else "出院日期"
    return Visit(who, id_, title, discharge, discharge + dt.timedelta(days=HOME_VISIT_DAYS), anchor, estimated, sources)


def maternal_schedule(
    *,
    due_date: dt.date | None = None,
    delivery_date: dt.date | None = None,
    discharge_date: dt.date | None = None,
) -> tuple[Visit, ...]:
    """Prenatal visits from the due date, postnatal ones from delivery (or the due date)."""
    if due_date is None and delivery_date is None:
        raise ValueError("due_date/delivery_date: 请至少填写预产期或分娩日期")
    visits: list[Visit] = []
    if due_date is not None:
        lmp = due_date - dt.timedelta(days=PREGNANCY_DAYS)
        for id_, title, first, last in PRENATAL:
            start = lmp if first is None else lmp + dt.timedelta(days=first * WEEK)
            end = lmp + dt.timedelta(days=(last + 1) * WEEK - 1)
            visits.append(
                Visit(
                    "maternal",
                    id_,
                    title,
                    start,
                    end,
                    "预产期（按末次月经 = 预产期 − 280 天推算孕周）",
                    False,
                    MATERNAL_SOURCES,
                )
            )
    delivered = delivery_date or due_date
    guessed = delivery_date is None
    _check_discharge(delivered, discharge_date)
    visits.append(
        _home_visit(
            "maternal",
            "postnatal_visit",
            "产后访视（出院后1周内）",
            discharge_date or delivered,
            guessed or discharge_date is None,
            MATERNAL_SOURCES,
        )
    )
    day42 = delivered + dt.timedelta(days=POSTNATAL_CHECK_DAY)
    visits.append(
        Visit(
            "maternal",
            "postnatal_42",
            "产后42天健康检查",
            day42,
            day42,
            "预产期（尚未分娩，估算）" if guessed else "分娩日期",
            guessed,
            MATERNAL_SOURCES,
        )
    )
    return tuple(visits)


def _check_discharge(birth: dt.date, discharge: dt.date | None) -> None:
    if discharge is not None and discharge < birth:
        raise ValueError(f"discharge_date: 出院日期 {discharge} 早于分娩/出生日期 {birth}，请改正")


def child_schedule(
    *, birth_date: dt.date, discharge_date: dt.date | None = None, estimated: bool = False
) -> tuple[Visit, ...]:
    """0–6 岁儿童健康管理 from the birth date (``estimated`` when it is a due date)."""
    _check_discharge(birth_date, discharge_date)
    anchor = "预产期（尚未出生，估算）" if estimated else "出生日期"
    visits = [
        _home_visit(
            "child",
            "newborn_visit",
            "新生儿家庭访视（出院后1周内）",
            discharge_date or birth_date,
            estimated or discharge_date is None,
            CHILD_SOURCES,
        )
    ]
    first, last = FULL_MONTH_DAYS
    visits.append(
        Visit(
            "child",
            "full_month",
            "新生儿满月健康管理（出生后28～30天）",
            birth_date + dt.timedelta(days=first),
            birth_date + dt.timedelta(days=last),
            anchor,
            estimated,
            CHILD_SOURCES,
        )
    )
    for months in CHECK_MONTHS:
        day = add_months(birth_date, months)
        visits.append(
            Visit("child", f"check_{months}m", f"{months}月龄健康检查", day, day, anchor, estimated, CHILD_SOURCES)
        )
    for years in CHECK_YEARS:
        day = add_months(birth_date, 12 * years)
        visits.append(
            Visit("child", f"check_{years}y", f"{years}岁健康检查", day, day, anchor, estimated, CHILD_SOURCES)
        )
    return tuple(visits)


def muying_jiankang(
    *,
    due_date: dt.date | None = None,
    birth_date: dt.date | None = None,
    discharge_date: dt.date | None = None,
) -> tuple[Visit, ...]:
    """The mother's and the child's schedule together, in date order.

    With only a due date everything after birth is estimated from it; with a birth date the
    postnatal and child entries count from the real birth (and discharge, when known).
    Prenatal visits need the due date.
    """
    if due_date is None and birth_date is None:
        raise ValueError("due_date/birth_date: 请至少填写预产期或出生日期")
    visits = maternal_schedule(due_date=due_date, delivery_date=birth_date, discharge_date=discharge_date)
    born = birth_date or due_date
    visits += child_schedule(birth_date=born, discharge_date=discharge_date, estimated=birth_date is None)
    return tuple(sorted(visits, key=lambda v: (v.start, v.who != "maternal")))


def upcoming(visits: tuple[Visit, ...], on: dt.date) -> tuple[Visit, ...]:
    """Visits not yet over on ``on`` (in progress first, then to come)."""
    return tuple(v for v in visits if v.state(on) != "已过")
