"""The self-check widget: one card per item, instant feedback, every answer kept as evidence."""

from __future__ import annotations

import random

import ipywidgets as w

from ..evidence import EvidenceStore
from ..law import Citation
from ..quiz import TYPE_TITLES, Item, check_answer, load_bank, variant
from ..roster import Worker
from ._html import STYLE, badge, e, link
from ._session import NO_LEARNER, Session

__all__ = ["ItemCard", "QuizWidget", "quiz"]


def _source_html(item: Item) -> str:
    parts = []
    for s in item.sources:
        if isinstance(s, Citation):
            parts.append(e(s.label))
        else:
            parts.append(f"{link(s.title, s.href)} {badge(s.status)}")
    return "来源：" + "；".join(parts)


class ItemCard(w.VBox):
    """One self-check item: the question, an input, a 提交 button and the feedback."""

    def __init__(self, item: Item, *, number: int, bank_id: str, session: Session):
        self.item, self.bank_id, self.session, self.number = item, bank_id, session, number
        self.attempts = 0
        self.rng = random.Random()
        self.prompt = w.HTML()
        self.input = self._input(item)
        self.submit = w.Button(description="提交", button_style="primary", tooltip="提交答案")
        self.another = w.Button(description="换一道同类题", icon="refresh",
                                tooltip="同一技能、换一组家庭数字再练一次", layout=w.Layout(display="none"))
        self.feedback = w.HTML()
        self.submit.on_click(lambda _b: self.answer())
        self.another.on_click(lambda _b: self.new_variant())
        self._show_prompt()
        super().__init__([self.prompt, self.input, w.HBox([self.submit, self.another]), self.feedback],
                         layout=w.Layout(border="1px solid #d0d7de", padding="8px", margin="6px 0"))

    def _show_prompt(self) -> None:
        self.prompt.value = (f"{STYLE}<div class='tk'><b>{self.number}. [{TYPE_TITLES[self.item.type]}]</b> "
                             f"{e(self.item.prompt)}</div>")

    def new_variant(self) -> None:
        """Replace the item by a fresh variant of the same skill (template items only)."""
        self.item = variant(self.item, self.rng)
        self._show_prompt()
        self.input.value = ""
        self.feedback.value = ""
        self.another.layout.display = "none"

    @staticmethod
    def _input(item: Item) -> w.Widget:
        if item.type == "single":
            return w.RadioButtons(options=[(f"{o.key}. {o.text}", o.key) for o in item.options],
                                  value=None, layout=w.Layout(width="auto"))
        if item.type == "true_false":
            return w.RadioButtons(options=[("正确", True), ("错误", False)], value=None)
        if item.type == "multiple":
            return w.VBox([w.Checkbox(description=f"{o.key}. {o.text}", indent=False,
                                      layout=w.Layout(width="auto")) for o in item.options])
        return w.Text(placeholder=f"填写数字{('，单位：' + item.unit) if item.unit else ''}")

    @property
    def value(self) -> object:
        if self.item.type == "multiple":
            return [o.key for o, box in zip(self.item.options, self.input.children, strict=True) if box.value]
        return self.input.value

    def answer(self) -> None:
        """Mark the current input, show feedback, and record the attempt."""
        marking = check_answer(self.item, self.value)
        if not marking.answered:
            self.feedback.value = f"{STYLE}<div class='tk tk-wait'>{e(marking.message)}</div>"
            return
        self.attempts += 1
        chosen = self.value if isinstance(self.value, list) else [self.value]
        option_notes = "".join(
            f"<li>{e(o.key)}：{e(o.feedback)}</li>" for o in self.item.options
            if o.feedback and o.key in chosen
        )
        recorded = self.session.record(
            service_items=self.item.items, source="self_check",
            ref=f"quiz:{self.bank_id}:{self.item.id}", score=marking.score,
            answer={"value": self.value, "attempt": self.attempts},
        )
        mark = "tk-ok" if marking.correct else "tk-bad"
        self.another.layout.display = "none" if marking.correct or self.item.template is None else None
        self.feedback.value = (
            f"{STYLE}<div class='tk'><div class='{mark}'>{e(marking.message)}</div>"
            f"{f'<ul>{option_notes}</ul>' if option_notes else ''}"
            f"<div>{e(self.item.explanation)}</div><div class='tk-muted'>{_source_html(self.item)}</div>"
            f"{'' if recorded else f'<div class=tk-wait>{e(NO_LEARNER)}</div>'}</div>"
        )


class QuizWidget(w.VBox):
    """A whole self-check bank."""

    def __init__(self, bank_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None):
        bank = load_bank(bank_id)
        session = Session.resolve(worker, store)
        self.cards = [ItemCard(item, number=i, bank_id=bank.id, session=session)
                      for i, item in enumerate(bank.items, start=1)]
        head = w.HTML(f"{STYLE}<div class='tk'><h3>{e(bank.title)}（{len(self.cards)} 题）</h3>"
                      "<div class='tk-muted'>每题提交后立即给出解析和出处；可以反复作答，每次作答都记入学习记录。</div></div>")
        super().__init__([head, *self.cards])


def quiz(bank_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None) -> QuizWidget:
    """Show a self-check bank, e.g. ``quiz("social-assistance-dibao")``."""
    return QuizWidget(bank_id, worker=worker, store=store)
