"""Erasure that holds: no trace of the person's id or name in any table, the same pseudonym
everywhere, district figures unchanged, and unknown or unauthorised erasures refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from trainkit.aggregate import aggregate
from trainkit.appeals import decide_appeal, file_appeal, list_appeals
from trainkit.cli import main
from trainkit.erasure import CLEARED
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.ratings import load_rating_rules
from trainkit.roster import Worker
from trainkit.schema import metadata

NOW = datetime.now(UTC).replace(tzinfo=None)
TODAY = NOW.date()
ROSTER = {
    w.worker_id: w
    for w in (
        Worker(worker_id="W004", display_name="周海波（示例）", street="示例街道", community="示例二社区"),
        Worker(worker_id="W005", display_name="吴秀兰（示例）", street="示例街道", community="示例三社区"),
        Worker(worker_id="S001", display_name="郑督导（示例）", street="示例街道", supervisor_scope="示例街道"),
        Worker(worker_id="S002", display_name="钱督导（示例）", street="示例街道", supervisor_scope="示例街道"),
    )
}


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def _self_check(store, worker, score, days_ago, **extra):
    store.record(
        worker_id=worker,
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref=f"quiz:q{days_ago}",
        score=score,
        recorded_at=NOW - timedelta(days=days_ago),
        **extra,
    )


def _history(store):
    """W004 answers, hosts a contest for W005, appeals, records W005's appeal; S001 decides both."""
    for days in (1, 2, 3):
        _self_check(store, "W004", 0.5, days)
    _self_check(store, "W004", 1.0, 4, answer={"value": "我是周海波"}, note="周海波的备注")
    _self_check(store, "W005", 1.0, 1, assessor="W004", answer={"value": "抢答"})
    _self_check(store, "W005", 0.0, 2, note="W004 带领的练兵比武")
    own = file_appeal(
        store,
        ROSTER,
        worker_id="W004",
        domain="social_assistance",
        reason="我近期住院，未能参加考核",
        deadline=TODAY,
        recorded_by="S001",
        today=TODAY,
    )
    decide_appeal(
        store,
        ROSTER,
        appeal_id=own,
        decided_by="S001",
        outcome="revised",
        note="周海波（示例）因病缺考，经窗口观察复核",
        score=0.9,
    )
    theirs = file_appeal(
        store,
        ROSTER,
        worker_id="W005",
        domain="elderly",
        reason="申请复核",
        deadline=TODAY,
        recorded_by="W004",
        today=TODAY,
    )
    decide_appeal(store, ROSTER, appeal_id=theirs, decided_by="S001", outcome="upheld", note="与W004核实后维持")


def _all_text(store) -> str:
    """Every value of every table, as one text."""
    with store.engine.connect() as conn:
        return "\n".join(
            str(value) for table in metadata.sorted_tables for row in conn.execute(sa.select(table)) for value in row
        )


def test_no_trace_of_the_id_or_the_name_remains_anywhere(store):
    _history(store)
    scores = sorted(r.score for r in store.rows())
    assert "W004" in _all_text(store) and "周海波" in _all_text(store)
    pseudonym = store.erase_worker("W004", erased_by="S001", display_name="周海波（示例）")
    text = _all_text(store)
    assert "W004" not in text and "周海波" not in text
    assert sorted(r.score for r in store.rows()) == scores
    # the same pseudonym wherever the person stood
    assert {r.worker_id for r in store.rows() if r.assessor == pseudonym} == {"W005"}
    appeals = list_appeals(store)
    assert appeals[0].worker_id == pseudonym and appeals[0].reason == CLEARED and appeals[0].note == CLEARED
    assert appeals[1].recorded_by == pseudonym and appeals[1].note == CLEARED
    assert {r.worker_id for r in store.rows(source="appeal_outcome")} == {pseudonym}


def test_erasing_a_supervisor_replaces_them_as_decider_recorder_and_eraser(store):
    _history(store)
    first = store.erase_worker("W004", erased_by="S001", display_name="周海波（示例）")
    second = store.erase_worker("S001", erased_by="S002", display_name="郑督导（示例）")
    text = _all_text(store)
    assert "S001" not in text and "郑督导" not in text
    assert {a.decided_by for a in list_appeals(store)} == {second}
    with store.engine.connect() as conn:
        erasers = dict(conn.execute(sa.text("SELECT pseudonym, erased_by FROM erasures")).all())
    assert erasers == {first: second, second: "S002"}


def test_unknown_repeated_and_self_erasures_are_refused(store):
    _history(store)
    with pytest.raises(ValueError, match="没有工号 W999 的任何记录"):
        store.erase_worker("W999", erased_by="S001")
    with pytest.raises(ValueError, match="不能清除自己"):
        store.erase_worker("S001", erased_by="S001")
    store.erase_worker("W004", erased_by="S001")
    with pytest.raises(ValueError, match="此前已经清除"):
        store.erase_worker("W004", erased_by="S001")


def test_district_trends_and_question_statistics_are_the_same_after_erasure(store):
    _history(store)
    framework, rules = load_framework(), load_rating_rules()

    def figures():
        agg = aggregate(
            store,
            workers=list(ROSTER),
            as_of=NOW + timedelta(hours=1),
            rules=rules,
            framework=framework,
            with_erased=True,
        )
        return agg.trend, agg.questions, agg.rows

    trend, questions, rows = figures()
    store.erase_worker("W004", erased_by="S001")
    trend_after, questions_after, rows_after = figures()
    pd.testing.assert_frame_equal(trend, trend_after)
    pd.testing.assert_frame_equal(questions, questions_after)
    assert rows == rows_after


def test_the_command_refuses_a_non_supervisor_and_an_unknown_id(tmp_path):
    db = f"sqlite:///{tmp_path / 'e.db'}"
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "worker_id,display_name,street,community,post,supervisor_scope\n"
        "W004,周海波（示例）,示例街道,示例二社区,窗口,\nS001,郑督导（示例）,示例街道,,督导,示例街道\n",
        encoding="utf-8",
    )
    _self_check(open_store(db), "W004", 1.0, 1)
    run = CliRunner().invoke
    refused = run(main, ["evidence", "erase", "W004", "--by", "W004", "--db", db, "--roster", str(roster), "--yes"])
    assert refused.exit_code == 1 and "不是花名册中的督导" in refused.output
    unknown = run(main, ["evidence", "erase", "W404", "--by", "S001", "--db", db, "--roster", str(roster), "--yes"])
    assert unknown.exit_code == 1 and "没有工号 W404" in unknown.output
    done = run(main, ["evidence", "erase", "W004", "--by", "S001", "--db", db, "--roster", str(roster), "--yes"])
    assert done.exit_code == 0, done.output
    assert open_store(db).rows(worker_id="W004") == []
