"""Residents' follow-up scores (居民回访) as evidence: hand-worked ratings, both read paths, the import."""

import json
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pandas as pd
import pytest

from trainkit.aggregate import aggregate
from trainkit.content import ContentError
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.ratings import load_rating_rules, rate
from trainkit.resident_feedback import import_feedback

AS_OF = datetime(2026, 11, 20, 4)  # noon in Beijing: the time an imported follow-up is dated
HEADER = "工号,服务事项,日期,评分,回访对象编号,备注"


def _rules(**feedback):
    """The shipped rules with weights that do not decay (every row weighs 1) and feedback rules changed."""
    rules = load_rating_rules()
    return rules.model_copy(
        update={
            "half_life_days": 1e12,
            "resident_feedback": rules.resident_feedback.model_copy(update=feedback),
        }
    )


def _frame(learning, feedback=(), *, worker="W001", domain="elderly"):
    """Evidence rows: ``learning`` as (source, ratio); ``feedback`` as (resident, stars 1–5, days before AS_OF)."""
    rows = [
        {"source": source, "ref": f"q{n}", "score": ratio, "max_score": 1.0, "recorded_at": AS_OF}
        for n, (source, ratio) in enumerate(learning)
    ]
    rows += [
        {
            "source": "resident_feedback",
            "ref": f"resident:{resident}",
            "score": stars - 1.0,
            "max_score": 4.0,
            "recorded_at": AS_OF - timedelta(days=days_before),
        }
        for resident, stars, days_before in feedback
    ]
    return pd.DataFrame(
        [
            {
                "id": n + 1,
                "worker_id": worker,
                "domain": domain,
                "item_id": "longevity_allowance",
                "supersedes": None,
                **r,
            }
            for n, r in enumerate(rows)
        ]
    )


# learning evidence worth 0.75: weight 4, weighted sum 3
LEARNING = [("graded_exercise", 1.0), ("graded_exercise", 1.0), ("graded_exercise", 0.5), ("self_check", 0.5)]


def _one(frame, rules):
    rated = rate(frame, as_of=AS_OF, rules=rules)
    assert len(rated) == 1
    return rated.iloc[0]


def test_without_feedback_rules_the_score_is_the_learning_evidence_alone():
    row = _one(
        _frame(LEARNING, [("R1", 5, 0), ("R2", 5, 0), ("R3", 5, 0)]),
        _rules().model_copy(update={"resident_feedback": None}),
    )
    assert row["score"] == pytest.approx(0.75)
    assert row["feedback_n"] == 3 and row["feedback_share"] == 0
    assert "居民回访3条，评定规则未设回访规则，不计入" in row["reason"]


def test_feedback_under_its_cap_counts_at_half_weight():
    # three 5-star records at weight 0.5 each: (3 + 1.5) / (4 + 1.5) = 9/11; share 1.5/5.5 = 3/11 < 50 %
    row = _one(_frame(LEARNING, [("R1", 5, 0), ("R2", 5, 0), ("R3", 5, 0)]), _rules(max_share=0.5))
    assert row["score"] == pytest.approx(9 / 11)
    assert row["feedback_share"] == pytest.approx(3 / 11)
    assert row["feedback_n"] == 3 and row["feedback_mean"] == pytest.approx(1.0)
    assert row["n_evidence"] == 4  # feedback is no learning evidence
    assert row["sources"] == "自测题、考核作业"


def test_the_share_cap_binds():
    # uncapped the feedback would carry 3/11 = 27 % > 20 %: scaled to exactly 20 %, so 0.8 × 0.75 + 0.2 × 1 = 0.80
    row = _one(_frame(LEARNING, [("R1", 5, 0), ("R2", 5, 0), ("R3", 5, 0)]), _rules(max_share=0.2))
    assert row["score"] == pytest.approx(0.80)
    assert row["feedback_share"] == pytest.approx(0.2)
    assert "占权重20%（已达上限）" in row["reason"]


