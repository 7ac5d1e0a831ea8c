"""``trainkit certificate``: print 全岗通 and domain certificates in bulk, and verify one by its code."""

from __future__ import annotations

from pathlib import Path

import click

from .atomic import write_text

__all__ = ["certificate"]


@click.group(invoke_without_command=True)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="证书文件夹（每人一页 HTML，可直接打印）")
@click.option("--worker", help="只给这位工作人员出证书")
@click.option("--scope", help="只给这个区县、街道或社区的工作人员出证书")
@click.option("--issuer", default="区民政局", show_default=True, help="证书落款")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
@click.pass_context
def certificate(
    ctx: click.Context,
    out: Path | None,
    worker: str | None,
    scope: str | None,
    issuer: str,
    db: str | None,
    roster: Path | None,
) -> None:
    """按当前证据出具全岗通证书或领域合格证书；trainkit certificate verify 核验码 用来核验。"""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise click.UsageError("请用 --out 指定证书文件夹，例如 trainkit certificate --out 证书")
    from .certificate import certificates, render_certificate
    from .evidence import open_store
    from .report import select_workers
    from .roster import load_roster

    try:
        chosen = select_workers(load_roster(roster), worker=worker, scope=scope)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    if out.exists() and not out.is_dir():
        raise click.ClickException(f"{out} 是一个文件：--out 请给出文件夹")
    issued = certificates(open_store(db), chosen)
    out.mkdir(parents=True, exist_ok=True)
    for cert in issued:
        write_text(out / f"{cert.worker.worker_id}.html", render_certificate(cert, issuer=issuer))
    full = sum(c.full_post for c in issued)
    click.echo(
        f"已出具 {len(issued)} 份证书（全岗通 {full} 份，领域合格 {len(issued) - full} 份），在 {out}/；"
        f"{len(chosen) - len(issued)} 人还没有合格的领域，未出证书。用浏览器打开后打印（A4 横向）。"
    )


@certificate.command("verify")
@click.argument("code")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
def verify_cmd(code: str, db: str | None, roster: Path | None) -> None:
    """核验一张证书：按证书上的时间重新计算评定。"""
    from .certificate import verify
    from .evidence import open_store
    from .roster import load_roster

    result = verify(open_store(db), code, roster=load_roster(roster))
    click.echo(result.message)
    if not result.valid:
        raise SystemExit(1)
