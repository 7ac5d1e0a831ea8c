"""A rating a worker can trust: nobody but the right person adds, cancels or changes evidence.

The rating rule (a row supersedes only an earlier row of the same worker, source, ref and
item) is checked on plain frames, on both evidence stores and on the report's fast path.
On PostgreSQL each attack of the review is rerun as a learner and as a trainer, through
the roles the hub deployment grants, and refused; the legitimate paths still work.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from trainkit import pg_integrity
from trainkit.aggregate import aggregate
from trainkit.appeals import decide_appeal, file_appeal
from trainkit.evidence import EvidenceConflict, open_store
from trainkit.framework import load_framework
from trainkit.ratings import RatingRules, current_evidence, rate
from trainkit.roster import Worker
from trainkit.schema import evidence_table

AS_OF = datetime(2026, 11, 1, 12, 0)
RULES = RatingRules(
    explanation="测试用规则",
    half_life_days=90,
    window_days=365,
    min_evidence=3,
    min_source_kinds=2,
    trainer_sources=("graded_exercise", "supervisor_review", "appeal_outcome"),
    thresholds={"competent": 0.6, "skilled": 0.75, "expert": 0.9},
)


def _row(id_, worker, source, ref, score, *, supersedes=None, item="dibao_income", days_ago=10):
    return {
        "id": id_,
        "worker_id": worker,
        "domain": "social_assistance",
        "item_id": item,
        "source": source,
        "ref": ref,
        "score": score,
        "max_score": 1.0,
        "recorded_at": AS_OF - timedelta(days=days_ago),
        "supersedes": supersedes,
    }


def _colleague_rows():
    """W002 is 精通 in 社会救助 on five graded answers and a self-check."""
    rows = [_row(i, "W002", "graded_exercise", f"exercise:a:n:q{i}", 1.0) for i in range(1, 6)]
    return rows + [_row(6, "W002", "self_check", "quiz:q", 1.0)]


def _level(frame: pd.DataFrame, worker: str) -> str:
    rated = rate(frame, as_of=AS_OF, rules=RULES)
    return rated.set_index("worker_id").loc[worker, "level"]


# ── the rule itself ─────────────────────────────────────────────────────────────────────


def test_a_learner_cannot_cancel_a_colleagues_evidence_by_naming_it():
    rows = _colleague_rows()
    attack = [_row(100 + i, "W001", "self_check", f"quiz:x{i}", 1.0, supersedes=i) for i in range(1, 7)]
    frame = pd.DataFrame(rows + attack)
    assert _level(pd.DataFrame(rows), "W002") == "expert"
    assert _level(frame, "W002") == "expert"
    assert len(current_evidence(frame)) == len(frame)


@pytest.mark.parametrize(
    "change",
    [
        {"source": "self_check"},  # another kind of record
        {"ref": "exercise:a:n:other"},  # another question
        {"item": "tekun_support"},  # another service item
    ],
)
def test_a_row_supersedes_only_its_own_kind_of_record(change):
    first = _row(1, "W001", "graded_exercise", "exercise:a:n:q1", 0.0)
    claim = {"source": "graded_exercise", "ref": "exercise:a:n:q1", **change}
    second = _row(2, "W001", claim["source"], claim["ref"], 1.0, supersedes=1, item=change.get("item", "dibao_income"))
    assert current_evidence(pd.DataFrame([first, second]))["id"].tolist() == [1, 2]


def test_a_regrade_supersedes_the_earlier_grade_and_not_the_reverse():
    first = _row(1, "W001", "graded_exercise", "exercise:a:n:q1", 0.0)
    regrade = _row(2, "W001", "graded_exercise", "exercise:a:n:q1", 1.0, supersedes=1)
    assert current_evidence(pd.DataFrame([first, regrade]))["id"].tolist() == [2]
    backwards = _row(1, "W001", "graded_exercise", "exercise:a:n:q1", 0.0, supersedes=2)
    later = _row(2, "W001", "graded_exercise", "exercise:a:n:q1", 1.0)
    assert current_evidence(pd.DataFrame([backwards, later]))["id"].tolist() == [1, 2]


def test_the_report_fast_path_applies_the_same_rule(tmp_path):
    """Rows written behind the kit's back (a hand-edited SQLite file) cannot cancel a colleague either."""
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    with store.engine.begin() as conn:
        conn.execute(evidence_table.insert(), _colleague_rows())
        conn.execute(
            evidence_table.insert(),
            [_row(100 + i, "W001", "self_check", f"quiz:x{i}", 1.0, supersedes=i) for i in range(1, 7)],
        )
    agg = aggregate(store, workers=["W001", "W002"], as_of=AS_OF, rules=RULES, framework=load_framework())
    levels = agg.ratings.set_index(["worker_id", "domain"])["level"]
    assert levels[("W002", "social_assistance")] == "expert"
    assert agg.current == agg.rows == 12


