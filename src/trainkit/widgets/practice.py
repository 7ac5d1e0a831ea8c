"""每日15分钟: about ten self-check items from my weakest service items, a 15-minute
countdown, and the score with every explanation at the end.

Which items: first the questions due for review today, most overdue first — when each is
due comes from an FSRS model replayed over my recorded answers (:mod:`trainkit.review`), so
a question I got wrong comes back sooner than one I got right. The rest come from my weakest
service items: each service item that has self-check items gets my recent self-check ratio
(the mean of its last five self-check answers in the past 90 days, lessons, earlier
practice and contests alike); never-seen service items count as the weakest. Those items
are drawn one per service item from the weakest up, preferring questions I never answered,
then those I last got wrong, then the longest ago.

Evidence: every answer is recorded at once as ``self_check`` under **the item's own ref**
``quiz:<bank>:<item>`` — the same question keeps one ref wherever it is answered, so item
statistics, the lesson's 已完成 and the lesson's restored answers all see it. The practice
session is kept in the answer: ``{"practice": {"started", "minutes", "set"}}``, which lets a
re-run notebook show today's practice again (answers, time left, result).

Time: a :class:`Countdown` shows the time left and a daemon thread refreshes it every
second (in a kernel and in Voilà); time is also checked on every submission, so nothing
depends on the thread. Tests inject ``clock`` and pass ``live=False``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import ipywidgets as w

from ..evidence import EvidenceRow, EvidenceStore, utc_naive
from ..framework import load_framework
from ..markup import STYLE, e
from ..quiz import Item, Marking, load_banks, question_key, quiz_ref
from ..review import ReviewCard, due_today, worker_cards
from ..roster import Worker
from ._session import NO_LEARNER
from .quiz import (
    ItemCard,
    answer_text,
    last_answers,
    local_time,
    resolve_session,
    session_rows,
)

__all__ = ["Countdown", "DailyPractice", "Pick", "daily_practice", "pick_items", "weakness"]

Clock = Callable[[], datetime]
RECENT_DAYS = 90
LAST_ANSWERS = 5


def utc_now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.999))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Countdown:
    """Time left until a deadline, drawn in an HTML widget.

    ``tick()`` redraws and, once the time is up, calls ``on_expire`` (once). With
    ``live=True`` a daemon thread ticks every second; without it (tests), call ``tick()``.
    """

    def __init__(
        self,
        display: w.HTML,
        *,
        clock: Clock,
        on_expire: Callable[[], None],
        title: str = "剩余时间",
        size: str = "130%",
    ):
        self.display, self.clock, self.on_expire, self.title, self.size = display, clock, on_expire, title, size
        self.deadline: datetime | None = None
        self.total = 0.0
        self._stop = threading.Event()
        self._fired = False

    def start(self, seconds: float, *, started: datetime | None = None, live: bool = True) -> None:
        self.stop()
        self.total = float(seconds)
        self.deadline = _aware(started or self.clock()) + timedelta(seconds=seconds)
        self._fired = False
        self._stop = threading.Event()
        self.tick()
        if live and not self._fired:
            threading.Thread(target=self._run, args=(self._stop,), name="trainkit-countdown", daemon=True).start()

    def remaining(self) -> float:
        if self.deadline is None:
            return self.total
        return max(0.0, (self.deadline - _aware(self.clock())).total_seconds())

    @property
    def running(self) -> bool:
        return self.deadline is not None and not self._stop.is_set()

    @property
    def expired(self) -> bool:
        return self.deadline is not None and self.remaining() <= 0

    def tick(self) -> None:
        if self.deadline is None or self._stop.is_set():
            return
        left = self.remaining()
        self.display.value = self.render(left)
        if left <= 0 and not self._fired:
            self._fired = True
            self._stop.set()
            self.on_expire()

    def render(self, left: float) -> str:
        share = 0 if not self.total else max(0.0, min(1.0, left / self.total))
        colour = "#cf222e" if share <= 0.15 or left <= 10 else "#9a6700" if share <= 0.35 else "#1a7f37"
        return (
            f"{STYLE}<div class='tk tk-countdown' role='timer' aria-live='off'>{e(self.title)} "
            f"<b style='font-size:{self.size};color:{colour};font-variant-numeric:tabular-nums'>{_clock_text(left)}</b>"
            f"<div style='background:#eaeef2;border-radius:4px;height:8px;max-width:420px'>"
            f"<div style='width:{share:.1%};background:{colour};height:8px;border-radius:4px'></div></div></div>"
        )

    def stop(self, message: str | None = None) -> None:
        self._stop.set()
        if message is not None:
            self.display.value = f"{STYLE}<div class='tk tk-countdown tk-muted'>{e(message)}</div>"

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(1.0):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 (the kernel is closing or the widget is gone: stop quietly)
                stop.set()


# -- what to practise ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One practice item: due for review (``due``), or drawn for a weak service item."""

    bank_id: str
    item: Item
    service_item: str
    ratio: float | None  # my recent self-check ratio of that service item; None: never answered
    due: datetime | None = None  # due for review since then (UTC); None: drawn for a weak service item

    @property
    def ref(self) -> str:
        return quiz_ref(self.bank_id, self.item.id)


