"""Appeals, supervisor reviews and erasure: records are added, never edited (erasure aside)."""

from datetime import UTC, datetime, timedelta

import pytest

from trainkit.appeals import decide_appeal, file_appeal, list_appeals, record_review
from trainkit.evidence import open_store
from trainkit.ratings import rate
from trainkit.roster import load_roster

NOW = datetime.now(UTC).replace(tzinfo=None)
TODAY = NOW.date()


@pytest.fixture
def store(db_url):
    return open_store(db_url)


@pytest.fixture
def roster():
    return load_roster()  # W001–W005 in 示例街道, S001 supervises 示例街道


def _evidence(store, worker, source, score, days_ago):
    store.record(
        worker_id=worker,
        item_id="dibao_income",
        domain="social_assistance",
        source=source,
        ref=f"{source}:{days_ago}",
        score=score,
        recorded_at=NOW - timedelta(days=days_ago),
    )


def test_a_revised_appeal_adds_evidence_and_changes_the_rating_only_through_it(store, roster):
    for days in range(10, 110, 10):  # ten answers: enough for the rating to be sure once a trainer source counts
        _evidence(store, "W003", "self_check", 1.0, days)
    before = rate(store.frame(worker_id="W003"), as_of=NOW)
    assert before["level"].tolist() == ["needs_improvement"]  # self-check alone caps at 待提高
    appeal_id = file_appeal(
        store,
        roster,
        worker_id="W003",
        domain="social_assistance",
        reason="窗口受理低保已经独立办理半年",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    rows_before = store.rows()
    decided = decide_appeal(
        store,
        roster,
        appeal_id=appeal_id,
        decided_by="S001",
        outcome="revised",
        note="经窗口观察，能独立受理",
        score=0.9,
    )
    assert decided.status == "改变评定" and decided.evidence_id is not None
    rows_after = store.rows()
    assert rows_after[: len(rows_before)] == rows_before  # nothing edited
    new = rows_after[-1]
    assert (new.source, new.score, new.assessor, new.ref) == ("appeal_outcome", 0.9, "S001", f"appeal:{appeal_id}")
    after = rate(store.frame(worker_id="W003"), as_of=datetime.now(UTC) + timedelta(hours=1))
    assert after["level"].tolist() == ["expert"]


def test_an_upheld_appeal_adds_no_evidence(store, roster):
    appeal_id = file_appeal(
        store,
        roster,
        worker_id="W001",
        domain="elderly",
        reason="我认为应为合格",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="upheld", note="证据不足三条")
    assert store.rows() == []
    [appeal] = list_appeals(store, worker_id="W001")
    assert appeal.status == "维持原评定" and appeal.note == "证据不足三条"


def test_appeals_are_refused_late_twice_or_by_someone_without_scope(store, roster):
    with pytest.raises(ValueError, match="公示期已于"):
        file_appeal(
            store,
            roster,
            worker_id="W001",
            domain="elderly",
            reason="x",
            deadline=TODAY,
            recorded_by="S001",
            today=TODAY + timedelta(days=1),
        )
    with pytest.raises(ValueError, match="理由"):
        file_appeal(
            store,
            roster,
            worker_id="W001",
            domain="elderly",
            reason="  ",
            deadline=TODAY,
            recorded_by="S001",
            today=TODAY,
        )
    appeal_id = file_appeal(
        store,
        roster,
        worker_id="W001",
        domain="elderly",
        reason="理由",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    with pytest.raises(ValueError, match="不是负责"):
        decide_appeal(store, roster, appeal_id=appeal_id, decided_by="W002", outcome="upheld", note="x")
    with pytest.raises(ValueError, match="复核得分"):
        decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="revised", note="x")
    decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="upheld", note="维持")
    with pytest.raises(ValueError, match="不能重复处理"):
        decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="upheld", note="再次")


