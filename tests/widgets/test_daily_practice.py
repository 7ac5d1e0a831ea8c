"""每日15分钟, driven as a learner would: items from my weakest service items, a 15-minute clock,
the score and every explanation at the end, each answer kept as evidence and restored on reopening."""

import random
import threading
from datetime import UTC, datetime, timedelta
from html import escape

import ipywidgets as w
import pytest
from widget_drive import answer, right_answer, wrong_answer

from trainkit.framework import load_framework
from trainkit.quiz import load_banks
from trainkit.review import due_today, worker_cards
from trainkit.roster import load_roster
from trainkit.widgets import daily_practice
from trainkit.widgets.practice import Countdown, pick_items


@pytest.fixture
def worker():
    return load_roster()["W005"]


def _practice(evidence, worker, clock, **options):
    return daily_practice(worker=worker, store=evidence, clock=clock, live=False, **options)


def _record(store, worker, service_item, score, n=3):
    bank, item = next((b.id, i) for b in load_banks().values() for i in b.items if service_item in i.items)
    when = datetime.now(UTC) - timedelta(days=2)
    for k in range(n):
        store.record(
            worker_id=worker.worker_id,
            item_id=service_item,
            domain=load_framework().domain_of(service_item),
            source="self_check",
            ref=f"quiz:{bank}:{item.id}",
            score=score,
            recorded_at=when + timedelta(minutes=k),
        )


def test_items_come_from_the_weakest_service_items_never_seen_first(evidence, worker):
    _record(evidence, worker, "dibao_income", 1.0)
    _record(evidence, worker, "dibao_application", 0.0)
    rows = evidence.rows(worker_id=worker.worker_id)
    fw = load_framework()
    unseen = {
        s for b in load_banks().values() for i in b.items for s in i.items if fw.domain_of(s) == "social_assistance"
    } - {"dibao_income", "dibao_application"}
    picks = pick_items(rows, now=datetime.now(UTC), n=len(unseen) + 2, rng=random.Random(1), domain="social_assistance")
    assert {p.service_item for p in picks[: len(unseen)]} == unseen  # never seen first
    assert [p.service_item for p in picks[len(unseen) :]] == ["dibao_application", "dibao_income"]  # then weakest
    assert [p.ratio for p in picks] == [None] * len(unseen) + [0.0, 1.0]
    answered = {r.ref for r in rows}
    assert picks[-2].ref not in answered and picks[-1].ref not in answered  # questions not yet answered first
    picks = pick_items(rows, now=datetime.now(UTC), n=10, rng=random.Random(1), domain="social_assistance")
    assert len(picks) == 10 and len({p.ref for p in picks}) == 10


def test_a_practice_starts_on_click_counts_down_and_ends_with_the_score_and_every_explanation(evidence, worker, clock):
    practice = _practice(evidence, worker, clock)
    assert len(practice.cards) == 10 and practice.items.layout.display == "none"
    assert "15:00" in practice.timer.value and "每日15分钟" in practice.head.value
    answer(practice.cards[0], right_answer(practice.cards[0].item))
    assert "开始练习" in practice.cards[0].feedback.value and evidence.rows() == []  # not before the start

    practice.start_button.click()
    assert practice.items.layout.display is None and practice.start_button.layout.display == "none"
    clock.advance(minutes=4, seconds=30)
    practice.tick()
    assert "10:30" in practice.timer.value
    for i, card in enumerate(practice.cards):
        answer(card, right_answer(card.item) if i < 7 else wrong_answer(card.item))
        if i < 9:
            assert card.locked and "交卷后" in card.feedback.value and "回答正确" not in card.feedback.value
            assert not practice.finished
    assert practice.finished and practice.again_button.layout.display is None
    result = practice.result.value
    assert "本次得分 7 / 10（70%）" in result and "用时 4 分 30 秒" in result
    for card in practice.cards:
        assert escape(card.item.explanation)[:20] in result
    rows = evidence.rows(worker_id=worker.worker_id)
    assert len(rows) == sum(len(c.item.items) for c in practice.cards)
    assert {r.ref for r in rows} == {c.ref for c in practice.cards}
    assert all(r.ref.startswith("quiz:") and r.source == "self_check" for r in rows)
    info = rows[0].answer["practice"]
    assert info["minutes"] == 15 and info["set"] == [c.ref for c in practice.cards]
    assert datetime.fromisoformat(info["started"]) == practice.started


