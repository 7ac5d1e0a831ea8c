"""学习地图: who I am, my level in every domain, each lesson's progress, what to study next.

A lesson is 已完成 when every self-check item of its banks has an answer (``quiz:<bank>:<item>``,
from the lesson or 每日15分钟) and every case it lists was walked to the end (a
``case:<case>:<step>:end`` row); 学习中 when any of that has begun; else 未开始. The next
suggested lesson is an unfinished one in my lowest-rated domain (未评估 lowest, then the lower
weighted score), a lesson already begun first, then the catalogue order. 今日待复习 counts the
self-check questions due for review by today's end (:mod:`trainkit.review`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import ipywidgets as w

from ..content import ContentError
from ..evidence import FEEDBACK_SOURCE, EvidenceStore, open_store
from ..framework import load_framework
from ..lessons import Lesson, load_lessons
from ..markup import STYLE, card, e
from ..quiz import load_banks, quiz_ref
from ..review import card_states, due_today
from ..roster import Worker, current_worker
from .case import finished_cases
from .identity import _greeting, whoami
from .rendered import RenderedHTML
from .search_box import search_box

__all__ = ["DomainRow", "LessonRow", "MapData", "assignments_help", "learning_map", "lesson_progress", "map_data"]

STATUS = {"done": ("已完成", "tk-ok"), "started": ("学习中", "tk-wait"), "new": ("未开始", "tk-muted")}
PRACTICE_NOTEBOOK = "01-daily-practice.ipynb"
CONTEST_NOTEBOOK = "02-contest.ipynb"
# 今日待复习, worded once for the widget and the app's home page
DUE_WHY = "按您以往的作答推算快要忘记的题，做“每日15分钟”时先出这些题"
NOTHING_DUE = "学过的题都还没到复习时间。"


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    status: str  # done / started / new
    quiz_done: int
    quiz_total: int
    cases_done: int
    cases_total: int

    @property
    def status_title(self) -> str:
        return STATUS[self.status][0]


@dataclass(frozen=True)
class DomainRow:
    id: str
    title: str
    level: str
    level_title: str
    reason: str
    score: float  # NaN when 未评估


@dataclass(frozen=True)
class MapData:
    """Everything the learning map shows, for the widget and for ``trainkit app``'s home page."""

    worker: Worker
    domains: tuple[DomainRow, ...]
    lessons: tuple[LessonRow, ...]
    suggestion: LessonRow | None
    why: str
    due: int = 0  # self-check questions due for review by today's end (今日待复习)


def _lesson_row(
    lesson: Lesson, answered: set[str], started_cases: set[str], ended: set[str], evidenced: set[str] | None = None
) -> LessonRow:
    banks = load_banks()
    refs = {quiz_ref(b, i.id) for b in lesson.banks if b in banks for i in banks[b].items}
    cases = set(lesson.cases)
    quiz_done, cases_done = len(refs & answered), len(cases & ended)
    if not refs and not cases:
        # a lesson without self-check or cases: judged by evidence on its service items (e.g. graded work)
        hit = len(set(lesson.items) & (evidenced or set()))
        status = "done" if hit == len(lesson.items) else "started" if hit else "new"
    elif quiz_done == len(refs) and cases_done == len(cases):
        status = "done"
    elif quiz_done or cases & started_cases:
        status = "started"
    else:
        status = "new"
    return LessonRow(lesson, status, quiz_done, len(refs), cases_done, len(cases))


def _case_ids(refs: set[str]) -> set[str]:
    return {r.split(":")[1] for r in refs if r.startswith("case:") and r.count(":") >= 2}


def lesson_progress(lesson: Lesson, answered_refs: set[str], evidenced_items: set[str] | None = None) -> str:
    """``done``, ``started`` or ``new`` for one lesson, from the refs of the learner's evidence
    (and, for a lesson without self-check or cases, the service items with evidence)."""
    return _lesson_row(
        lesson, answered_refs, _case_ids(answered_refs), finished_cases(answered_refs), evidenced_items
    ).status


