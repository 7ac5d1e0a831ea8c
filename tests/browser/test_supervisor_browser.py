"""The supervisor's workbench (03-supervisor.ipynb) in ``trainkit app``: the roster screen checks
an uploaded roster row by row and lists who works where; the query widget answers in Chinese,
in Beijing time; a worker who opens the same page sees only their own records."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.quiz import load_bank
from trainkit.roster import load_roster

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "03-supervisor.ipynb"
BANK = "social-assistance-dibao"
RECORDED = datetime(2026, 11, 20, 17, 5, 9, 123456)  # UTC: in Beijing that is 11-21 01:05
BAD_ROSTER = (
    "工号,姓名,街道,社区,岗位,督导范围\n"
    "W001,林晓雨（示例）,示例街道,示例一社区,综合受理窗口,\n"
    "W 002,赵建国（示例）,示例街道,示例一社区,网格员,\n"
)


@pytest.fixture(scope="module")
def workbench(tmp_path_factory, app_factory):
    """One evidence store with records of W001 and W003; the page served to supervisor S001 and to W001."""
    home = tmp_path_factory.mktemp("supervisor-home")
    db = f"sqlite:///{home / 'evidence.db'}"
    store = open_store(db)
    fw = load_framework()
    assistance = fw.domain("social_assistance")
    rows = [
        {
            "worker_id": worker,
            "item_id": assistance.items[0].id,
            "domain": assistance.id,
            "source": source,
            "ref": f"quiz:{BANK}:{load_bank(BANK).items[i].id}",
            "score": 1.0 if worker == "W001" else 0.5,
            "recorded_at": RECORDED,
        }
        for worker in ("W001", "W003")
        for i, source in enumerate(("self_check", "graded_exercise"))
    ]
    store.record_many(rows)
    store.engine.dispose()
    supervisor = app_factory(worker="S001", home=home)
    worker = app_factory(worker="W001", env={"TRAINKIT_DB": db})
    return supervisor, worker, assistance


def _open(page, server):  # noqa: ANN001, ANN202
    from playwright.sync_api import expect

    page.goto(f"{server.base}voila/render/{NOTEBOOK}")
    expect(page.get_by_role("button", name="查询")).to_be_visible(timeout=120_000)


def _query(page):  # noqa: ANN001, ANN202
    """The output of the query cell (the appeal form below has a 领域 of its own)."""
    return page.locator(".jp-CodeCell", has=page.get_by_role("button", name="查询"))


def _ask(page):  # noqa: ANN001, ANN202
    from playwright.sync_api import expect

    _query(page).get_by_role("button", name="查询").click()
    result = _query(page).locator(".tk", has=page.locator("h4", has_text="证据"))
    expect(result).to_be_visible()
    return result


def _no_raw_text(text: str) -> None:
    for raw in ("NaN", "None", "social_assistance", "self_check", "graded_exercise", "quiz:", "Traceback", "UTC"):
        assert raw not in text, f"页面上出现了 {raw}"


def test_roster_screen_lists_workers_by_street_and_community_and_refuses_a_bad_row(workbench, page, shoot, tmp_path):
    from playwright.sync_api import expect

    supervisor, _worker, _domain = workbench
    _open(page, supervisor)
    # the appeal form above it says there is nothing to decide, rather than showing an empty box
    expect(page.get_by_label("待处理").locator("option:checked")).to_have_text("（目前没有待处理的申诉）")
    expect(page.get_by_role("button", name="作出处理")).to_be_disabled()
    screen = page.locator(".tk", has_text="当前花名册")
    expect(screen).to_be_visible()
    communities = screen.locator("tr td:nth-child(2)").all_inner_texts()
    assert communities == ["示例一社区", "示例二社区", "示例三社区", "（街道）"]  # the roster's order, not 一三二
    row = screen.locator("tr", has_text="示例二社区")
    expect(row).to_contain_text("示例街道")
    expect(row).to_contain_text("孙丽娟（示例）（W003，社会救助岗）")
    expect(screen.locator("tr", has_text="（街道）")).to_contain_text(
        "郑督导（示例）（S001，街道督导，督导：示例街道）"
    )
    expect(screen).to_contain_text("证据库中的工号都在花名册上")
    screen.scroll_into_view_if_needed()
    shoot(page, "supervisor-roster")

    upload = tmp_path / "新花名册.csv"
    upload.write_text(BAD_ROSTER, encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("选择花名册文件")).click()
    chooser.value.set_files(upload)
    problems = page.locator(".tk", has_text="花名册有 1 处问题，没有采用")
    expect(problems).to_be_visible()
    text = problems.inner_text()
    assert "新花名册.csv: 第3行: 工号:" in text and "不能有空格或汉字" in text
    assert "/tmp" not in text and "tmp" not in text  # the uploaded file's name, not where the kit put it
    expect(page.get_by_role("button", name="设为本机花名册")).to_be_disabled()
    problems.scroll_into_view_if_needed()
    shoot(page, "supervisor-roster-bad-row")


def test_query_shows_chinese_titles_and_beijing_time(workbench, page, shoot):
    from playwright.sync_api import expect

    supervisor, _worker, assistance = workbench
    _open(page, supervisor)
    who, domain = _query(page).get_by_label("工作人员"), _query(page).get_by_label("领域")
    expect(who.locator("option:checked")).to_have_text("全部")
    expect(domain.locator("option:checked")).to_have_text("全部领域")
    result = _ask(page)
    text = result.inner_text()
    _no_raw_text(text)
    evidence = result.locator("table").last
    expect(evidence.locator("tbody tr")).to_have_count(4)
    expect(evidence).to_contain_text(assistance.title)
    expect(evidence).to_contain_text(assistance.items[0].title)
    expect(evidence).to_contain_text("自测题")
    expect(evidence).to_contain_text(f"自测题〔{load_bank(BANK).title}〕")  # the question, not its ref
    expect(evidence).to_contain_text("孙丽娟（示例）（W003）")
    times = evidence.locator("tbody tr td:first-child").all_inner_texts()
    assert set(times) == {"2026-11-21 01:05"}, times  # Beijing time, to the minute
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text)
    result.scroll_into_view_if_needed()
    shoot(page, "supervisor-query")


def test_a_worker_sees_only_their_own_records(workbench, page, shoot):
    from playwright.sync_api import expect

    _supervisor, worker, _domain = workbench
    _open(page, worker)
    who = _query(page).get_by_label("工作人员")
    expect(who.locator("option")).to_have_count(1)
    expect(who.locator("option:checked")).to_have_text(f"{load_roster()['W001'].display_name}（W001）")
    expect(page.locator("body")).to_contain_text("您只能查看本人的记录")
    result = _ask(page)
    evidence = result.locator("table").last
    expect(evidence.locator("tbody tr")).to_have_count(2)
    assert "W003" not in result.inner_text() and "孙丽娟" not in result.inner_text()
    shoot(page, "worker-query")


def test_the_workbench_reads_on_a_phone(workbench, browser, shoot):
    supervisor, _worker, _domain = workbench
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(60_000)
    try:
        tab = context.new_page()
        _open(tab, supervisor)
        result = _ask(tab)
        _no_raw_text(result.inner_text())
        shoot(tab, "supervisor-phone", full_page=True)
        domain = _query(tab).get_by_label("领域")
        box = domain.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"手机上“领域”下拉框超出屏幕：{box}"
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"手机上督导工作台横向超出 {overflow} 像素"
    finally:
        context.close()
