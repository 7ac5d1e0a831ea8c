"""The self-check widget: one card per item, instant feedback, every answer kept as evidence.

Evidence is the source of truth: widget state is lost when a lesson is run again, so on
opening, each card is filled with the learner's latest recorded answer for its ref
(``quiz:<bank>:<item>``, also written by 每日15分钟) and shows that answer's feedback, marked
上次作答 with its date.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import ipywidgets as w

from ..content import ContentError
from ..evidence import EvidenceRow, EvidenceStore, open_store
from ..law import Citation
from ..markup import STYLE, badge, e, link
from ..quiz import (
    TYPE_TITLES,
    Item,
    Marking,
    as_number,
    check_answer,
    load_bank,
    quiz_ref,
    variant,
)
from ..roster import Worker
from ._session import NO_LEARNER, Session
from .looks import look

__all__ = [
    "ItemCard",
    "LastAnswer",
    "QuizWidget",
    "answer_text",
    "fill_input",
    "input_problem",
    "last_answers",
    "local_time",
    "make_input",
    "quiz",
    "read_input",
    "resolve_session",
]

AGE_UNITS = ("岁", "周岁")
TOO_LARGE = Decimal(100_000_000)


def local_time(moment: datetime) -> str:
    """A stored (naive UTC) time as the learner's local ``YYYY-MM-DD HH:MM``."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def input_problem(item: Item, value: object) -> str | None:
    """A friendly message when a typed number cannot be meant (negative, absurd), else ``None``."""
    if item.type != "numeric":
        return None
    number = as_number(value)
    if number is None:
        return None
    if number < 0 <= item.answer:
        return f"“{value}”是负数：这里的{item.unit or '数'}不会小于 0，请检查是否多打了“-”号。"
    if item.unit in AGE_UNITS and number > 150:
        return f"{number} 岁不合常理：请填写 0 到 150 之间的年龄。"
    if abs(number) >= TOO_LARGE:
        return f"{number} 明显过大：请核对是否多填了几位数。"
    return None


def answer_text(item: Item) -> str:
    """The right answer as a learner reads it."""
    if item.type == "true_false":
        return "正确" if item.answer else "错误"
    if item.type == "numeric":
        return f"{item.answer}{item.unit or ''}"
    return item.answer if isinstance(item.answer, str) else "、".join(item.answer)


def _given_text(item: Item, value: object) -> str:
    if value is None or value == "" or value == []:
        return "未作答"
    if item.type == "true_false":
        return "正确" if value else "错误"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _source_html(item: Item) -> str:
    parts = []
    for s in item.sources:
        if isinstance(s, Citation):
            parts.append(e(s.label))
        else:
            parts.append(f"{link(s.title, s.href)} {badge(s.status)}")
    return "来源：" + "；".join(parts)


def make_input(item: Item) -> w.Widget:
    """The input for an item: radio buttons, check boxes, or a number box that submits on Enter."""
    if item.type == "single":
        return w.RadioButtons(
            options=[(f"{o.key}. {o.text}", o.key) for o in item.options],
            value=None,
            layout=look("wide"),
            style=look("choice"),
        )
    if item.type == "true_false":
        return w.RadioButtons(
            options=[("正确", True), ("错误", False)], value=None, layout=look("plain"), style=look("choice")
        )
    if item.type == "multiple":
        return w.VBox(
            [
                w.Checkbox(description=f"{o.key}. {o.text}", indent=False, layout=look("wide"), style=look("check"))
                for o in item.options
            ],
            layout=look("plain"),
        )
    return w.Text(
        placeholder=f"填写数字{('，单位：' + item.unit) if item.unit else ''}，按回车提交",
        continuous_update=False,
        layout=look("plain"),
        style=look("number"),
    )


def read_input(item: Item, box: w.Widget) -> object:
    """What the input holds: a key, a list of keys, True/False or the typed text."""
    if item.type == "multiple":
        return [o.key for o, check in zip(item.options, box.children, strict=True) if check.value]
    return box.value


def fill_input(item: Item, box: w.Widget, value: object) -> None:
    """Put an answer into the input (unknown keys leave it empty)."""
    if item.type == "multiple":
        chosen = set(value or [])
        for o, check in zip(item.options, box.children, strict=True):
            check.value = o.key in chosen
    elif item.type == "numeric":
        box.value = "" if value is None else str(value)
    else:
        keys = [v for _, v in box.options]
        box.value = value if value in keys else None


def disable_input(item: Item, box: w.Widget, disabled: bool = True) -> None:
    for part in box.children if item.type == "multiple" else (box,):
        part.disabled = disabled


