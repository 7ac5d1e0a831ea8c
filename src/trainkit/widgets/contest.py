"""练兵比武: a timed contest a trainer runs for a room, over chosen self-check banks or domains.

Round one is 必答: the players take turns, each answering their own questions (right
+10). Round two is 抢答: everyone sees the question, the first to buzz answers; right +10
and the question closes, wrong −5 and the others may buzz. Every question has a time
limit; a 必答 question not answered in time scores 0.

A large scoreboard for the room (``.tk-scoreboard``), and everything drivable from Python:
``configure``, ``next``, ``buzz``, ``answer``, ``tick``, ``finish``.

Evidence: each answer is a ``self_check`` row for the player who gave it (contest answers
are the learner's own, like any self-check), one per service item of the question, with
the ref ``contest:<contest id>:q<n>:<bank>:<item>`` and the answer
``{"value", "round", "points", "contest"}``; the trainer running it is the assessor. A
timed-out 必答 question is recorded with score 0 and ``"timeout": true``; a 抢答 question
nobody buzzed leaves no evidence.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Sequence
from datetime import UTC
from typing import Any, Literal

import ipywidgets as w

from ..content import ContentError
from ..evidence import EvidenceStore, open_store
from ..framework import load_framework
from ..markup import STYLE, e
from ..quiz import TYPE_TITLES, Marking, check_answer, contest_ref, load_banks
from ..roster import Worker, current_worker, load_roster
from .contest_rules import RIGHT, WRONG_BUZZ, ContestQuestion, ContestSetupError, draw_questions
from .contest_setup import ContestSetup
from .practice import Clock, Countdown, utc_now
from .quiz import answer_text, disable_input, fill_input, input_problem, make_input, read_input

__all__ = ["ContestQuestion", "ContestSetupError", "ContestWidget", "contest"]

BOARD_STYLE = """<style>
.tk-board{font-size:24px;max-width:none}
.tk-board table{width:100%;border-collapse:collapse}
.tk-board td,.tk-board th{padding:6px 14px;font-size:26px}
.tk-board .tk-points{font-size:40px;font-weight:700;text-align:right;font-variant-numeric:tabular-nums}
.tk-board .tk-now{background:#fff8c5}
.tk-board .tk-out{color:#57606a}
.tk-big{font-size:26px;line-height:1.5;max-width:none}
.tk-big ol{margin:4px 0}
</style>"""

CONTEST_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class ContestWidget(w.VBox):
    """The setup form, then the game: scoreboard, question, answer, buzzers and controls."""

    def __init__(
        self,
        *,
        players: Sequence[str] | None = None,
        banks: Sequence[str] | None = None,
        domains: Sequence[str] | None = None,
        per_player: int = 2,
        buzz: int = 5,
        seconds: int = 30,
        contest_id: str | None = None,
        store: EvidenceStore | None = None,
        clock: Clock | None = None,
        live: bool = True,
        seed: int | None = None,
        host: Worker | None = None,
    ):
        self.store, self.clock, self.live = store, clock or utc_now, live
        self.rng = random.Random(seed)
        self.contest_id = contest_id
        self.roster = load_roster()
        if host is None:
            try:
                host = current_worker()
            except (KeyError, ContentError):
                host = None
        self.host = host
        self.players: list[str] = []
        self.scores: dict[str, int] = {}
        self.answer_log: list[tuple[str, int, bool]] = []  # (player, question number, right) per recorded answer
        self.questions: list[ContestQuestion] = []
        self.index = -1
        self.holder: str | None = None
        self.state: Literal["setup", "ready", "open", "closed", "finished"] = "setup"
        self.seconds = seconds
        self._quiet = False
        self._lock = threading.RLock()
        self.input: w.Widget | None = None

        banks_all = load_banks()
        self.setup = ContestSetup(self.roster, banks_all, per_player=per_player, buzz=buzz, seconds=seconds)
        self.setup.start_button.on_click(lambda _b: self._start_from_form())

        self.timer = w.HTML()
        self.timer.add_class("tk-timer")
        self.board = w.HTML()
        self.board.add_class("tk-scoreboard")
        self.question_html = w.HTML()
        self.question_html.add_class("tk-question")
        self.answer_area = w.VBox()
        self.answer_area.add_class("tk-answer-area")
        self.answer_button = w.Button(description="提交答案", button_style="primary", tooltip="提交当前选手的答案")
        self.answer_button.add_class("tk-answer")
        self.answer_button.on_click(lambda _b: self.answer())
        self.buzzers = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.buzzers.add_class("tk-buzzers")
        self.next_button = w.Button(
            description="第一题", button_style="success", icon="forward", tooltip="显示下一题并开始计时"
        )
        self.next_button.add_class("tk-next")
        self.next_button.on_click(lambda _b: self.next())
        self.end_button = w.Button(
            description="结束比赛", button_style="danger", icon="stop", tooltip="结束比赛并公布名次"
        )
        self.end_button.add_class("tk-end")
        self.end_button.on_click(lambda _b: self.finish())
        self.message = w.HTML()
        self.message.add_class("tk-contest-message")
        self.results = w.HTML()
        self.results.add_class("tk-results")
        self.game = w.VBox(
            [
                self.board,
                self.timer,
                self.question_html,
                self.answer_area,
                w.HBox([self.answer_button]),
                self.buzzers,
                self.message,
                w.HBox([self.next_button, self.end_button]),
                self.results,
            ],
            layout=w.Layout(display="none"),
        )
        self.game.add_class("tk-contest-game")
        self.countdown = Countdown(self.timer, clock=self.clock, on_expire=self._expired, title="本题剩余", size="40px")
        super().__init__([self.setup, self.game])
        self.add_class("tk-contest")
        self.setup.choose(players=players, banks=banks)
        if players and (banks or domains):
            try:
                self.configure(
                    players=players, banks=banks, domains=domains, per_player=per_player, buzz=buzz, seconds=seconds
                )
            except ContestSetupError as err:  # shown on the form, as a wrong choice there would be
                self.setup.say(err)

    # -- setup -------------------------------------------------------------------------------

    def _start_from_form(self) -> None:
        try:
            self.configure(**self.setup.settings())
        except ContestSetupError as err:
            self.setup.say(err)

    def configure(
        self,
        *,
        players: Sequence[str],
        banks: Sequence[str] | None = None,
        domains: Sequence[str] | None = None,
        per_player: int = 2,
        buzz: int = 5,
        seconds: int = 30,
    ) -> None:
        """Check the choices, draw the questions and show the game (ContestSetupError if not possible)."""
        if isinstance(players, str):
            players = [players]
        players = list(dict.fromkeys(players))
        if not players:
            raise ContestSetupError("还没有选手：请至少选择一位选手。")
        if unknown := [p for p in players if p not in self.roster]:
            raise ContestSetupError(f"花名册中没有工号 {'、'.join(unknown)}：请从花名册中选择选手。")
        if len(players) > 12:
            raise ContestSetupError(f"选了 {len(players)} 位选手：一场最多 12 位，请分组比赛。")
        all_banks = load_banks()
        chosen = list(banks or [])
        if unknown := [b for b in chosen if b not in all_banks]:
            raise ContestSetupError(f"没有题库 {'、'.join(unknown)}：可用的题库有 {'、'.join(sorted(all_banks))}。")
        fw = load_framework()
        for domain in domains or []:
            try:
                fw.domain(domain)
            except KeyError:
                raise ContestSetupError(
                    f"没有领域 {domain}：可用的领域有 {'、'.join(d.id for d in fw.domains)}。"
                ) from None
            chosen += [b.id for b in all_banks.values() if b.domain == domain]
        if not chosen:
            raise ContestSetupError("还没有选题库：请至少选择一个题库或领域。")
        for value, title, low, high in (
            (per_player, "必答每人题数", 0, 20),
            (buzz, "抢答题数", 0, 50),
            (seconds, "每题限时（秒）", 5, 600),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ContestSetupError(f"{title}“{value}”不对：请填写 {low} 到 {high} 之间的整数。")
        contest_id = self.contest_id or self.clock().astimezone().strftime("%Y%m%d-%H%M%S")
        if not CONTEST_ID.match(contest_id):
            raise ContestSetupError(f"比赛编号“{contest_id}”只能用字母、数字、点、横线和下划线（最多 40 个）。")
        self.questions = draw_questions(players=players, banks=chosen, per_player=per_player, buzz=buzz, rng=self.rng)
        self.contest_id, self.players, self.seconds = contest_id, players, seconds
        self.scores = dict.fromkeys(players, 0)
        self.answer_log = []
        self.index, self.holder, self.state = -1, None, "ready"
        buttons = []
        for pid in players:
            button = w.Button(
                description=f"抢答：{self.roster[pid].display_name}",
                icon="bell",
                tooltip=f"{self.roster[pid].display_name}（{pid}）抢答",
                layout=w.Layout(width="auto"),
            )
            button.add_class("tk-buzz")
            button.add_class(f"tk-buzz-{pid}")
            button.on_click(lambda _b, pid=pid: self.buzz(pid))
            buttons.append(button)
        self.buzz_buttons = dict(zip(players, buttons, strict=True))
        self.buzzers.children = buttons
        self.setup.layout.display = "none"
        self.game.layout.display = None
        self.setup.say("")
        self.next_button.description = "第一题"
        self.next_button.disabled = self.end_button.disabled = False
        self.results.value = ""
        self.timer.value = ""
        self.question_html.value = (
            f"{STYLE}{BOARD_STYLE}<div class='tk tk-big'>共 {len(self.questions)} 题："
            f"必答 {per_player * len(players)} 题、抢答 {buzz} 题，每题限时 {seconds} 秒。"
            "准备好后点“第一题”。</div>"
        )
        self._controls()
        self._draw_board()
        self._say("")

    # -- state -------------------------------------------------------------------------------

    @property
    def current(self) -> ContestQuestion | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    def name(self, player: str) -> str:
        return self.roster[player].display_name if player in self.roster else player

    def standings(self) -> list[tuple[str, str, int]]:
        """``(worker id, name, points)`` from first place down (ties keep the seating order)."""
        order = {p: i for i, p in enumerate(self.players)}
        return [
            (p, self.name(p), self.scores[p]) for p in sorted(self.players, key=lambda p: (-self.scores[p], order[p]))
        ]

    def _say(self, text: str, css: str = "tk-muted") -> None:
        self.message.value = f"{STYLE}{BOARD_STYLE}<div class='tk tk-big {css}'>{e(text)}</div>" if text else ""

    def _controls(self) -> None:
        q, open_ = self.current, self.state == "open"
        can_answer = open_ and q is not None and (q.kind == "required" or self.holder is not None)
        self.answer_button.disabled = not can_answer
        if self.input is not None and q is not None:
            disable_input(q.item, self.input, not can_answer)
        for pid, button in getattr(self, "buzz_buttons", {}).items():
            button.disabled = not (
                open_ and q is not None and q.kind == "buzz" and self.holder is None and pid not in q.buzzed
            )
        self.buzzers.layout.display = None if q is not None and q.kind == "buzz" else "none"
        if self.state == "finished":
            self.next_button.disabled = self.end_button.disabled = True

    def _draw_board(self) -> None:
        q = self.current
        if q is None:
            stage = "准备开始" if self.state != "finished" else "比赛结束"
        else:
            stage = (
                f"第{'一' if q.kind == 'required' else '二'}轮 {q.round_title} · 第 {q.number}/{len(self.questions)} 题"
            )
        rows = []
        for rank, (pid, name, points) in enumerate(self.standings(), start=1):
            now = q is not None and self.state == "open" and pid in (q.player, self.holder)
            out = q is not None and q.kind == "buzz" and pid in q.buzzed and pid != self.holder
            tag = "（答题中）" if now else "（已抢答）" if out and self.state == "open" else ""
            css = "tk-now" if now else "tk-out" if out else ""
            rows.append(
                f"<tr class='{css}'><td>{rank}</td><td>{e(name)}{tag}</td><td class='tk-points'>{points}</td></tr>"
            )
        self.board.value = (
            f"{STYLE}{BOARD_STYLE}<div class='tk tk-board'><div class='tk-card'>"
            f"<b>练兵比武 · {e(stage)}</b><table><tr><th>名次</th><th>选手</th><th>得分</th></tr>"
            f"{''.join(rows)}</table></div></div>"
        )

    def _draw_question(self, *, reveal: bool = False) -> None:
        q = self.current
        item = q.item
        who = (
            f"必答 · 请 <b>{e(self.name(q.player))}</b> 作答"
            if q.kind == "required"
            else f"抢答 · <b>{e(self.name(self.holder))}</b> 抢到答题权"
            if self.holder
            else "抢答 · 请抢答"
        )
        options = "".join(f"<li>{e(o.key)}. {e(o.text)}</li>" for o in item.options)
        options = f"<ol style='list-style:none;padding-left:0'>{options}</ol>" if options else ""
        shown = ""
        if reveal:
            shown = (
                f"<div class='tk-card'><span class='tk-ok'>正确答案：{e(answer_text(item))}</span>"
                f"<div style='font-size:20px'>{e(item.explanation)}</div></div>"
            )
        self.question_html.value = (
            f"{STYLE}{BOARD_STYLE}<div class='tk tk-big'><div class='tk-muted'>{who}</div>"
            f"<b>{q.number}. [{TYPE_TITLES[item.type]}]</b> {e(item.prompt)}{options}{shown}</div>"
        )

    # -- driving -----------------------------------------------------------------------------

    def next(self) -> ContestQuestion | None:
        """Close the current question if still open, then show the next one and start its clock."""
        with self._lock:
            if self.state in ("setup", "finished"):
                self._say("请先设置并开始比赛。" if self.state == "setup" else "比赛已经结束。", "tk-wait")
                return None
            if self.state == "open":
                self._close()
            if self.index + 1 >= len(self.questions):
                self.finish()
                return None
            self.index += 1
            self.holder, self.state = None, "open"
            q = self.current
            self.input = make_input(q.item)
            self.input.add_class("tk-input")
            if isinstance(self.input, w.Text):
                self.input.observe(self._on_enter, "value")
            self.answer_area.children = [self.input]
            self.next_button.description = "下一题" if self.index + 1 < len(self.questions) else "查看结果"
            self._draw_question()
            self._say("请作答。" if q.kind == "required" else "请抢答：先点自己名字的“抢答”按钮。")
            self._controls()
            self._draw_board()
            self.countdown.start(self.seconds, live=self.live)
            return q

    def _on_enter(self, change: dict) -> None:
        if not self._quiet and str(change["new"]).strip():
            self.answer()

    def buzz(self, player: str) -> bool:
        """``player`` buzzes on the open 抢答 question; True when they get to answer."""
        with self._lock:
            q = self.current
            if player not in self.scores:
                self._say(f"{player} 不是本场选手。", "tk-wait")
                return False
            if self.state != "open" or q is None:
                self._say("现在没有可以抢答的题。", "tk-wait")
                return False
            if q.kind != "buzz":
                self._say("这是必答题，不能抢答。", "tk-wait")
                return False
            if self.countdown.expired:
                self.countdown.tick()
                return False
            if self.holder is not None:
                self._say(f"{self.name(self.holder)} 已经抢到答题权。", "tk-wait")
                return False
            if player in q.buzzed:
                self._say(f"{self.name(player)} 这题已经抢答过了。", "tk-wait")
                return False
            q.buzzed.append(player)
            self.holder = player
            self._say(f"{self.name(player)} 抢到答题权，请作答。")
            self._draw_question()
            self._controls()
            self._draw_board()
            return True

    def answer(self, value: object = None) -> Marking | None:
        """The answering player's answer (``value``, else what the input holds)."""
        with self._lock:
            q = self.current
            if self.state != "open" or q is None:
                self._say("现在没有待回答的题：请点“下一题”。", "tk-wait")
                return None
            player = q.player if q.kind == "required" else self.holder
            if player is None:
                self._say("请先抢答，抢到答题权后再作答。", "tk-wait")
                return None
            if value is None:
                value = read_input(q.item, self.input)
            else:
                self._fill(value)
            if self.countdown.expired:
                self.countdown.tick()
                return None
            marking = check_answer(q.item, value)
            if not marking.answered:
                self._say(marking.message, "tk-wait")
                return None
            if problem := input_problem(q.item, value):
                self._say(problem, "tk-wait")
                return None
            right = marking.correct
            points = RIGHT if right else (WRONG_BUZZ if q.kind == "buzz" else 0)
            self.scores[player] += points
            self._record(player, q, marking.score, {"value": value, "points": points})
            name = self.name(player)
            if right:
                q.winner = player
                self._say(f"{name} 答对了，+{RIGHT} 分！", "tk-ok")
                self._close(keep_message=True)
            elif q.kind == "required":
                self._say(f"{name} 答错了。{marking.message}", "tk-bad")
                self._close(keep_message=True)
            else:
                self.holder = None
                left = [p for p in self.players if p not in q.buzzed]
                if left:
                    self._say(f"{name} 答错了，{WRONG_BUZZ} 分。其他选手可以继续抢答。", "tk-bad")
                    self._fill(None)
                    self._draw_question()
                    self._controls()
                    self._draw_board()
                else:
                    self._say(f"{name} 答错了，{WRONG_BUZZ} 分。所有选手都已抢答，本题结束。", "tk-bad")
                    self._close(keep_message=True)
            return marking

    def _fill(self, value: object) -> None:
        self._quiet = True
        try:
            fill_input(self.current.item, self.input, value)
        finally:
            self._quiet = False

    def tick(self) -> None:
        """Redraw the clock; closes the question when its time is up."""
        self.countdown.tick()

    def _expired(self) -> None:
        with self._lock:
            q = self.current
            if self.state != "open" or q is None:
                return
            if q.kind == "required":
                self._record(q.player, q, 0.0, {"value": None, "points": 0, "timeout": True})
                self._say(f"时间到：{self.name(q.player)} 未在 {self.seconds} 秒内作答，本题不得分。", "tk-wait")
            else:
                self._say("时间到：本题无人答对。", "tk-wait")
            self._close(keep_message=True, timer_message="时间到")

    def _close(self, *, keep_message: bool = False, timer_message: str = "本题结束") -> None:
        q = self.current
        q.closed = True
        self.holder, self.state = None, "closed"
        self.countdown.stop(timer_message)
        if not keep_message:
            self._say("本题结束。")
        self._draw_question(reveal=True)
        self._controls()
        self._draw_board()

    def finish(self) -> None:
        """End the contest and show the ranking (answers are already recorded)."""
        with self._lock:
            if self.state in ("setup", "finished"):
                return
            if self.state == "open":
                self._close()
            self.state = "finished"
            self.countdown.stop("比赛结束")
            self._controls()
            self._draw_board()
            self._say("")
            self.results.value = self._results_html()

    def _results_html(self) -> str:
        asked: dict[str, int] = dict.fromkeys(self.players, 0)
        right: dict[str, int] = dict.fromkeys(self.players, 0)
        for player, _number, correct in self.answer_log:
            asked[player] += 1
            right[player] += correct
        rows = "".join(
            f"<tr><td>{rank}</td><td>{e(name)}</td><td>{e(pid)}</td><td class='tk-points'>{points}</td>"
            f"<td>{right[pid]} / {asked[pid]}</td></tr>"
            for rank, (pid, name, points) in enumerate(self.standings(), start=1)
        )
        return (
            f"{STYLE}{BOARD_STYLE}<div class='tk tk-board'><div class='tk-card'><b>比赛结果 · 编号 {e(self.contest_id)}</b>"
            f"<table><tr><th>名次</th><th>选手</th><th>工号</th><th>得分</th><th>答对 / 作答</th></tr>{rows}</table>"
            "<div class='tk-muted' style='font-size:16px'>每位选手的每次作答都已记入本人的学习记录（来源：自测题，"
            f"编号 contest:{e(self.contest_id)}），可在督导报告的题目统计中查看。</div></div></div>"
        )

    def _record(self, player: str, q: ContestQuestion, score: float, answer: dict[str, Any]) -> None:
        if self.store is None:
            self.store = open_store()
        fw = load_framework()
        now = self.clock().astimezone(UTC)
        ref = contest_ref(self.contest_id, q.number, q.bank_id, q.item.id)
        self.answer_log.append((player, q.number, score >= 1))
        answer = {**answer, "round": q.round_title, "contest": self.contest_id}
        self.store.record_many(
            {
                "worker_id": player,
                "item_id": s,
                "domain": fw.domain_of(s),
                "source": "self_check",
                "ref": ref,
                "score": score,
                "max_score": 1.0,
                "recorded_at": now,
                "answer": answer,
                "assessor": self.host.worker_id if self.host else None,
            }
            for s in q.item.items
        )


def contest(
    *,
    players: Sequence[str] | None = None,
    banks: Sequence[str] | None = None,
    domains: Sequence[str] | None = None,
    per_player: int = 2,
    buzz: int = 5,
    seconds: int = 30,
    contest_id: str | None = None,
    store: EvidenceStore | None = None,
    clock: Clock | None = None,
    live: bool = True,
    seed: int | None = None,
) -> ContestWidget:
    """练兵比武. With ``players`` and ``banks`` or ``domains`` the game is ready at once; otherwise a setup form.

    >>> contest(players=["W001", "W002"], domains=["social_assistance"])  # doctest: +SKIP
    """
    return ContestWidget(
        players=players,
        banks=banks,
        domains=domains,
        per_player=per_player,
        buzz=buzz,
        seconds=seconds,
        contest_id=contest_id,
        store=store,
        clock=clock,
        live=live,
        seed=seed,
    )