def test_time_up_ends_the_practice_and_later_answers_are_not_recorded(evidence, worker, clock):
    practice = _practice(evidence, worker, clock)
    practice.start()
    answer(practice.cards[0], right_answer(practice.cards[0].item))
    clock.advance(minutes=15)
    practice.tick()
    assert practice.finished and "时间到" in practice.timer.value and "时间到" in practice.result.value
    assert "本次得分 1 / 10" in practice.result.value and "未作答" in practice.result.value
    assert all(card.submit.disabled for card in practice.cards)
    assert len(evidence.rows()) == len(practice.cards[0].item.items)


def test_time_is_checked_on_submit_even_without_the_timer(evidence, worker, clock):
    practice = _practice(evidence, worker, clock)
    practice.start()
    clock.advance(minutes=16)  # no tick: the thread is not running
    card = practice.cards[0]
    answer(card, right_answer(card.item))
    assert "时间到了" in card.feedback.value and practice.finished and evidence.rows() == []


def test_bad_input_is_a_message_and_the_item_stays_open(evidence, worker, clock):
    practice = _practice(evidence, worker, clock, domain="social_assistance", n=25)
    practice.start()
    card = next(c for c in practice.cards if c.item.type == "numeric")
    for typed, says in (("", "还没有作答"), ("六百", "不是一个数字"), ("-5", "负数")):
        card.input.value = typed
        card.submit.click()
        assert says in card.feedback.value and not card.locked
    assert evidence.rows() == []


def test_reopening_today_resumes_the_same_items_answers_and_clock(evidence, worker, clock):
    first = _practice(evidence, worker, clock)
    first.start()
    for card in first.cards[:3]:
        answer(card, right_answer(card.item))
    clock.advance(minutes=5)

    again = _practice(evidence, worker, clock)  # the notebook is run again
    assert [c.ref for c in again.cards] == [c.ref for c in first.cards]
    assert again.started == first.started and not again.finished and "开始的练习" in again.head.value
    assert "10:00" in again.timer.value and again.start_button.layout.display == "none"
    assert all(c.locked and "上次作答" in c.feedback.value for c in again.cards[:3])
    assert not any(c.locked for c in again.cards[3:])
    assert [c.value for c in again.cards[:3]] == [c.value for c in first.cards[:3]]
    for card in again.cards[3:]:
        answer(card, right_answer(card.item))
    assert again.finished and "本次得分 10 / 10" in again.result.value

    done = _practice(evidence, worker, clock)  # and once more: the result is shown
    assert done.finished and "本次得分 10 / 10" in done.result.value and done.again_button.layout.display is None
    rows = len(evidence.rows())
    done.again_button.click()  # a fresh set, started at once
    assert not done.finished and done.started == clock() and len(evidence.rows()) == rows
    assert not any(c.locked for c in done.cards)


def test_a_practice_from_another_day_is_not_resumed(evidence, worker, clock):
    first = _practice(evidence, worker, clock)
    first.start()
    answer(first.cards[0], right_answer(first.cards[0].item))
    clock.advance(days=1)
    tomorrow = _practice(evidence, worker, clock)
    assert tomorrow.started is None and not any(c.locked for c in tomorrow.cards)


def test_options_are_checked_with_a_chinese_message(evidence, worker):
    for options, says in (({"n": 0}, "题数"), ({"minutes": 500}, "时长"), ({"domain": "nowhere"}, "没有领域")):
        with pytest.raises(ValueError, match=says):
            daily_practice(worker=worker, store=evidence, live=False, **options)


def test_the_countdown_thread_ends_the_practice_by_itself():
    start = datetime.now(UTC)
    now = [start]
    expired = threading.Event()
    countdown = Countdown(w.HTML(), clock=lambda: now[0], on_expire=expired.set)
    countdown.start(60, live=True)
    now[0] = start + timedelta(seconds=61)  # the thread sees the time is up on its next tick
    assert expired.wait(3) and "00:00" in countdown.display.value
    assert not countdown.running


