"""学习地图: who I am, my level in every domain, each lesson's progress, what to study next."""

from __future__ import annotations

from datetime import UTC, datetime

import ipywidgets as w

from ..evidence import EvidenceStore, open_store
from ..framework import load_framework
from ..lessons import Lesson, load_lessons
from ..quiz import load_banks
from ..roster import Worker, current_worker
from ._html import STYLE, e
from .identity import whoami

__all__ = ["learning_map", "lesson_progress"]

STATUS = {"done": ("已完成", "tk-ok"), "started": ("学习中", "tk-wait"), "new": ("未开始", "tk-muted")}


def lesson_progress(lesson: Lesson, answered_refs: set[str]) -> str:
    """``done`` when every self-check item of the lesson was answered, ``started`` when some were."""
    banks = load_banks()
    refs = {f"quiz:{b}:{i.id}" for b in lesson.banks for i in banks[b].items}
    hit = len(refs & answered_refs)
    return "done" if refs and hit == len(refs) else "started" if hit else "new"


def _map_html(worker: Worker, store: EvidenceStore) -> str:
    from ..ratings import rate

    fw = load_framework()
    mine = store.frame(worker_id=worker.worker_id)
    ratings = rate(mine, as_of=datetime.now(UTC).replace(tzinfo=None)) if len(mine) else None
    level = {} if ratings is None else dict(zip(ratings["domain"], ratings["level_title"], strict=True))
    answered = set(mine["ref"]) if len(mine) else set()
    domain_rows = "".join(
        f"<tr><td>{e(d.title)}</td><td>{e(level.get(d.id, '未评估'))}</td></tr>" for d in fw.domains
    )
    lessons = load_lessons()
    lesson_rows, suggestion = [], None
    for lesson in lessons:
        status = lesson_progress(lesson, answered)
        title, css = STATUS[status]
        if suggestion is None and status != "done":
            suggestion = lesson
        lesson_rows.append(
            f"<tr><td><a href='{e(lesson.notebook)}'>{e(lesson.title)}</a></td>"
            f"<td>{e(fw.domain(lesson.domain).title)}</td><td>{lesson.minutes} 分钟</td>"
            f"<td class='{css}'>{title}</td></tr>"
        )
    nxt = (f"建议下一课：<a href='{e(suggestion.notebook)}'><b>{e(suggestion.title)}</b></a>"
           if suggestion else "所有课程的自测都已完成，可以参加考核作业或练兵比武。")
    return (f"{STYLE}<div class='tk'><h3>我的课程</h3><table><tr><th>课程</th><th>领域</th><th>时长</th>"
            f"<th>进度</th></tr>{''.join(lesson_rows)}</table><p>{nxt}</p>"
            f"<h3>我在各领域的评定</h3><table><tr><th>领域</th><th>等级</th></tr>{domain_rows}</table>"
            "<p class='tk-muted'>等级由学习和考核记录计算：只做自测最高为“待提高”；"
            "达到“合格”还需要考核作业或督导评议。十二个领域都合格即为“全岗通”。</p></div>")


def learning_map(*, worker: Worker | None = None, store: EvidenceStore | None = None) -> w.Widget:
    """The learner's home page."""
    worker = worker or current_worker()
    if worker is None:
        return w.VBox([whoami(), w.HTML(f"{STYLE}<div class='tk tk-muted'>选好工号后，请重新运行本格查看学习地图。</div>")])
    return w.VBox([whoami(), w.HTML(_map_html(worker, store or open_store()))])
