"""The case walk-through: the facts and parties, then one decision point at a time along
the branches, feedback on each choice, a score at the end and the debrief with its articles.

Every choice is written as evidence with the ref ``case:<case>:<step>``; the choice that
ends the walk is ``case:<case>:<step>:end`` and its answer holds the whole path, so a
finished walk-through is recognised from the evidence alone (the 学习地图's 已完成) and
reopening the case shows the last finished path and its debrief."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import ipywidgets as w

from ..cases import END, Case, Step, load_case
from ..evidence import EvidenceRow, EvidenceStore
from ..law import article
from ..markup import STYLE, card, e, quoted
from ..roster import Worker
from ._session import NO_LEARNER
from .looks import look
from .quiz import local_time, resolve_session, session_rows

__all__ = ["CaseWalkthrough", "case_ref", "case_walkthrough", "finished_cases", "last_finished_path"]

END_SUFFIX = ":end"


def case_ref(case_id: str, step_id: str, *, final: bool = False) -> str:
    """``case:<case>:<step>``, with ``:end`` on the choice that finishes the walk-through."""
    return f"case:{case_id}:{step_id}{END_SUFFIX if final else ''}"


def finished_cases(refs: Iterable[str]) -> set[str]:
    """The ids of the cases walked to the end, from evidence refs."""
    return {ref.split(":")[1] for ref in refs if ref.startswith("case:") and ref.endswith(END_SUFFIX)}


def last_finished_path(rows: Iterable[EvidenceRow], case_id: str) -> tuple[list[tuple[str, str]], datetime] | None:
    """The ``(step, choice)`` path of the latest finished walk of a case and when it ended."""
    prefix = f"case:{case_id}:"
    ends = [r for r in rows if r.ref.startswith(prefix) and r.ref.endswith(END_SUFFIX)]
    if not ends:
        return None
    last = max(ends, key=lambda r: (r.recorded_at, r.id))
    path = (last.answer or {}).get("path") if isinstance(last.answer, dict) else None
    if not path:
        return None
    return [(str(step), str(key)) for step, key in path], last.recorded_at


def _html(value: str) -> w.HTML:
    """A block of text with the shared looks (one model, not three)."""
    return w.HTML(value, layout=look("plain"), style=look("text"))


def _intro(case: Case) -> str:
    parties = "".join(f"<li><b>{e(p.name)}</b>（{e(p.role)}）：{e(quoted(p.position))}</li>" for p in case.parties)
    level = {1: "入门", 2: "进阶", 3: "复杂"}[case.difficulty]
    return card(
        f"<h3>{e(case.title)}</h3><div class='tk-muted'>难度：{level} · 投稿：{e(case.contributed_by)}</div>"
        f"<p>{e(case.facts)}</p><b>当事人怎么说</b><ul>{parties}</ul>"
    )


def _debrief(case: Case, score: float, *, restored: datetime | None = None) -> str:
    articles = "".join(
        f"<li><b>{e(c.label)}</b>：{e(article(c.law, c.article, version=c.version).text)}</li>" for c in case.citations
    )
    interests = "".join(f"<li>{e(p.name)}：{e(p.interests)}</li>" for p in case.parties)
    limits = "".join(f"<li>{e(x.when)} → <b>{e(x.refer_to)}</b>：{e(x.why)}</li>" for x in case.limits)
    rubric = "".join(
        f"<tr><td>{e(c.criterion)}</td><td>{c.points}</td><td>{e(c.looks_for)}</td></tr>" for c in case.rubric
    )
    when = (
        (f"<div class='tk-muted tk-restored'>上次完成的演练 · {local_time(restored)}（点“重新演练”可以再走一遍）</div>")
        if restored
        else ""
    )
    return card(
        f"<div class='tk-debrief'>{when}<h3>复盘 · 本次得分 {score:.0%}</h3><b>当事人真正在意的</b><ul>{interests}</ul>"
        f"<b>法律怎么说</b><p>{e(case.debrief.law)}</p><b>好的调解员怎么做</b><p>{e(case.debrief.mediator)}</p>"
        f"<b>调解的边界：什么时候转介</b><ul>{limits}</ul><b>相关法条（原文）</b><ul>{articles}</ul>"
        f"<b>书面调解方案的评分细则</b><table><tr><th>评分项</th><th>分值</th><th>要点</th></tr>{rubric}</table></div>"
    )


class CaseWalkthrough(w.VBox):
    """Step through one case; ``choose(key)`` is what clicking an option does.

    On opening, the learner's last finished path (from the evidence) is shown with its
    feedback and debrief; 重新演练 starts again.
    """

    def __init__(self, case_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None):
        self.case = load_case(case_id)
        self.session, problem = resolve_session(worker, store)
        self.path: list[tuple[str, str, float]] = []
        self.step: Step | None = self.case.steps[0]
        self.restored_at: datetime | None = None
        self.history = w.VBox(layout=look("plain"))
        self.history.add_class("tk-case-history")
        self.current = w.VBox(layout=look("plain"))
        self.current.add_class("tk-case-current")
        self._restart: w.Button | None = None
        intro = _intro(self.case) + (f"<div class='tk tk-wait'>{e(problem)}</div>" if problem else "")
        super().__init__([_html(intro), self.history, self.current], layout=look("plain"))
        self.add_class("tk-case")
        found = last_finished_path(session_rows(self.session, source="case_walkthrough"), self.case.id)
        if found is None or not self._replay(*found):
            self._show_step()

    @property
    def restart(self) -> w.Button:
        """重新演练, built when a walk is first finished (an unfinished walk never shows it)."""
        if self._restart is None:
            self._restart = w.Button(
                description="重新演练",
                icon="refresh",
                tooltip="从第一步重新开始演练",
                layout=look("plain"),
                style=look("button"),
            )
            self._restart.add_class("tk-restart")
            self._restart.on_click(lambda _b: self.reset())
        return self._restart

    @property
    def finished(self) -> bool:
        return self.step is None

    @property
    def score(self) -> float:
        return sum(s for _, _, s in self.path) / len(self.path) if self.path else 0.0

    def reset(self) -> None:
        self.path, self.step, self.restored_at = [], self.case.steps[0], None
        self.history.children = []
        self._show_step()

    def _show_step(self) -> None:
        step = self.step
        situation = f"<p class='tk-muted'>{e(step.situation)}</p>" if step.situation else ""
        head = _html(
            f"{STYLE}<div class='tk'><b>第 {len(self.path) + 1} 步</b>{situation}<p>{e(step.prompt)}</p></div>"
        )
        buttons = []
        for option in step.options:
            button = w.Button(
                description=f"{option.key}. {option.text}",
                layout=look("option"),
                style=look("button"),
                tooltip=option.text,
            )
            button.add_class("tk-option")
            button.on_click(lambda _b, key=option.key: self.choose(key))
            buttons.append(button)
        self.buttons = buttons
        self.current.children = [head, w.VBox(buttons, layout=look("plain"))]

    def _history_card(self, step: Step, option, note: str = "") -> w.HTML:  # noqa: ANN001
        mark = "tk-ok" if option.score >= 0.8 else "tk-wait" if option.score >= 0.4 else "tk-bad"
        return _html(
            f"{STYLE}<div class='tk'><div class='tk-card'><b>第 {len(self.path)} 步</b> {e(step.prompt)}<br>"
            f"你的选择：{e(option.key)}. {e(option.text)}<div class='{mark}'>{e(option.feedback)}</div>{note}</div></div>"
        )

    def _finish(self) -> None:
        self.step = None
        self.buttons = []
        self.current.children = [_html(_debrief(self.case, self.score, restored=self.restored_at)), self.restart]

    def _replay(self, path: list[tuple[str, str]], when: datetime) -> bool:
        """Show a recorded finished path; False (nothing shown) when the case has changed since."""
        step, cards, taken = self.case.steps[0], [], []
        for step_id, key in path:
            option = next((o for o in step.options if o.key == key), None) if step and step.id == step_id else None
            if option is None:
                self.path = []
                return False
            taken.append((step_id, key, option.score))
            self.path = taken
            cards.append(self._history_card(step, option))
            step = None if option.next == END else self.case.step(option.next)
        if step is not None:
            self.path = []
            return False
        self.restored_at = when
        self.history.children = cards
        self._finish()
        return True

    def choose(self, key: str) -> None:
        """Take option ``key`` at the current step: feedback, evidence, then the next step or the debrief."""
        if self.step is None:
            return
        step = self.step
        option = next((o for o in step.options if o.key == key), None)
        if option is None:
            keys = "、".join(o.key for o in step.options)
            self.current.children = [
                *self.current.children[:2],
                _html(f"{STYLE}<div class='tk tk-wait'>没有选项 {e(key)}：请从 {keys} 中选择。</div>"),
            ]
            return
        self.path.append((step.id, key, option.score))
        final = option.next == END
        recorded = self.session.record(
            service_items=self.case.items,
            source="case_walkthrough",
            ref=case_ref(self.case.id, step.id, final=final),
            score=option.score,
            answer={"choice": key, "path": [p[:2] for p in self.path]},
        )
        note = "" if recorded else f"<div class='tk-wait'>{e(NO_LEARNER)}</div>"
        self.history.children = [*self.history.children, self._history_card(step, option, note)]
        if final:
            self._finish()
        else:
            self.step = self.case.step(option.next)
            self._show_step()


def case_walkthrough(
    case_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None
) -> CaseWalkthrough:
    """Walk through one mediation case, e.g. ``case_walkthrough("property-fee-water-cutoff")``."""
    return CaseWalkthrough(case_id, worker=worker, store=store)
