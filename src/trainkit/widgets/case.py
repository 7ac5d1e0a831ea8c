"""The case walk-through: the facts and parties, then one decision point at a time along
the branches, feedback on each choice, a score at the end and the debrief with its articles.
Every choice is written as evidence."""

from __future__ import annotations

import ipywidgets as w

from ..cases import END, Case, Step, load_case
from ..evidence import EvidenceStore
from ..law import article
from ..roster import Worker
from ._html import STYLE, card, e
from ._session import NO_LEARNER, Session

__all__ = ["CaseWalkthrough", "case_walkthrough"]


def _intro(case: Case) -> str:
    parties = "".join(
        f"<li><b>{e(p.name)}</b>（{e(p.role)}）：“{e(p.position)}”</li>" for p in case.parties
    )
    level = {1: "入门", 2: "进阶", 3: "复杂"}[case.difficulty]
    return card(f"<h3>{e(case.title)}</h3><div class='tk-muted'>难度：{level} · 投稿：{e(case.contributed_by)}</div>"
                f"<p>{e(case.facts)}</p><b>当事人怎么说</b><ul>{parties}</ul>")


def _debrief(case: Case, score: float) -> str:
    articles = "".join(
        f"<li><b>{e(c.label)}</b>：{e(article(c.law, c.article, version=c.version).text)}</li>"
        for c in case.citations
    )
    interests = "".join(f"<li>{e(p.name)}：{e(p.interests)}</li>" for p in case.parties)
    limits = "".join(f"<li>{e(x.when)} → <b>{e(x.refer_to)}</b>：{e(x.why)}</li>" for x in case.limits)
    rubric = "".join(f"<tr><td>{e(c.criterion)}</td><td>{c.points}</td><td>{e(c.looks_for)}</td></tr>"
                     for c in case.rubric)
    return card(
        f"<h3>复盘 · 本次得分 {score:.0%}</h3><b>当事人真正在意的</b><ul>{interests}</ul>"
        f"<b>法律怎么说</b><p>{e(case.debrief.law)}</p><b>好的调解员怎么做</b><p>{e(case.debrief.mediator)}</p>"
        f"<b>调解的边界：什么时候转介</b><ul>{limits}</ul><b>相关法条（原文）</b><ul>{articles}</ul>"
        f"<b>书面调解方案的评分细则</b><table><tr><th>评分项</th><th>分值</th><th>要点</th></tr>{rubric}</table>"
    )


class CaseWalkthrough(w.VBox):
    """Step through one case; ``choose(key)`` is what clicking an option does."""

    def __init__(self, case_id: str, *, worker: Worker | None = None, store: EvidenceStore | None = None):
        self.case = load_case(case_id)
        self.session = Session.resolve(worker, store)
        self.path: list[tuple[str, str, float]] = []
        self.step: Step | None = self.case.steps[0]
        self.history = w.VBox()
        self.current = w.VBox()
        self.restart = w.Button(description="重新演练", icon="refresh")
        self.restart.on_click(lambda _b: self.reset())
        super().__init__([w.HTML(_intro(self.case)), self.history, self.current])
        self._show_step()

    @property
    def finished(self) -> bool:
        return self.step is None

    @property
    def score(self) -> float:
        return sum(s for _, _, s in self.path) / len(self.path) if self.path else 0.0

    def reset(self) -> None:
        self.path, self.step = [], self.case.steps[0]
        self.history.children = []
        self._show_step()

    def _show_step(self) -> None:
        step = self.step
        situation = f"<p class='tk-muted'>{e(step.situation)}</p>" if step.situation else ""
        head = w.HTML(f"{STYLE}<div class='tk'><b>第 {len(self.path) + 1} 步</b>{situation}<p>{e(step.prompt)}</p></div>")
        buttons = []
        for option in step.options:
            button = w.Button(description=f"{option.key}. {option.text}", layout=w.Layout(width="auto", height="auto"),
                              tooltip=option.text)
            button.on_click(lambda _b, key=option.key: self.choose(key))
            buttons.append(button)
        self.buttons = buttons
        self.current.children = [head, w.VBox(buttons)]

    def choose(self, key: str) -> None:
        """Take option ``key`` at the current step: feedback, evidence, then the next step or the debrief."""
        if self.step is None:
            return
        step = self.step
        option = next(o for o in step.options if o.key == key)
        self.path.append((step.id, key, option.score))
        recorded = self.session.record(
            service_items=self.case.items, source="case_walkthrough", ref=f"case:{self.case.id}:{step.id}",
            score=option.score, answer={"choice": key, "path": [p[:2] for p in self.path]},
        )
        mark = "tk-ok" if option.score >= 0.8 else "tk-wait" if option.score >= 0.4 else "tk-bad"
        note = "" if recorded else f"<div class='tk-wait'>{e(NO_LEARNER)}</div>"
        self.history.children = [*self.history.children, w.HTML(
            f"{STYLE}<div class='tk'><div class='tk-card'><b>第 {len(self.path)} 步</b> {e(step.prompt)}<br>"
            f"你的选择：{e(option.key)}. {e(option.text)}<div class='{mark}'>{e(option.feedback)}</div>{note}</div></div>")]
        if option.next == END:
            self.step = None
            self.current.children = [w.HTML(_debrief(self.case, self.score)), self.restart]
        else:
            self.step = self.case.step(option.next)
            self._show_step()


def case_walkthrough(case_id: str, *, worker: Worker | None = None,
                     store: EvidenceStore | None = None) -> CaseWalkthrough:
    """Walk through one mediation case, e.g. ``case_walkthrough("property-fee-water-cutoff")``."""
    return CaseWalkthrough(case_id, worker=worker, store=store)