def test_the_store_refuses_a_supersession_of_another_kind_of_record(db_url):
    store = open_store(db_url)
    theirs = store.record(
        worker_id="W002",
        item_id="dibao_income",
        domain="social_assistance",
        source="graded_exercise",
        ref="exercise:a:n:q1",
        score=1.0,
    )
    with pytest.raises(EvidenceConflict, match=f"记录 {theirs} 不是工号 W001"):
        store.record(
            worker_id="W001",
            item_id="dibao_income",
            domain="social_assistance",
            source="graded_exercise",
            ref="exercise:a:n:q1",
            score=0.0,
            supersedes=theirs,
        )
    assert len(store.rows()) == 1


# ── PostgreSQL: the hub's roles ────────────────────────────────────────────────────────


class Roles:
    """A learner group with two learners and a staff group with one trainer, unique to one test."""

    def __init__(self, url: str):
        tag = uuid.uuid4().hex[:8]
        self.url = url
        self.learner_group, self.staff_group = f"tk_learner_{tag}", f"tk_staff_{tag}"
        self.alice, self.bob, self.trainer = f"tk_w1_{tag}", f"tk_w2_{tag}", f"tk_t1_{tag}"
        self.store = open_store(url)  # creates the tables and installs the guards, as their owner
        admin = self.store.engine
        with admin.begin() as conn:
            for group in (self.learner_group, self.staff_group):
                conn.execute(sa.text(f'CREATE ROLE "{group}" NOLOGIN'))
                conn.execute(sa.text(f'GRANT "{group}" TO CURRENT_USER'))  # so that the test may drop it
            for member, group in (
                (self.alice, self.learner_group),
                (self.bob, self.learner_group),
                (self.trainer, self.staff_group),
            ):
                conn.execute(sa.text(f'CREATE ROLE "{member}" NOLOGIN IN ROLE "{group}"'))
                conn.execute(sa.text(f'GRANT "{member}" TO CURRENT_USER'))
            pg_integrity.grant_roles(conn, learner=self.learner_group, staff=self.staff_group)

    def url_as(self, role: str) -> str:
        return f"{self.url}%20-crole%3D{role}"

    def run_as(self, role: str, sql: str, **params):
        with self.store.engine.begin() as conn:
            conn.execute(sa.text(f'SET LOCAL ROLE "{role}"'))
            return conn.execute(sa.text(sql), params)

    def drop(self) -> None:
        self.store.engine.dispose()
        admin = sa.create_engine(self.url)
        with admin.begin() as conn:
            for role in (self.alice, self.bob, self.trainer, self.learner_group, self.staff_group):
                conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
                conn.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


@pytest.fixture
def roles(pg_url):
    made = Roles(pg_url)
    yield made
    made.drop()


INSERT = (
    "INSERT INTO evidence (worker_id, domain, item_id, source, ref, score, max_score, recorded_at, "
    "assessor, supersedes, key) VALUES (:worker, 'social_assistance', 'dibao_income', :source, :ref, "
    ":score, 1, now(), :assessor, :supersedes, :key) RETURNING id"
)


def _insert(
    roles: Roles,
    role: str,
    *,
    worker: str,
    source: str = "self_check",
    ref: str = "quiz:q",
    score: float = 1.0,
    assessor: str | None = None,
    supersedes: int | None = None,
    key: str | None = None,
) -> int:
    return roles.run_as(
        role,
        INSERT,
        worker=worker,
        source=source,
        ref=ref,
        score=score,
        assessor=assessor,
        supersedes=supersedes,
        key=key,
    ).scalar()


def _bob_is_expert(roles: Roles) -> list[int]:
    ids = [
        _insert(
            roles,
            roles.trainer,
            worker=roles.bob,
            source="graded_exercise",
            ref=f"exercise:a:n:q{i}",
            assessor="nbgrader-autograde",
        )
        for i in range(5)
    ]
    ids.append(_insert(roles, roles.bob, worker=roles.bob))
    return ids


def _bob_level(roles: Roles) -> str:
    frame = roles.store.frame(worker_id=roles.bob)
    rated = rate(frame, as_of=datetime.now() + timedelta(minutes=1), rules=RULES)
    return rated["level"].tolist()[0]


refused = pytest.raises(sa.exc.DBAPIError)


@pytest.mark.postgres
def test_a_learner_adds_their_own_self_check_and_sees_only_their_own_rows(roles):
    _bob_is_expert(roles)
    mine = _insert(roles, roles.alice, worker=roles.alice, assessor=roles.alice)
    seen = roles.run_as(roles.alice, "SELECT id FROM evidence").scalars().all()
    assert seen == [mine]


@pytest.mark.postgres
def test_a_learner_cannot_supersede_a_colleagues_rows(roles):
    bobs = _bob_is_expert(roles)
    assert _bob_level(roles) == "expert"
    for target in bobs:
        with refused:
            _insert(roles, roles.alice, worker=roles.alice, ref=f"quiz:x{target}", supersedes=target)
    assert _bob_level(roles) == "expert"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "key", ["nbgrader:{bob}:exercise:a:n:q9:dibao_income:1/1:after:-", "appeal:1", "review:dibao_income", "anything"]
)
def test_a_learner_cannot_claim_a_key(roles, key):
    with refused:
        _insert(roles, roles.alice, worker=roles.alice, key=key.format(bob=roles.bob))


