"""JupyterLab in a real browser: Chinese menus, and the 低保 lesson's self-check writing evidence."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MENUS = ("文件", "编辑", "查看", "运行", "内核", "设置", "帮助")


def _run_all_cells(page) -> None:  # noqa: ANN001
    """运行 → 运行所有单元格. Clicked before the kernel's session is connected, JupyterLab runs
    nothing, so the click is repeated until the first code cell shows an execution count."""
    from playwright.sync_api import expect

    first_prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").first
    for _attempt in range(4):
        page.locator("#jp-MainMenu").get_by_text("运行", exact=True).click()
        page.locator(".lm-Menu").get_by_text("运行所有单元格", exact=True).click()
        try:
            expect(first_prompt).to_have_text(re.compile(r"\[[0-9*]+\]"), timeout=15_000)
            return
        except AssertionError:
            continue
    pytest.fail("JupyterLab 没有运行课程的单元格（内核未就绪？）")


def test_lab_menus_are_chinese(lab_server, page, shoot):
    from playwright.sync_api import expect

    page.goto(lab_server.url("lab"))
    bar = page.locator("#jp-MainMenu")
    expect(bar).to_contain_text("文件", timeout=120_000)
    labels = [t.strip() for t in bar.locator(".lm-MenuBar-itemLabel").all_inner_texts()]
    assert set(MENUS) <= set(labels), labels
    bar.get_by_text("文件", exact=True).click()
    expect(page.locator(".lm-Menu").first).to_contain_text("新建")
    shoot(page, "lab-menu-file")
    page.keyboard.press("Escape")


def test_lab_lesson_answer_is_recorded(lab_server, page, dibao, recorded, shoot):
    from playwright.sync_api import expect

    page.goto(lab_server.url(f"lab/tree/notebooks/{dibao.notebook}"))
    expect(page.locator(".jp-NotebookPanel .jp-Notebook").first).to_be_visible(timeout=120_000)
    # the status bar names the kernel once it is connected (the toolbar says "idle" before that,
    # and 运行所有单元格 clicked then starts a second kernel and runs nothing)
    expect(page.locator(".jp-StatusBar-TextItem", has_text="| 空闲").first).to_be_visible(timeout=120_000)
    started = time.monotonic()
    _run_all_cells(page)
    card = dibao.card(page)
    error = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    expect(card.or_(error).first).to_be_attached(timeout=120_000)
    if error.count():
        shoot(page, "lab-error")
        pytest.fail("课程运行出错：" + "\n".join(error.all_inner_texts())[-2000:])
    print(f"JupyterLab 中运行低保课程全部单元格用时 {time.monotonic() - started:.1f} 秒")
    card.scroll_into_view_if_needed()
    card.get_by_label(dibao.right_label).check()
    card.get_by_role("button", name="提交").click()
    expect(card).to_contain_text("回答正确")
    shoot(page, "lab-answered")
    deadline = time.monotonic() + 10
    while not (rows := recorded(lab_server, dibao.ref)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [(r.worker_id, r.source, r.score) for r in rows] == [("W001", "self_check", 1.0)]


def test_lab_learning_map_link_opens_the_lesson_in_a_tab(lab_server, page, dibao, shoot):
    """A lesson link on the learning map looks like a link and opens the lesson in a JupyterLab
    tab: the page is not reloaded (a marker set on the window survives) and no dialog appears."""
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    # a workspace of its own: only the learning map is open, not the tabs of earlier tests
    page.goto(lab_server.url("lab/workspaces/tk-map/tree/notebooks/00-learning-map.ipynb"))
    expect(page.locator(".jp-StatusBar-TextItem", has_text="| 空闲").first).to_be_visible(timeout=120_000)
    _run_all_cells(page)
    link = page.locator(".tk-lessons a.tk-lesson-link", has_text=dibao.title)
    expect(link).to_be_visible(timeout=120_000)
    colour, text_colour = link.evaluate("(a) => [getComputedStyle(a).color, getComputedStyle(a.closest('tr')).color]")
    assert colour != text_colour, f"课程链接和正文同色（{colour}），看起来不像链接"
    # the kit's stylesheet came through the renderer (a trusted output keeps its <style>)
    assert link.evaluate("(a) => getComputedStyle(a.closest('td')).textAlign") == "left"
    shoot(page, "lab-learning-map")
    page.evaluate("window.__tkNotReloaded = true")
    tabs = page.locator(".jp-MainAreaWidget .jp-NotebookPanel, .jp-NotebookPanel")
    before = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").count()
    link.click()
    lesson_tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=dibao.notebook.removesuffix(".ipynb"))
    expect(lesson_tab).to_be_visible(timeout=60_000)
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab")).to_have_count(before + 1)
    assert tabs.count() >= 2
    assert page.evaluate("window.__tkNotReloaded === true"), "点课程链接后 JupyterLab 页面被重新加载了"
    assert page.locator(".jp-Dialog").count() == 0 and not dialogs, f"点课程链接弹出了对话框：{dialogs}"
    shoot(page, "lab-learning-map-lesson-opened")
