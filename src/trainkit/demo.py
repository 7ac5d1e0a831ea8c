"""``trainkit demo``: a whole cycle on synthetic workers — lesson answers, graded exercises,
supervisor reviews, evidence, ratings and the supervisor report.

The 低保 exercise goes through real nbgrader (generate, submit, autograde, manual grading,
import), as a trainer would run it. The other exercises of the course are simulated as
their import would record them — one row per graded cell and service item, scored by each
worker's ability in that domain — because grading a cohort's thirteen assignments through
kernels would make the demo take many minutes. Workers differ: a few are strong everywhere,
most have one to four weak domains, a few are weak, and some skipped an exercise, so the
report shows 全岗通, gaps, and 缺考核 (a good score with no trainer evidence yet). One
self-check question plays a wrongly keyed item (:data:`PLANTED`): everybody meets it, and the
stronger the worker, the likelier they give the answer the key marks wrong — so the item
analysis flags it 可能答案有误 for the trainers, as it would a real miskeyed question.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import nbformat

from .atomic import write_bytes, write_text
from .content import exercises_root
from .evidence import EvidenceStore, open_store
from .framework import load_framework
from .grading import import_grades, nbgrader
from .quiz import Item, check_answer, load_banks
from .resident_feedback import LOCAL_TIME, import_feedback
from .roster import COLUMNS, load_roster

__all__ = ["DemoError", "DemoResult", "run_demo"]

MARKER = ".trainkit-demo"
PLANTED = ("social-assistance-dibao", 0)  # (bank, item index): the question that plays a wrong key
ASSIGNMENT = "social-assistance-dibao"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀英", "建华", "丽娟", "志强", "海燕", "国庆", "晓梅", "文博", "雪松", "春燕", "立新", "佳怡"]
PROFILES = {  # chance of answering a question right, written-answer share of points
    "strong": (0.95, 0.9),
    "able": (0.85, 0.8),
    "average": (0.7, 0.6),
    "weak": (0.4, 0.3),
    "blank": (0.0, 0.0),
    "broken": (0.6, 0.5),
}
MARKERS, ARBITER = ("T01", "T02"), "T03"  # the demo's trainers: two markers and the arbiter of written answers
RIGHT = {"人数": "4", "月收入": "2000", "第3题": '"A"', "月补差": "2044", "第5题": '"B"', "第6题": '"C"'}
WRONG = {"人数": "5", "月收入": "2900", "第3题": '"C"', "月补差": "1144", "第5题": '"A"', "第6题": '"A"'}


class DemoError(RuntimeError):
    """The demo cannot run (a folder it must not touch, or nbgrader failed)."""


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    report_html: Path
    report_xlsx: Path
    marking_html: Path  # the trainers' 双评 agreement page
    workers: int
    evidence_rows: int


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise DemoError(
                f"{out}: 文件夹非空且不是 trainkit demo 创建的，为避免覆盖您的文件，已停止。请换一个空文件夹。"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("created by trainkit demo\n", encoding="utf-8")


def _roster(out: Path, n: int, rng: random.Random) -> Path:
    path = out / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(1, n + 1):
            name = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（示例）"
            community = f"示例{'一二三四五'[i % 5]}社区"
            writer.writerow([f"D{i:03d}", name, "示例街道", community, "综合受理窗口", ""])
        writer.writerow(["S001", "督导员（示例）", "示例街道", "", "街道督导", "示例街道"])
    return path


def _profiles(ids: list[str], rng: random.Random) -> dict[str, str]:
    names = list(PROFILES)
    cycle = names + [rng.choices(names, weights=[4, 8, 4, 1, 0.5, 0.5])[0] for _ in range(len(ids))]
    return dict(zip(ids, cycle, strict=False))


def _abilities(profiles: dict[str, str], domains: list[str], rng: random.Random) -> dict[str, dict[str, float]]:
    """Each worker's chance of a right answer in each domain: strong ones are good everywhere,
    able ones have up to two weak domains, the others one to four."""
    found = {}
    for worker, profile in profiles.items():
        base = max(PROFILES[profile][0], 0.3)
        few = {"strong": (0, 0), "able": (0, 2)}.get(profile, (1, 4))
        weak = set(rng.sample(domains, k=rng.randint(*few)))
        found[worker] = {d: base - 0.35 if d in weak else min(0.97, base + rng.uniform(0, 0.08)) for d in domains}
    return found


def _answered(release: Path, profile: str, rng: random.Random) -> nbformat.NotebookNode:
    nb = nbformat.read(release, as_version=4)
    p_right, _ = PROFILES[profile]
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if profile == "blank" or not grade_id.endswith(("-answer", "-plan")):
            continue
        if grade_id.endswith("-plan"):
            cell.source = "王阿姨，您家算进来的是您、老李、读本科的儿子和同住的婆婆。婆婆的抚恤金、儿子的助学金不算收入。请写书面申请交街道，街道入户调查、公示后报区民政局审批。"
            continue
        name = next(k for k in RIGHT if f"{k} =" in cell.source)
        value = RIGHT[name] if rng.random() < p_right else WRONG[name]
        if profile == "broken" and name.startswith("第"):
            value = value.replace('"', "“", 1).replace('"', "”")  # Chinese quotes: a syntax error
        cell.source = f"{name} = {value}"
    return nb


def _simulate_submissions(
    course: Path, profiles: dict[str, str], start: datetime, days: int, rng: random.Random
) -> dict[str, datetime]:
    release = course / "release" / ASSIGNMENT
    when: dict[str, datetime] = {}
    for worker, profile in profiles.items():
        folder = course / "submitted" / worker / ASSIGNMENT
        folder.mkdir(parents=True)
        for nb_path in release.glob("*.ipynb"):
            nbformat.write(_answered(nb_path, profile, rng), folder / nb_path.name)
        when[worker] = start + timedelta(days=rng.randrange(days), hours=rng.randrange(8, 18))
        (folder / "timestamp.txt").write_text(when[worker].strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    return when


def _first_marks(course: Path, profiles: dict[str, str], rng: random.Random) -> dict[tuple[str, str], float]:
    """The first trainer's mark of each written answer's criteria, by rubric share (student, grade id → score)."""
    from nbgrader.api import Gradebook

    marks = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for worker, profile in profiles.items():
            for nb in gb.find_submission(ASSIGNMENT, worker).notebooks:
                for grade in nb.grades:
                    if grade.needs_manual_grade:
                        share = PROFILES[profile][1] * rng.uniform(0.8, 1.1)
                        marks[worker, grade.name] = float(round(min(1.0, share) * grade.max_score))
    return marks


def _double_mark(
    store: EvidenceStore, course: Path, first: dict[tuple[str, str], float], rng: random.Random, out: Path
) -> Path:
    """双评 of the written answers: a second trainer marks each independently (now and then a point
    apart, rarely two), the arbiter settles the gaps wider than one point, the agreed marks go into
    the gradebook; returns the trainers' agreement page."""
    from .marking import apply_agreed, marking_status, record_mark, set_plan
    from .marking_page import agreement_page

    plan = set_plan(store, assignment=ASSIGNMENT, markers=MARKERS, arbiter=ARBITER, gap=1.0, created_by=ARBITER)
    for row in marking_status(store, course, ASSIGNMENT).itertuples():
        one = first.get((row.student, row.grade_id), 0.0)
        two = min(row.points, max(0.0, one + rng.choice([0, 0, 0, 0.5, -0.5, 1, -1, 2])))
        marks = {MARKERS[0]: one, MARKERS[1]: two}
        if abs(one - two) > plan.gap:
            marks[ARBITER] = round((one + two) / 2 * 2) / 2
        for marker, score in marks.items():
            record_mark(
                store,
                course,
                assignment=ASSIGNMENT,
                student=row.student,
                grade_id=row.grade_id,
                marker=marker,
                score=score,
                notebook=row.notebook,
            )
    apply_agreed(store, course, ASSIGNMENT)
    page = out / "双评一致性.html"
    write_text(page, agreement_page(store, course, ASSIGNMENT))
    return page


