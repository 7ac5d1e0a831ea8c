"""``trainkit app`` in a real browser: the learning map, a lesson without code, an answer kept."""

from __future__ import annotations

import time

import pytest

from trainkit.lessons import load_lessons
from trainkit.roster import load_roster

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE_MARKS = ("from trainkit", "import ", "quiz(\"", "whoami()", "dibao_calculator()")


def _open_lesson(page, server, dibao):  # noqa: ANN001, ANN202
    from playwright.sync_api import expect

    page.goto(f"{server.base}voila/render/{dibao.notebook}")
    card = dibao.card(page)
    expect(card).to_be_visible(timeout=120_000)
    return card


def _answer(page, server, dibao, recorded):  # noqa: ANN001, ANN202
    from playwright.sync_api import expect

    card = _open_lesson(page, server, dibao)
    card.scroll_into_view_if_needed()
    card.get_by_label(dibao.right_label).check()
    card.get_by_role("button", name="提交").click()
    expect(card).to_contain_text("回答正确")
    deadline = time.monotonic() + 10
    while not (rows := recorded(server, dibao.ref)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return card, rows


def test_home_page_is_the_learning_map_in_chinese(app_server, page, shoot):
    from playwright.sync_api import expect

    page.goto(app_server.base)
    expect(page).to_have_title("学习地图 · 社区工作者“全岗通”学习")
    expect(page.locator("#tk-learner")).to_contain_text(load_roster()["W001"].display_name)
    lessons = load_lessons()
    links = page.locator("#tk-lessons tbody tr td:first-child a")
    expect(links).to_have_count(len(lessons))
    for lesson, link in zip(lessons, links.all(), strict=True):
        assert link.inner_text() == lesson.title
        assert link.get_attribute("href") == f"/voila/render/{lesson.notebook}"
    expect(page.locator("#tk-ratings")).to_contain_text("社会救助")
    shoot(page, "app-home")
    # Voilà's own (English) file tree is not shown to learners
    page.goto(f"{app_server.base}voila/tree")
    expect(page.locator("#tk-lessons")).to_be_visible()


def test_lesson_shows_text_and_widgets_not_code(app_server, page, dibao, shoot):
    from playwright.sync_api import expect

    started = time.monotonic()
    card = _open_lesson(page, app_server, dibao)
    print(f"低保课程打开用时 {time.monotonic() - started:.1f} 秒")
    expect(page.locator("h1").first).to_contain_text(dibao.title)
    expect(page.get_by_role("link", name="← 返回学习地图")).to_be_visible()
    expect(page).to_have_title(dibao.title)
    assert page.locator(".jp-CodeCell").count() > 0
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .jp-InputPrompt").count() == 0
    text = page.locator("#rendered_cells").inner_text()
    for mark in CODE_MARKS:
        assert mark not in text, f"课程页面里出现了代码：{mark}"
    assert "Traceback" not in text and "Error" not in text
    assert "第八条" in text  # the lesson's own text is there
    shoot(page, "app-lesson")
    card.scroll_into_view_if_needed()
    shoot(page, "app-lesson-quiz")


def test_answer_gets_feedback_and_is_recorded(app_server, page, dibao, recorded, shoot):
    from playwright.sync_api import expect

    before = len(recorded(app_server, dibao.ref))
    card, rows = _answer(page, app_server, dibao, recorded)
    shoot(page, "app-answered")
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row.worker_id, row.source, row.score) == ("W001", "self_check", 1.0)
    assert row.answer["value"] == dibao.right_label.split(".")[0]
    # back on the learning map, the lesson is in progress
    page.get_by_role("link", name="← 返回学习地图").click()
    expect(page.locator("#tk-lessons tr", has_text=dibao.title)).to_contain_text("学习中")
    shoot(page, "app-home-progress")


def test_reopened_lesson_restores_the_answer(app_server, page, dibao, recorded, shoot):
    """The tab's state is gone; the lesson, opened again, shows the answer from the evidence."""
    from playwright.sync_api import expect

    if not recorded(app_server, dibao.ref):
        _answer(page, app_server, dibao, recorded)
    page.goto("about:blank")
    card = _open_lesson(page, app_server, dibao)
    card.scroll_into_view_if_needed()
    shoot(page, "app-reopened")
    expect(card.get_by_label(dibao.right_label)).to_be_checked()
    expect(card).to_contain_text("上次作答")
