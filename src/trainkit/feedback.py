"""``trainkit feedback``: a Chinese feedback page per learner and notebook, without hidden tests.

nbgrader's own feedback is the autograded notebook as HTML — hidden tests included
(jupyter/nbgrader#917) and in English. This page is built from data instead:

- each check's points (from the gradebook, so a trainer's override shows) and its message
  (:mod:`trainkit.autograde.checks`: a visible check's own message or a fixed sentence —
  never a hidden test's code or message), the learner's answer, and the explanation and
  its source when the cell's ``metadata.trainkit`` has one (``explanation``, and
  ``reference: {title, href}`` or ``citation: {law, article}``);
- each rubric criterion's score and the trainer's comment (gradebook);
- what ``trainkit autograde`` repaired and why anything failed (its report);
- lessons whose service items match the missed checks' items.

Pages go to ``feedback/<student>/<assignment>/<notebook>.html`` with the files nbgrader's
``generate_feedback`` puts there, so ``nbgrader release_feedback`` sends them as usual.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import nbformat
from jinja2 import Environment, StrictUndefined

from .atomic import write_text
from .localtime import local_text

__all__ = ["FeedbackError", "write_feedback"]


class FeedbackError(RuntimeError):
    """Feedback cannot be written (message in Chinese)."""


@dataclass
class Item:
    label: str
    kind: str  # auto | manual | task
    score: float | None
    max_score: float
    message: str
    answer: str = ""
    criterion: str = ""
    looks_for: str = ""
    comment: str = ""
    explanation: str = ""
    source: str = ""
    source_href: str = ""
    missed: bool = False


@dataclass
class Page:
    title: str
    assignment: str
    notebook: str
    student: str
    name: str
    submitted: str
    score: float
    max_score: float
    auto_score: float
    auto_max: float
    pending_manual: int
    checks: list[Item] = field(default_factory=list)
    rubric: list[Item] = field(default_factory=list)
    written: str = ""
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lessons: list[dict] = field(default_factory=list)
    generated: str = ""


def write_feedback(
    course_dir: Path,
    assignment: str,
    *,
    students: tuple[str, ...] = (),
    force: bool = False,
    now: datetime | None = None,
) -> list[Path]:
    """Write every graded learner's feedback pages; return their paths.

    The explanations of the checks name the right answers, so pages holding them are refused
    before the assignment's due date — or when it has none — unless ``force``: otherwise a
    learner who gets feedback early could pass the answers on.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import ClearHiddenTests

    from .autograde.course import CourseError, load_course
    from .autograde.snapshot import read_assignment

    try:
        course = load_course(Path(course_dir))
    except CourseError as err:
        raise FeedbackError(str(err)) from err
    written = []
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            snapshot = read_assignment(
                gb,
                assignment,
                source_dir=course.path("source", ".", assignment),
                clear_hidden=ClearHiddenTests(parent=course.exporter),
            )
        except MissingEntry:
            raise FeedbackError(
                f"成绩库中没有作业 {assignment}：请先运行 nbgrader generate_assignment 和自动评分"
            ) from None
        if not force and any(
            meta.get("explanation") for nb in snapshot.notebooks.values() for meta in nb.trainkit.values()
        ):
            _check_due(gb.find_assignment(assignment).duedate, assignment, now or datetime.now(UTC))
        names = _names()
        for sub in gb.assignment_submissions(assignment):
            student = sub.student.id
            if students and student not in students:
                continue
            autograded = course.path("autograded", student, assignment)
            if not autograded.is_dir():
                continue
            report = _report(course.state("reports", assignment, f"{student}.json"))
            dest = course.path("feedback", student, assignment)
            dest.mkdir(parents=True, exist_ok=True)
            _copy_other_files(course, autograded, dest)
            for nb in sub.notebooks:
                page = _page(
                    nb,
                    snapshot.notebooks[nb.name],
                    autograded / f"{nb.name}.ipynb",
                    report,
                    student=student,
                    name=names.get(student, ""),
                    assignment=assignment,
                    submitted=sub.timestamp,
                )
                path = dest / f"{nb.name}.html"
                write_text(path, render(page))
                written.append(path)
    return written


def _check_due(due: datetime | None, assignment: str, now: datetime) -> None:
    """Refuse feedback that reveals the answers while the assignment may still be handed in."""
    if due is None:
        raise FeedbackError(
            f"作业 {assignment} 没有设截止时间，而反馈里的解析写明了正确答案：为免答案在截止前流出，请先设截止时间"
            f'（在课程目录运行 nbgrader db assignment add {assignment} --duedate="2026-12-31 18:00:00 Asia/Shanghai"，'
            "或在 Formgrader 里填写），截止后再生成反馈；确需现在发，加 --force"
        )
    due = due if due.tzinfo else due.replace(tzinfo=UTC)
    if now < due:
        shown = local_text(due)
        raise FeedbackError(
            f"作业 {assignment} 的截止时间是 {shown}（北京时间），反馈里的解析写明了正确答案："
            "请在截止之后再生成反馈；确需现在发（例如个别补考），加 --force"
        )


def _names() -> dict[str, str]:
    try:
        from .roster import load_roster

        return {w: worker.display_name for w, worker in load_roster().items()}
    except Exception:  # noqa: BLE001  (the roster is optional here: ids are shown instead)
        return {}


