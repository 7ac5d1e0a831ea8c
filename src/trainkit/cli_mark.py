"""``trainkit mark``: double-marking (双评) of written answers from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from .atomic import write_text

__all__ = ["mark"]

COURSE = click.option(
    "--course",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="nbgrader 课程目录",
)
DB = click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")


def _store(db: str | None):  # noqa: ANN202
    from .evidence import open_store

    return open_store(db)


def _fail(err: Exception) -> click.ClickException:
    return click.ClickException(str(err))


@click.group()
def mark() -> None:
    """双评：两位培训师独立评书面作答，分差过大时第三位仲裁，定分写入成绩库。"""


@mark.command("plan")
@click.argument("assignment")
@click.option("--markers", required=True, help="两位评分人的工号，用逗号分隔，例如 T01,T02")
@click.option("--arbiter", required=True, help="仲裁人工号")
@click.option(
    "--gap", type=click.FloatRange(min=0), default=1.0, show_default=True, help="两评相差超过这么多分时交仲裁"
)
@click.option("--by", "created_by", required=True, help="安排人工号")
@COURSE
@DB
def plan_cmd(
    assignment: str, markers: str, arbiter: str, gap: float, created_by: str, course: Path, db: str | None
) -> None:
    """为一份作业安排双评。"""
    from .marking import criteria, set_plan

    names = tuple(m.strip() for m in markers.split(","))
    try:
        if len(names) != 2:
            raise ValueError("--markers 需要正好两位评分人，例如 T01,T02")
        found = criteria(course, assignment)
        if not found:
            raise ValueError(f"作业 {assignment} 没有需要人工评分的书面作答")
        plan = set_plan(
            _store(db), assignment=assignment, markers=names, arbiter=arbiter.strip(), gap=gap, created_by=created_by
        )
    except ValueError as err:
        raise _fail(err) from err
    click.echo(
        f"已安排双评：{assignment}，评分人 {'、'.join(plan.markers)}，仲裁人 {plan.arbiter}，分差阈值 {plan.gap:g} 分；"
        f"共 {len(found)} 个人工评分项。评分人请打开 notebooks/04-double-marking.ipynb 评分。"
    )


@mark.command("add")
@click.argument("assignment")
@click.option("--student", required=True, help="学员工号")
@click.option("--cell", "grade_id", required=True, help="评分项（grade_id），见 trainkit mark status")
@click.option("--marker", required=True, help="评分人工号")
@click.option("--score", type=float, required=True, help="得分（以 0.5 分为单位）")
@click.option("--comment", default="", help="评语（可选）")
@COURSE
@DB
def add_cmd(
    assignment: str, student: str, grade_id: str, marker: str, score: float, comment: str, course: Path, db: str | None
) -> None:
    """记一次评分（通常在双评 notebook 中完成）。"""
    from .marking import ROUNDS, record_mark

    try:
        round_ = record_mark(
            _store(db),
            course,
            assignment=assignment,
            student=student,
            grade_id=grade_id,
            marker=marker,
            score=score,
            comment=comment,
        )
    except ValueError as err:
        raise _fail(err) from err
    click.echo(f"已记录（{ROUNDS[round_]}）：{student} · {grade_id} · {score:g} 分。")


@mark.command("status")
@click.argument("assignment")
@click.option(
    "--show-ids",
    is_flag=True,
    help="显示学员工号而不是答卷编号（仅供安排人核对；评分人看了就不再是盲评）",
)
@COURSE
@DB
def status_cmd(assignment: str, show_ids: bool, course: Path, db: str | None) -> None:
    """列出每份作答每个评分项的两评、仲裁和定分；答卷以编号显示，与评分表一致。"""
    from .marking import marking_status, paper_numbers

    try:
        status = marking_status(_store(db), course, assignment)
    except ValueError as err:
        raise _fail(err) from err
    if status.empty:
        click.echo(f"作业 {assignment} 还没有收到书面作答。")
        return
    numbers = paper_numbers(status["student"])
    for row in status.itertuples():
        who = row.student if show_ids else f"答卷 {numbers[row.student]:02d}"
        marks = " / ".join("—" if v is None or v != v else f"{v:g}" for v in (row.first, row.second, row.arbitration))
        final = "" if row.final is None or row.final != row.final else f" → {row.final:g}"
        click.echo(f"{who}  {row.grade_id:<16} {row.state_title}  {marks}{final}")


@mark.command("apply")
@click.argument("assignment")
@COURSE
@click.option("--gradebook", help="成绩库 URL（默认：课程目录下的 gradebook.db）")
@DB
def apply_cmd(assignment: str, course: Path, gradebook: str | None, db: str | None) -> None:
    """把已定分的双评结果写入成绩库（之后 trainkit evidence import-grades 导入为证据）。"""
    from .marking import apply_agreed, marking_status

    store = _store(db)
    try:
        written = apply_agreed(store, course, assignment, db_url=gradebook)
        left = marking_status(store, course, assignment)
    except ValueError as err:
        raise _fail(err) from err
    open_items = int((left["state"] != "agreed").sum())
    click.echo(f"写入成绩库 {written} 项；尚未定分 {open_items} 项。")


@mark.command("report")
@click.argument("assignment")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML 文件")
@COURSE
@DB
def report_cmd(assignment: str, out: Path, course: Path, db: str | None) -> None:
    """生成双评一致性页面（每个评分项的 α、完全一致率、相邻一致率，每位评分人的宽严）。"""
    from .marking_page import agreement_page

    try:
        page = agreement_page(_store(db), course, assignment)
    except ValueError as err:
        raise _fail(err) from err
    write_text(out, page)
    click.echo(f"双评一致性：{out}")
