"""Option types for the command line that take what people write: partial dates and Chinese names."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import click

__all__ = ["DOMAINS", "PERIOD_END", "PERIOD_START", "PeriodDate"]

_FORMS = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")


class PeriodDate(click.ParamType):
    """``2026-10-05``, ``2026-10`` or ``2026`` (also ``2026年10月``): the first or the last day of it."""

    name = "日期"

    def __init__(self, *, end: bool):
        self.end = end

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201
        if isinstance(value, dt.datetime):
            return value
        match = _FORMS.match(str(value).strip())
        if match is None:
            self.fail(f"“{value}”不是日期：请写成 2026-10-05、2026-10（整月）或 2026（全年）", param, ctx)
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day is not None:
                return dt.datetime(year, month, day)
            if month is not None:
                return dt.datetime(year, month, calendar.monthrange(year, month)[1] if self.end else 1)
            return dt.datetime(year, 12, 31) if self.end else dt.datetime(year, 1, 1)
        except ValueError:
            self.fail(f"“{value}”不是有效的日期（月份 1–12，日期不超过当月天数）", param, ctx)


PERIOD_START, PERIOD_END = PeriodDate(end=False), PeriodDate(end=True)


def _domains(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Domain names as people write them (社会救助, 救助, social_assistance) → ids."""
    from .framework import load_framework

    framework = load_framework()
    try:
        return tuple(framework.find_domain(v).id for v in values)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err


DOMAINS = _domains