def _report(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_mtime"] = path.stat().st_mtime
        return data
    except (OSError, ValueError):
        return {}


def _copy_other_files(course, autograded: Path, dest: Path) -> None:  # noqa: ANN001
    """What nbgrader's generate_feedback copies: the non-notebook files (timestamp.txt,
    submission_secret.txt …) that release_feedback needs."""
    from nbgrader.utils import find_all_files

    for file in map(Path, find_all_files(str(autograded), [*course.coursedir.ignore, "*.ipynb"])):
        target = dest / file.relative_to(autograded)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        shutil.copyfile(file, target)


def _page(
    nb,
    source,
    executed_path: Path,
    report: dict,
    *,
    student: str,
    name: str,
    assignment: str,  # noqa: ANN001
    submitted,
) -> Page:  # noqa: ANN001
    from .autograde.checks import check_results

    entry = report.get("notebooks", {}).get(nb.name, {})
    checks = entry.get("checks") or []
    executed = None
    if executed_path.is_file():
        executed = nbformat.read(executed_path, as_version=4)
        if not checks or executed_path.stat().st_mtime > report.get("_mtime", 0):
            checks = [c.to_json() for c in check_results(executed, source)]  # graded by nbgrader itself
    by_id = {c["grade_id"]: c for c in checks}
    grades = {g.name: g for g in nb.grades}
    comments = {c.name: c for c in nb.comments}
    page = Page(
        title=source.label(source.order[0]) if source.order else nb.name,
        assignment=assignment,
        notebook=nb.name,
        student=student,
        name=name,
        submitted=local_text(submitted) if submitted else "",
        score=float(nb.score or 0),
        max_score=float(nb.max_score or 0),
        auto_score=0.0,
        auto_max=0.0,
        pending_manual=sum(bool(g.needs_manual_grade) for g in nb.grades),
        repairs=list(entry.get("repairs", [])),
        problems=list(entry.get("problems", [])),
        generated=local_text(datetime.now(UTC)),
    )
    missed_items: set[str] = set()
    for gid in source.order:
        if gid not in grades:
            continue
        grade, meta = grades[gid], source.trainkit.get(gid, {})
        check = by_id.get(gid, {})
        score = None if grade.needs_manual_grade else float(grade.score)
        item = Item(
            label=source.label(gid),
            kind="task" if source.is_task(gid) else "manual" if source.is_solution(gid) else "auto",
            score=score,
            max_score=float(grade.max_score),
            message=check.get("message", ""),
            answer=check.get("answer", ""),
            criterion=str(meta.get("criterion", "")),
            looks_for=str(meta.get("looks_for", "")),
            explanation=str(meta.get("explanation", "")),
        )
        item.source, item.source_href = _source(meta)
        item.missed = score is not None and score < item.max_score
        if item.missed:
            missed_items.update(meta.get("items", ()))
        if gid in comments and comments[gid].comment and comments[gid].comment != "No response.":
            item.comment = comments[gid].comment
        if item.kind == "auto":
            if score is not None and not item.message:
                item.message = "通过" if score >= item.max_score else "没有通过"
            if grade.manual_score is not None:
                item.message = f"{item.message}（培训师已复核并调整分数）"
            page.checks.append(item)
            page.auto_score += score or 0
            page.auto_max += item.max_score
        else:
            page.rubric.append(item)
    if executed is not None:
        page.written = _written_answer(executed, source)
    page.lessons = _lessons(missed_items)
    return page


def _source(meta: dict) -> tuple[str, str]:
    ref = meta.get("reference")
    if isinstance(ref, dict) and ref.get("title"):
        return str(ref["title"]), str(ref.get("href", ""))
    cite = meta.get("citation")
    if isinstance(cite, dict) and cite.get("law") and cite.get("article"):
        try:
            from .law import article, law_title

            return f"《{law_title(cite['law'])}》{article(cite['law'], int(cite['article'])).label}", ""
        except (LookupError, ValueError):
            return f"{cite['law']} 第 {cite['article']} 条", ""
    if isinstance(meta.get("explanation_source"), str):
        return meta["explanation_source"], ""
    return "", ""


def _written_answer(executed, source) -> str:  # noqa: ANN001
    """The learner's written answers (manually graded markdown cells), as they wrote them."""
    parts = []
    for cell in executed.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid and source.is_solution(gid) and cell.cell_type == "markdown":
            parts.append(cell.source.strip())
    return "\n\n".join(parts)


def _lessons(items: set[str]) -> list[dict]:
    if not items:
        return []
    from .framework import load_framework
    from .lessons import load_lessons

    fw = load_framework()
    titles = fw.items
    found = []
    for lesson in load_lessons():
        shared = [i for i in lesson.items if i in items]
        if shared:
            found.append(
                {
                    "title": lesson.title,
                    "domain": fw.domain(lesson.domain).title,
                    "notebook": lesson.notebook,
                    "minutes": lesson.minutes,
                    "items": [titles[i].title if i in titles else i for i in shared],
                    "overlap": len(shared),
                }
            )
    return sorted(found, key=lambda lesson: -lesson["overlap"])


def render(page: Page) -> str:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    source = resources.files("trainkit").joinpath("templates").joinpath("feedback.html.j2")
    return env.from_string(source.read_text(encoding="utf-8")).render(p=page)