def _wrong(item: Item, rng: random.Random) -> object:
    if item.type == "numeric":
        return item.answer + Decimal(rng.choice([-100, 100, 1011]))
    if item.type == "true_false":
        return not item.answer
    keys = [o.key for o in item.options]
    if item.type == "single":
        return rng.choice([k for k in keys if k != item.answer])
    return [k for k in keys if k not in item.answer][:1] or keys[:1]


def _self_checks(abilities: dict[str, dict[str, float]], start: datetime, days: int, rng: random.Random) -> list[dict]:
    """Lesson self-check answers over the months, getting better with practice."""
    fw = load_framework()
    rows = []
    banks = list(load_banks().values())
    for worker, ability in abilities.items():
        sessions = sorted(rng.sample(range(days), k=min(days, rng.randint(3, 6))))
        for s, day in enumerate(sessions):
            when = start + timedelta(days=day, hours=rng.randrange(8, 12))
            for bank in banks:
                p = min(0.97, max(ability.get(bank.domain, 0.5), 0.25) + 0.05 * s)
                asked = rng.sample(bank.items, k=min(6, len(bank.items)))
                planted = bank.items[PLANTED[1]] if bank.id == PLANTED[0] else None
                if planted is not None and planted not in asked:
                    asked.append(planted)
                for item in asked:
                    right = rng.random() < (1 - p if item is planted else p)  # the planted key: the strong "miss"
                    answer = item.answer if right else _wrong(item, rng)
                    marking = check_answer(item, answer)
                    for service_item in item.items:
                        rows.append(
                            {
                                "worker_id": worker,
                                "item_id": service_item,
                                "domain": fw.domain_of(service_item),
                                "source": "self_check",
                                "ref": f"quiz:{bank.id}:{item.id}",
                                "score": marking.score,
                                "recorded_at": when,
                                "answer": {"value": str(answer)},
                                "assessor": worker,
                            }
                        )
    return rows


