"""Deadlines a mediator is asked about: 离婚冷静期 (《民法典》第一千零七十七条) and 司法确认
(《人民调解法》第三十三条).

Days are counted as 第二百零一条 says: the day the period starts is not counted, the next day
is day 1, so "三十日内" ends on the start date + 30 days. A last day that is a 法定休假日 moves
to the day after the holiday ends (第二百零三条). The kit has no holiday calendar: the case
lists the 法定休假日 (周末及国务院公布的节假日安排) near the last day, and only those move it.
Divorce: 30 days to withdraw from the day the registry receives the application, then 30 days
in which both must apply in person for the certificate, or the application counts as withdrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..law import Citation
from .cases import Strict
from .finding import Finding, Step

__all__ = ["DAYS", "Case", "evaluate", "last_day"]

DAYS = 30
WITHDRAW = Citation(
    law="民法典",
    article=1077,
    quote="自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。",
)
CERTIFICATE = Citation(
    law="民法典",
    article=1077,
    quote="前款规定期限届满后三十日内，双方应当亲自到婚姻登记机关申请发给离婚证；未申请的，视为撤回离婚登记申请。",
)
FIRST_DAY = Citation(law="民法典", article=201, quote="按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。")
HOLIDAY = Citation(
    law="民法典", article=203, quote="期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。"
)
CUTOFF = Citation(
    law="民法典", article=203, quote="期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。"
)
EFFECTIVE = Citation(
    law="人民调解法",
    article=29,
    quote="调解协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。",
)
CONFIRM = Citation(
    law="人民调解法",
    article=33,
    quote="双方当事人认为有必要的，可以自调解协议生效之日起三十日内共同向人民法院申请司法确认",
)
SUE = Citation(
    law="人民调解法",
    article=32,
    quote="当事人之间就调解协议的履行或者调解协议的内容发生争议的，一方当事人可以向人民法院提起诉讼。",
)
STAGES = {"withdrawal": "撤回期内", "certificate": "申请发证期内", "lapsed": "申请发证期已过"}


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime) or isinstance(value, bool) or not isinstance(value, dt.date | str):
        raise ValueError(f"应为日期，格式 YYYY-MM-DD，不是“{value}”")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"应为日期，格式 YYYY-MM-DD，不是“{value}”") from None
    return value


Day = Annotated[dt.date, BeforeValidator(_date)]


class Case(Strict):
    """哪一种期间、起算日（登记机关收到申请之日或调解协议生效之日）、询问日和附近的法定休假日。"""

    kind: Literal["divorce_cooling_off", "judicial_confirmation"]
    start: Day
    asked_on: Day | None = Field(default=None, description="当事人来问的日期（可不填）")
    holidays: tuple[Day, ...] = Field(default=(), description="最后一日附近的法定休假日")

    @model_validator(mode="after")
    def _order(self) -> Case:
        if self.asked_on is not None and self.asked_on < self.start:
            raise ValueError(f"asked_on: 询问日 {self.asked_on} 早于起算日 {self.start}")
        return self


def last_day(start: dt.date, holidays: frozenset[dt.date]) -> tuple[dt.date, dt.date]:
    """(day 30 counted from the day after ``start``, the last day after any holiday move)."""
    day30 = start + dt.timedelta(days=DAYS)
    last = day30
    while last in holidays:
        last += dt.timedelta(days=1)
    return day30, last


def _count(label: str, start: dt.date, holidays: frozenset[dt.date], steps: list[Step]) -> dt.date:
    day30, last = last_day(start, holidays)
    first = start + dt.timedelta(days=1)
    steps.append(Step(f"{label}：{start} 当日不计入，{first} 是第 1 日，第 {DAYS} 日是 {day30}", FIRST_DAY))
    if last != day30:
        steps.append(Step(f"{day30} 是法定休假日，顺延到休假日结束的次日：最后一日是 {last}", HOLIDAY))
    else:
        steps.append(
            Step(f"{day30} 不在所列法定休假日内，不顺延（最后一日若是法定休假日，顺延到休假日结束的次日）", HOLIDAY)
        )
    return last


def _divorce(case: Case, holidays: frozenset[dt.date]) -> Finding:
    steps = [Step(f"婚姻登记机关收到离婚登记申请之日：{case.start}", WITHDRAW)]
    withdraw = _count("撤回期", case.start, holidays, steps)
    steps.append(
        Step(f"{withdraw}（含当日）以前，任何一方不愿意离婚的，可以撤回离婚登记申请，不需要对方同意", WITHDRAW)
    )
    certificate = _count("撤回期届满后三十日", withdraw, holidays, steps)
    steps.append(
        Step(
            f"{withdraw} 之后到 {certificate}（含当日），双方应当亲自到婚姻登记机关申请发给离婚证；未申请的，视为撤回离婚登记申请",
            CERTIFICATE,
        )
    )
    steps.append(Step("最后一日到二十四时为止；登记机关有办公时间的，到停止办公时为止", CUTOFF))
    facts: dict[str, Any] = {"withdraw_last": withdraw, "certificate_last": certificate, "stage": None, "day": None}
    conclusion = f"撤回期到 {withdraw}，申请发证期到 {certificate}"
    if case.asked_on is not None:
        day = (case.asked_on - case.start).days
        stage = (
            "withdrawal" if case.asked_on <= withdraw else "certificate" if case.asked_on <= certificate else "lapsed"
        )
        facts.update(stage=stage, day=day)
        said = {
            "withdrawal": "任何一方仍可单方撤回申请",
            "certificate": "已不在撤回期；双方须在期限内亲自申请发证，任何一方不去，期满即视为撤回",
            "lapsed": "双方未在期限内申请发证的，视为撤回离婚登记申请；仍要离婚须重新申请",
        }[stage]
        cite = WITHDRAW if stage == "withdrawal" else CERTIFICATE
        steps.append(Step(f"询问日 {case.asked_on} 是受理次日起的第 {day} 日，处于{STAGES[stage]}：{said}", cite))
        conclusion = f"{case.asked_on} 处于{STAGES[stage]}（第 {day} 日）；{conclusion}"
    return Finding("deadline", conclusion, tuple(steps), facts)


def _confirmation(case: Case, holidays: frozenset[dt.date]) -> Finding:
    steps = [
        Step(f"调解协议生效之日：{case.start}（各方签名、盖章或按指印，调解员签名并加盖调委会印章之日）", EFFECTIVE)
    ]
    last = _count("司法确认申请期", case.start, holidays, steps)
    steps.append(Step(f"双方认为有必要的，可以在 {last}（含当日）以前共同向人民法院申请司法确认", CONFIRM))
    steps.append(Step("最后一日到二十四时为止；法院有办公时间的，到停止办公时为止", CUTOFF))
    facts: dict[str, Any] = {"last_day": last, "within": None}
    conclusion = f"申请司法确认的最后一日是 {last}"
    if case.asked_on is not None:
        within = case.asked_on <= last
        facts["within"] = within
        day = (case.asked_on - case.start).days
        if within:
            steps.append(Step(f"询问日 {case.asked_on} 是生效次日起的第 {day} 日，仍在三十日内，可以共同申请", CONFIRM))
            conclusion = f"{case.asked_on} 仍可共同申请司法确认（第 {day} 日）；{conclusion}"
        else:
            steps.append(
                Step(
                    f"询问日 {case.asked_on} 是第 {day} 日，已超过三十日；就协议的履行或内容发生争议的，一方可以向人民法院提起诉讼",
                    SUE,
                )
            )
            conclusion = f"{case.asked_on} 已超过申请司法确认的三十日（第 {day} 日）；{conclusion}"
    return Finding("deadline", conclusion, tuple(steps), facts)


def evaluate(case: Case) -> Finding:
    """The last days of the period asked about, and where the asking date falls."""
    holidays = frozenset(case.holidays)
    return (_divorce if case.kind == "divorce_cooling_off" else _confirmation)(case, holidays)
