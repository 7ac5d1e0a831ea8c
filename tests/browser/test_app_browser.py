"""``trainkit app`` in a real browser: the learning map, a lesson without code, an answer kept."""

from __future__ import annotations

import time

import pytest

from trainkit.lessons import load_lessons
from trainkit.roster import load_roster

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE_MARKS = ("from trainkit", "import ", 'quiz("', "whoami()", "dibao_calculator()")


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


def test_first_visit_asks_who_the_learner_is_once(app_server_no_learner, page, shoot):
    from playwright.sync_api import expect

    page.goto(app_server_no_learner.base)
    form = page.locator("#tk-pick")
    expect(form).to_contain_text("第一次使用")
    shoot(page, "app-first-visit")
    form.get_by_label("我的工号").select_option("W002")
    form.get_by_role("button", name="确认").click()
    expect(page.locator("#tk-learner")).to_contain_text(load_roster()["W002"].display_name)
    page.reload()
    expect(page.locator("#tk-learner")).to_contain_text("W002")
    expect(page.locator("#tk-pick")).to_have_count(0)


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
    assert "只在 JupyterLab 中显示" not in text  # the cell tagged lab-only (tests/browser/conftest.py)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
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


def test_daily_practice_opens_from_the_learning_map(app_server, page, shoot):
    from playwright.sync_api import expect

    page.goto(app_server.base)
    link = page.locator("#tk-extra").get_by_role("link", name="每日15分钟")
    if not link.count():
        pytest.skip("课程目录中没有每日15分钟（01-daily-practice.ipynb）")
    link.click()
    expect(page.get_by_role("button", name="开始练习")).to_be_visible(timeout=120_000)
    assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count() == 0
    shoot(page, "app-daily-practice")


def test_closing_the_lesson_tab_shuts_its_kernel_down(app_server, browser, dibao):
    import json
    import urllib.error
    import urllib.request

    context = browser.new_context(locale="zh-CN")
    try:
        tab = context.new_page()
        _open_lesson(tab, app_server, dibao)
        kernel_id = json.loads(tab.locator("#jupyter-config-data").text_content())["kernelId"]
        url = f"{app_server.base}api/kernels/{kernel_id}"
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (loopback)
            assert resp.status == 200
        tab.close(run_before_unload=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=10).close()  # noqa: S310
            except urllib.error.HTTPError as err:
                assert err.code == 404
                return
            time.sleep(0.5)
        pytest.fail(f"关闭课程页 20 秒后内核 {kernel_id} 仍在运行")
    finally:
        context.close()


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


def test_the_home_page_search_finds_a_lesson_and_opens_it(app_server, page, shoot):
    from playwright.sync_api import expect

    lesson = next(x for x in load_lessons() if "高龄津贴" in x.title)
    page.goto(app_server.base)
    expect(page.locator("#tk-due")).to_contain_text("今日待复习")
    box = page.get_by_role("searchbox", name="搜索课程、案例、自测题和法条")
    box.fill("高龄津贴")
    box.press("Enter")
    results = page.locator(".tk-search-results")
    expect(results).to_contain_text("“高龄津贴”的搜索结果")
    expect(page.get_by_role("searchbox")).to_have_value("高龄津贴")
    shoot(page, "app-search")
    results.get_by_role("link", name=lesson.title).first.click()
    expect(page).to_have_url(f"{app_server.base}voila/render/{lesson.notebook}")


def test_every_page_the_app_serves_says_zh_cn(app_server, page, dibao):
    """Simplified Chinese glyph forms need lang="zh-CN" in the page as sent, not only after a script runs."""
    from playwright.sync_api import expect

    sent = page.request.get(f"{app_server.base}voila/render/{dibao.notebook}")
    assert sent.ok and '<html lang="zh-CN">' in sent.text()
    for address in ("voila/render/no-such-lesson.ipynb", "no/such/page"):
        reply = page.request.get(f"{app_server.base}{address}")
        assert reply.status == 404 and '<html lang="zh-CN">' in reply.text(), address
        page.goto(f"{app_server.base}{address}")
        expect(page.locator("h1")).to_have_text("找不到这个页面")
        expect(page.get_by_role("link", name="← 返回学习地图")).to_have_attribute("href", "/")


def test_learning_map_notebook_links_open_lessons_in_the_app(app_server, page, dibao):
    """The learning-map notebook shown by the app (its map is a rendered text/html output):
    a lesson link still opens that lesson's app page."""
    from playwright.sync_api import expect

    page.goto(f"{app_server.base}voila/render/00-learning-map.ipynb")
    link = page.locator(".tk-lessons a.tk-lesson-link", has_text=dibao.title)
    expect(link).to_be_visible(timeout=120_000)
    link.click()
    expect(page).to_have_url(f"{app_server.base}voila/render/{dibao.notebook}")
    expect(dibao.card(page)).to_be_visible(timeout=120_000)


def test_a_lessons_scripts_are_fetched_once_not_on_every_visit(app_server, page, dibao):
    """The extension scripts a lesson loads carry a content hash in their names: the server says
    so (immutable), and the next lesson takes them from the browser's cache (trainkit.lesson_pages)."""
    fetched: list[str] = []
    page.on(
        "requestfinished", lambda request: fetched.append(request.url) if "/labextensions/" in request.url else None
    )
    _open_lesson(page, app_server, dibao)
    assert any("remoteEntry" in url for url in fetched), fetched  # the widget manager's extensions
    assert not [url for url in fetched if "nbgrader" in url or "jupyter-notebook" in url], fetched  # NOT_IN_LESSONS
    for url in fetched:
        reply = page.request.get(url)
        assert reply.ok and "immutable" in reply.headers.get("cache-control", ""), (url, reply.headers)
    reloaded = page.request.get(f"{app_server.base}voila/render/{dibao.notebook}")
    assert "immutable" not in reloaded.headers.get("cache-control", "")  # the lesson page itself is fresh each time