@pytest.mark.postgres
@pytest.mark.parametrize("source", ["graded_exercise", "supervisor_review", "appeal_outcome", "resident_feedback"])
def test_a_learner_cannot_write_trainer_controlled_evidence(roles, source):
    with refused:
        _insert(roles, roles.alice, worker=roles.alice, source=source)


@pytest.mark.postgres
def test_a_learner_cannot_write_for_a_colleague_or_in_another_name(roles):
    with refused:
        _insert(roles, roles.alice, worker=roles.bob)
    with refused:
        _insert(roles, roles.alice, worker=roles.alice, assessor=roles.trainer)


@pytest.mark.postgres
@pytest.mark.parametrize("role", ["trainer", "alice"])
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evidence SET score = 0",
        "DELETE FROM evidence",
        "TRUNCATE evidence",
        "UPDATE appeals SET reason = 'x'",
        "DELETE FROM appeal_decisions",
        "UPDATE item_reviews SET action = 'restore'",
        "DELETE FROM item_reviews",
    ],
)
def test_nobody_updates_or_deletes(roles, role, sql):
    _bob_is_expert(roles)
    with refused:
        roles.run_as(getattr(roles, role), sql)
    assert _bob_level(roles) == "expert"


REVIEW = (
    "INSERT INTO item_reviews (ref, action, reason, reviewer, recorded_at) "
    "VALUES ('exercise:a:n:q0', 'set_aside', '我答错了', :who, now())"
)


@pytest.mark.postgres
def test_a_learner_cannot_set_aside_a_question_but_a_trainer_can(roles):
    _bob_is_expert(roles)
    with refused:
        roles.run_as(roles.alice, REVIEW, who=roles.alice)
    assert roles.store.set_aside_refs() == frozenset()
    roles.run_as(roles.trainer, REVIEW, who=roles.trainer)
    assert roles.store.set_aside_refs() == {"exercise:a:n:q0"}
    assert roles.run_as(roles.alice, "SELECT count(*) FROM item_reviews").scalar() == 1  # learners read decisions


@pytest.mark.postgres
def test_not_even_the_owner_edits_evidence_outside_erasure(roles):
    _bob_is_expert(roles)
    with refused, roles.store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE evidence SET score = 0"))
    assert _bob_level(roles) == "expert"


@pytest.mark.postgres
def test_a_trainer_supersedes_only_the_same_workers_same_question(roles):
    bobs = _bob_is_expert(roles)
    with refused:  # a grade of Alice's cannot replace one of Bob's
        _insert(
            roles,
            roles.trainer,
            worker=roles.alice,
            source="graded_exercise",
            ref="exercise:a:n:q0",
            supersedes=bobs[0],
        )
    regrade = _insert(
        roles,
        roles.trainer,
        worker=roles.bob,
        source="graded_exercise",
        ref="exercise:a:n:q0",
        score=0.0,
        supersedes=bobs[0],
    )
    ids = current_evidence(roles.store.frame(worker_id=roles.bob))["id"].tolist()
    assert regrade in ids and bobs[0] not in ids


@pytest.mark.postgres
def test_a_revised_appeal_decided_by_staff_adds_evidence(roles):
    _bob_is_expert(roles)
    roster = {
        roles.bob: Worker(worker_id=roles.bob, display_name="钱小满（虚构）", street="示例街道"),
        roles.trainer: Worker(
            worker_id=roles.trainer, display_name="督导（虚构）", street="示例街道", supervisor_scope="示例街道"
        ),
    }
    staff = open_store(roles.url_as(roles.trainer))
    today = datetime.now().date()
    appeal = file_appeal(
        staff,
        roster,
        worker_id=roles.bob,
        domain="social_assistance",
        reason="复核",
        deadline=today,
        recorded_by=roles.trainer,
        today=today,
    )
    decided = decide_appeal(
        staff, roster, appeal_id=appeal, decided_by=roles.trainer, outcome="revised", note="复核后改为满分", score=1.0
    )
    assert decided.evidence_id in [r.id for r in staff.rows(worker_id=roles.bob)]
    staff.engine.dispose()


@pytest.mark.postgres
def test_only_staff_may_erase_and_only_through_the_function(roles):
    _bob_is_expert(roles)
    args = "'x', 'erased-x', '%x%', '%x%', '-', now()::timestamp, 'y', 'h'"
    with refused:
        roles.run_as(roles.alice, f"SELECT trainkit_erase({args})")
    staff = open_store(roles.url_as(roles.trainer))
    pseudonym = staff.erase_worker(roles.bob, erased_by=roles.trainer)
    assert staff.rows(worker_id=roles.bob) == []
    assert len(staff.rows(worker_id=pseudonym)) == 6
    staff.engine.dispose()