def _recent(rows: Iterable[EvidenceRow], now: datetime, days: int) -> list[EvidenceRow]:
    start = utc_naive(now) - timedelta(days=days)
    return [r for r in rows if r.source == "self_check" and r.recorded_at >= start]


def weakness(
    rows: Iterable[EvidenceRow],
    service_items: Iterable[str],
    *,
    now: datetime,
    days: int = RECENT_DAYS,
    last: int = LAST_ANSWERS,
) -> dict[str, float | None]:
    """My recent self-check ratio per service item (mean of the last ``last`` answers in ``days``)."""
    by_item: dict[str, list[EvidenceRow]] = {}
    for row in _recent(rows, now, days):
        by_item.setdefault(row.item_id, []).append(row)
    out: dict[str, float | None] = {}
    for item in service_items:
        seen = sorted(by_item.get(item, []), key=lambda r: (r.recorded_at, r.id))[-last:]
        out[item] = sum(r.ratio for r in seen) / len(seen) if seen else None
    return out


def pick_items(
    rows: Iterable[EvidenceRow],
    *,
    now: datetime,
    n: int = 10,
    rng: random.Random,
    domain: str | None = None,
    due: Sequence[ReviewCard] = (),
    new: int | None = None,
) -> list[Pick]:
    """About ``n`` items: the questions in ``due`` first (in their order, those of ``domain``
    only), then from my weakest service items (never-seen ones first).

    ``new`` places (default a fifth of ``n``) are kept for questions I never answered, so a
    long review backlog does not shut out new material; places nothing fills go to the rest.
    """
    rows = list(rows)
    fw = load_framework()
    questions: dict[str, list[tuple[str, Item]]] = {}
    for bank in load_banks().values():
        for item in bank.items:
            for service in item.items:
                if domain is None or fw.domain_of(service) == domain:
                    questions.setdefault(service, []).append((bank.id, item))
    ratios = weakness(rows, questions, now=now)
    order = sorted(questions, key=lambda s: (-1.0 if ratios[s] is None else ratios[s], rng.random()))
    history: dict[tuple[str, str], EvidenceRow] = {}
    for row in sorted(_recent(rows, now, RECENT_DAYS * 4), key=lambda r: (r.recorded_at, r.id)):
        if (key := question_key(row.ref)) is not None:
            history[key] = row

    def preference(entry: tuple[str, Item]) -> tuple:
        last = history.get((entry[0], entry[1].id))
        if last is None:
            return (0, 0.0, rng.random())
        return (1 if last.ratio < 1 else 2, last.recorded_at.timestamp(), rng.random())

    picks: list[Pick] = []
    taken: set[tuple[str, str]] = set()
    where: dict[tuple[str, str], tuple[str, Item, str]] = {}
    for service, entries in questions.items():
        for bank_id, item in entries:
            where.setdefault((bank_id, item.id), (bank_id, item, service))
    reviews = [c for c in due if (c.bank_id, c.item_id) in where]
    unseen = sum(key not in history for key in where) if reviews else 0
    keep = min(max(0, n // 5 if new is None else new), unseen, n)

    def review(limit: int) -> None:
        for card in reviews:
            key = (card.bank_id, card.item_id)
            if len(picks) >= limit:
                return
            if key not in taken:
                bank_id, item, service = where[key]
                taken.add(key)
                picks.append(Pick(bank_id, item, service, ratios[service], due=card.due))

    def weakest(limit: int, *, unseen_only: bool) -> None:
        while len(picks) < limit:
            added = False
            for service in order:
                free = [
                    q
                    for q in questions[service]
                    if (q[0], q[1].id) not in taken and not (unseen_only and (q[0], q[1].id) in history)
                ]
                if not free:
                    continue
                bank_id, item = min(free, key=preference)
                taken.add((bank_id, item.id))
                picks.append(Pick(bank_id, item, service, ratios[service]))
                added = True
                if len(picks) == limit:
                    break
            if not added:
                return

    review(n - keep)
    weakest(n, unseen_only=bool(reviews))  # after reviews: never-answered questions only
    review(n)
    weakest(n, unseen_only=False)
    return picks


# -- the widget ----------------------------------------------------------------------------


class DailyPractice(w.VBox):
    """每日15分钟. ``start()``, ``finish()``, ``tick()`` and the cards' inputs drive it from Python."""

    def __init__(
        self,
        *,
        n: int = 10,
        minutes: int = 15,
        domain: str | None = None,
        worker: Worker | None = None,
        store: EvidenceStore | None = None,
        clock: Clock | None = None,
        live: bool = True,
    ):
        if not isinstance(n, int) or not 1 <= n <= 30:
            raise ValueError(f"题数 n={n!r} 不对：请填写 1 到 30 之间的整数（默认 10）。")
        if not isinstance(minutes, int) or not 1 <= minutes <= 120:
            raise ValueError(f"时长 minutes={minutes!r} 不对：请填写 1 到 120 之间的整数（默认 15）。")
        if domain is not None:
            try:
                load_framework().domain(domain)
            except KeyError:
                ids = "、".join(d.id for d in load_framework().domains)
                raise ValueError(f"没有领域 {domain!r}：可用的领域有 {ids}。") from None
        self.n, self.minutes, self.domain, self.live = n, minutes, domain, live
        self.clock = clock or utc_now
        self.session, self.problem = resolve_session(worker, store)
        self.started: datetime | None = None
        self.ended: datetime | None = None
        self.finished = False
        self.picks: list[Pick] = []
        self.cards: list[ItemCard] = []
        self._lock = threading.RLock()

        self.head = w.HTML()
        self.timer = w.HTML()
        self.timer.add_class("tk-timer")
        self.start_button = w.Button(
            description=f"开始练习（{minutes} 分钟）", button_style="primary", icon="play", tooltip="开始计时并显示题目"
        )
        self.start_button.add_class("tk-start")
        self.items = w.VBox()
        self.items.add_class("tk-practice-items")
        self.finish_button = w.Button(
            description="交卷", button_style="warning", icon="check", tooltip="结束本次练习，查看得分和每题解析"
        )
        self.finish_button.add_class("tk-finish")
        self.result = w.HTML()
        self.result.add_class("tk-result")
        self.again_button = w.Button(
            description="再练一组",
            icon="refresh",
            tooltip="按最新的学习记录再抽一组题：先出到了复习时间的题，再出最薄弱事项的题",
        )
        self.again_button.add_class("tk-again")
        self.start_button.on_click(lambda _b: self.start())
        self.finish_button.on_click(lambda _b: self.finish())
        self.again_button.on_click(lambda _b: self.again())
        self.countdown = Countdown(self.timer, clock=self.clock, on_expire=lambda: self.finish(timeout=True))
        super().__init__(
            [self.head, self.timer, self.start_button, self.items, self.finish_button, self.result, self.again_button]
        )
        self.add_class("tk-practice")
        rows = session_rows(self.session, source="self_check")
        if not self._resume(rows):
            self._prepare(rows)

    # -- building ------------------------------------------------------------------------

    def _seed(self, rows: list[EvidenceRow]) -> str:
        who = self.session.worker.worker_id if self.session.worker else "?"
        return f"{who}:{_aware(self.clock()).astimezone().date()}:{len(rows)}"

    def _prepare(self, rows: list[EvidenceRow]) -> None:
        now = self.clock()
        due = []
        if self.session.worker is not None and self.session.store is not None:
            due = due_today(worker_cards(self.session.store, self.session.worker.worker_id, now=now), now=now)
        self.picks = pick_items(
            rows, now=now, n=self.n, rng=random.Random(self._seed(rows)), domain=self.domain, due=due
        )
        self._build_cards()
        self.started, self.finished = None, False
        self._show(items=False, start=True, finish=False, again=False)
        self.result.value = ""
        self.timer.value = self.countdown.render(self.minutes * 60)
        self._head()

    def _build_cards(self) -> None:
        self.cards = [
            ItemCard(
                p.item,
                number=i,
                bank_id=p.bank_id,
                session=self.session,
                reveal=False,
                gate=self._gate,
                extra=self._extra,
                on_answer=self._answered,
            )
            for i, p in enumerate(self.picks, start=1)
        ]
        self.items.children = self.cards

    def _head(self, *, resumed: bool = False) -> None:
        titles = load_framework().items
        drawn = [p for p in self.picks if p.due is None]
        weak = "、".join(dict.fromkeys(titles[p.service_item].title for p in drawn if p.service_item in titles))
        unseen = sum(p.ratio is None for p in drawn)
        reviews = len(self.picks) - len(drawn)
        review = "按您以往的作答推算，这些题正是该复习、快要忘记的，最久没复习的排在前面"
        if resumed:
            why = (
                f"这是您今天 {local_time(self.started)[-5:]} 开始的练习（共 {len(self.picks)} 题），"
                "已答的题和剩余时间从学习记录中恢复。"
            )
        elif reviews and not drawn:
            why = f"这 {reviews} 题都到了复习时间：{review}。"
        elif weak:
            why = (
                (f"前 {reviews} 题到了复习时间：{review}；其余 {len(drawn)} 题" if reviews else f"这 {len(drawn)} 题")
                + f"来自您最薄弱的服务事项：{e(weak)}。"
                + (f"其中 {unseen} 题的事项您还没有练过。" if unseen else "")
            )
        else:
            why = "题库中没有可练的题目。"
        problem = f"<div class='tk-wait'>{e(self.problem)}</div>" if self.problem else ""
        self.head.value = (
            f"{STYLE}<div class='tk'><h3>每日15分钟</h3><div>{why}</div>"
            f"<div class='tk-muted'>限时 {self.minutes} 分钟，每题提交一次；答完或点“交卷”后显示得分和每题解析。"
            f"每个答案都记入学习记录（自测题）。</div>{problem}</div>"
        )

    def _show(self, *, items: bool, start: bool, finish: bool, again: bool) -> None:
        self.items.layout.display = None if items else "none"
        self.start_button.layout.display = None if start else "none"
        self.finish_button.layout.display = None if finish else "none"
        self.again_button.layout.display = None if again else "none"

    # -- evidence round trip ----------------------------------------------------------------

    def _extra(self) -> dict:
        return {
            "practice": {
                "started": self.started.astimezone(UTC).isoformat(),
                "minutes": self.minutes,
                "set": [p.ref for p in self.picks],
            }
        }

    def _resume(self, rows: list[EvidenceRow]) -> bool:
        """Today's latest practice from the evidence: its items, answers, and time left or result."""
        sessions: dict[str, list[EvidenceRow]] = {}
        for row in rows:
            info = row.answer.get("practice") if isinstance(row.answer, dict) else None
            if isinstance(info, dict) and isinstance(info.get("started"), str):
                try:
                    datetime.fromisoformat(info["started"])
                except ValueError:
                    continue  # not written by this widget: ignore
                sessions.setdefault(info["started"], []).append(row)
        if not sessions:
            return False
        started_text = max(sessions, key=lambda s: datetime.fromisoformat(s))
        started = datetime.fromisoformat(started_text)
        if started.astimezone().date() != _aware(self.clock()).astimezone().date():
            return False
        info = sessions[started_text][-1].answer["practice"]
        banks = load_banks()
        picks = []
        for ref in info.get("set", []):
            key = question_key(ref)
            bank = banks.get(key[0]) if key else None
            item = next((i for i in bank.items if i.id == key[1]), None) if bank else None
            if item is None:
                return False  # the bank changed since: start afresh
            picks.append(Pick(bank.id, item, item.items[0], None))
        if not picks:
            return False
        self.picks, self.minutes = picks, int(info.get("minutes", self.minutes))
        self.started, self.finished = started, False
        self._build_cards()
        last = last_answers(sessions[started_text])
        for card in self.cards:
            if card.ref in last:
                card.restore(last[card.ref])
        self._head(resumed=True)
        self.start_button.description = f"开始练习（{self.minutes} 分钟）"
        if (
            all(card.marking is not None for card in self.cards)
            or (_aware(self.clock()) - started).total_seconds() >= self.minutes * 60
        ):
            self._show(items=True, start=False, finish=False, again=False)
            complete = all(card.marking is not None for card in self.cards)
            last = max(r.recorded_at for r in sessions[started_text]).replace(tzinfo=UTC)
            self.finish(timeout=not complete, ended=last if complete else None)
        else:
            self._show(items=True, start=False, finish=True, again=False)
            self.countdown.start(self.minutes * 60, started=started, live=self.live)
        return True

    # -- driving -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the countdown and show the items."""
        with self._lock:
            if self.started is not None:
                return
            self.started = _aware(self.clock())
            self._show(items=True, start=False, finish=True, again=False)
            self.countdown.start(self.minutes * 60, live=self.live)

    def tick(self) -> None:
        self.countdown.tick()

    def _gate(self) -> str | None:
        if self.started is None:
            return "请先点“开始练习”，计时开始后再作答。"
        if self.finished:
            return "本次练习已经结束，这个答案没有记入。"
        if self.countdown.expired:
            self.finish(timeout=True)
            return f"时间到了（{self.minutes} 分钟）：本次练习已结束，这个答案没有记入。"
        return None

    def _answered(self, _card: ItemCard, _marking: Marking) -> None:
        if all(card.marking is not None for card in self.cards):
            self.finish()

    @property
    def score(self) -> float:
        return sum(card.marking.score for card in self.cards if card.marking is not None)

    def finish(self, *, timeout: bool = False, ended: datetime | None = None) -> None:
        """End the practice: lock every item and show the score and each explanation."""
        with self._lock:
            if self.finished:
                return
            self.finished = True
            self.ended = ended or _aware(self.clock())
            for card in self.cards:
                card.lock()
            self.countdown.stop("时间到，练习结束。" if timeout else "练习结束。")
            self._show(items=True, start=False, finish=False, again=True)
            self.result.value = self._result_html(timeout=timeout)

    def again(self) -> None:
        """A fresh set from the latest evidence, started at once."""
        self.countdown.stop()
        self._prepare(session_rows(self.session, source="self_check"))
        self.start()

    def _result_html(self, *, timeout: bool) -> str:
        total = len(self.cards)
        answered = sum(card.marking is not None for card in self.cards)
        pct = self.score / total if total else 0.0
        used = ""
        if self.started is not None:
            seconds = max(0.0, min((self.ended - self.started).total_seconds(), self.minutes * 60))
            used = f" · 用时 {int(seconds // 60)} 分 {int(seconds % 60)} 秒"
        rows = []
        for card in self.cards:
            item, marking = card.item, card.marking
            if marking is None:
                verdict, css = "未作答", "tk-wait"
            else:
                verdict, css = (
                    ("正确", "tk-ok")
                    if marking.correct
                    else (("部分正确", "tk-wait") if marking.score > 0 else ("错误", "tk-bad"))
                )
            given = "—" if marking is None else e(_given(card))
            rows.append(
                f"<div class='tk-card tk-result-item'><b>{card.number}.</b> {e(item.prompt)}"
                f"<div><span class='{css}'>{verdict}</span> · 您的答案：{given} · 正确答案：{e(answer_text(item))}</div>"
                f"<div>{e(item.explanation)}</div></div>"
            )
        ended = "时间到。" if timeout else ""
        note = "" if self.session.worker is not None else f"<div class='tk-wait'>{e(NO_LEARNER)}</div>"
        when = f"（开始于 {local_time(self.started)}）" if self.started is not None else ""
        return (
            f"{STYLE}<div class='tk'><h3>本次得分 {_points(self.score)} / {total}（{pct:.0%}）</h3>"
            f"<div class='tk-muted'>{ended}已答 {answered} 题{used}{when}。错题可以回到对应课程的自测再练。</div>"
            f"{note}{''.join(rows)}</div>"
        )


def _points(score: float) -> str:
    return f"{score:.0f}" if float(score).is_integer() else f"{score:.2f}".rstrip("0")


def _given(card: ItemCard) -> str:
    value = card.answered_value
    if card.item.type == "true_false":
        return "正确" if value else "错误"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


def daily_practice(
    *,
    n: int = 10,
    minutes: int = 15,
    domain: str | None = None,
    worker: Worker | None = None,
    store: EvidenceStore | None = None,
    clock: Clock | None = None,
    live: bool = True,
) -> DailyPractice:
    """每日15分钟: ``n`` items from my weakest service items, ``minutes`` on the clock."""
    return DailyPractice(n=n, minutes=minutes, domain=domain, worker=worker, store=store, clock=clock, live=live)