def map_data(worker: Worker, store: EvidenceStore, *, now: datetime | None = None) -> MapData:
    """The learner's ratings, lesson progress and suggested next lesson, from the evidence."""
    from ..ratings import rate

    fw = load_framework()
    mine = store.frame(
        worker_id=worker.worker_id,
        columns=(
            "id",
            "worker_id",
            "domain",
            "item_id",
            "source",
            "ref",
            "score",
            "max_score",
            "recorded_at",
            "supersedes",
        ),
    )
    now = now or datetime.now(UTC)
    as_of = now.astimezone(UTC).replace(tzinfo=None)
    rated = rate(mine, as_of=as_of) if len(mine) else None
    found = {} if rated is None else {r["domain"]: r for r in rated.to_dict("records")}
    not_assessed = fw.scale[0]
    domains = tuple(
        DomainRow(
            d.id,
            d.title,
            found[d.id]["level"],
            found[d.id]["level_title"],
            found[d.id]["reason"],
            float(found[d.id]["score"]),
        )
        if d.id in found
        else DomainRow(d.id, d.title, not_assessed.id, not_assessed.title, "还没有学习记录", math.nan)
        for d in fw.domains
    )
    answered = set(mine["ref"]) if len(mine) else set()
    started, ended = _case_ids(answered), finished_cases(answered)
    learned = mine[mine["source"] != FEEDBACK_SOURCE] if len(mine) else mine  # a resident's score is no lesson done
    evidenced = set(learned["item_id"]) if len(learned) else set()
    lessons = tuple(_lesson_row(lesson, answered, started, ended, evidenced) for lesson in load_lessons())
    rank = {lv.id: i for i, lv in enumerate(fw.scale)}
    by_domain = {d.id: d for d in domains}
    unfinished = [row for row in lessons if row.status != "done" and row.lesson.domain in by_domain]

    def gap(row: LessonRow) -> tuple:
        d = by_domain[row.lesson.domain]
        return (
            rank.get(d.level, 0),
            -1.0 if math.isnan(d.score) else d.score,
            0 if row.status == "started" else 1,
            row.lesson.order,
        )

    suggestion = min(unfinished, key=gap, default=None)
    why = ""
    if suggestion is not None:
        d = by_domain[suggestion.lesson.domain]
        why = f"您在“{d.title}”领域的评定是“{d.level_title}”（{d.reason}），这是目前最需要补的领域。"
    due = len(due_today(card_states(mine, now=now), now=now))
    return MapData(worker, domains, lessons, suggestion, why, due)


def _progress_text(row: LessonRow) -> str:
    parts = [f"自测 {row.quiz_done}/{row.quiz_total}"] if row.quiz_total else []
    if row.cases_total:
        parts.append(f"案例 {row.cases_done}/{row.cases_total}")
    return " · ".join(parts) or "按本课事项的学习与考核记录"


def _due_html(due: int) -> str:
    if not due:
        return f"<div class='tk-due tk-muted'>今日待复习 0 题：{NOTHING_DUE}</div>"
    return f"<div class='tk-due'><b>今日待复习 {due} 题</b><span class='tk-muted'>（{DUE_WHY}）</span></div>"


def _map_html(data: MapData) -> str:
    lesson_rows = []
    for row in data.lessons:
        lesson = row.lesson
        title, css = STATUS[row.status]
        lesson_rows.append(
            f"<tr class='tk-lesson' data-lesson='{e(lesson.id)}'>"
            f"<td><a class='tk-lesson-link' href='{e(lesson.notebook)}'>{e(lesson.title)}</a></td>"
            f"<td>{e(load_framework().domain(lesson.domain).title)}</td><td style='white-space:nowrap'>{lesson.minutes} 分钟</td>"
            f"<td class='tk-muted'>{_progress_text(row)}</td>"
            f"<td class='tk-status tk-status-{row.status} {css}' style='white-space:nowrap'>{title}</td></tr>"
        )
    if data.suggestion is not None:
        s = data.suggestion.lesson
        nxt = (
            f"<div class='tk-next'>建议下一课：<a class='tk-lesson-link' href='{e(s.notebook)}'><b>{e(s.title)}</b></a>"
            f"（{e(data.suggestion.status_title)}，{_progress_text(data.suggestion)}）"
            f"<div class='tk-muted'>{e(data.why)}</div></div>"
        )
    else:
        nxt = "<div class='tk-next'>所有课程的自测和案例演练都已完成，可以参加考核作业或练兵比武。</div>"
    nxt = _due_html(data.due) + nxt
    domain_rows = "".join(
        f"<tr class='tk-domain' data-domain='{e(d.id)}'><td>{e(d.title)}</td>"
        f"<td class='tk-level tk-level-{e(d.level)}' style='white-space:nowrap'>{e(d.level_title)}</td><td class='tk-muted'>{e(d.reason)}</td></tr>"
        for d in data.domains
    )
    return (
        f"{STYLE}<div class='tk tk-map'><div class='tk-card'>{nxt}"
        f"<div style='margin-top:6px'>每天练一练：<a class='tk-practice-link' href='{PRACTICE_NOTEBOOK}'>"
        f"<b>每日15分钟</b></a>（先出该复习的题，再从最薄弱的事项出题）· 培训师：<a class='tk-contest-link' href='{CONTEST_NOTEBOOK}'>"
        "练兵比武</a></div></div>"
        "<h3>我的课程</h3><table class='tk-lessons'><tr><th>课程</th><th>领域</th><th>时长</th><th>完成情况</th>"
        f"<th>进度</th></tr>{''.join(lesson_rows)}</table>"
        "<p class='tk-muted'>已完成 = 本课自测题每题都答过，且本课列出的每个案例都演练到最后一步。</p>"
        f"<h3>我在各领域的评定</h3><table class='tk-domains'><tr><th>领域</th><th>等级</th><th>说明</th></tr>"
        f"{domain_rows}</table>"
        "<p class='tk-muted'>等级由学习和考核记录计算：只做自测最高为“待提高”；"
        "达到“合格”还需要考核作业或督导评议。十二个领域都合格即为“全岗通”。</p></div>"
    )


