"""``trainkit appeal packet``: the printable evidence behind one rating, for an appeal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .atomic import check_target, write_text

__all__ = ["packet"]


@click.command("packet")
@click.argument("worker_id")
@click.argument("domain")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML 文件")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), help="评定日（默认：现在）")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
def packet(
    worker_id: str, domain: str, out: Path, as_of: dt.datetime | None, db: str | None, roster: Path | None
) -> None:
    """生成申诉材料：某人某领域评定背后的每条证据和逐步计算（领域可写中文名或 id）。"""
    from .appeal_packet import build_packet, render_packet
    from .evidence import open_store
    from .framework import load_framework
    from .roster import load_roster

    workers = load_roster(roster)
    if worker_id not in workers:
        raise click.ClickException(f"花名册中没有工号 {worker_id}")
    try:
        found = load_framework().find_domain(domain)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    check_target(out, what="--out")
    moment = (as_of + dt.timedelta(days=1) - dt.timedelta(microseconds=1)) if as_of else None
    page = render_packet(build_packet(open_store(db), workers[worker_id], found.id, as_of=moment))
    write_text(out, page)
    click.echo(f"申诉材料：{out}")
