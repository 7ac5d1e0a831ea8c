"""Beijing time: the kit stores moments in UTC (as nbgrader and the evidence store do) and shows
people the time of the bureau they work in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["LOCAL_TIME", "local_text"]

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def local_text(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` in Beijing time; a naive moment is UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIME).strftime(fmt)
