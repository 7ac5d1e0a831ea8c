"""The supervisor's report: offline HTML in Chinese, escaped data, an Excel without formulas."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from importlib import resources

import openpyxl
import pytest

from trainkit.content import casebank_root
from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.report import build_report, question_stats
from trainkit.roster import Worker

AS_OF = datetime(2025, 7, 1, 12, 0)
HOSTILE_NAME = "<script>alert(1)</script>"


def worker(worker_id, name, community="示例一社区"):
    return Worker(worker_id=worker_id, display_name=name, street="示例街道", community=community, post="综合受理窗口")


@pytest.fixture
def roster():
    return {
        "W001": worker("W001", "林晓雨（示例）"),
        "W002": worker("W002", "赵建国（示例）"),
        "W003": worker("W003", HOSTILE_NAME, community='=HYPERLINK("x")'),
    }


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    yield store
    store.engine.dispose()


def add(store, *, worker, domain, source, ratio, days_ago=1, ref="q1"):
    item = load_framework().domain(domain).items[0].id
    return store.record(
        worker_id=worker,
        domain=domain,
        item_id=item,
        source=source,
        ref=ref,
        score=ratio,
        recorded_at=AS_OF - timedelta(days=days_ago),
    )


def make_full_post(store, worker_id):
    """Evidence that makes a worker proficient in every domain, spread over two months: six answers
    each, enough for the 90 % interval to clear the 合格 line."""
    for domain in load_framework().domains:
        for days_ago, source in (
            (40, "self_check"),
            (30, "self_check"),
            (20, "graded_exercise"),
            (10, "graded_exercise"),
            (5, "supervisor_review"),
            (2, "supervisor_review"),
        ):
            add(
                store,
                worker=worker_id,
                domain=domain.id,
                source=source,
                ratio=1.0,
                days_ago=days_ago,
                ref=f"{domain.id}-q1",
            )


@pytest.fixture
def report(tmp_path, store, roster):
    make_full_post(store, "W001")
    for ref, ratio in (("=cmd|' /C calc'!A0", 0.0), ("dibao-easy", 1.0)):
        for who in ("W002", "W003"):
            add(store, worker=who, domain="social_assistance", source="self_check", ratio=ratio, ref=ref)
    summary = build_report(
        store, roster, out_html=tmp_path / "out" / "report.html", out_xlsx=tmp_path / "out" / "report.xlsx", as_of=AS_OF
    )
    return summary, summary.html.read_text(encoding="utf-8")


def test_summary_counts(report):
    summary, _ = report
    assert (summary.workers, summary.domains, summary.full_post) == (3, 12, 1)
    assert summary.evidence_rows == 12 * 6 + 4
    assert summary.html.is_file() and summary.xlsx.is_file()


def test_html_names_every_worker_and_every_domain(report, roster):
    _, html = report
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in html
    for w in roster.values():
        if w.display_name != HOSTILE_NAME:
            assert w.display_name in html
    for domain in load_framework().domains:
        assert domain.title in html
    for heading in ("概览", "能力矩阵", "趋势", "差距与建议", "题目分析", "评定规则说明"):
        assert f"<h2>{heading}</h2>" in html


def test_matrix_row_per_worker_with_a_cell_per_domain(report):
    _, html = report
    matrix = html.split('<table class="matrix">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(W\d+)</td>(.*?)</tr>", matrix, flags=re.S)
    assert [worker_id for worker_id, _ in rows] == ["W001", "W002", "W003"]
    for _, cells in rows:
        assert len(re.findall(r'<td class="lv lv-', cells)) == 12
    assert rows[0][1].count("未评估") == 0 and '<td class="yes">是</td>' in rows[0][1]
    assert rows[1][1].count("未评估") == 12 and '<td class="no">否</td>' in rows[1][1]


def test_html_is_self_contained(report):
    _, html = report
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, flags=re.I)
    assert "<script src" not in html.lower() and "<link" not in html.lower()
    assert "@import" not in html and "url(" not in html
    assert "@media print" in html
    assert "<svg" in html and "平均得分率" in html and "月份" in html


def test_hostile_strings_are_escaped(report):
    _, html = report
    assert HOSTILE_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # only the inline print helper: open details to print


def test_trend_is_one_small_chart_per_domain_on_one_scale(report):
    _, html = report
    section = html.split('<section id="trend">')[1].split("</section>")[0]
    charts = section.split("<figure")[1:]
    assert len(charts) == 12  # every domain its own chart: twelve lines in one cannot be read
    for chart in charts:
        assert chart.count("<polyline") == 1 and "合格线 60%" in chart
        assert "2025-05" in chart and "2025-06" in chart  # the same months on every chart
    titles = [c.split("<b>")[1].split("</b>")[0] for c in charts]
    from trainkit.framework import load_framework

    assert titles == [d.title for d in load_framework().domains]


def test_question_analysis_lists_the_most_missed_first(report):
    _, html = report
    section = html.split('<section id="questions">')[1].split("</section>")[0]
    assert section.index("=cmd|") < section.index("dibao-easy")


def test_question_analysis_shows_the_question_and_a_bar_of_the_right_answers(tmp_path, store, roster):
    from trainkit.quiz import load_bank

    bank = load_bank("social-assistance-dibao")
    item = bank.items[0]
    ref = f"quiz:{bank.id}:{item.id}"
    for who, ratio in (("W001", 1.0), ("W002", 0.0), ("W003", 0.0), ("W003", 0.0)):
        add(store, worker=who, domain="social_assistance", source="self_check", ratio=ratio, ref=ref)
    summary = build_report(store, roster, out_html=tmp_path / "r.html", out_xlsx=tmp_path / "r.xlsx", as_of=AS_OF)
    section = summary.html.read_text(encoding="utf-8").split('<section id="questions">')[1].split("</section>")[0]
    row = next(r for r in section.split("<tr>") if ref in r)
    assert item.prompt[:12] in row and bank.title in row  # the question, not only its id
    assert 'class="bar" style="width: 15.0px"' in row and "25%" in row  # 1 of 4 right: a quarter of the bar
    sheet = openpyxl.load_workbook(summary.xlsx)["题目分析"]
    headers = [c.value for c in sheet[1]]
    texts = [row[headers.index("题目")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(item.prompt in str(t) for t in texts)


def test_question_stats_counts_attempts_and_correct_rate(store):
    for who, ratio in (("W001", 1.0), ("W002", 0.0), ("W003", 0.0)):
        add(store, worker=who, domain="employment", source="self_check", ratio=ratio, ref="hard")
    add(store, worker="W001", domain="employment", source="self_check", ratio=1.0, ref="easy")
    stats = question_stats(store.frame())
    assert list(stats["ref"]) == ["hard", "easy"]
    hard = stats.iloc[0]
    assert (hard["attempts"], hard["workers"]) == (3, 3)
    assert hard["correct_rate"] == pytest.approx(1 / 3)
    assert hard["domains"] == "社区就业"


def test_per_worker_details_are_collapsed(report, roster):
    _, html = report
    section = html.split('<section id="workers"')[1].split("</section>")[0]
    assert section.count("<details>") == len(roster)
    assert "<details open" not in section
    assert "全岗通" in section.split("</summary>")[0]


def test_workbook_has_chinese_sheets_and_no_formulas(report):
    summary, _ = report
    book = openpyxl.load_workbook(summary.xlsx)
    assert {"能力矩阵", "评定明细", "题目分析", "趋势"} <= set(book.sheetnames)
    matrix = book["能力矩阵"]
    headers = [c.value for c in matrix[1]]
    assert headers[:2] == ["工号", "姓名"] and "全岗通" in headers
    assert all(d.title in headers for d in load_framework().domains)
    assert matrix.max_row == 1 + 3
    assert book["评定明细"].max_row == 1 + 3 * 12
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert '=HYPERLINK("x")' in values and "=cmd|' /C calc'!A0" in values
    assert HOSTILE_NAME in values


def test_gaps_suggest_lessons_from_the_catalogue(tmp_path, store, roster, monkeypatch):
    bank = tmp_path / "bank"
    bank.mkdir()
    for name in ("framework.yaml", "rating-rules.yaml"):
        shutil.copy(casebank_root() / name, bank / name)
    (bank / "lessons").mkdir()
    (bank / "lessons" / "employment-basics.yaml").write_text(
        "{id: employment-basics, order: 110, title: 失业登记与就业援助, domain: employment,"
        " notebook: 20-employment.ipynb, minutes: 30, items: [unemployment_registration]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(bank))
    add(store, worker="W002", domain="employment", source="self_check", ratio=0.2)
    summary = build_report(store, roster, out_html=tmp_path / "r.html", as_of=AS_OF)
    html = summary.html.read_text(encoding="utf-8")
    gaps = html.split('<section id="gaps">')[1].split("</section>")[0]
    assert "《失业登记与就业援助》" in gaps
    assert summary.xlsx is None


def test_report_without_evidence_still_lists_everyone(tmp_path, store, roster):
    summary = build_report(store, roster, out_html=tmp_path / "r.html", as_of=AS_OF)
    html = summary.html.read_text(encoding="utf-8")
    assert (summary.evidence_rows, summary.full_post) == (0, 0)
    assert "暂无证据" in html and "林晓雨（示例）" in html


def test_evidence_after_as_of_is_left_out(tmp_path, store, roster):
    add(store, worker="W001", domain="employment", source="self_check", ratio=1.0, days_ago=-1)
    summary = build_report(store, roster, out_html=tmp_path / "r.html", as_of=AS_OF)
    assert summary.evidence_rows == 0


def test_empty_roster_is_refused(tmp_path, store):
    with pytest.raises(ValueError, match="花名册为空"):
        build_report(store, {}, out_html=tmp_path / "r.html")


def test_template_ships_inside_the_package():
    template = resources.files("trainkit").joinpath("templates").joinpath("report.html.j2")
    assert template.is_file()


def test_workbook_sheets_filter_and_fit_their_columns(report):
    summary, _ = report
    book = openpyxl.load_workbook(summary.xlsx)
    matrix = book["能力矩阵"]
    assert matrix.auto_filter.ref and matrix.auto_filter.ref.startswith("A1:")
    widths = {
        matrix.cell(row=1, column=c).value: matrix.column_dimensions[openpyxl.utils.get_column_letter(c)].width
        for c in range(1, matrix.max_column + 1)
    }
    assert widths["姓名"] >= 2 * len("林晓雨（示例）")  # a Chinese name fits
    questions = book["题目分析"]
    assert questions.column_dimensions["A"].width <= 60  # long question texts are capped


def test_a_high_score_without_trainer_evidence_reads_missing_assessment_not_low(tmp_path, store, roster):
    for days in (1, 2, 3):
        add(
            store,
            worker="W001",
            domain="social_assistance",
            source="self_check",
            ratio=1.0,
            days_ago=days,
            ref=f"a{days}",
        )
    for days in range(1, 13):  # twelve answers: enough for the interval to stay below the line
        add(
            store,
            worker="W002",
            domain="social_assistance",
            source="self_check",
            ratio=0.3,
            days_ago=days,
            ref=f"a{days}",
        )
    summary = build_report(store, roster, out_html=tmp_path / "r.html", out_xlsx=tmp_path / "r.xlsx", as_of=AS_OF)
    matrix = summary.html.read_text(encoding="utf-8").split('class="matrix"')[1].split("</table>")[0]
    rows = {r.split("</td>")[0].split(">")[-1]: r for r in matrix.split("<tr>")[1:]}
    assert "lv-untested" in rows["W001"] and "缺考核" in rows["W001"] and "只有自测证据" in rows["W001"]
    assert "lv-untested" not in rows["W002"] and "缺考核" not in rows["W002"] and "待提高" in rows["W002"]
    sheet = openpyxl.load_workbook(summary.xlsx)["能力矩阵"]
    headers = [c.value for c in sheet[1]]
    by_id = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    column = headers.index(load_framework().domain("social_assistance").title)
    assert by_id["W001"][column] == "待提高（缺考核）" and by_id["W002"][column] == "待提高"


def test_the_rating_dates_month_is_marked_as_partial(tmp_path, store, roster):
    """A report on 4 December: December's average covers four days and must not read as a dip."""
    as_of = datetime(2026, 12, 4, 12, 0)
    for days_ago, ratio in ((40, 1.0), (1, 0.2)):
        store.record(
            worker_id="W001",
            domain="social_assistance",
            item_id="dibao_income",
            source="self_check",
            ref="q",
            score=ratio,
            recorded_at=as_of - timedelta(days=days_ago),
        )
    summary = build_report(store, roster, out_html=tmp_path / "r.html", out_xlsx=tmp_path / "r.xlsx", as_of=as_of)
    html = summary.html.read_text(encoding="utf-8")
    assert "2026-12*" in html and "2026-12*（截至4日）" in html and "2026-10*" not in html
    trend = openpyxl.load_workbook(summary.xlsx)["趋势"]
    assert "2026-12（截至4日）" in [row[0] for row in trend.iter_rows(min_row=2, values_only=True)]