def test_the_cap_also_holds_a_bad_score_down():
    # three 1-star records: 0.8 × 0.75 + 0.2 × 0 = 0.60 (uncapped it would be 3/5.5 = 0.545)
    row = _one(_frame(LEARNING, [("R1", 1, 0), ("R2", 1, 0), ("R3", 1, 0)]), _rules(max_share=0.2))
    assert row["score"] == pytest.approx(0.60)


def test_below_the_minimum_feedback_does_not_count():
    row = _one(_frame(LEARNING, [("R1", 5, 0), ("R2", 5, 0)]), _rules(min_records=3))
    assert row["score"] == pytest.approx(0.75)
    assert row["feedback_n"] == 2 and row["feedback_share"] == 0
    assert "居民回访2条，不足3条，暂不计入" in row["reason"]


def test_one_resident_counts_once_per_worker_with_the_latest_record():
    # R1 said 1 star ten days ago and 5 stars today: only today's counts; with R2's 5 stars two records at
    # weight 0.5 → (3 + 1) / (4 + 1) = 0.80. Were the old record counted too: (3 + 1) / 5.5 = 0.727.
    frame = _frame(LEARNING, [("R1", 1, 10), ("R1", 5, 0), ("R2", 5, 0)])
    row = _one(frame, _rules(min_records=2, max_share=0.5, per_resident=1))
    assert row["feedback_n"] == 2
    assert row["score"] == pytest.approx(0.80)


def test_one_day_counts_at_most_per_day_records():
    # three residents on one day, per_day 2: the two entered last (5 stars each) count → 0.80
    frame = _frame(LEARNING, [("R1", 1, 0), ("R2", 5, 0), ("R3", 5, 0)])
    row = _one(frame, _rules(min_records=2, max_share=0.5, per_day=2))
    assert row["feedback_n"] == 2
    assert row["score"] == pytest.approx(0.80)


def test_feedback_opens_no_gate():
    # perfect self-checks and perfect feedback: still 待提高, for want of trainer evidence
    rules = _rules(max_share=0.5)
    row = _one(_frame([("self_check", 1.0)] * 3, [("R1", 5, 0), ("R2", 5, 0), ("R3", 5, 0)]), rules)
    assert row["level"] == "needs_improvement" and row["sources"] == "自测题"
    # feedback alone: 未评估, and it says so
    alone = _one(_frame([], [("R1", 5, 0), ("R2", 5, 0), ("R3", 5, 0)]), rules)
    assert alone["level"] == "not_assessed" and alone["feedback_n"] == 3
    assert "没有学习与考核证据" in alone["reason"]


# -- both read paths agree ------------------------------------------------------------------


