"""Item analysis on a hand-worked cohort: discrimination, flags, and setting a question aside."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.item_quality import ItemQualityRules, question_table
from trainkit.ratings import load_rating_rules, rate
from trainkit.report import question_stats

AS_OF = datetime(2025, 7, 1, 12, 0)
RULES = ItemQualityRules(
    group_share=0.27, min_workers=10, low_discrimination=0.2, too_easy=0.95, miskey_discrimination=-0.3
)
WORKERS = [f"W{i:03d}" for i in range(1, 11)]  # W001 weakest … W010 strongest


def cohort() -> pd.DataFrame:
    """Ten workers; four ordinary questions set their strength (W00k answers k−1 of … right).

    - ``key-wrong``: the three strongest miss it, everyone else gets it right;
    - ``easy``: everyone right;
    - ``flat``: right for W002, W004, … (every second worker), unrelated to strength.
    """
    rows = []
    for k, worker in enumerate(WORKERS, start=1):
        for q in range(4):
            right = q < round(k * 0.4)  # W001: 0 of 4 … W010: 4 of 4
            rows.append((worker, f"quiz:b:q{q}", 1.0 if right else 0.0))
        rows.append((worker, "quiz:b:key-wrong", 0.0 if k >= 8 else 1.0))
        rows.append((worker, "quiz:b:easy", 1.0))
        rows.append((worker, "quiz:b:flat", 1.0 if k % 2 == 0 else 0.0))
    frame = pd.DataFrame(rows, columns=["worker_id", "ref", "ratio"])
    return frame.assign(domain="social_assistance", source="self_check")


def test_discrimination_and_flags_are_as_worked_by_hand():
    table = question_table(cohort(), load_framework(), RULES).set_index("ref")
    # groups of floor(10 × 0.27) = 2. Strength = mean on the *other* questions, ties going by 工号 order:
    # for key-wrong the strongest are W009 (5/6), W010 (6/6) and the weakest W001 (1/6), W003 (2/6).
    assert table.loc["quiz:b:key-wrong", "discrimination"] == pytest.approx(0 - 1)  # strong 0/2 right, weak 2/2
    assert table.loc["quiz:b:key-wrong", "strong_miss"] == pytest.approx(1.0)
    assert table.loc["quiz:b:key-wrong", "flags"] == "可能答案有误"
    assert table.loc["quiz:b:easy", "flags"] == "过易"
    assert table.loc["quiz:b:easy", "discrimination"] == pytest.approx(0.0)
    # flat: strongest W009, W010 (5/6 each, W007 too but later by 工号 loses the tie): 1 of 2 right;
    # weakest W001 (2/6), W002 (3/6, tied with W003): 1 of 2 right. D = 0
    assert table.loc["quiz:b:flat", "discrimination"] == pytest.approx(0.0)
    assert table.loc["quiz:b:flat", "flags"] == "区分度低"
    assert table.loc["quiz:b:q3", "flags"] == ""  # separates strong from weak: nothing to say
    assert table.loc["quiz:b:q3", "discrimination"] > RULES.low_discrimination


def test_too_few_workers_are_not_judged():
    few = cohort()
    few = few[few["worker_id"].isin(WORKERS[:9])]  # nine answered: below min_workers
    table = question_table(few, load_framework(), RULES).set_index("ref")
    assert table["flags"].eq("").all() and table["discrimination"].isna().all()


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def _record(store, frame: pd.DataFrame, *, source: str = "self_check") -> None:
    store.record_many(
        {
            "worker_id": r.worker_id,
            "domain": r.domain,
            "item_id": "dibao_income",
            "source": source,
            "ref": r.ref,
            "score": r.ratio,
            "max_score": 1.0,
            "recorded_at": AS_OF - timedelta(days=1),
        }
        for r in frame.itertuples()
    )


def test_a_set_aside_question_counts_toward_no_rating_and_a_restore_counts_it_again(store):
    rules = load_rating_rules()
    _record(store, cohort())
    strongest = lambda: rate(store.frame(), as_of=AS_OF, rules=rules).set_index("worker_id").loc["W010"]  # noqa: E731
    before = strongest()
    store.review_item("quiz:b:key-wrong", action="set_aside", reason="答案键有误", reviewer="T001")
    after = strongest()
    assert after["n_evidence"] == before["n_evidence"] - 1
    assert after["score"] > before["score"]  # the wrongly keyed miss no longer pulls W010 down
    assert len(store.rows()) == 70  # nothing deleted or edited: the answers are still there
    stats = question_stats(store.frame()).set_index("ref")
    assert "quiz:b:key-wrong" in stats.index  # the item analysis still shows it
    store.review_item("quiz:b:key-wrong", action="restore", reason="核对后答案无误", reviewer="T001")
    assert strongest()["score"] == pytest.approx(before["score"])
    assert [r["action"] for r in store.item_reviews()] == ["set_aside", "restore"]


def test_a_set_aside_needs_a_reason_and_a_known_action(store):
    with pytest.raises(ValueError, match="理由"):
        store.review_item("quiz:b:q1", action="set_aside", reason="  ", reviewer="T001")
    with pytest.raises(ValueError, match="未知操作"):
        store.review_item("quiz:b:q1", action="delete", reason="x", reviewer="T001")


def test_a_trainer_finds_the_flagged_question_and_sets_it_aside_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from trainkit.cli import main

    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    store = open_store(url)
    _record(store, cohort())
    run = lambda *args: CliRunner().invoke(main, ["items", *args, "--db", url])  # noqa: E731
    listed = run("flagged")
    assert listed.exit_code == 0, listed.output
    assert "可能答案有误" in listed.output and "quiz:b:key-wrong" in listed.output and "过易" in listed.output
    assert "quiz:b:q3" not in listed.output  # a good question is not listed
    wrong = run("set-aside", "quiz:b:nope", "--reason", "x", "--by", "T001")
    assert wrong.exit_code == 1 and "没有题目编号" in wrong.output
    done = run("set-aside", "quiz:b:key-wrong", "--reason", "答案键有误", "--by", "T001")
    assert done.exit_code == 0 and "已搁置" in done.output
    assert store.set_aside_refs() == {"quiz:b:key-wrong"}
    assert "【已搁置】" in run("flagged").output
    assert "T001 搁置（不计入评定） quiz:b:key-wrong：答案键有误" in run("history").output


def test_the_report_lists_the_flagged_question_for_trainers_and_marks_it_set_aside(tmp_path):
    from openpyxl import load_workbook

    from trainkit.report import build_report
    from trainkit.roster import Worker

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _record(store, cohort())
    roster = {w: Worker(worker_id=w, display_name=f"示例{w}", street="示例街道") for w in WORKERS}
    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    build_report(store, roster, out_html=out, out_xlsx=xlsx, as_of=AS_OF)
    page = out.read_text(encoding="utf-8")
    review = page.split("请培训师复核", 1)[1].split("</div>", 1)[0]
    assert "可能答案有误" in review and "quiz:b:key-wrong" in review and "quiz:b:q3" not in review
    at = AS_OF - timedelta(hours=1)  # a report as of a date uses the decisions taken by then
    store.review_item("quiz:b:key-wrong", action="set_aside", reason="答案键有误", reviewer="T001", at=at)
    build_report(store, roster, out_html=out, out_xlsx=xlsx, as_of=AS_OF)
    assert "可能答案有误；已搁置，不计入评定" in out.read_text(encoding="utf-8")
    sheet = load_workbook(xlsx)["题目分析"]
    header = [c.value for c in sheet[1]]
    assert header[7:10] == ["区分度", "强组答错率", "提示"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[-1] == "quiz:b:key-wrong")
    assert row[7] == -1.0 and row[8] == 1.0 and row[9] == "可能答案有误；已搁置，不计入评定"


def test_the_reports_fast_path_leaves_a_set_aside_question_out_of_ratings_too(tmp_path):
    from trainkit.aggregate import aggregate

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    _record(store, cohort())
    rules, framework = load_rating_rules(), load_framework()

    def strongest():
        agg = aggregate(store, workers=WORKERS, as_of=AS_OF, rules=rules, framework=framework)
        return agg.ratings.set_index("worker_id").loc["W010"], agg

    before, _ = strongest()
    store.review_item("quiz:b:key-wrong", action="set_aside", reason="答案键有误", reviewer="T001", at=AS_OF)
    after, agg = strongest()
    assert after["n_evidence"] == before["n_evidence"] - 1 and after["score"] > before["score"]
    assert "quiz:b:key-wrong" in set(agg.questions["ref"]) and agg.set_aside == {"quiz:b:key-wrong"}


def test_a_question_nobody_gets_right_is_too_hard_not_merely_flat():
    frame = cohort()
    frame.loc[frame["ref"] == "quiz:b:flat", "ratio"] = 0.0  # nobody right
    table = question_table(frame, load_framework(), RULES).set_index("ref")
    assert table.loc["quiz:b:flat", "flags"] == "过难"


def test_fast_orders_and_pairs_equal_numpys_and_pandas_own():
    import numpy as np

    from trainkit.item_quality import _pairs, _stable_order

    rng = np.random.default_rng(7)
    for size, high in [(0, 3), (1, 3), (500, 4), (20_000, 600), (20_000, 10**15)]:  # many ties, none
        key = rng.integers(0, high, size)
        assert np.array_equal(_stable_order(key), np.argsort(key, kind="stable"))
    for rows, size in [(3000, 50), (3000, 10**7)]:  # counted in one array, and hashed
        first, second = rng.integers(0, 40, rows), rng.integers(0, size, rows)
        assert np.array_equal(_pairs(first, second, size), np.sort(pd.unique(first * size + second)))
