"""The double-marking form (双评): one written answer at a time, scored against one rubric criterion.

A marker sees the answer, the criterion and what it looks for, never the other marker's score;
the arbiter sees both scores of the answers that need arbitration. Each mark is written through
:func:`trainkit.marking.record_mark`, as from the command line.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..evidence import EvidenceStore, open_store
from ..marking import answers, criteria, exercise_title, latest_plan, marking_status, paper_numbers, record_mark
from ..markup import STYLE, e

__all__ = ["marking_form"]


def _steps(pts: float) -> list[tuple[str, float]]:
    return [(f"{i / 2:g}", i / 2) for i in range(int(pts * 2) + 1)]


def marking_form(
    assignment: str, *, course: Path | str = ".", marker: str, store: EvidenceStore | None = None
) -> w.VBox:
    """The marking queue of ``marker`` for ``assignment`` in the nbgrader course at ``course``."""
    course, store = Path(course), store or open_store()
    head, body = w.HTML(), w.HTML()
    score = w.ToggleButtons(description="得分", style={"button_width": "48px"})
    comment = w.Textarea(placeholder="评语（可选，会随成绩记录保存）", layout=w.Layout(width="95%"))
    save = w.Button(description="保存并评下一份", button_style="primary", layout=w.Layout(width="auto"))
    message = w.HTML()
    try:
        plan = latest_plan(store, assignment)
        texts = {(a.student, a.notebook, a.answer_id): a.text for a in answers(course, assignment)}
        by_id = {(c.notebook, c.grade_id): c for c in criteria(course, assignment)}
    except ValueError as err:
        return w.VBox([w.HTML(f"{STYLE}<div class='tk tk-wait'>{e(err)}</div>")])
    if marker not in (*plan.markers, plan.arbiter):
        return w.VBox(
            [
                w.HTML(
                    f"{STYLE}<div class='tk tk-wait'>{e(marker)} 不在作业 {e(assignment)} 的双评安排中"
                    f"（评分人：{e('、'.join(plan.markers))}；仲裁人：{e(plan.arbiter)}）。</div>"
                )
            ]
        )
    title = exercise_title(course, assignment)
    arbiter = marker == plan.arbiter
    column = None if arbiter else ("first" if marker == plan.markers[0] else "second")
    numbers = paper_numbers(k[0] for k in texts)
    current: dict = {}

    def queue():  # noqa: ANN202
        status = marking_status(store, course, assignment)
        todo = status[status["state"] == "arbitration"] if arbiter else status[status[column].isna()]
        return status, todo

    def show() -> None:
        status, todo = queue()
        done = len(status) - len(todo) if not arbiter else int((status["arbitration"].notna()).sum())
        head.value = (
            f"{STYLE}<div class='tk'><b>双评 · {e(title)}</b>　"
            f"<span class='tk-muted'>{'仲裁' if arbiter else '独立评分'}：{e(marker)}；"
            f"待评 {len(todo)} 项，已评 {done} 项</span></div>"
        )
        if todo.empty:
            current.clear()
            body.value = f"{STYLE}<div class='tk tk-card tk-ok'>您的评分都已完成。</div>"
            score.layout.display = comment.layout.display = save.layout.display = "none"
            return
        row = todo.iloc[0]
        crit = by_id[(row["notebook"], row["grade_id"])]
        current.update(student=row["student"], grade_id=row["grade_id"], notebook=row["notebook"])
        answer = texts.get((row["student"], crit.notebook, crit.answer_id), "")
        both = (
            (
                f"<p class='tk-wait'>两位评分人：{row['first']:g} 分与 {row['second']:g} 分，相差超过 {plan.gap:g} 分，"
                "请您仲裁定分。</p>"
            )
            if arbiter
            else ""
        )
        body.value = (
            f"{STYLE}<div class='tk'><div class='tk-card'><div class='tk-muted'>答卷 {numbers[row['student']]:02d}"
            f" · 评分项：<b>{e(crit.title)}</b>（满分 {crit.points:g} 分）</div>"
            f"<p class='tk-muted'>评分要点：{e(crit.looks_for)}</p>{both}"
            f"<div style='white-space:pre-wrap;border-left:3px solid #d0d7de;padding-left:10px'>"
            f"{e(answer) or '（未作答）'}</div></div></div>"
        )
        score.options, score.value = _steps(crit.points), None
        comment.value, message.value = "", ""
        score.layout.display = comment.layout.display = save.layout.display = None

    def _save(_button=None) -> None:  # noqa: ANN001
        if not current:
            return
        if score.value is None:
            message.value = f"{STYLE}<div class='tk tk-wait'>请先选择得分。</div>"
            return
        try:
            record_mark(
                store, course, assignment=assignment, marker=marker, score=score.value, comment=comment.value, **current
            )
        except ValueError as err:
            message.value = f"{STYLE}<div class='tk tk-bad'>{e(err)}</div>"
            return
        show()
        message.value = f"{STYLE}<div class='tk tk-ok'>已保存。</div>"

    save.on_click(_save)
    show()
    return w.VBox([head, body, score, comment, save, message])
