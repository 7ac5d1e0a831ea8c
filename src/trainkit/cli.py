"""The ``trainkit`` command line."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .atomic import write_text
from .cli_errors import KitGroup
from .cli_types import DOMAINS, PERIOD_END, PERIOD_START
from .click_zh import use_chinese
from .content import ContentError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]


use_chinese()  # Click's own words (用法, 选项, its errors) in Chinese


@click.group(cls=KitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="出错时显示完整的技术信息（traceback）")
def main(debug: bool) -> None:
    """社区工作者“全岗通”训练工具包 trainkit。"""


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def lab(ctx: click.Context) -> None:
    """在中文 JupyterLab 中打开学习地图（其余参数原样传给 jupyter lab）。"""
    from .labapp import lab_command

    os.execvp(sys.executable, lab_command(ctx.args))


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8866, show_default=True, help="端口（被占用时自动换一个）"
)
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
@click.option("--worker", "worker_id", help="学员工号（默认：JupyterHub 用户、TRAINKIT_WORKER 或记住的身份）")
@click.option("--notebooks", type=click.Path(path_type=Path, file_okay=False, exists=True), help="课程文件夹")
@click.option("--pool-size", type=click.IntRange(0, 8), default=1, show_default=True, help="预热内核数（2 核机器用 1）")
@click.option(
    "--idle-minutes",
    type=click.IntRange(1, 24 * 60),
    default=30,
    show_default=True,
    help="课程页空闲多少分钟后回收其内核",
)
@click.pass_context
def app(
    ctx: click.Context,
    port: int,
    no_browser: bool,
    worker_id: str | None,
    notebooks: Path | None,
    pool_size: int,
    idle_minutes: int,
) -> None:
    """以无代码页面打开全部课程（Voilà），首页是学习地图；其余参数原样传给 Voilà。"""
    from .app import AppError, run_app

    try:
        run_app(
            notebooks=notebooks,
            worker_id=worker_id,
            port=port,
            open_browser=not no_browser,
            pool_size=pool_size,
            idle_minutes=idle_minutes,
            extra=tuple(ctx.args),
        )
    except AppError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出清单")
def check(as_json: bool) -> None:
    """校验全部内容并列出清单；有问题时以状态 1 退出。"""
    from .check import run_check

    inv = run_check()
    if as_json:
        click.echo(json.dumps(inv.to_json(), ensure_ascii=False, indent=2))
    else:
        for key, value in {**inv.counts, **inv.by}.items():
            click.echo(f"{key}: {value}")
    for line in inv.problems:
        click.echo(line, err=True)
    if inv.problems:
        click.echo(f"发现 {len(inv.problems)} 个问题。", err=True)
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), required=True, help="演示文件夹（须为空或由 demo 创建）")
@click.option("--workers", type=click.IntRange(1, 2000), default=30, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
def demo(out: Path, workers: int, seed: int) -> None:
    """生成演示：nbgrader 课程、模拟学员作答、自动评分、能力证据和督导报告。"""
    from .demo import DemoError, run_demo

    try:
        result = run_demo(out, workers=workers, seed=seed, say=click.echo)
    except DemoError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"学员 {result.workers} 人，证据 {result.evidence_rows} 条。")
    click.echo(f"报告（HTML）：{result.report_html}")
    click.echo(f"报告（Excel）：{result.report_xlsx}")
    click.echo(f"双评一致性（培训师）：{result.marking_html}")
    click.echo(f"nbgrader 课程：{result.folder / 'course'}")


@main.command()
@click.argument("worker_id", required=False)
def whoami(worker_id: str | None) -> None:
    """显示当前学员；给出工号则记住它（只需设置一次）。"""
    from .roster import current_worker, set_identity

    try:
        worker = set_identity(worker_id) if worker_id else current_worker()
    except (KeyError, ContentError) as err:
        raise click.ClickException(str(err).strip("'\"")) from err
    if worker is None:
        raise click.ClickException("还没有设置学员身份：请运行 trainkit whoami 工号")
    click.echo(f"{worker.worker_id} {worker.display_name}（{worker.street} {worker.community}）")


@main.group()
def policy() -> None:
    """政策规则：参数与资格判断。"""


@policy.command("list")
@click.option("--json", "as_json", is_flag=True)
def policy_list(as_json: bool) -> None:
    """列出所有政策参数及其日期、状态、来源和核对日期。"""
    from .policy import load_parameters
    from .policy.parameters import STATUS_TITLES

    params = load_parameters()
    if as_json:
        click.echo(json.dumps({k: p.model_dump(mode="json") for k, p in params.items()}, ensure_ascii=False, indent=2))
        return
    for p in params.values():
        click.echo(f"{p.id}  {p.title}（{p.program}，{p.unit}）")
        for v in p.values:
            figure = v.value if v.value is not None else "待核实"
            click.echo(f"  {v.since} 起  {figure}  [{v.status} {STATUS_TITLES[v.status]}]  核对于 {v.reviewed}")
            if v.reference:
                click.echo(f"      来源：{v.reference.title}" + (f"  {v.reference.href}" if v.reference.href else ""))
            if v.missing:
                click.echo(f"      缺口：{v.missing}")
            if v.note:
                click.echo(f"      说明：{v.note}")


@policy.command("evaluate")
@click.argument("program")
@click.option("--household", type=click.Path(path_type=Path), required=True, help="家庭文件（YAML 或 JSON）")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="判断日期 YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True)
def policy_evaluate(program: str, household: Path, on: dt.datetime, as_json: bool) -> None:
    """按某一日期判断一个家庭是否符合某项政策。"""
    from .policy import PROGRAMS, BeforeFirstDate, load_household

    if program not in PROGRAMS:
        raise click.ClickException(f"未知项目 {program}（可用：{', '.join(PROGRAMS)}）")
    try:
        decision = PROGRAMS[program].evaluate(load_household(household), on.date())
    except (ContentError, BeforeFirstDate, ValueError) as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
        return
    amount = f"，{decision.amount_text}" if decision.amount is not None else ""
    click.echo(f"{decision.on} {decision.verdict}{amount}")
    for r in decision.reasons:
        click.echo(f"  - {r.text}")
    for m in decision.missing:
        click.echo(f"  待核实：{m}")


@policy.command("stale")
@click.option("--months", type=click.IntRange(1, 120), default=12, show_default=True)
def policy_stale(months: int) -> None:
    """列出超过期限未重新核对的政策数字（每年 7 月调标前后请逐条核实）。"""
    from .policy import load_parameters
    from .policy.parameters import months_before

    cutoff = months_before(dt.date.today(), months)
    stale = [(p, v) for p in load_parameters().values() for v in p.values if v.reviewed < cutoff]
    for p, v in stale:
        figure = v.value if v.value is not None else "待核实"
        click.echo(f"{p.id}  {v.since}  {figure}  [{v.status}]  上次核对 {v.reviewed}")
    click.echo(f"共 {len(stale)} 个数字超过 {months} 个月未核对（截止 {cutoff}）。")


@main.group()
def civil() -> None:
    """民法典计算器：业主共同决定、法定继承、冷静期与司法确认期限。"""


@civil.command("evaluate")
@click.argument("calculator")
@click.option("--case", "case_file", type=click.Path(path_type=Path), required=True, help="案情文件（YAML 或 JSON）")
@click.option("--json", "as_json", is_flag=True)
def civil_evaluate(calculator: str, case_file: Path, as_json: bool) -> None:
    """按民法典等法律计算一个案情：vote（业主共同决定）、inheritance（法定继承）、deadline（期限）。"""
    from .civil import CALCULATORS, load_case

    if calculator not in CALCULATORS:
        raise click.ClickException(f"未知计算器 {calculator}（可用：{', '.join(CALCULATORS)}）")
    module = CALCULATORS[calculator]
    try:
        finding = module.evaluate(load_case(module.Case, case_file))
    except ContentError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(json.dumps(finding.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"结论：{finding.conclusion}")
    for number, step in enumerate(finding.steps, start=1):
        click.echo(f"  {number}. {step.text}")
        if step.citation:
            click.echo(f"     依据：{step.citation.label}：“{step.citation.quote}”")


@main.command()
@click.option(
    "--households", type=click.IntRange(1, 5_000_000), required=True, help="户数（超过 50 万户时按城市分区逐块写出）"
)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default="2026-06-01",
    show_default=True,
    help="年龄和记录以这一天为准",
)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True)
@click.option("--csv", is_flag=True, help="同时写 CSV")
def synth(households: int, seed: int, on: dt.datetime, out: Path, csv: bool) -> None:
    """生成一个虚构的街区居民台账（姓名、证件号均为明显的虚构值）。"""
    from .district.synth import CITY_PIECE, synthesize, write, write_city

    if households > 2 * CITY_PIECE:  # a city: district by district, never all in memory
        for path in write_city(households, out, seed=seed, on=on.date(), progress=lambda m: click.echo(m, err=True)):
            click.echo(f"写入 {path}")
        click.echo(f"{households} 户（城市规模：只写 households 和 residents 两张表）。")
        return
    tables = synthesize(households, seed=seed, on=on.date())
    for path in write(tables, out, csv=csv):
        click.echo(f"写入 {path}")
    grids = tables["residents"]["grid"].nunique() if "grid" in tables["residents"] else 0
    click.echo(f"{len(tables['households'])} 户，{len(tables['residents'])} 人，{grids} 个网格。")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="按这一天的政策判断")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="走访名单：.xlsx、.csv 或 .parquet"
)
@click.option(
    "--chunk",
    type=click.IntRange(1, None),
    default=None,
    help="每次筛查的户数：城市规模的台账分块筛查，内存有界（默认：超过 50 万户的 Parquet 台账每块 25 万户）",
)
def screen(folder: Path, on: dt.datetime, out: Path, chunk: int | None) -> None:
    """对台账中每户、每人逐项政策筛查，列出符合（或待核实）但尚未享受的人。"""
    from .district.city import CHUNK, screen_in_chunks
    from .district.register import read_register
    from .district.screen import screen_register, write_outreach

    homes = folder / "households.parquet"
    if chunk is None and homes.is_file() and _parquet_rows(homes) > 2 * CHUNK:
        chunk = CHUNK
    if chunk is not None:
        try:
            city = screen_in_chunks(folder, on.date(), out, chunk=chunk, progress=lambda m: click.echo(m, err=True))
        except ContentError as err:
            raise click.ClickException(str(err)) from err
        for program, why in city.not_in_force.items():
            click.echo(f"未筛查 {program}：{why}", err=True)
        click.echo(
            f"走访名单：{city.path}（符合条件 {city.verdicts.get('符合条件', 0)} 项，"
            f"待核实 {city.verdicts.get('待核实', 0)} 项，涉及 {city.households} 户）"
        )
        _data_errors(city.data_errors)
        return
    try:
        households, residents = read_register(folder)
        result = screen_register(households, residents, on.date())
    except ContentError as err:
        raise click.ClickException(str(err)) from err
    for program, why in result.not_in_force.items():
        click.echo(f"未筛查 {program}：{why}", err=True)
    path = write_outreach(result, out)
    counts = result.outreach["verdict"].value_counts()
    click.echo(
        f"走访名单：{path}（符合条件 {counts.get('符合条件', 0)} 项，待核实 {counts.get('待核实', 0)} 项，"
        f"涉及 {result.outreach['household_id'].nunique()} 户）"
    )
    _data_errors(result.data_errors)


def _data_errors(errors: pd.DataFrame) -> None:
    """The households not screened, ten by name, to stderr."""
    if len(errors):
        click.echo(f"登记有误、没有筛查的 {len(errors)} 户（名单中单列，请核对台账）：", err=True)
        for row in errors.head(10).itertuples():
            click.echo(f"  {row.household_id}（{row.grid}）：{row.reason}", err=True)
        if len(errors) > 10:
            click.echo(f"  ……另有 {len(errors) - 10} 户，见名单", err=True)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


@main.group()
def quiz() -> None:
    """自测题库：导入局里的 Excel 题库。"""


@quiz.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=None, help="写入的文件夹（默认：casebank/quiz/）"
)
@click.option("--prefix", default="imported", show_default=True, help="题库与题目 id 的前缀")
@click.option("--replace", is_flag=True, help="用本次导入替换同名的已有题库（默认拒绝覆盖）")
@click.option("--max-rows", type=click.IntRange(1), default=20_000, show_default=True, help="最多读取的行数")
def quiz_import_cmd(workbook: Path, out: Path | None, prefix: str, replace: bool, max_rows: int) -> None:
    """校验每一行（.xlsx 或 CSV），把有效的题写成题库文件，并逐行列出被拒绝的原因。"""
    import yaml

    from .content import casebank_root
    from .quiz_import import import_workbook

    result = import_workbook(workbook, prefix=prefix, max_rows=max_rows)
    folder = out or casebank_root() / "quiz"
    folder.mkdir(parents=True, exist_ok=True)
    existing = [folder / f"{bank_id}.yaml" for bank_id in result.banks if (folder / f"{bank_id}.yaml").exists()]
    if existing and not replace:
        raise click.ClickException(
            f"题库已存在：{'、'.join(p.name for p in existing)}。加 --replace 用本次导入替换，"
            "或用 --prefix 另起一个题库名；原有题库没有改动"
        )
    for bank_id, bank in result.banks.items():
        data = bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data["schema_version"] = 1
        for item in data["items"]:
            if item["type"] == "numeric":
                item["answer"] = float(item["answer"]) if "." in item["answer"] else int(item["answer"])
        write_text(folder / f"{bank_id}.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        click.echo(f"写入 {folder / (bank_id + '.yaml')}：{len(bank.items)} 题")
    for line in result.notes:
        click.echo(f"提示 {line}")
    for line in result.rejected:
        click.echo(f"拒绝 {line}", err=True)
    click.echo(f"导入 {sum(len(b.items) for b in result.banks.values())} 题，拒绝 {len(result.rejected)} 行。")
    if not result.banks:
        raise SystemExit(1)  # nothing usable was imported


@main.group()
def case() -> None:
    """调解案例：投稿模板。"""


@case.command("new")
@click.argument("area")
@click.option("--id", "case_id", default=None, help="案例 id（默认：new-<领域>-<日期>）")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="保存到的文件夹（默认：casebank/cases/<领域>/）",
)
def case_new(area: str, case_id: str | None, out: Path | None) -> None:
    """为经验丰富的社区工作者生成一份带中文注释的案例模板。"""
    from .cases import new_case_template
    from .content import casebank_root

    case_id = case_id or f"new-{area.replace('_', '-')}-{dt.date.today():%Y%m%d}"
    try:
        text = new_case_template(area, case_id)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    folder = out or casebank_root() / "cases" / area
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case_id}.yaml"
    if path.exists():
        raise click.ClickException(f"{path} 已存在，换一个 --id")
    write_text(path, text)
    click.echo(f"已生成模板：{path}\n填写后运行 trainkit check 校验（它也会提示疑似真实个人信息）。")


@main.group()
def evidence() -> None:
    """能力证据：导入成绩、居民回访。"""


@evidence.command("import-grades")
@click.option(
    "--course",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exercises"),
    show_default=True,
    help="nbgrader 课程目录",
)
@click.option("--gradebook", help="成绩库 URL（默认：课程目录下的 gradebook.db）")
@click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
@click.option("--all-students", is_flag=True, help="也导入不在花名册上的学员（默认跳过并列出）")
def import_grades_cmd(
    course: Path, gradebook: str | None, db: str | None, roster: Path | None, all_students: bool
) -> None:
    """把 nbgrader 成绩库中的评分导入为能力证据（重复导入不会重复记录）。"""
    from .evidence import open_store
    from .grading import gradebook_url, import_grades
    from .roster import load_roster

    gradebook = gradebook_url(course, gradebook)  # the course first: a mistyped --course is the likelier mistake
    listed = None if all_students else set(load_roster(roster))
    s = import_grades(open_store(db), course, db_url=gradebook, roster=listed)
    click.echo(
        f"新增 {s.added} 条（其中复评 {s.superseding} 条），已存在 {s.unchanged} 条，待人工评分 {s.awaiting_manual} 项。"
    )
    if s.unlisted:
        click.echo(
            f"跳过 {len(s.unlisted)} 名不在花名册上的学员：{'、'.join(sorted(s.unlisted))}。"
            "如确属本课程学员，请先加入花名册；确要导入，加 --all-students。"
        )
    if s.erased:
        click.echo(
            f"跳过 {len(s.erased)} 名个人信息已清除、但仍在成绩库中的学员：{'、'.join(sorted(s.erased))}。"
            "请在课程目录运行 nbgrader db student remove 工号 --force 把他们从成绩库删除。"
        )
    if s.conflicts:
        click.echo(f"有 {len(s.conflicts)} 条成绩没有写入，因为证据库中已有内容不同的同键记录：", err=True)
        for line in s.conflicts:
            click.echo(f"  {line}", err=True)
        raise SystemExit(1)


@evidence.command("import-feedback")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
def import_feedback_cmd(file: Path, db: str | None, roster: Path | None, as_json: bool) -> None:
    """导入居民回访/满意度记录（.xlsx 或 CSV）为能力证据；有问题的行逐行列出，其余照常导入。

    表头：工号、服务事项、日期、评分（1–5 分）、回访对象编号，可选 备注（备注不出现在报告和公示中）。
    同一文件重复导入不会重复记录。
    """
    from .evidence import EvidenceConflict, open_store
    from .resident_feedback import import_feedback
    from .roster import load_roster

    try:
        result = import_feedback(open_store(db), file, workers=set(load_roster(roster)))
    except EvidenceConflict as err:
        raise click.ClickException(f"{err}（本次没有写入任何记录）") from err
    if as_json:
        click.echo(
            json.dumps(
                {"added": result.added, "already": result.already, "problems": result.problems},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(
            f"新增回访记录 {result.added} 条，已导入过 {len(result.already)} 条，问题 {len(result.problems)} 处。"
        )
        for line in result.problems:
            click.echo(f"  {line}", err=True)
    if result.problems:
        raise SystemExit(1)


DATE = click.DateTime(formats=["%Y-%m-%d"])


@evidence.command("erase")
@click.argument("worker_id")
@click.option("--by", "erased_by", required=True, help="执行删除的督导工号（须在花名册中且有督导范围）")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册（默认见 README）")
@click.option("--yes", is_flag=True, help="确认删除（不可撤销）")
def erase_cmd(worker_id: str, erased_by: str, db: str | None, roster: Path | None, yes: bool) -> None:
    """按个人信息删除请求，清除已离岗人员的个人信息（统计数字保持不变）。"""
    if not yes:
        raise click.ClickException(
            "删除不可撤销：确认后请加 --yes 再运行。之后请把此人从花名册和 nbgrader 成绩库中删除。"
        )
    workers, store = _roster_and_store(roster, db)
    supervisor = workers.get(erased_by)
    if supervisor is None or not supervisor.supervisor_scope.strip():
        raise click.ClickException(
            f"{erased_by} 不是花名册中的督导（督导范围为空或查无此人）：个人信息删除须由督导执行"
        )
    person = workers.get(worker_id)
    try:
        pseudonym = store.erase_worker(
            worker_id, erased_by=erased_by, display_name=person.display_name if person else None
        )
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"已清除 {worker_id} 的个人信息，其记录改以 {pseudonym} 保留用于统计。以后导入成绩时会跳过此工号。"
        "请同时从花名册删除此人，并运行 nbgrader db student remove 删除成绩库中的记录（见 deploy/README.md 的人员变动一节）。"
    )


@main.group()
def appeal() -> None:
    """申诉：登记、处理、查看。"""


def _roster_and_store(roster: Path | None, db: str | None):  # noqa: ANN202
    from .evidence import open_store
    from .roster import load_roster

    return load_roster(roster), open_store(db)


@appeal.command("file")
@click.option("--worker", required=True, help="申诉人工号")
@click.option("--domain", required=True, help="涉及的领域 id")
@click.option("--reason", required=True, help="申诉理由")
@click.option("--deadline", type=DATE, required=True, help="公示期截止日（YYYY-MM-DD）")
@click.option("--by", "recorded_by", required=True, help="登记人工号")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False))
def appeal_file(
    worker: str, domain: str, reason: str, deadline: dt.datetime, recorded_by: str, db: str | None, roster: Path | None
) -> None:
    """登记一份申诉。"""
    from .appeals import file_appeal

    workers, store = _roster_and_store(roster, db)
    try:
        appeal_id = file_appeal(
            store,
            workers,
            worker_id=worker,
            domain=domain,
            reason=reason,
            deadline=deadline.date(),
            recorded_by=recorded_by,
        )
    except (ValueError, KeyError) as err:
        raise click.ClickException(str(err).strip("'\"")) from err
    click.echo(f"已登记申诉 {appeal_id}。")


@appeal.command("decide")
@click.argument("appeal_id", type=int)
@click.option("--by", "decided_by", required=True, help="处理人（督导）工号")
@click.option("--outcome", type=click.Choice(["upheld", "revised"]), required=True, help="upheld 维持 / revised 改变")
@click.option("--note", required=True, help="处理理由（会告知申诉人）")
@click.option("--score", type=click.FloatRange(0, 1), help="改变评定时的复核得分（0–1）")
@click.option("--item", "item_id", help="复核针对的服务事项（默认：该领域第一个事项）")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False))
def appeal_decide(
    appeal_id: int,
    decided_by: str,
    outcome: str,
    note: str,
    score: float | None,
    item_id: str | None,
    db: str | None,
    roster: Path | None,
) -> None:
    """处理一份申诉：维持，或以新的证据改变评定。"""
    from .appeals import decide_appeal

    workers, store = _roster_and_store(roster, db)
    try:
        result = decide_appeal(
            store,
            workers,
            appeal_id=appeal_id,
            decided_by=decided_by,
            outcome=outcome,
            note=note,
            score=score,
            item_id=item_id,
        )
    except (ValueError, KeyError) as err:
        raise click.ClickException(str(err).strip("'\"")) from err
    click.echo(f"申诉 {appeal_id}：{result.status}。")


@appeal.command("list")
@click.option("--worker", help="只看这位工作人员的申诉")
@click.option("--db", help="证据库 URL")
def appeal_list(worker: str | None, db: str | None) -> None:
    """列出申诉及处理情况。"""
    from .appeals import list_appeals
    from .evidence import open_store

    for a in list_appeals(open_store(db), worker_id=worker):
        click.echo(
            f"{a.id}  {a.worker_id}  {a.domain}  登记于 {a.filed_at:%Y-%m-%d}  截止 {a.deadline}  "
            f"{a.status}{'（' + a.note + '）' if a.note else ''}"
        )


@main.group()
def review() -> None:
    """督导评议：记录为培训师控制的证据。"""


@review.command("add")
@click.argument("worker_id")
@click.argument("item_id")
@click.option("--score", type=click.FloatRange(0, 1), required=True, help="评议得分（0–1）")
@click.option("--by", "reviewer", required=True, help="督导工号")
@click.option("--note", required=True, help="评议依据（如 窗口观察、入户陪同）")
@click.option("--db", help="证据库 URL")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False))
def review_add(
    worker_id: str, item_id: str, score: float, reviewer: str, note: str, db: str | None, roster: Path | None
) -> None:
    """记录一次督导评议。"""
    from .appeals import record_review

    workers, store = _roster_and_store(roster, db)
    try:
        record_review(store, workers, worker_id=worker_id, item_id=item_id, score=score, reviewer=reviewer, note=note)
    except (ValueError, KeyError) as err:
        raise click.ClickException(str(err).strip("'\"")) from err
    click.echo(f"已记录 {worker_id} 在 {item_id} 的督导评议。")


@main.command()
@click.option("--db", help="证据库 URL（默认：TRAINKIT_DB 或 ~/.trainkit/evidence.db）")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="HTML 报告路径")
@click.option("--xlsx", type=click.Path(path_type=Path), help="同时导出 Excel")
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), help="花名册 CSV")
@click.option("--since", type=PERIOD_START, help="只计入此日及以后的证据（2026-10-05；2026-10 从该月 1 日起）")
@click.option("--until", type=PERIOD_END, help="评定日期：只计入此日及以前的证据（默认今天；2026-10 到该月末）")
@click.option("--worker", help="只生成这一位工作人员本人的报告")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    callback=DOMAINS,
    help="只看这些领域（可重复；写中文名如 社会救助，或简称、id）",
)
@click.option("--scope", help="只看这个区县、街道或社区的工作人员")
@click.option("--publish", is_flag=True, help="生成公示版：只有姓名、等级和全岗通，附申诉方式")
@click.option("--appeal-days", type=click.IntRange(1, 90), default=7, show_default=True, help="公示与申诉期（天）")
@click.option(
    "--identify",
    type=click.Choice(["post", "id"]),
    default="post",
    show_default=True,
    help="公示中每人姓名旁列岗位（post，同名同岗时加工号）或工号（id）",
)
@click.option("--include-supervisors", is_flag=True, help="公示中也列出督导（默认只列被评定的工作人员）")
def report(
    db: str | None,
    out: Path,
    xlsx: Path | None,
    roster: Path | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    worker: str | None,
    domains: tuple[str, ...],
    scope: str | None,
    publish: bool,
    appeal_days: int,
    identify: str,
    include_supervisors: bool,
) -> None:
    """生成督导用的能力评定报告（HTML，可选 Excel），或 --publish 公示版。"""
    from .evidence import open_store
    from .publication import build_publication
    from .report import build_report, select_workers
    from .roster import load_roster

    as_of = until + dt.timedelta(days=1, microseconds=-1) if until else None
    if since and until and since > until:
        raise click.ClickException(f"--since {since:%Y-%m-%d} 晚于 --until {until:%Y-%m-%d}：请检查起止日期")
    try:
        workers = select_workers(load_roster(roster), worker=worker, scope=scope)
        if publish:
            path = build_publication(
                open_store(db),
                workers,
                out_html=out,
                appeal_days=appeal_days,
                as_of=as_of,
                since=since,
                identify=identify,
                include_supervisors=include_supervisors,
            )
            click.echo(f"公示：{path}")
            return
        build_report(
            open_store(db),
            workers,
            out_html=out,
            out_xlsx=xlsx,
            as_of=as_of,
            since=since,
            domains=domains or None,
            district_wide=worker is None and scope is None,
        )
    except (ContentError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"报告：{out}" + (f"；Excel：{xlsx}" if xlsx else ""))


@main.command("autograde")
@click.argument("assignment")
@click.option(
    "--course",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exercises"),
    show_default=True,
    help="nbgrader 课程目录",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="并行进程数（默认：CPU 核数）")
@click.option("--student", "students", multiple=True, help="只评这些学员（可重复，或用逗号分隔）")
@click.option("--force", is_flag=True, help="重新评分已评过且没有重新提交的作业")
@click.option(
    "--timeout",
    type=click.FloatRange(1, 3600),
    default=120,
    show_default=True,
    help="每份 notebook 的总时间限制（秒）；每格另受课程配置 Execute.timeout 限制",
)
@click.option(
    "--memory-mb", type=click.IntRange(256, 65536), default=2048, show_default=True, help="学员代码可用的内存上限（MB）"
)
def autograde_cmd(
    assignment: str,
    course: Path,
    jobs: int | None,
    students: tuple[str, ...],
    force: bool,
    timeout: float,
    memory_mb: int,
) -> None:
    """并行自动评分（与 nbgrader autograde 同分，写入同一成绩库）；损坏的提交自动修复或注明原因。"""
    from .lean_imports import skip_unused_format_checkers

    skip_unused_format_checkers()  # before nbformat is imported: seconds of start-up for one late submission
    from .autograde import AutogradeError, autograde, render_summary

    students = tuple(s.strip() for given in students for s in given.split(",") if s.strip())
    try:
        summary = autograde(
            course, assignment, jobs=jobs, students=students, force=force, timeout=timeout, memory_mb=memory_mb
        )
    except AutogradeError as err:
        raise click.ClickException(str(err)) from err
    click.echo(render_summary(summary))
    if summary.interrupted:
        sys.exit(130)
    if not summary.ok:
        sys.exit(1)  # some submission failed: a script or a scheduler must notice


@main.command("feedback")
@click.argument("assignment")
@click.option(
    "--course",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("exercises"),
    show_default=True,
    help="nbgrader 课程目录",
)
@click.option("--student", "students", multiple=True, help="只生成这些学员的反馈（可重复，或用逗号分隔）")
@click.option("--force", is_flag=True, help="截止时间之前（或没有设截止时间）也生成含解析的反馈")
def feedback_cmd(assignment: str, course: Path, students: tuple[str, ...], force: bool) -> None:
    """为每位学员生成中文反馈页（feedback/学员/作业/），不含隐藏检查。"""
    from .feedback import FeedbackError, write_feedback

    students = tuple(s.strip() for given in students for s in given.split(",") if s.strip())
    try:
        pages = write_feedback(course, assignment, students=students, force=force)
    except FeedbackError as err:
        raise click.ClickException(str(err)) from err
    for page in pages:
        click.echo(f"反馈：{page}")
    click.echo(f"共生成 {len(pages)} 份反馈。可用 nbgrader release_feedback {assignment} 发给学员。")


from .cli_items import items  # noqa: E402  (a group of its own module)
from .cli_mark import mark  # noqa: E402  (a group of its own module)

main.add_command(mark)
main.add_command(items)

from .cli_certificate import certificate  # noqa: E402

main.add_command(certificate)

from .cli_packet import packet  # noqa: E402

appeal.add_command(packet)

from .cli_summary import summary  # noqa: E402

main.add_command(summary)


@main.group()
def figures() -> None:
    """内容中写明的金额：参数文件里的数字改了，哪些题目、检查和课程文字要跟着改。"""


@figures.command("update")
def figures_update() -> None:
    """重新记录每个带日期的金额写在内容的哪些地方（casebank/figures.yaml）。"""
    from .content import casebank_root
    from .figures import update_lock

    root = casebank_root().parent
    if not (root / "notebooks").is_dir():
        raise click.ClickException("请在项目目录中运行（需要 casebank/、exercises/ 和 notebooks/）")
    path = update_lock(root)
    click.echo(f"已更新 {path}")
