"""``trainkit items``: the item analysis's flags, and a trainer setting a question aside."""

from __future__ import annotations

import click

__all__ = ["items"]

DB = click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")


def _store(db: str | None):  # noqa: ANN202
    from .evidence import open_store

    return open_store(db)


@click.group()
def items() -> None:
    """题目质量：列出需要复核的题；答案键有误的题可以搁置（不计入评定），复核后恢复。"""


@items.command("flagged")
@click.option("--all", "show_all", is_flag=True, help="列出全部题目，而不只是有提示的题")
@DB
def flagged_cmd(show_all: bool, db: str | None) -> None:
    """列出题目分析提示需要复核的题（可能答案有误、过难、区分度低、过易），以及已搁置的题。"""
    from .refs import describe_many, shorten
    from .report import REPORT_COLUMNS, question_stats

    store = _store(db)
    stats = question_stats(store.frame(columns=REPORT_COLUMNS))
    aside = store.set_aside_refs()
    shown = stats if show_all else stats[(stats["flags"] != "") | stats["ref"].isin(aside)]
    if shown.empty:
        click.echo("没有需要复核的题（作答人数不足的题不作判断）。")
        return
    text = describe_many(shown["ref"])
    for q in shown.itertuples():
        status = "【已搁置】" if q.ref in aside else ""
        d = "—" if q.discrimination != q.discrimination else f"{q.discrimination:+.2f}"
        click.echo(
            f"{status}{q.flags or '—'}  答对率 {q.correct_rate:.0%}  区分度 {d}  作答 {q.workers} 人  {shorten(text[q.ref])}"
        )
        click.echo(f"    题目编号：{q.ref}")
    click.echo("搁置一题：trainkit items set-aside 题目编号 --reason 理由 --by 工号")


def _review(action: str, ref: str, reason: str, by: str, db: str | None) -> None:
    store = _store(db)
    known = set(store.frame(columns=("ref",))["ref"])
    if ref not in known:
        raise click.ClickException(f"证据中没有题目编号“{ref}”：请从 trainkit items flagged 或报告的题目分析表复制")
    try:
        store.review_item(ref, action=action, reason=reason, reviewer=by)
    except ValueError as err:
        raise click.ClickException(str(err)) from err


@items.command("set-aside")
@click.argument("ref")
@click.option("--reason", required=True, help="理由，例如：答案键有误，已报题库维护人更正")
@click.option("--by", required=True, help="做出决定的培训师工号")
@DB
def set_aside_cmd(ref: str, reason: str, by: str, db: str | None) -> None:
    """搁置一道题：它的作答不再计入任何人的评定（作答记录仍在，随时可以恢复）。"""
    _review("set_aside", ref, reason, by, db)
    click.echo(f"已搁置 {ref}：这道题的作答不再计入评定；重新生成报告即按新的证据评定。")


@items.command("restore")
@click.argument("ref")
@click.option("--reason", required=True, help="理由，例如：核对后答案无误")
@click.option("--by", required=True, help="做出决定的培训师工号")
@DB
def restore_cmd(ref: str, reason: str, by: str, db: str | None) -> None:
    """恢复一道已搁置的题：它的作答重新计入评定。"""
    _review("restore", ref, reason, by, db)
    click.echo(f"已恢复 {ref}：这道题的作答重新计入评定。")


@items.command("history")
@DB
def history_cmd(db: str | None) -> None:
    """题目搁置与恢复的全部记录（谁、何时、为什么）。"""
    from .evidence import ITEM_ACTIONS

    reviews = _store(db).item_reviews()
    if not reviews:
        click.echo("还没有搁置或恢复过题目。")
    for r in reviews:
        click.echo(
            f"{r['recorded_at']:%Y-%m-%d %H:%M}（UTC） {r['reviewer']} {ITEM_ACTIONS[r['action']]} {r['ref']}：{r['reason']}"
        )