def _canonical(item: Item, value: object) -> object:
    """The same answer typed two ways compares equal (Enter, then a click on 提交)."""
    if isinstance(value, list):
        return tuple(sorted(value))
    if item.type == "numeric":
        return as_number(value)
    return value


@dataclass(frozen=True)
class LastAnswer:
    """The learner's latest recorded answer to one ref, read back from the evidence."""

    value: Any
    score: float
    when: datetime
    attempts: int
    variant_prompt: str | None = None
    extra: dict | None = None


def last_answers(rows: Iterable[EvidenceRow]) -> dict[str, LastAnswer]:
    """By ref: the latest answer and how many times it was answered (one attempt = one moment)."""
    moments: dict[str, set[datetime]] = {}
    latest: dict[str, EvidenceRow] = {}
    for row in rows:
        moments.setdefault(row.ref, set()).add(row.recorded_at)
        if row.ref not in latest or (row.recorded_at, row.id) >= (latest[row.ref].recorded_at, latest[row.ref].id):
            latest[row.ref] = row
    out = {}
    for ref, row in latest.items():
        answer = row.answer if isinstance(row.answer, dict) else {"value": row.answer}
        out[ref] = LastAnswer(
            value=answer.get("value"),
            score=row.ratio,
            when=row.recorded_at,
            attempts=len(moments[ref]),
            variant_prompt=answer.get("variant"),
            extra=answer,
        )
    return out


def resolve_session(worker: Worker | None, store: EvidenceStore | None) -> tuple[Session, str | None]:
    """The learner's session, and a friendly message instead of a traceback when the
    JupyterHub user or ``TRAINKIT_WORKER`` is not on the roster (answers are then not kept)."""
    try:
        return Session.resolve(worker, store), None
    except (KeyError, ContentError) as err:
        return Session(None, store), str(err.args[0] if isinstance(err, KeyError) and err.args else err)


def session_rows(session: Session, **filters: Any) -> list[EvidenceRow]:
    """This learner's evidence rows (none when the learner is unknown)."""
    if session.worker is None:
        return []
    if session.store is None:
        session.store = open_store()
    return session.store.rows(worker_id=session.worker.worker_id, **filters)


