"""练兵比武 driven from Python as a trainer would: the setup form, 必答 and 抢答 rounds, the clock,
the scoreboard, and one evidence row per answer for the player who gave it."""

import time

import pytest
from widget_drive import right_answer, wrong_answer

from trainkit.quiz import load_bank
from trainkit.roster import load_roster
from trainkit.widgets import contest
from trainkit.widgets.contest import ContestQuestion, ContestSetupError

PLAYERS = ["W001", "W002", "W003"]
BANK = "social-assistance-dibao"


@pytest.fixture
def game(evidence, clock):
    return contest(
        players=PLAYERS,
        banks=[BANK],
        per_player=1,
        buzz=2,
        seconds=30,
        contest_id="t1",
        store=evidence,
        clock=clock,
        live=False,
        seed=7,
    )


def test_the_setup_form_answers_bad_choices_with_a_message(evidence, clock):
    widget = contest(store=evidence, clock=clock, live=False)
    assert widget.setup.layout.display is None and widget.game.layout.display == "none"
    widget.setup.start_button.click()
    assert "请至少选择一位选手" in widget.setup.message.value
    widget.setup.player_picker.value = ("W001", "W002")
    widget.setup.start_button.click()
    assert "请至少选择一个题库" in widget.setup.message.value
    widget.setup.bank_picker.value = (BANK,)
    for box, typed, says in (
        (widget.setup.per_player_box, "两", "必答每人题数"),
        (widget.setup.per_player_box, "-1", "0 到 20"),
        (widget.setup.buzz_box, "1000", "抢答题数"),
        (widget.setup.seconds_box, "2", "每题限时"),
    ):
        good, box.value = box.value, typed
        widget.setup.start_button.click()
        assert says in widget.setup.message.value and widget.state == "setup"
        box.value = good
    widget.setup.buzz_box.value = "30"
    widget.setup.per_player_box.value = "2"
    widget.setup.start_button.click()
    assert "不够本场需要" in widget.setup.message.value
    widget.setup.buzz_box.value = "3"
    widget.setup.start_button.click()
    assert widget.state == "ready" and widget.game.layout.display is None and len(widget.questions) == 7
    assert widget.setup.message.value == ""


def test_configure_refuses_unknown_players_banks_and_domains(evidence, clock):
    widget = contest(store=evidence, clock=clock, live=False)
    for options, says in (
        ({"players": ["X9"], "banks": [BANK]}, "花名册中没有工号 X9"),
        ({"players": PLAYERS, "banks": ["nope"]}, "没有题库 nope"),
        ({"players": PLAYERS, "domains": ["nowhere"]}, "没有领域 nowhere"),
        ({"players": PLAYERS, "banks": [BANK], "per_player": 0, "buzz": 0}, "至少安排一题"),
    ):
        with pytest.raises(ContestSetupError, match=says):
            widget.configure(**options)
    bad = contest(players=["X9"], banks=[BANK], store=evidence, clock=clock, live=False)  # a message, not a traceback
    assert bad.state == "setup" and "X9" in bad.setup.message.value


