"""The appeal packet lists every row behind a rating and reproduces the rating by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from trainkit.appeal_packet import COUNTED, LATER, OUTSIDE, SUPERSEDED, build_packet, render_packet
from trainkit.cli import main
from trainkit.evidence import open_store
from trainkit.roster import load_roster

AS_OF = datetime(2026, 11, 1, 12, 0)


def _rows(store):
    def add(source, score, days_ago, ref, **extra):
        return store.record(
            worker_id="W003",
            item_id="dibao_income",
            domain="social_assistance",
            source=source,
            ref=ref,
            score=score,
            recorded_at=AS_OF - timedelta(days=days_ago),
            **extra,
        )

    first = add("graded_exercise", 0, 10, "exercise:a:n:q1")
    add("graded_exercise", 1, 5, "exercise:a:n:q1", supersedes=first)  # a regrade
    add("self_check", 1, 90, "quiz:b:1")  # weight exactly 0.5
    add("self_check", 0.5, 400, "quiz:b:2")  # outside the 365-day window
    add("self_check", 1, -3, "quiz:b:3")  # after the rating date
    add("supervisor_review", 0.5, 0, "review:dibao_income", assessor="S001")


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    _rows(store)
    return store


def test_each_row_says_what_happened_to_it(store):
    packet = build_packet(store, load_roster()["W003"], "social_assistance", as_of=AS_OF)
    status = dict(zip(packet.rows["ref"] + "#" + packet.rows["id"].astype(str), packet.rows["status"], strict=True))
    assert status == {
        "exercise:a:n:q1#1": SUPERSEDED,
        "exercise:a:n:q1#2": COUNTED,
        "quiz:b:1#3": COUNTED,
        "quiz:b:2#4": OUTSIDE,
        "quiz:b:3#5": LATER,
        "review:dibao_income#6": COUNTED,
    }
    assert packet.rows.set_index("id").loc[1, "replaced_by"] == 2
    assert packet.rows.set_index("id").loc[3, "weight"] == pytest.approx(0.5)


def test_the_steps_reproduce_the_rating_by_hand(store):
    """By hand: weights 2^(-5/90) = 0.962224, 0.5 and 1; (0.962224 + 0.5 + 0.5) / 2.462224 = 79.69 %,
    over 2.462224² / (0.925875 + 0.25 + 1) = 2.79 effective answers; the 90 % Wilson interval
    (z² / n = 0.97103, centre 0.6507, half-width 0.3180) is 33.26 %–96.87 %: it crosses 60 % → 证据不足."""
    packet = build_packet(store, load_roster()["W003"], "social_assistance", as_of=AS_OF)
    text = "\n".join(packet.steps)
    assert "计入 3 条" in text and "权重合计 2.4622" in text and "79.69%" in text
    assert "来源 3 类" in text and "有效证据条数" in text and "2.79" in text
    assert "33.26%–96.87%" in text and packet.level_title == "证据不足"
    page = render_packet(packet)
    assert "由记录 2 取代" in page and "超出评定窗口" in page and 'lang="zh-CN"' in page


def test_the_command_takes_a_chinese_domain_name(store, tmp_path):
    out = tmp_path / "申诉材料.html"
    db = str(store.engine.url)
    result = CliRunner().invoke(
        main, ["appeal", "packet", "W003", "社会救助", "--out", str(out), "--db", db, "--as-of", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    assert "孙丽娟" in out.read_text(encoding="utf-8")
    wrong = CliRunner().invoke(main, ["appeal", "packet", "W003", "救灾", "--out", str(out), "--db", db])
    assert wrong.exit_code == 1 and "可用：" in wrong.output and "救助（social_assistance）" in wrong.output