# -- review scheduled by forgetting (trainkit.review) -----------------------------------------


def _questions(n, domain=None):
    fw = load_framework()
    return [
        (b.id, i)
        for b in load_banks().values()
        for i in b.items
        if domain is None or all(fw.domain_of(s) == domain for s in i.items)
    ][:n]


def _answered(store, worker, question, *, right, at):
    bank, item = question
    for service in item.items:
        store.record(
            worker_id=worker.worker_id,
            item_id=service,
            domain=load_framework().domain_of(service),
            source="self_check",
            ref=f"quiz:{bank}:{item.id}",
            score=1.0 if right else 0.0,
            recorded_at=at,
        )
    return f"quiz:{bank}:{item.id}"


def test_questions_due_for_review_come_first_most_overdue_first_then_new_ones(evidence, worker):
    today = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    oldest, older, fresh = _questions(3)
    due_first = _answered(evidence, worker, oldest, right=False, at=today - timedelta(days=3))
    due_second = _answered(evidence, worker, older, right=False, at=today - timedelta(days=2))
    not_due = _answered(evidence, worker, fresh, right=True, at=today - timedelta(hours=1))
    practice = _practice(evidence, worker, lambda: today)
    refs = [p.ref for p in practice.picks]
    assert refs[:2] == [due_first, due_second] and not_due not in refs
    assert all(p.due is not None for p in practice.picks[:2])
    assert all(p.due is None for p in practice.picks[2:]) and len(refs) == 10
    assert not {due_first, due_second, not_due} & set(refs[2:])  # the rest were never answered
    assert "前 2 题到了复习时间" in practice.head.value


def test_a_question_answered_wrong_in_practice_comes_back_tomorrow_and_a_right_one_does_not(evidence, worker, clock):
    practice = _practice(evidence, worker, clock)
    practice.start()
    wrong, right = practice.cards[:2]
    answer(wrong, wrong_answer(wrong.item))
    answer(right, right_answer(right.item))
    clock.advance(days=1)
    tomorrow = _practice(evidence, worker, clock)
    refs = [p.ref for p in tomorrow.picks]
    assert refs[0] == wrong.ref and right.ref not in refs


def test_a_worker_with_no_history_gets_new_questions(evidence, worker, clock):
    practice = _practice(evidence, worker, clock)
    assert len(practice.picks) == 10
    assert all(p.due is None and p.ratio is None for p in practice.picks)
    assert "复习时间" not in practice.head.value and "还没有练过" in practice.head.value


def test_a_long_review_backlog_still_leaves_two_places_for_new_questions(evidence, worker):
    today = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    for question in _questions(12):
        _answered(evidence, worker, question, right=False, at=today - timedelta(days=2))
    rows = evidence.rows(worker_id=worker.worker_id)
    due = due_today(worker_cards(evidence, worker.worker_id, now=today), now=today)
    assert len(due) == 12
    picks = pick_items(rows, now=today, n=10, rng=random.Random(1), due=due)
    assert [p.ref for p in picks[:8]] == [c.ref for c in due[:8]]
    answered = {r.ref for r in rows}
    assert all(p.due is None and p.ref not in answered for p in picks[8:])
    picks = pick_items(rows, now=today, n=10, rng=random.Random(1), due=due, new=0)
    assert [p.ref for p in picks] == [c.ref for c in due[:10]]


def test_only_due_questions_of_the_chosen_domain_are_served(evidence, worker):
    today = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    inside = _answered(
        evidence, worker, _questions(1, "social_assistance")[0], right=False, at=today - timedelta(days=2)
    )
    outside = _answered(evidence, worker, _questions(1, "elderly")[0], right=False, at=today - timedelta(days=2))
    practice = _practice(evidence, worker, lambda: today, domain="social_assistance")
    refs = [p.ref for p in practice.picks]
    assert refs[0] == inside and outside not in refs
