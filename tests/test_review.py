"""Review scheduled by forgetting, replayed from the evidence with a fixed clock (trainkit.review)."""

from datetime import UTC, datetime, timedelta

import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.quiz import load_banks
from trainkit.review import card_states, due_today, worker_cards

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
WORKER = "W005"


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'evidence.db'}")


def _questions(*, services: int, n: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """``n`` questions of the banks tagged with exactly ``services`` service items."""
    found = [(b.id, i.id, tuple(i.items)) for b in load_banks().values() for i in b.items if len(i.items) == services]
    assert len(found) >= n, f"the banks have fewer than {n} questions with {services} service items"
    return found[:n]


def _answer(store, question, *, right: bool, at: datetime, worker=WORKER, supersedes=None) -> list[int]:
    """One answer as the quiz widget records it: a row per service item, all at one moment."""
    bank, item, services = question
    return [
        store.record(
            worker_id=worker,
            item_id=service,
            domain=load_framework().domain_of(service),
            source="self_check",
            ref=f"quiz:{bank}:{item}",
            score=1.0 if right else 0.0,
            recorded_at=at,
            supersedes=supersedes,
        )
        for service in services
    ]


def _key(question):
    return question[0], question[1]


def _due_keys(store, *, now, worker=WORKER):
    return [(c.bank_id, c.item_id) for c in due_today(worker_cards(store, worker, now=now), now=now)]


def test_a_question_answered_wrong_today_comes_back_sooner_than_one_answered_right(store):
    right, wrong = _questions(services=1, n=2)
    _answer(store, right, right=True, at=NOW)
    _answer(store, wrong, right=False, at=NOW)
    cards = worker_cards(store, WORKER, now=NOW)
    assert cards[_key(wrong)].due < cards[_key(right)].due
    assert _due_keys(store, now=NOW) == []  # both were just answered
    assert _due_keys(store, now=NOW + timedelta(days=1)) == [_key(wrong)]
    assert _due_keys(store, now=NOW + timedelta(days=7)) == [_key(wrong), _key(right)]  # most overdue first


def test_right_answers_stretch_the_gap_and_a_lapse_shortens_it(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=True, at=NOW)
    first = worker_cards(store, WORKER, now=NOW)[_key(question)].due
    _answer(store, question, right=True, at=first)
    second = worker_cards(store, WORKER, now=first)[_key(question)].due
    assert second - first > first - NOW
    _answer(store, question, right=False, at=second)
    third = worker_cards(store, WORKER, now=second)[_key(question)]
    assert third.due - second < second - first and third.reviews == 3 and not third.last_right


def test_only_answers_up_to_now_are_replayed(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=False, at=NOW + timedelta(hours=1))
    assert worker_cards(store, WORKER, now=NOW) == {}
    assert _key(question) in worker_cards(store, WORKER, now=NOW + timedelta(hours=1))


def test_a_question_recorded_under_two_service_items_is_one_answer(store):
    (single,) = _questions(services=1, n=1)
    (double,) = _questions(services=2, n=1)
    _answer(store, single, right=True, at=NOW)
    assert len(_answer(store, double, right=True, at=NOW)) == 2
    cards = worker_cards(store, WORKER, now=NOW)
    assert cards[_key(double)].reviews == 1
    assert cards[_key(double)].due == cards[_key(single)].due


def test_a_regrade_that_supersedes_an_answer_replaces_it_in_the_schedule(store):
    (question,) = _questions(services=1, n=1)
    (wrong_id,) = _answer(store, question, right=False, at=NOW)
    assert _due_keys(store, now=NOW + timedelta(days=1)) == [_key(question)]
    _answer(store, question, right=True, at=NOW + timedelta(minutes=5), supersedes=wrong_id)
    card = worker_cards(store, WORKER, now=NOW + timedelta(days=1))[_key(question)]
    assert card.reviews == 1 and card.last_right
    assert _due_keys(store, now=NOW + timedelta(days=1)) == []


def test_a_question_set_aside_by_a_trainer_leaves_the_schedule(store):
    kept, set_aside = _questions(services=1, n=2)
    _answer(store, kept, right=False, at=NOW)
    _answer(store, set_aside, right=False, at=NOW)
    store.review_item(
        f"quiz:{set_aside[0]}:{set_aside[1]}", action="set_aside", reason="答案键有误", reviewer="T001", at=NOW
    )
    assert _due_keys(store, now=NOW + timedelta(days=1)) == [_key(kept)]


def test_an_erased_worker_has_no_schedule_under_the_old_id(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=False, at=NOW)
    before = worker_cards(store, WORKER, now=NOW)
    pseudonym = store.erase_worker(WORKER, erased_by="T001")
    assert worker_cards(store, WORKER, now=NOW) == {}
    after = worker_cards(store, pseudonym, now=NOW)  # scores and dates stay, under the pseudonym
    assert after[_key(question)].due == before[_key(question)].due


def test_another_workers_answers_do_not_count(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=False, at=NOW, worker="W006")
    assert worker_cards(store, WORKER, now=NOW) == {}
    assert _due_keys(store, now=NOW + timedelta(days=1), worker="W006") == [_key(question)]


def test_two_workers_rows_at_once_are_refused_with_a_message(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=False, at=NOW)
    _answer(store, question, right=False, at=NOW, worker="W006")
    with pytest.raises(ValueError, match="W005、W006"):
        card_states(store.frame(), now=NOW)


def test_a_question_no_longer_in_the_banks_is_never_due(store):
    (question,) = _questions(services=1, n=1)
    _answer(store, question, right=False, at=NOW)
    _answer(store, ("retired-bank", "gone-01", question[2]), right=False, at=NOW)
    cards = worker_cards(store, WORKER, now=NOW)
    assert ("retired-bank", "gone-01") in cards
    assert _due_keys(store, now=NOW + timedelta(days=1)) == [_key(question)]


@pytest.mark.slow
def test_daily_practice_on_the_demo_cohort_serves_due_questions_first(tmp_path):
    from trainkit.demo import run_demo
    from trainkit.roster import load_roster
    from trainkit.widgets import daily_practice

    result = run_demo(tmp_path / "demo", workers=2, say=lambda _: None)
    demo = open_store(f"sqlite:///{result.folder / 'evidence.db'}")
    roster = load_roster(result.folder / "roster.csv")
    now = datetime.now(UTC)
    learners = [w for w in roster.values() if w.worker_id.startswith("D")]
    assert len(learners) == 2
    for worker in learners:
        due = due_today(worker_cards(demo, worker.worker_id, now=now), now=now)
        assert due, f"{worker.worker_id}: the demo's months of self-checks leave questions due"
        practice = daily_practice(worker=worker, store=demo, clock=lambda: now, live=False)
        served = [p.ref for p in practice.picks]
        reviews = min(len(due), 8)  # two of ten places are kept for never-answered questions
        assert served[:reviews] == [c.ref for c in due[:reviews]]
        assert "到了复习时间" in practice.head.value
