"""``trainkit summary``: the 全岗通 count per 区县 or 街道, for a city's or province's roster."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .atomic import check_target, write_bytes
from .cli_types import PERIOD_END
from .console_table import table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["summary", "summary_csv", "summary_lines"]

BY_CHOICES = {"区县": "district", "街道": "street", "district": "district", "street": "street"}


def _share(part: int, whole: int) -> str:
    return f"{part}（{part / whole:.0%}）" if whole else "0"


def _rows(counts: pd.DataFrame) -> list[tuple[str, list[int]]]:
    """Each group's counts, then the total."""
    from .province import STATUS_TITLES

    columns = ["workers", *STATUS_TITLES]
    rows = [(str(name), [int(row[c]) for c in columns]) for name, row in counts.iterrows()]
    return [*rows, ("合计", [int(counts[c].sum()) for c in columns])]


def summary_lines(counts: pd.DataFrame, *, by: str, as_of: dt.date) -> list[str]:
    """The summary as a terminal table, shares of each group's workers in brackets."""
    from .province import GROUP_TITLES, STATUS_TITLES

    header = [GROUP_TITLES[by], "人数", *STATUS_TITLES.values()]
    body = [[name, str(n[0]), *(_share(k, n[0]) for k in n[1:])] for name, n in _rows(counts)]
    return [f"全岗通汇总（评定日 {as_of:%Y-%m-%d}，按{GROUP_TITLES[by]}）", *table(header, body)]


def summary_csv(counts: pd.DataFrame, *, by: str) -> bytes:
    """The summary as CSV for Excel and WPS on Chinese Windows: UTF-8 with a BOM, Chinese headers."""
    from .province import GROUP_TITLES, STATUS_TITLES

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([GROUP_TITLES[by], "人数", *STATUS_TITLES.values()])
    writer.writerows([name, *n] for name, n in _rows(counts))
    return out.getvalue().encode("utf-8-sig")


@click.command("summary")
@click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册 CSV（可含 区县 列）")
@click.option(
    "--by",
    type=click.Choice(list(BY_CHOICES)),
    help="按区县或街道分组（默认：花名册填了区县就按区县，否则按街道）",
)
@click.option("--until", type=PERIOD_END, help="评定日期：只计入此日及以前的证据（默认今天）")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="同时保存为 CSV（Excel、WPS 可直接打开）")
def summary(db: str | None, roster: Path | None, by: str | None, until: dt.datetime | None, out: Path | None) -> None:
    """全岗通汇总：各区县或街道有多少人达到全岗通，其余的是有领域未达合格还是证据不足。"""
    from .evidence import open_store
    from .province import province_summary, roster_groups
    from .roster import load_roster

    everyone = load_roster(roster)
    workers = {k: w for k, w in everyone.items() if not w.supervises}  # as the 公示 lists them
    if not workers:
        raise click.ClickException("花名册中没有被评定的工作人员（督导范围为空的人）：请检查花名册")
    column = BY_CHOICES[by] if by else ("district" if any(w.district for w in workers.values()) else "street")
    if out is not None:
        check_target(out, what="--out")
    as_of = until + dt.timedelta(days=1, microseconds=-1) if until else dt.datetime.now(dt.UTC)
    counts = province_summary(open_store(db), roster_groups(workers, by=column), as_of=as_of)
    for line in summary_lines(counts, by=column, as_of=as_of.date()):
        click.echo(line)
    if supervisors := len(everyone) - len(workers):
        click.echo(f"  不含督导 {supervisors} 人（花名册中督导范围不为空的人不参加评定）。")
    if out is not None:
        write_bytes(out, summary_csv(counts, by=column))
        click.echo(f"已保存：{out}")