class ItemCard(w.VBox):
    """One self-check item: the question, an input, a 提交 button and the feedback.

    ``reveal=False`` is the practice mode of 每日15分钟: one answer per item, recorded at
    once, its feedback kept for the end. ``gate`` may refuse a submission (time is up) by
    returning a message; ``extra`` adds fields to the recorded answer; ``on_answer`` is
    told of every recorded answer.
    """

    def __init__(
        self,
        item: Item,
        *,
        number: int,
        bank_id: str,
        session: Session,
        reveal: bool = True,
        gate: Callable[[], str | None] | None = None,
        extra: Callable[[], dict] | None = None,
        on_answer: Callable[[ItemCard, Marking], None] | None = None,
    ):
        self.item, self.bank_id, self.session, self.number = item, bank_id, session, number
        self.base_item = item
        self.reveal, self.gate, self.extra, self.on_answer = reveal, gate, extra, on_answer
        self.attempts = 0
        self.marking: Marking | None = None
        self.answered_value: object = None
        self.locked = False
        self._submitted: object = None
        self._quiet = False
        self.rng = random.Random()
        self.prompt = w.HTML(layout=look("plain"), style=look("text"))
        self.input = self._input(item)
        if isinstance(self.input, w.Text):
            self.input.observe(self._on_enter, "value")
        self.input.add_class("tk-input")
        self.submit = w.Button(
            description="提交",
            button_style="primary",
            tooltip="提交答案（文字框内按回车也可提交）",
            layout=look("plain"),
            style=look("button"),
        )
        self.submit.add_class("tk-submit")
        # "another of the same kind" exists only for template items: every widget is three
        # models the browser builds before it draws the lesson
        self.another: w.Button | None = None
        buttons: w.Widget = self.submit
        if item.template is not None:
            self.another = w.Button(
                description="换一道同类题",
                icon="refresh",
                tooltip="同一技能、换一组家庭数字再练一次",
                layout=w.Layout(display="none"),
            )
            self.another.add_class("tk-another")
            self.another.on_click(lambda _b: self.new_variant())
            buttons = w.HBox([self.submit, self.another], layout=look("plain"))
        self.feedback = w.HTML(layout=look("plain"), style=look("text"))
        self.feedback.add_class("tk-feedback")
        self.submit.on_click(lambda _b: self.answer())
        self._show_prompt()
        super().__init__(
            [self.prompt, self.input, buttons, self.feedback],
            layout=look("card"),
        )
        self.add_class("tk-item")
        self.add_class(f"tk-item-{item.id}")

    @property
    def ref(self) -> str:
        return quiz_ref(self.bank_id, self.base_item.id)

    def _show_prompt(self) -> None:
        self.prompt.value = (
            f"{STYLE}<div class='tk'><b>{self.number}. [{TYPE_TITLES[self.item.type]}]</b> {e(self.item.prompt)}</div>"
        )

    def new_variant(self) -> None:
        """Replace the item by a fresh variant of the same skill (template items only)."""
        self.item = variant(self.base_item, self.rng)
        self._show_prompt()
        self._set_value("")
        self._submitted = None
        self.feedback.value = ""
        self._offer_another(False)

    def _offer_another(self, shown: bool) -> None:
        """Show or hide "换一道同类题" (template items only)."""
        if self.another is not None:
            self.another.layout.display = None if shown else "none"

    @staticmethod
    def _input(item: Item) -> w.Widget:
        return make_input(item)

    def _on_enter(self, change: dict) -> None:
        """Enter (or leaving the box) in a number box submits; programmatic fills do not."""
        if not self._quiet and str(change["new"]).strip():
            self.answer()

    @property
    def value(self) -> object:
        return read_input(self.item, self.input)

    def _set_value(self, value: object) -> None:
        self._quiet = True
        try:
            fill_input(self.item, self.input, value)
        finally:
            self._quiet = False

    def lock(self) -> None:
        """No more answers (practice answered, or time is up)."""
        self.locked = True
        self.submit.disabled = True
        if self.another is not None:
            self.another.disabled = True
        disable_input(self.item, self.input)

    def _wait(self, message: str) -> None:
        self.feedback.value = f"{STYLE}<div class='tk tk-wait'>{e(message)}</div>"

    def answer(self) -> Marking | None:
        """Mark the current input, show feedback, and record the attempt."""
        if self.locked:
            return None
        if self.gate is not None and (refusal := self.gate()):
            self._wait(refusal)
            return None
        value = self.value
        marking = check_answer(self.item, value)
        if not marking.answered:
            self._wait(marking.message)
            return None
        if problem := input_problem(self.item, value):
            self._wait(problem)
            return None
        if _canonical(self.item, value) == self._submitted:
            return self.marking  # the same answer again (Enter, then 提交): already recorded
        self.attempts += 1
        answer: dict[str, Any] = {"value": value, "attempt": self.attempts}
        if self.item is not self.base_item:
            answer["variant"] = self.item.prompt
        if self.extra is not None:
            answer.update(self.extra())
        recorded = self.session.record(
            service_items=self.item.items, source="self_check", ref=self.ref, score=marking.score, answer=answer
        )
        self._submitted = _canonical(self.item, value)
        self.marking, self.answered_value = marking, value
        if self.reveal:
            self._offer_another(not marking.correct)
            self.feedback.value = self.feedback_html(marking, value, recorded=recorded)
        else:
            self.lock()
            note = "" if recorded else f"<div class='tk-wait'>{e(NO_LEARNER)}</div>"
            self.feedback.value = (
                f"{STYLE}<div class='tk tk-muted'>已作答：{e(_given_text(self.item, value))}。"
                f"交卷后统一显示对错和解析。</div>{note}"
            )
        if self.on_answer is not None:
            self.on_answer(self, marking)
        return marking

    def feedback_html(
        self, marking: Marking, value: object, *, recorded: bool = True, restored: datetime | None = None
    ) -> str:
        """The verdict, the notes of the chosen options, the explanation and the source."""
        chosen = value if isinstance(value, list) else [value]
        option_notes = "".join(
            f"<li>{e(o.key)}：{e(o.feedback)}</li>" for o in self.item.options if o.feedback and o.key in chosen
        )
        mark = "tk-ok" if marking.correct else "tk-bad"
        when = (
            (
                f"<div class='tk-muted tk-restored'>上次作答 · {local_time(restored)}"
                f"（您的答案：{e(_given_text(self.item, value))}）</div>"
            )
            if restored
            else ""
        )
        return (
            f"{STYLE}<div class='tk'>{when}<div class='{mark}'>{e(marking.message)}</div>"
            f"{f'<ul>{option_notes}</ul>' if option_notes else ''}"
            f"<div>{e(self.item.explanation)}</div><div class='tk-muted'>{_source_html(self.item)}</div>"
            f"{'' if recorded else f'<div class=tk-wait>{e(NO_LEARNER)}</div>'}</div>"
        )

    def restore(self, last: LastAnswer) -> None:
        """Show the latest recorded answer: filled in, with its feedback, marked 上次作答 and dated."""
        self.attempts = last.attempts
        if last.variant_prompt is not None:
            verdict = "回答正确" if last.score >= 1 else "未完全答对"
            self.feedback.value = (
                f"{STYLE}<div class='tk'><div class='tk-muted tk-restored'>上次作答 · "
                f"{local_time(last.when)}：一道变式题（{e(last.variant_prompt)}），"
                f"答案 {e(_given_text(self.item, last.value))}，{verdict}。</div></div>"
            )
            return
        self._set_value(last.value)
        value = self.value
        marking = check_answer(self.item, value)
        if not marking.answered:
            return
        self._submitted = _canonical(self.item, value)
        self.marking, self.answered_value = marking, value
        if self.reveal:
            self._offer_another(not marking.correct)
            self.feedback.value = self.feedback_html(marking, value, restored=last.when)
        else:
            self.lock()
            self.feedback.value = (
                f"{STYLE}<div class='tk tk-muted tk-restored'>上次作答 · {local_time(last.when)}："
                f"{e(_given_text(self.item, value))}。交卷后统一显示对错和解析。</div>"
            )