def test_the_report_path_and_the_frame_path_agree_on_feedback(db_url):
    store = open_store(db_url)
    rows = []
    for n in range(240):
        worker = f"W{n % 4:03d}"
        rows.append(
            {
                "worker_id": worker,
                "item_id": ["longevity_allowance", "mediate_neighbors"][n % 2],
                "domain": ["elderly", "mediation"][n % 2],
                "source": ["graded_exercise", "self_check", "supervisor_review"][n % 3],
                "ref": f"q{n % 9}",
                "score": (n * 7 % 10) / 10,
                "recorded_at": AS_OF - timedelta(days=(n * 11) % 300, hours=n % 5),
            }
        )
    for n in range(90):  # residents repeat, several on one day: both caps bind somewhere
        rows.append(
            {
                "worker_id": f"W{n % 4:03d}",
                "item_id": ["longevity_allowance", "mediate_neighbors"][n % 2],
                "domain": ["elderly", "mediation"][n % 2],
                "source": "resident_feedback",
                "ref": f"resident:R{n % 13}",
                "score": float(n % 5),
                "max_score": 4.0,
                "recorded_at": AS_OF - timedelta(days=(n // 6) * 3),
                "key": f"feedback:{n}",
            }
        )
    store.record_many(rows)
    rules, fw = load_rating_rules().model_copy(), load_framework()
    workers = [f"W{n:03d}" for n in range(4)]
    agg = aggregate(store, workers=workers, as_of=AS_OF, rules=rules, framework=fw).ratings
    expected = rate(store.frame(), as_of=AS_OF, rules=rules, framework=fw)
    assert (agg["feedback_share"] > 0).any()
    pd.testing.assert_frame_equal(
        agg.drop(columns=["score", "feedback_mean", "feedback_share"]),
        expected.drop(columns=["score", "feedback_mean", "feedback_share"]),
        check_dtype=False,
    )
    for column in ("score", "feedback_mean", "feedback_share"):
        assert agg[column].fillna(-1).to_numpy() == pytest.approx(expected[column].fillna(-1).to_numpy()), column
    # and on both, feedback moves no score by more than its cap
    plain = rate(store.frame(), as_of=AS_OF, rules=rules.model_copy(update={"resident_feedback": None}), framework=fw)
    moved = (agg.set_index(["worker_id", "domain"])["score"] - plain.set_index(["worker_id", "domain"])["score"]).abs()
    assert moved.max() <= rules.resident_feedback.max_share + 1e-9
    assert moved.max() > 0


# -- the import -----------------------------------------------------------------------------

WORKERS = {"W001", "W002"}
TODAY = date(2026, 11, 20)


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'evidence.db'}")


def _csv(tmp_path, lines, *, encoding="gbk", name="回访.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_a_gbk_sheet_is_imported_as_staff_evidence(store, tmp_path):
    path = _csv(
        tmp_path,
        [
            HEADER,
            "W001,高龄津贴登记,2026-11-03,4,示例-HF-001,讲得很清楚",
            "W002,mediate_neighbors,2026/11/5,1,示例-HF-002,",
        ],
    )
    result = import_feedback(store, path, workers=WORKERS, today=TODAY)
    assert (result.added, result.already, result.problems) == (2, [], [])
    first, second = store.rows(source="resident_feedback")
    assert (first.worker_id, first.item_id, first.domain) == ("W001", "longevity_allowance", "elderly")
    assert (first.score, first.max_score, first.ratio) == (3.0, 4.0, 0.75)  # 4 stars → (4 − 1) ÷ 4
    assert first.recorded_at == datetime(2026, 11, 3, 4)  # noon in Beijing, stored as UTC
    assert first.ref == "resident:示例-HF-001" and first.note == "讲得很清楚" and first.assessor == "import-feedback"
    assert (second.domain, second.ratio, second.note) == ("mediation", 0.0, None)


def test_full_width_digits_typed_with_a_chinese_input_method_are_read_as_digits(store, tmp_path):
    path = _csv(tmp_path, [HEADER, "Ｗ００１,高龄津贴登记,２０２６-１１-０３,３,示例-HF-001,"])
    result = import_feedback(store, path, workers=WORKERS, today=TODAY)
    assert (result.added, result.problems) == (1, [])
    (row,) = store.rows(source="resident_feedback")
    assert (row.worker_id, row.ratio, row.recorded_at.date().isoformat()) == ("W001", 0.5, "2026-11-03")


def test_an_xlsx_sheet_with_ascii_headers_and_excel_dates(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["worker_id", "item", "date", "score", "resident_id", "comment"])
    sheet.append(["W001", "物业纠纷调解", datetime(2026, 10, 8), 5, 1001, None])
    sheet.append([None] * 6)
    sheet.append(["W002", "高龄津贴登记", "2026年10月9日", "3分", "示例-HF-9", "备注"])
    path = tmp_path / "feedback.xlsx"
    book.save(path)
    result = import_feedback(store, path, workers=WORKERS, today=TODAY)
    assert (result.added, result.problems) == (2, [])
    rows = {r.worker_id: r for r in store.rows(source="resident_feedback")}
    assert rows["W001"].ref == "resident:1001" and rows["W001"].ratio == 1.0
    assert rows["W001"].recorded_at == datetime(2026, 10, 8, 4)
    assert rows["W002"].ratio == 0.5 and rows["W002"].recorded_at == datetime(2026, 10, 9, 4)


def test_bad_rows_are_reported_row_by_row_and_the_good_rows_still_go_in(store, tmp_path):
    path = _csv(
        tmp_path,
        [
            HEADER,
            "W001,高龄津贴登记,2026-11-03,5,示例-HF-001,",  # good
            "W404,高龄津贴登记,2026-11-03,5,示例-HF-002,",  # unknown worker
            "W001,广场舞报名,2026-11-03,5,示例-HF-003,",  # unknown item
            "W001,高龄津贴登记,2026-11-21,5,示例-HF-004,",  # tomorrow
            "W001,高龄津贴登记,下周二,5,示例-HF-005,",  # not a date
            "W001,高龄津贴登记,2026-11-03,6,示例-HF-006,",  # not 1–5
            "W001,高龄津贴登记,2026-11-03,4.5,示例-HF-007,",  # not whole
            "W001,高龄津贴登记,2026-11-03,5,,",  # no resident
            "W001,高龄津贴登记,2026-11-03,5,示例-HF-001,又录了一遍",  # same as row 2
            "W002,longevity_allowance,2026-11-04,2,示例-HF-008,",  # good
        ],
    )
    result = import_feedback(store, path, workers=WORKERS, today=TODAY)
    assert result.added == 2
    text = "\n".join(result.problems)
    for expected in (
        "第3行: 工号: 花名册中没有 W404",
        "第4行: 服务事项: “广场舞报名”不是已知的服务事项",
        "第5行: 日期: 2026-11-21 晚于今天（2026-11-20）",
        "第6行: 日期: “下周二”不是日期",
        "第7行: 评分: “6”不是 1 到 5 的整数分",
        "第8行: 评分: “4.5”不是 1 到 5 的整数分",
        "第9行: 回访对象编号: 为空",
        "第10行: 与第2行是同一条回访",
    ):
        assert expected in text
    assert len(result.problems) == 8
    assert all(line.startswith("回访.csv: 第") for line in result.problems)


def test_importing_again_adds_nothing_and_a_changed_score_is_reported(store, tmp_path):
    lines = [HEADER, "W001,高龄津贴登记,2026-11-03,5,示例-HF-001,", "W002,高龄津贴登记,2026-11-04,3,示例-HF-002,"]
    path = _csv(tmp_path, lines)
    assert import_feedback(store, path, workers=WORKERS, today=TODAY).added == 2
    again = import_feedback(store, path, workers=WORKERS, today=TODAY)
    assert (again.added, again.already, again.problems) == (0, [2, 3], [])
    changed = _csv(tmp_path, [*lines[:2], "W002,高龄津贴登记,2026-11-04,4,示例-HF-002,"], name="改过.csv")
    result = import_feedback(store, changed, workers=WORKERS, today=TODAY)
    assert result.added == 0 and result.already == [2]
    assert result.problems == [
        "改过.csv: 第3行: 评分: 这条回访已导入过，当时的评分是 3 分，与本行的 4 分不同；"
        "证据只能追加、不能改写，请核对原始回访记录，本行未导入"
    ]
    assert len(store.rows(source="resident_feedback")) == 2


def test_a_sheet_without_the_needed_columns_is_refused_with_the_header_it_needs(store, tmp_path):
    path = _csv(tmp_path, ["工号,日期,评分", "W001,2026-11-03,5"])
    with pytest.raises(ContentError, match="缺少列 服务事项（item_id）、回访对象编号（resident_id）"):
        import_feedback(store, path, workers=WORKERS, today=TODAY)


def test_the_command_reports_bad_rows_and_exits_non_zero(tmp_path):
    path = _csv(
        tmp_path, [HEADER, "W001,高龄津贴登记,2026-11-03,5,示例-HF-001,", "W001,高龄津贴登记,2026-11-03,9,示例-HF-002,"]
    )
    env = {"TRAINKIT_DB": f"sqlite:///{tmp_path / 'e.db'}", "TRAINKIT_HOME": str(tmp_path / "home")}
    import os

    run = subprocess.run(
        [sys.executable, "-m", "trainkit", "evidence", "import-feedback", str(path), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert run.returncode == 1, run.stderr
    out = json.loads(run.stdout)
    assert out["added"] == 1 and out["problems"] == [
        "回访.csv: 第3行: 评分: “9”不是 1 到 5 的整数分，请按回访记录填写 1、2、3、4 或 5"
    ]
    assert "Traceback" not in run.stderr


# -- comments stay out of every output ------------------------------------------------------

PLANTED = "王阿姨说的悄悄话（不应出现）"


def test_a_comment_appears_in_no_report_nor_the_publication(tmp_path):
    from trainkit.appeal_packet import build_packet, render_packet
    from trainkit.publication import build_publication
    from trainkit.report import build_report
    from trainkit.roster import load_roster

    store = open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
    roster = load_roster()  # the synthetic example roster
    worker = next(iter(roster))
    today = datetime.now().date()
    store.record_many(
        {
            "worker_id": worker,
            "item_id": "longevity_allowance",
            "domain": "elderly",
            "source": source,
            "ref": f"q{n}",
            "score": 1.0,
            "recorded_at": datetime.now() - timedelta(days=n + 1),
        }
        for n, source in enumerate(["graded_exercise", "self_check", "supervisor_review", "graded_exercise"])
    )
    lines = [HEADER] + [
        f"{worker},高龄津贴登记,{(today - timedelta(days=n + 1)).isoformat()},5,示例-HF-{n},{PLANTED}" for n in range(4)
    ]
    result = import_feedback(store, _csv(tmp_path, lines), workers=set(roster))
    assert result.added == 4 and PLANTED in {r.note for r in store.rows(source="resident_feedback")}
    report = build_report(store, roster, out_html=tmp_path / "report.html", out_xlsx=tmp_path / "report.xlsx")
    single = build_report(
        store, {worker: roster[worker]}, out_html=tmp_path / "one.html", out_xlsx=tmp_path / "one.xlsx"
    )
    published = build_publication(store, roster, out_html=tmp_path / "gongshi.html", appeal_days=7)
    packet = render_packet(build_packet(store, roster[worker], "elderly"))
    html = report.html.read_text(encoding="utf-8")
    assert "居民回访" in html and "4 条" in html  # the feedback itself is shown…
    for text in (html, single.html.read_text(encoding="utf-8"), published.read_text(encoding="utf-8"), packet):
        assert PLANTED not in text  # …its comments never
    for book in (report.xlsx, single.xlsx):
        with zipfile.ZipFile(book) as parts:
            for name in parts.namelist():
                assert PLANTED not in parts.read(name).decode("utf-8", errors="replace"), name


# -- the demo cohort ------------------------------------------------------------------------


@pytest.mark.slow
def test_on_the_demo_cohort_feedback_moves_ratings_within_its_cap(tmp_path):
    from trainkit.demo import run_demo

    result = run_demo(tmp_path / "demo", workers=6, say=lambda _: None)
    sheet = (result.folder / "resident-feedback.csv").read_bytes()
    assert "回访对象编号".encode("gb18030") in sheet  # the sheet as an office saves it
    store = open_store(f"sqlite:///{result.folder / 'evidence.db'}")
    rules, fw = load_rating_rules(), load_framework()
    workers = [f"D{n:03d}" for n in range(1, 7)]
    now = datetime.now(UTC)
    with_feedback = aggregate(store, workers=workers, as_of=now, rules=rules, framework=fw).ratings
    without = aggregate(
        store, workers=workers, as_of=now, rules=rules.model_copy(update={"resident_feedback": None}), framework=fw
    ).ratings
    keys = ["worker_id", "domain"]
    moved = (with_feedback.set_index(keys)["score"] - without.set_index(keys)["score"]).dropna().abs()
    cap = rules.resident_feedback.max_share
    assert (moved > 1e-6).sum() >= 1  # feedback moves ratings…
    assert moved.max() <= cap + 1e-9  # …never by more than its share
    assert with_feedback["feedback_share"].max() <= cap + 1e-9
    assert (with_feedback["feedback_n"] > 0).sum() > (
        with_feedback["feedback_share"] > 0
    ).sum()  # some below the minimum
    assert "居民回访" in result.report_html.read_text(encoding="utf-8")


def test_the_shipped_example_sheet_imports_cleanly_against_the_example_roster(store):
    from trainkit.content import casebank_root
    from trainkit.roster import load_roster

    path = casebank_root() / "resident-feedback-example.csv"
    result = import_feedback(store, path, workers=set(load_roster(casebank_root() / "roster-example.csv")), today=TODAY)
    assert (result.added, result.problems) == (7, [])


def test_the_appeal_packet_works_the_feedback_out_by_hand(store):
    from trainkit.appeal_packet import OVER_CAP, build_packet
    from trainkit.roster import load_roster

    learning = [("graded_exercise", 1.0), ("graded_exercise", 1.0), ("graded_exercise", 0.5), ("self_check", 0.5)]
    store.record_many(
        {
            "worker_id": "W001",
            "item_id": "longevity_allowance",
            "domain": "elderly",
            "source": source,
            "ref": f"q{n}",
            "score": ratio,
            "recorded_at": AS_OF,
        }
        for n, (source, ratio) in enumerate(learning)
    )
    stars = [("R1", 1, AS_OF - timedelta(hours=1)), ("R1", 5, AS_OF), ("R2", 5, AS_OF), ("R3", 5, AS_OF)]
    store.record_many(
        {
            "worker_id": "W001",
            "item_id": "longevity_allowance",
            "domain": "elderly",
            "source": "resident_feedback",
            "ref": f"resident:{who}",
            "score": n - 1.0,
            "max_score": 4.0,
            "recorded_at": at,
        }
        for who, n, at in stars
    )
    packet = build_packet(store, load_roster()["W001"], "elderly", as_of=AS_OF)
    text = "\n".join(packet.steps)
    # R1's older record is left out; three 5-star records weigh 1.5 of 5.5 = 27.27 % > 20 %: pressed to
    # 0.2 / 0.8 × 4 = 1, so (3 + 1) / (4 + 1) = 80 %, as the rating says
    assert list(packet.rows["status"]).count(OVER_CAP) == 1
    assert "占 27.27%，超过上限 20%" in text and "= 1.0000" in text
    assert "合并后加权得分率 = 4.0000 ÷ 5.0000 = 80.00%" in text
    rated = rate(store.frame(worker_id="W001"), as_of=AS_OF)
    assert rated.iloc[0]["score"] == pytest.approx(0.80)


def test_an_erased_workers_rows_are_not_imported_again(store, tmp_path):
    path = _csv(
        tmp_path, [HEADER, "W001,高龄津贴登记,2026-11-03,5,示例-HF-001,", "W002,高龄津贴登记,2026-11-03,4,示例-HF-002,"]
    )
    assert import_feedback(store, path, workers=WORKERS, today=TODAY).added == 2
    store.erase_worker("W001", erased_by="S001")
    again = import_feedback(store, path, workers=WORKERS, today=TODAY)  # the roster not yet updated
    assert again.added == 0 and again.already == [3]
    assert again.problems == [
        "回访.csv: 第2行: 工号: W001 的个人信息已按删除请求清除，不再导入此人的回访；请从回访表中删去这一行"
    ]