def _other_exercises(
    course: Path, abilities: dict[str, dict[str, float]], start: datetime, days: int, rng: random.Random
) -> list[dict]:
    """The course's other exercises as ``import-grades`` records them, scored by ability; a worker
    skips an exercise now and then (its domain then has no trainer evidence: 缺考核 or 未评估)."""
    from .grading import grade_cell_items

    fw = load_framework()
    rows = []
    for folder in sorted(p for p in (course / "source").iterdir() if p.is_dir() and p.name != ASSIGNMENT):
        cells = grade_cell_items(course, folder.name)
        points = _points(folder)
        for worker, ability in abilities.items():
            keen = sum(ability.values()) / len(ability) >= 0.85  # the strongest rarely miss an exercise
            if rng.random() < (0.02 if keen else 0.15):
                continue
            when = start + timedelta(days=rng.randrange(days), hours=rng.randrange(8, 18))
            for (notebook, grade_id), items in cells.items():
                p = ability.get(fw.domain_of(items[0]), 0.5)
                most = points.get((notebook, grade_id), 1.0)
                score = most if rng.random() < p else 0.0
                if (notebook, grade_id) in points and most > 1:  # a rubric criterion: partial credit
                    score = round(min(1.0, p * rng.uniform(0.8, 1.15)) * most * 2) / 2
                for item in items:
                    rows.append(
                        {
                            "worker_id": worker,
                            "item_id": item,
                            "domain": fw.domain_of(item),
                            "source": "graded_exercise",
                            "ref": f"exercise:{folder.name}:{notebook}:{grade_id}",
                            "score": score,
                            "max_score": most,
                            "recorded_at": when,
                            "assessor": "nbgrader-autograde",
                        }
                    )
    return rows


def _points(folder: Path) -> dict[tuple[str, str], float]:
    """(notebook, grade id) → points of every graded cell of an exercise's source."""
    found = {}
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or meta.get("task"):
                found[(path.stem, meta["grade_id"])] = float(meta.get("points", 1) or 1)
    return found


def _reviews(
    store,
    roster,
    abilities: dict[str, dict[str, float]],
    start: datetime,
    days: int,  # noqa: ANN001
    rng: random.Random,
) -> int:
    """The street supervisor's reviews after window duty and home visits, a few per worker."""
    from .appeals import record_review

    fw = load_framework()
    notes = (
        "窗口受理时按流程告知，材料清单讲得清楚",
        "入户走访记录完整，需再核实收入口径",
        "调解会上能先听双方说完",
        "电话回访中居民反映解答耐心",
        "政策口径还需要再熟悉",
    )
    count = 0
    for worker, ability in abilities.items():
        for domain in rng.sample(sorted(ability), k=3):
            item = rng.choice(fw.domain(domain).items).id
            score = round(min(1.0, max(0.0, ability[domain] + rng.uniform(-0.1, 0.1))), 2)
            when = start + timedelta(days=rng.randrange(days), hours=rng.randrange(8, 18))
            row = record_review(
                store,
                roster,
                worker_id=worker,
                item_id=item,
                score=score,
                reviewer="S001",
                note=rng.choice(notes),
                recorded_at=when,
            )
            count += row is not None
    return count


