"""Double-marking (双评) of written answers, with arbitration and agreement statistics.

Examination bodies mark subjective answers twice: two trainers score each written answer
against the rubric without seeing each other's marks; where the two differ by more than a
set gap, a third trainer arbitrates. The agreed mark goes into the nbgrader gradebook as the
cell's manual score, so ``trainkit evidence import-grades`` turns it into evidence like any
other grade. Agreement per criterion and per trainer (Krippendorff's α, exact and adjacent
agreement) lets trainers calibrate.

Why a kit form rather than nbgrader's formgrader: the formgrader keeps one manual score per
cell, visible to every grader, so two independent marks cannot be kept apart there.

Plans and marks are rows that are only ever added; a marker's later mark of the same answer
replaces their earlier one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pandas as pd
import sqlalchemy as sa

from .evidence import EvidenceStore
from .schema import marking_plans_table, marks_table

__all__ = [
    "ROUNDS",
    "STATES",
    "Answer",
    "Criterion",
    "Plan",
    "agreement",
    "answers",
    "apply_agreed",
    "criteria",
    "exercise_title",
    "latest_plan",
    "marking_status",
    "paper_numbers",
    "record_mark",
    "set_plan",
]

ROUNDS = {"independent": "独立评分", "arbitration": "仲裁"}
STATES = {"waiting": "待评", "second": "待第二评", "arbitration": "待仲裁", "agreed": "已定分"}


@dataclass(frozen=True)
class Criterion:
    """One manually scored cell: a written answer itself, or a rubric criterion (task cell) on it."""

    notebook: str
    grade_id: str
    title: str
    looks_for: str
    points: float
    answer_id: str  # the written answer cell this criterion is scored on


@dataclass(frozen=True)
class Answer:
    student: str
    notebook: str
    answer_id: str
    text: str


@dataclass(frozen=True)
class Plan:
    assignment: str
    markers: tuple[str, str]
    arbiter: str
    gap: float


def criteria(course: Path, assignment: str) -> list[Criterion]:
    """The manually scored cells of ``assignment``, in notebook order, from the source notebooks."""
    found = []
    folder = Path(course) / "source" / assignment
    if not folder.is_dir():
        raise ValueError(f"找不到作业 {assignment} 的源文件夹 {folder}：请在课程目录运行，或用 --course 指定课程目录")
    for path in sorted(folder.glob("*.ipynb")):
        answer_id = None
        for cell in nbformat.read(path, as_version=4).cells:
            nbg, meta = cell.metadata.get("nbgrader", {}), cell.metadata.get("trainkit", {})
            if nbg.get("solution") and nbg.get("grade"):  # a manually scored answer
                answer_id = nbg["grade_id"]
            if (nbg.get("grade") and nbg.get("solution")) or nbg.get("task"):
                if answer_id is None:
                    raise ValueError(f"{path.name}: {nbg['grade_id']}: 评分项之前没有书面作答格")
                found.append(
                    Criterion(
                        path.stem,
                        nbg["grade_id"],
                        meta.get("criterion") or nbg["grade_id"],
                        meta.get("looks_for", ""),
                        float(nbg.get("points", 0)),
                        answer_id,
                    )
                )
    return found


def answers(course: Path, assignment: str) -> list[Answer]:
    """Every submitted written answer (from ``autograded/``, else ``submitted/``)."""
    course = Path(course)
    wanted = {(c.notebook, c.answer_id) for c in criteria(course, assignment)}
    found: dict[tuple[str, str, str], Answer] = {}
    for stage in ("submitted", "autograded"):  # autograded wins where both exist
        for path in sorted(course.glob(f"{stage}/*/{assignment}/*.ipynb")):
            student = path.parent.parent.name
            try:
                cells = nbformat.read(path, as_version=4).cells
            except Exception:  # noqa: BLE001 — a damaged notebook is the autograder's to report
                continue
            for cell in cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if (path.stem, gid) in wanted:
                    found[(student, path.stem, gid)] = Answer(student, path.stem, gid, cell.source.strip())
    return sorted(found.values(), key=lambda a: (a.student, a.notebook, a.answer_id))


def exercise_title(course: Path, assignment: str) -> str:
    """The exercise's first heading (``# 考核作业：…``) as trainers know it, else its folder name."""
    for path in sorted((Path(course) / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
                heading = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
                return heading.removeprefix("考核作业：").strip() or assignment
    return assignment


def set_plan(
    store: EvidenceStore, *, assignment: str, markers: tuple[str, str], arbiter: str, gap: float, created_by: str
) -> Plan:
    """Name the two markers, the arbiter and the largest gap that needs no arbitration."""
    first, second = (m.strip() for m in markers)
    if not first or not second or first == second:
        raise ValueError("双评需要两位不同的评分人（--markers 甲,乙）")
    if arbiter in (first, second) or not arbiter.strip():
        raise ValueError("仲裁人须是两位评分人以外的第三位培训师（--arbiter）")
    if gap < 0:
        raise ValueError("分差阈值（--gap）不能为负数")
    with store.engine.begin() as conn:
        conn.execute(
            marking_plans_table.insert().values(
                assignment=assignment,
                marker_a=first,
                marker_b=second,
                arbiter=arbiter,
                gap=gap,
                created_by=created_by,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
    return Plan(assignment, (first, second), arbiter, gap)


def latest_plan(store: EvidenceStore, assignment: str) -> Plan:
    """The assignment's double-marking plan (the latest one set)."""
    p = marking_plans_table
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(p).where(p.c.assignment == assignment).order_by(p.c.id.desc())).mappings().first()
    if row is None:
        raise ValueError(
            f"作业 {assignment} 还没有双评安排：先运行 trainkit mark plan {assignment} --markers 甲,乙 --arbiter 丙"
        )
    return Plan(assignment, (row["marker_a"], row["marker_b"]), row["arbiter"], row["gap"])


def record_mark(
    store: EvidenceStore,
    course: Path,
    *,
    assignment: str,
    student: str,
    grade_id: str,
    marker: str,
    score: float,
    comment: str = "",
    notebook: str | None = None,
) -> str:
    """Record one marker's score for one criterion of one answer; returns the round it counted in."""
    plan = latest_plan(store, assignment)
    criterion = _criterion(course, assignment, grade_id, notebook)
    if not 0 <= score <= criterion.points or (score * 2) != int(score * 2):
        raise ValueError(
            f"“{criterion.title}”满分 {criterion.points:g} 分：得分应在 0 到 {criterion.points:g} 之间，以 0.5 分为单位"
        )
    if not any(a.student == student and a.answer_id == criterion.answer_id for a in answers(course, assignment)):
        raise ValueError(f"没有找到 {student} 在作业 {assignment} 中的书面作答")
    status = marking_status(store, course, assignment)
    row = status[(status["student"] == student) & (status["grade_id"] == grade_id)].iloc[0]
    if marker in plan.markers:
        round_ = "independent"
    elif marker == plan.arbiter:
        if row["state"] != "arbitration" and not pd.notna(row["arbitration"]):
            raise ValueError(f"这份作答的两次评分相差不超过 {plan.gap:g} 分，不需要仲裁")
        round_ = "arbitration"
    else:
        raise ValueError(
            f"{marker} 不在作业 {assignment} 的双评安排中（评分人：{'、'.join(plan.markers)}；仲裁人：{plan.arbiter}）"
        )
    with store.engine.begin() as conn:
        conn.execute(
            marks_table.insert().values(
                assignment=assignment,
                notebook=criterion.notebook,
                grade_id=grade_id,
                student=student,
                marker=marker,
                round=round_,
                score=float(score),
                max_score=criterion.points,
                comment=comment.strip() or None,
                marked_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
    return round_


def paper_numbers(students: Iterable[str]) -> dict[str, int]:
    """Blind-marking numbers: 答卷 1, 2, … in the order of the student ids, the same on every screen."""
    return {student: n for n, student in enumerate(sorted(set(students)), start=1)}


def marking_status(store: EvidenceStore, course: Path, assignment: str) -> pd.DataFrame:
    """One row per submitted answer and criterion: both marks, the arbitration, the state and the final mark."""
    plan = latest_plan(store, assignment)
    marks = _latest_marks(store, assignment)
    rows = []
    for crit in criteria(course, assignment):
        for ans in answers(course, assignment):
            if (ans.notebook, ans.answer_id) != (crit.notebook, crit.answer_id):
                continue
            given = marks.get((ans.student, crit.notebook, crit.grade_id), {})
            first, second = given.get(plan.markers[0]), given.get(plan.markers[1])
            arbitration = given.get(plan.arbiter)
            if first is None and second is None:
                state, final = "waiting", None
            elif first is None or second is None:
                state, final = "second", None
            elif abs(first - second) <= plan.gap + 1e-9:
                state, final = "agreed", (first + second) / 2
            elif arbitration is None:
                state, final = "arbitration", None
            else:
                state, final = "agreed", arbitration
            rows.append(
                {
                    "student": ans.student,
                    "notebook": crit.notebook,
                    "grade_id": crit.grade_id,
                    "criterion": crit.title,
                    "points": crit.points,
                    "first": first,
                    "second": second,
                    "arbitration": arbitration,
                    "state": state,
                    "state_title": STATES[state],
                    "final": final,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "student",
            "notebook",
            "grade_id",
            "criterion",
            "points",
            "first",
            "second",
            "arbitration",
            "state",
            "state_title",
            "final",
        ],
    )


def agreement(status: pd.DataFrame, plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreement between the two markers: per criterion, and per marker.

    Per criterion: answers marked twice, Krippendorff's α (interval level, from the
    maintained ``krippendorff`` package), exact agreement and adjacent agreement (within
    one point), and how many needed arbitration. Per marker: answers marked, mean score and
    how far above or below the other marker they score on average (a severity check).
    """
    import krippendorff

    both = status.dropna(subset=["first", "second"])
    per_criterion = []
    for (notebook, grade_id, title), group in both.groupby(["notebook", "grade_id", "criterion"], sort=False):
        diff = (group["first"] - group["second"]).abs()
        data = [group["first"].astype(float).tolist(), group["second"].astype(float).tolist()]
        alpha = (
            float(krippendorff.alpha(reliability_data=data, level_of_measurement="interval"))
            if len(group) >= 2 and len({*data[0], *data[1]}) > 1
            else float("nan")
        )
        per_criterion.append(
            {
                "notebook": notebook,
                "grade_id": grade_id,
                "criterion": title,
                "pairs": len(group),
                "alpha": alpha,
                "exact": float((diff < 1e-9).mean()),
                "adjacent": float((diff <= 1 + 1e-9).mean()),
                "arbitrated": int((diff > plan.gap + 1e-9).sum()),
            }
        )
    per_marker = []
    for mine, theirs, marker in (("first", "second", plan.markers[0]), ("second", "first", plan.markers[1])):
        marked = status.dropna(subset=[mine])
        per_marker.append(
            {
                "marker": marker,
                "marked": len(marked),
                "mean_share": float((marked[mine] / marked["points"]).mean()) if len(marked) else float("nan"),
                "vs_other": float((both[mine] - both[theirs]).mean()) if len(both) else float("nan"),
            }
        )
    return pd.DataFrame(per_criterion), pd.DataFrame(per_marker)


def apply_agreed(store: EvidenceStore, course: Path, assignment: str, *, db_url: str | None = None) -> int:
    """Write every agreed mark into the gradebook as the cell's manual score; returns how many."""
    from nbgrader.api import Gradebook, MissingEntry

    status = marking_status(store, course, assignment)
    agreed = status[status["state"] == "agreed"]
    db_url = db_url or f"sqlite:///{Path(course) / 'gradebook.db'}"
    written = 0
    with Gradebook(db_url) as gb:
        for row in agreed.itertuples():
            try:
                grade = gb.find_grade(row.grade_id, row.notebook, assignment, row.student)
            except MissingEntry:
                raise ValueError(
                    f"成绩库中没有 {row.student} 的 {assignment}/{row.notebook}/{row.grade_id}："
                    "请先收取并自动评分（trainkit autograde）再写入双评结果"
                ) from None
            if grade.manual_score != row.final or grade.needs_manual_grade:
                grade.manual_score, grade.needs_manual_grade = float(row.final), False
                written += 1
        gb.db.commit()
    return written


def _criterion(course: Path, assignment: str, grade_id: str, notebook: str | None) -> Criterion:
    found = [c for c in criteria(course, assignment) if c.grade_id == grade_id and notebook in (None, c.notebook)]
    if not found:
        raise ValueError(f"作业 {assignment} 中没有人工评分项 {grade_id}")
    return found[0]


def _latest_marks(store: EvidenceStore, assignment: str) -> dict[tuple[str, str, str], dict[str, float]]:
    """(student, notebook, grade_id) → {marker: their latest score}."""
    m = marks_table
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(m.c.student, m.c.notebook, m.c.grade_id, m.c.marker, m.c.score)
            .where(m.c.assignment == assignment)
            .order_by(m.c.marked_at, m.c.id)
        ).all()
    found: dict[tuple[str, str, str], dict[str, float]] = {}
    for student, notebook, grade_id, marker, score in rows:
        found.setdefault((student, notebook, grade_id), {})[marker] = score
    return found
