"""Review scheduled by forgetting: each self-check question's FSRS card, replayed from the evidence.

A worker's card for a question is never stored. It is rebuilt on every read by replaying the
worker's recorded self-check answers to it in time order (one answer = one moment, however many
service items the row is recorded under): fully right is ``Rating.Good``, anything less is
``Rating.Again``. The rows are read the way the ratings read them
(:meth:`EvidenceStore.frame`, then :func:`trainkit.ratings.current_evidence`), so a superseded
answer, an answer to a question set aside by a trainer, and an erased worker's answers drop
out of the schedule as they drop out of the ratings.

The scheduler is the ``fsrs`` package's, with its default weights and two choices for a kit
practised once a day: no minute-long learning steps (a wrong answer comes back the next day,
not in ten minutes) and no random fuzz (the same evidence always gives the same schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from fsrs import Card, Rating, Scheduler

from .evidence import utc_naive

if TYPE_CHECKING:
    import pandas as pd

    from .evidence import EvidenceStore

__all__ = ["COLUMNS", "ReviewCard", "card_states", "due_today", "end_of_day", "scheduler", "worker_cards"]

# What the replay reads of each row (what :func:`trainkit.ratings.current_evidence` needs, and the answer's time).
COLUMNS = ("id", "worker_id", "item_id", "source", "ref", "score", "max_score", "recorded_at", "supersedes")


def scheduler() -> Scheduler:
    """The kit's FSRS scheduler: default weights, whole days only, no fuzz."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class ReviewCard:
    """One question's review state for one worker, as of the last answer replayed."""

    bank_id: str
    item_id: str
    card: Card
    reviews: int
    last_right: bool

    @property
    def ref(self) -> str:
        return f"quiz:{self.bank_id}:{self.item_id}"

    @property
    def due(self) -> datetime:
        """When the question is next due (aware, UTC)."""
        return self.card.due


def _aware(moment: datetime) -> datetime:
    """A stored (naive UTC) or aware time as aware UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def end_of_day(now: datetime) -> datetime:
    """The end of ``now``'s day in the learner's local time (aware, UTC): what is due by then is due today."""
    local = _aware(now).astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo).astimezone(UTC)


def card_states(evidence: pd.DataFrame, *, now: datetime) -> dict[tuple[str, str], ReviewCard]:
    """Each question's card ``{(bank, item): ReviewCard}`` from one worker's evidence rows.

    ``evidence`` holds rows as :meth:`EvidenceStore.frame` gives them (at least :data:`COLUMNS`
    and ``set_aside``); rows of other sources, rows after ``now`` and rows that are not a
    self-check question's answer are left out.
    """
    from .quiz import question_key
    from .ratings import current_evidence

    if evidence.empty:
        return {}
    workers = set(evidence["worker_id"])
    if len(workers) > 1:
        raise ValueError(f"复习安排按一位学员计算，这里混入了 {len(workers)} 个工号：{'、'.join(sorted(workers))}。")
    rows = current_evidence(evidence)
    rows = rows[(rows["source"] == "self_check") & (rows["recorded_at"] <= utc_naive(_aware(now)))]
    # one answer is one moment: a question tagged with two service items is recorded twice at once
    moments: dict[tuple[str, str], dict[datetime, bool]] = {}
    for ref, at, score, top in rows[["ref", "recorded_at", "score", "max_score"]].itertuples(index=False):
        key = question_key(ref)
        if key is None:
            continue
        right = bool(top) and score >= top
        when = _aware(at.to_pydatetime())  # a pandas Timestamp: FSRS gets a plain datetime
        seen = moments.setdefault(key, {})
        seen[when] = seen.get(when, True) and right
    fsrs, out = scheduler(), {}
    for number, (key, answers) in enumerate(sorted(moments.items())):
        card = Card(card_id=number + 1, due=min(answers))  # an id and a due date: Card() would read the clock
        for at in sorted(answers):
            rating = Rating.Good if answers[at] else Rating.Again
            card, _log = fsrs.review_card(card, rating, at)
        out[key] = ReviewCard(key[0], key[1], card, len(answers), answers[max(answers)])
    return out


def worker_cards(store: EvidenceStore, worker_id: str, *, now: datetime) -> dict[tuple[str, str], ReviewCard]:
    """The worker's cards, read from the store as the ratings read it."""
    return card_states(store.frame(worker_id=worker_id, source="self_check", columns=COLUMNS), now=now)


def due_today(
    cards: dict[tuple[str, str], ReviewCard], *, now: datetime, known: set[tuple[str, str]] | None = None
) -> list[ReviewCard]:
    """The cards due by the end of ``now``'s local day, most overdue first.

    ``known`` keeps only questions still in the banks (default: the banks as loaded now).
    """
    if known is None:
        from .quiz import load_banks

        known = {(b.id, i.id) for b in load_banks().values() for i in b.items}
    limit = end_of_day(now)
    due = [c for key, c in cards.items() if key in known and c.due < limit]
    return sorted(due, key=lambda c: (c.due, c.bank_id, c.item_id))