def test_a_supervisor_review_is_trainer_controlled_evidence(store, roster):
    record_review(
        store,
        roster,
        worker_id="W002",
        item_id="longevity_allowance",
        score=0.8,
        reviewer="S001",
        note="陪同入户登记高龄津贴",
    )
    [row] = store.rows(worker_id="W002")
    assert (row.source, row.domain, row.assessor) == ("supervisor_review", "elderly", "S001")
    with pytest.raises(ValueError, match="不是负责"):
        record_review(
            store, roster, worker_id="W002", item_id="longevity_allowance", score=1, reviewer="W001", note="x"
        )


def test_erasure_removes_identity_and_text_but_keeps_every_score(store, roster):
    for days in (1, 2, 3):
        _evidence(store, "W004", "self_check", 0.5, days)
    _evidence(store, "W005", "self_check", 1.0, 1)
    store.record(
        worker_id="W004",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="q",
        score=1,
        answer={"value": "我叫周海波"},
        note="私人备注",
        assessor="W004",
    )
    appeal_id = file_appeal(
        store,
        roster,
        worker_id="W004",
        domain="elderly",
        reason="我家里有困难",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    scores_before = sorted(r.score for r in store.rows())
    pseudonym = store.erase_worker("W004", erased_by="S001")
    rows = store.rows()
    assert sorted(r.score for r in rows) == scores_before  # aggregates unchanged
    assert store.rows(worker_id="W004") == []
    mine = store.rows(worker_id=pseudonym)
    assert len(mine) == 4 and all(r.answer is None and r.note is None and r.assessor != "W004" for r in mine)
    [appeal] = [a for a in list_appeals(store) if a.id == appeal_id]
    assert appeal.worker_id == pseudonym and "困难" not in appeal.reason
    assert len(store.rows(worker_id="W005")) == 1


def test_a_pre_claimed_appeal_key_stops_the_decision_instead_of_faking_it(store, roster):
    """Someone wrote key appeal:N before the supervisor decided: the decision must not claim 改变评定."""
    from trainkit.evidence import EvidenceConflict

    appeal_id = file_appeal(
        store,
        roster,
        worker_id="W003",
        domain="social_assistance",
        reason="复核",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    store.record(
        worker_id="W003",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="quiz:x",
        score=0.0,
        key=f"appeal:{appeal_id}",
    )
    with pytest.raises(EvidenceConflict, match="证据键冲突"):
        decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="revised", note="复核", score=1)
    [appeal] = list_appeals(store, worker_id="W003")
    assert appeal.outcome is None  # no decision without its evidence


def test_who_files_and_who_reviews_are_checked(store, roster):
    with pytest.raises(ValueError, match="登记人 X999 不在花名册中"):
        file_appeal(
            store,
            roster,
            worker_id="W001",
            domain="elderly",
            reason="理由",
            deadline=TODAY,
            recorded_by="X999",
            today=TODAY,
        )
    with pytest.raises(ValueError, match="超过 90 天"):
        file_appeal(
            store,
            roster,
            worker_id="W001",
            domain="elderly",
            reason="理由",
            deadline=TODAY + timedelta(days=3650),
            recorded_by="S001",
            today=TODAY,
        )
    with pytest.raises(ValueError, match="不能评议自己"):
        record_review(
            store, roster, worker_id="S001", item_id="longevity_allowance", score=1, reviewer="S001", note="很好"
        )
    with pytest.raises(ValueError, match="评议意见"):
        record_review(
            store, roster, worker_id="W002", item_id="longevity_allowance", score=1, reviewer="S001", note="  "
        )
    assert store.rows() == []


def test_a_supervisor_cannot_decide_an_appeal_from_a_same_named_street_of_another_district(store, roster):
    roster = {k: w.model_copy(update={"district": "示例东区"}) for k, w in roster.items()}
    west = roster["W003"].model_copy(update={"worker_id": "X001", "district": "示例西区"})
    roster = {**roster, "X001": west}
    appeal_id = file_appeal(
        store,
        roster,
        worker_id="X001",
        domain="elderly",
        reason="理由",
        deadline=TODAY,
        recorded_by="X001",
        today=TODAY,
    )
    with pytest.raises(ValueError, match="不是负责"):
        decide_appeal(store, roster, appeal_id=appeal_id, decided_by="S001", outcome="upheld", note="x")