FEEDBACK_COMMENTS = ("", "", "", "办事很耐心（示例备注）", "材料一次说清楚了（示例备注）", "等候时间有点长（示例备注）")


def _feedback_sheet(
    out: Path, abilities: dict[str, dict[str, float]], start: datetime, days: int, rng: random.Random
) -> Path:
    """A 社区's phone follow-up sheet (GBK, as Excel on Chinese Windows saves a CSV): each worker
    served residents in two to four domains, and the residents' scores follow the worker's
    ability there. Resident numbers are visibly synthetic (示例-HF-…)."""
    domains = load_framework().domains
    text = io.StringIO()
    sheet = csv.writer(text, lineterminator="\r\n")
    sheet.writerow(["工号", "服务事项", "日期", "评分", "回访对象编号", "备注"])
    resident, seen = 0, set()
    for worker, ability in abilities.items():
        for domain in rng.sample(domains, k=rng.randint(2, 4)):
            for _ in range(rng.randint(2, 6)):  # two records fall short of the minimum: they count in no rating
                resident += rng.random() > 0.2  # now and then the same resident again: only the latest counts
                day = (start + timedelta(days=rng.randrange(days))).astimezone(LOCAL_TIME).date()
                score = min(5, max(1, round(1 + 4 * ability[domain.id] + rng.uniform(-1, 1))))
                item = rng.choice(domain.items).title
                comment = rng.choice(FEEDBACK_COMMENTS)
                if (worker, item, day, resident) in seen:
                    continue  # one follow-up per resident, item and day
                seen.add((worker, item, day, resident))
                sheet.writerow([worker, item, day.isoformat(), score, f"示例-HF-{resident:05d}", comment])
    path = out / "resident-feedback.csv"
    write_bytes(path, text.getvalue().encode("gb18030"))
    return path


def run_demo(out: Path, *, workers: int = 30, seed: int = 2026, say: Callable[[str], None] = print) -> DemoResult:
    """Build the demo course, cohort, evidence and report in ``out``."""
    from .report import build_report

    if workers < 1:
        raise DemoError("--workers 至少为 1")
    out = Path(out).resolve()
    _prepare(out)
    rng = random.Random(seed)
    course = out / "course"
    template = exercises_root()
    course.mkdir()
    shutil.copy(template / "nbgrader_config.py", course)
    shutil.copytree(template / "source", course / "source")
    roster = load_roster(_roster(out, workers, rng))
    learners = [w for w in roster if w.startswith("D")]

    say("1/5 生成考核作业（nbgrader generate_assignment）…")
    _check(nbgrader("generate_assignment", ASSIGNMENT, course=course))
    days = 91
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    profiles = _profiles(learners, rng)
    _simulate_submissions(course, profiles, start, days, rng)

    say(f"2/5 自动评分 {len(learners)} 份作业（nbgrader autograde）…")
    _check(nbgrader("autograde", ASSIGNMENT, course=course))
    first = _first_marks(course, profiles, rng)

    say("3/5 书面作答双评；导入成绩、其余考核作业、督导评议、自测记录和居民回访为能力证据…")
    store = open_store(f"sqlite:///{out / 'evidence.db'}")
    marking_html = _double_mark(store, course, first, random.Random(seed + 2), out)
    import_grades(store, course)
    abilities = _abilities(profiles, [d.id for d in load_framework().domains], rng)
    store.record_many(_other_exercises(course, abilities, start, days, rng))
    _reviews(store, roster, abilities, start, days, rng)
    store.record_many(_self_checks(abilities, start, days, rng))
    sheet = _feedback_sheet(out, abilities, start, days, random.Random(seed + 1))
    imported = import_feedback(store, sheet, workers=set(roster))
    if imported.problems:  # the demo's own sheet: a problem here is a bug in the demo
        raise DemoError("示例居民回访表导入出错：\n" + "\n".join(imported.problems))

    say("4/5 生成督导报告…")
    build_report(store, {w: roster[w] for w in learners}, out_html=out / "report.html", out_xlsx=out / "report.xlsx")
    rows = len(store.rows())
    say("5/5 完成。")
    return DemoResult(out, out / "report.html", out / "report.xlsx", marking_html, len(learners), rows)


def _check(result) -> None:  # noqa: ANN001
    if (
        result.returncode != 0
        or "[AutogradeApp | ERROR]" in result.stderr
        or "[GenerateAssignmentApp | ERROR]" in result.stderr
    ):
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise DemoError(f"nbgrader 运行失败：\n{tail}")