def test_a_whole_contest_scores_each_round_and_records_evidence_per_player(game, evidence, clock):
    assert game.state == "ready" and [q.kind for q in game.questions] == ["required"] * 3 + ["buzz"] * 2
    assert [q.player for q in game.questions[:3]] == PLAYERS
    assert all(f"tk-buzz-{p}" in b._dom_classes for p, b in game.buzz_buttons.items())

    q1 = game.next()  # 必答: each player answers their own question
    assert "林晓雨" in game.question_html.value and "答题中" in game.board.value
    game.buzz("W002")
    assert "必答题，不能抢答" in game.message.value
    assert game.answer(right_answer(q1.item)).correct and game.scores["W001"] == 10
    assert game.state == "closed" and "正确答案" in game.question_html.value

    q2 = game.next()
    game.answer(wrong_answer(q2.item))
    assert game.scores["W002"] == 0 and "答错了" in game.message.value

    game.next()
    clock.advance(seconds=31)
    game.tick()  # time is up: 0 for W003, recorded as a timeout
    assert game.state == "closed" and "时间到" in game.message.value and game.scores["W003"] == 0

    q4 = game.next()  # 抢答
    assert game.answer(right_answer(q4.item)) is None and "请先抢答" in game.message.value
    assert game.buzz("W002") and not game.buzz("W003")  # W002 was first
    assert "已经抢到答题权" in game.message.value
    game.answer(wrong_answer(q4.item))
    assert game.scores["W002"] == -5 and game.state == "open"
    assert not game.buzz("W002")  # once per question
    assert game.buzz("W001")
    game.answer(right_answer(q4.item))
    assert game.scores["W001"] == 20 and game.state == "closed" and q4.winner == "W001"

    q5 = game.next()
    for player in ("W003", "W001", "W002"):  # everyone misses: the question closes
        assert game.buzz(player)
        game.answer(wrong_answer(q5.item))
    assert game.state == "closed" and game.scores == {"W001": 15, "W002": -10, "W003": -5}

    assert game.next() is None and game.state == "finished"  # no more questions: the results
    assert [p for p, _, _ in game.standings()] == ["W001", "W003", "W002"]
    results = game.results.value
    assert "比赛结果" in results and "contest:t1" in results and "2 / 3" in results
    assert game.next_button.disabled and game.end_button.disabled

    rows = evidence.rows(source="self_check")
    by_player = {p: [r for r in rows if r.worker_id == p] for p in PLAYERS}
    per = {q.number: len(q.item.items) for q in game.questions}
    assert len(by_player["W001"]) == per[1] + per[4] + per[5]
    assert len(by_player["W002"]) == per[2] + per[4] + per[5]
    assert len(by_player["W003"]) == per[3] + per[5]
    timeout = [r for r in by_player["W003"] if r.ref.split(":")[2] == "q3"]
    assert timeout and all(r.score == 0 and r.answer["timeout"] for r in timeout)
    first = by_player["W001"][0]
    assert first.ref == f"contest:t1:q1:{q1.bank_id}:{q1.item.id}" and first.score == 1.0
    assert first.answer["round"] == "必答" and first.answer["points"] == 10 and first.answer["contest"] == "t1"
    assert first.assessor == "W001"  # the trainer's kernel (TRAINKIT_WORKER) ran it
    assert {r.answer["points"] for r in by_player["W002"] if r.ref.split(":")[2] == "q4"} == {-5}


def test_empty_or_absurd_answers_cost_nothing(game, evidence):
    q = game.next()
    assert game.answer("") is None and "还没有作答" in game.message.value
    game.questions[0] = ContestQuestion(
        1, "required", BANK, next(i for i in load_bank(BANK).items if i.type == "numeric"), player="W001"
    )
    game.next_button.click()  # skip: nobody scores, nothing recorded
    assert game.scores == dict.fromkeys(PLAYERS, 0) and evidence.rows() == [] and q is not None


def test_enter_in_a_number_box_answers_and_late_answers_time_out(evidence, clock):
    numeric = next(i for i in load_bank(BANK).items if i.type == "numeric")
    game = contest(
        players=["W001", "W002"],
        banks=[BANK],
        per_player=1,
        buzz=0,
        seconds=20,
        contest_id="t2",
        store=evidence,
        clock=clock,
        live=False,
        seed=1,
    )
    game.questions = [
        ContestQuestion(1, "required", BANK, numeric, player="W001"),
        ContestQuestion(2, "required", BANK, numeric, player="W002"),
    ]
    game.next()
    game.input.value = "-3"
    assert "负数" in game.message.value and game.state == "open"
    game.input.value = right_answer(numeric)  # Enter
    assert game.scores["W001"] == 10 and game.state == "closed"
    game.next()
    clock.advance(seconds=25)  # no tick: the answer itself is checked
    assert game.answer(right_answer(numeric)) is None
    assert game.scores["W002"] == 0 and game.state == "closed" and "时间到" in game.message.value
    assert [r.answer.get("timeout") for r in evidence.rows(worker_id="W002")] == [True] * len(numeric.items)


def test_the_scoreboard_is_large_and_ends_on_request(game):
    game.next()
    board = game.board.value
    assert "tk-scoreboard" in game.board._dom_classes and "tk-points" in board and "font-size:40px" in board
    assert all(load_roster()[p].display_name in board for p in PLAYERS)
    game.end_button.click()
    assert game.state == "finished" and "比赛结果" in game.results.value
    assert game.answer("A") is None and "没有待回答的题" in game.message.value


def test_the_clock_thread_times_a_question_out_and_records_it(evidence, clock):
    game = contest(
        players=["W001"],
        banks=[BANK],
        per_player=1,
        buzz=0,
        seconds=10,
        contest_id="t3",
        store=evidence,
        clock=clock,
        live=True,
        seed=3,
    )
    game.next()
    clock.advance(seconds=11)  # the thread's next tick sees the time is up
    deadline = time.monotonic() + 5
    while game.state == "open" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert game.state == "closed" and "时间到" in game.message.value
    assert [r.answer["timeout"] for r in evidence.rows(worker_id="W001")] == [True] * len(game.current.item.items)