class QuizWidget(w.VBox):
    """A whole self-check bank, ``PAGE`` questions at a time, each card showing the learner's
    latest recorded answer.

    Cards are built when their page is first shown: a bank of fifty questions is about a
    thousand widget models, and the browser draws none of the lesson until it has built every
    model it was sent (the lesson's first widget then took several seconds to appear). Five a
    page keeps the first page to some forty models, and to one screenful on a phone.
    """

    PAGE = 5

    def __init__(self, bank_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None):
        bank = load_bank(bank_id)
        self.bank = bank
        self._session, problem = resolve_session(worker, store)
        prefix = f"quiz:{bank.id}:"
        self._last = last_answers(
            r for r in session_rows(self._session, source="self_check") if r.ref.startswith(prefix)
        )
        self._built: dict[int, ItemCard] = {}
        self.restored = sum(quiz_ref(bank.id, item.id) in self._last for item in bank.items)
        again = (
            f"您已作答其中 {self.restored} 题：下面显示的是每题最近一次的答案和解析，可以改答再提交。"
            if self.restored
            else "每题提交后立即给出解析和出处；可以反复作答，每次作答都记入学习记录。"
        )
        problem = f"<div class='tk-wait'>{e(problem)}</div>" if problem else ""
        head = w.HTML(
            f"{STYLE}<div class='tk'><h3>{e(bank.title)}（{len(bank.items)} 题）</h3>"
            f"<div class='tk-muted'>{again}</div>{problem}</div>",
            layout=look("plain"),
            style=look("text"),
        )
        self.body = w.VBox(layout=look("plain"))
        self.pages = max(1, -(-len(bank.items) // self.PAGE))
        self.previous = w.Button(description="上一组", icon="arrow-left", layout=look("plain"), style=look("button"))
        self.next = w.Button(description="下一组", icon="arrow-right", layout=look("plain"), style=look("button"))
        self.where = w.HTML(layout=look("plain"), style=look("text"))
        self.previous.on_click(lambda _b: self.show_page(self.page - 1))
        self.next.on_click(lambda _b: self.show_page(self.page + 1))
        pager = w.HBox([self.previous, self.where, self.next], layout=look("row"))
        pager.add_class("tk-pager")
        self.page = 0
        self.show_page(0)
        super().__init__([head, self.body, *([pager] if self.pages > 1 else [])], layout=look("plain"))
        self.add_class("tk-quiz")

    def card(self, index: int) -> ItemCard:
        """The card of the ``index``-th question (from 0), built on first use."""
        if index not in self._built:
            item = self.bank.items[index]
            card = ItemCard(item, number=index + 1, bank_id=self.bank.id, session=self._session)
            if card.ref in self._last:
                card.restore(self._last[card.ref])
            self._built[index] = card
        return self._built[index]

    @property
    def cards(self) -> list[ItemCard]:
        """Every question's card (builds them all)."""
        return [self.card(i) for i in range(len(self.bank.items))]

    def show_page(self, page: int) -> None:
        """Show questions ``page * PAGE + 1`` … of the bank."""
        self.page = min(max(page, 0), self.pages - 1)
        first = self.page * self.PAGE
        last = min(first + self.PAGE, len(self.bank.items))
        self.body.children = [self.card(i) for i in range(first, last)]
        self.where.value = (
            f"{STYLE}<div class='tk tk-muted'>第 {first + 1}–{last} 题（共 {len(self.bank.items)} 题，"
            f"第 {self.page + 1}/{self.pages} 组）</div>"
        )
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page == self.pages - 1


def quiz(bank_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None) -> QuizWidget:
    """Show a self-check bank, e.g. ``quiz("social-assistance-dibao")``."""
    return QuizWidget(bank_id, worker=worker, store=store)