HELP = """
<b>“作业”面板（Assignments）怎么用</b>
<div class='tk-muted'>考核作业由培训师发布，在 nbgrader 的作业面板中领取和提交。这个面板目前只有英文界面，对照如下：</div>
<ol>
<li>打开：菜单栏 <b>Nbgrader → Assignment List</b>（作业列表）。有多门课程时，先在 <b>Current course</b>（当前课程）下拉框中选课程。</li>
<li><b>Released assignments</b>（已发布、待领取的作业）：点作业右边的 <b>Fetch</b>（领取），作业会复制到您的文件夹。</li>
<li><b>Downloaded assignments</b>（已领取的作业）：点作业名展开，再点笔记本名打开作答。答完后点 <b>Validate</b>（检查）：
它会从头运行整个笔记本，检查有没有报错、有没有没做的题。笔记本上方工具栏的 <b>Validate</b> 按钮作用相同。</li>
<li>检查通过后点 <b>Submit</b>（提交）。可以多次提交，培训师收取最后一次；截止时间后提交会标为迟交（late）。</li>
<li><b>Submitted assignments</b>（已提交的作业）：显示每次提交的时间。培训师批改并退回后，点 <b>Fetch Feedback</b>（领取反馈）查看评语和得分。</li>
<li>列表右上角的刷新图标（Refresh assignments list）用于重新读取作业列表。</li>
</ol>
<b>常见英文提示</b>
<ul>
<li><i>Success! Your notebook passes all the tests.</i> — 检查通过，可以提交。</li>
<li><i>Validation failed</i> / <i>Invalid Submission</i> — 检查没通过：按提示找到出错的格子，改正后再点 Validate。</li>
<li><i>Error fetching assignment.</i> / <i>Error submitting assignment.</i> — 领取或提交失败：稍后再试，仍不行请联系培训师。</li>
</ul>
<div class='tk-muted'>提示：不要删除或复制作业里带锁、带编号的格子，否则作业可能无法评分。答案写在“答案 = …”一行等号右边。</div>
"""


def assignments_help(*, open_: bool = False) -> w.Accordion:
    """A Chinese guide to nbgrader's English Assignments panel (Fetch / Validate / Submit)."""
    panel = w.Accordion(
        children=[w.HTML(card(HELP))],
        titles=("考核作业怎么领取和提交（Assignments 面板说明）",),
        selected_index=0 if open_ else None,
    )
    panel.add_class("tk-assignments-help")
    return panel


def _problem(message: str) -> w.Widget:
    return w.HTML(f"{STYLE}<div class='tk'><div class='tk-card tk-wait'>{e(message)}</div></div>")


def learning_map(*, worker: Worker | None = None, store: EvidenceStore | None = None) -> w.Widget:
    """The learner's home page."""
    if worker is None:
        try:
            worker = current_worker()
        except (KeyError, ContentError) as err:
            box = w.VBox(
                [_problem(str(err.args[0] if isinstance(err, KeyError) and err.args else err)), assignments_help()]
            )
            box.add_class("tk-learning-map")
            return box
        if worker is None:  # the roster picker; once a 工号 is confirmed, the map replaces it
            box = w.VBox()
            box.add_class("tk-learning-map")

            def _picked(chosen: Worker) -> None:
                box.children = learning_map(worker=chosen, store=store).children

            box.children = [
                whoami(on_pick=_picked),
                w.HTML(f"{STYLE}<div class='tk tk-muted'>选好工号并点“确认”后，这里会显示您的学习地图。</div>"),
                assignments_help(),
            ]
            return box
    # drawn by the notebook's renderer: in JupyterLab a lesson link opens the lesson in a tab
    view = RenderedHTML(_map_html(map_data(worker, store or open_store())), text="学习地图")
    view.add_class("tk-map")
    box = w.VBox([w.HTML(_greeting(worker)), view, search_box(), assignments_help()])
    box.add_class("tk-learning-map")
    return box
