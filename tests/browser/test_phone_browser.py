"""The learner's screens on a phone (390 × 844, touch) and at desktop width, in ``trainkit app``:
a lesson with its self-check, a mediation case walk-through, 每日15分钟 and 练兵比武.

On each: no answer option is cut off (its text fits its box, the box fits the screen), each
option is a tap target at least 40 px high, the page does not scroll sideways, and a tap (a
click at desktop) on an option does what it should.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": (
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36"
        ),
    },
    "desktop": {"viewport": {"width": 1400, "height": 900}},
}

# what a learner chooses among: case option buttons, radio and checkbox labels
OPTIONS = ".tk-option, .widget-radio-box label, .widget-checkbox .widget-label-basic"
MIN_TAP = 40

MEASURE = """(root, selector) => {
  const seen = (el) => el.getClientRects().length > 0;
  return Array.from(root.querySelectorAll(selector)).filter(seen).map((el) => {
    const box = el.getBoundingClientRect();
    const cell = el.closest('.jp-OutputArea-output, .jp-Cell') || document.body;
    return {what: el.className + " in " + (el.parentElement.className || ""), text: el.innerText.trim().slice(0, 40), scroll: el.scrollWidth, client: el.clientWidth,
            scrollHeight: el.scrollHeight, clientHeight: el.clientHeight,
            left: box.left, right: box.right, height: box.height, cellRight: cell.getBoundingClientRect().right,
            viewport: document.documentElement.clientWidth};
  });
}"""


@pytest.fixture(params=list(VIEWS))
def view(request, browser):
    """(name, tab): a fresh tab emulating a phone or a desktop browser."""
    context = browser.new_context(locale="zh-CN", **VIEWS[request.param])
    context.set_default_timeout(60_000)
    yield request.param, context.new_page()
    context.close()


def tap(name: str, locator) -> None:  # noqa: ANN001
    """A finger's tap on a phone, a mouse click at desktop."""
    locator.scroll_into_view_if_needed()
    if name == "phone":
        locator.tap()
    else:
        locator.click()


STICKING_OUT = """(root) => {
  const scrolls = (el) => { for (let p = el.parentElement; p && p !== root.parentElement; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  const edge = (root.closest('.jp-OutputArea-output, .jp-Cell') || document.body).getBoundingClientRect().right;
  return Array.from(root.querySelectorAll('.jupyter-widgets, select, input, button, textarea'))
    .filter((el) => el.getClientRects().length > 0 && !scrolls(el))
    .filter((el) => el.getBoundingClientRect().right > Math.min(edge, document.documentElement.clientWidth) + 1)
    .map((el) => el.tagName + '.' + el.className + ' right=' + el.getBoundingClientRect().right + ' edge=' + edge);
}"""


def assert_inside(scope, where: str) -> None:  # noqa: ANN001
    """No control in ``scope`` reaches past the right edge of its cell or the screen."""
    out = scope.evaluate(STICKING_OUT)
    assert not out, f"{where}：这些控件超出屏幕右边：{out[:5]}"


def assert_fits(page, scope, where: str) -> list[dict]:  # noqa: ANN001
    """Every visible option in ``scope`` shows its whole text inside the screen; the page does not
    scroll sideways."""
    assert_inside(scope, where)
    options = scope.evaluate(MEASURE, OPTIONS)
    assert options, f"{where}：页面上没有找到选项"
    for o in options:
        assert o["scroll"] <= o["client"] + 1, f"{where}：选项文字被截断：{o}"
        assert o["scrollHeight"] <= o["clientHeight"] + 1, f"{where}：选项文字超出选项框：{o}"
        assert o["left"] >= -1 and o["right"] <= min(o["viewport"], o["cellRight"]) + 1, f"{where}：选项超出屏幕：{o}"
        assert o["height"] >= MIN_TAP, f"{where}：选项高 {o['height']:.0f} px，手指不好点（至少 {MIN_TAP} px）：{o}"
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{where}：页面宽 {width[0]} px，比屏幕（{width[1]} px）宽，需要左右滚动"
    return options


NARROWEST_CELL = """() => Array.from(document.querySelectorAll('#rendered_cells .jp-RenderedMarkdown table'))
  .flatMap((t) => Array.from(t.querySelectorAll('td, th')))
  .filter((c) => c.innerText.trim().length > 2)
  .map((c) => [Math.round(c.getBoundingClientRect().width), c.innerText.trim().slice(0, 20)])
  .sort((a, b) => a[0] - b[0])[0] || null"""


def _open(page, server, notebook: str, ready: str, lesson_run):  # noqa: ANN001, ANN202
    """The lesson, with ``ready`` drawn and every cell run: the checks read the whole page."""
    from playwright.sync_api import expect

    page.goto(f"{server.base}voila/render/{notebook}")
    expect(page.locator(ready).first).to_be_visible(timeout=120_000)
    lesson_run(page)


def test_home_page_on_a_phone(app_server, view, dibao, shoot):
    """The app's home (the learning map): nothing wider than the screen, its tables scroll
    inside themselves, and a tap on a lesson opens it."""
    from playwright.sync_api import expect

    name, page = view
    page.goto(app_server.base)
    expect(page.locator("#tk-lessons")).to_be_visible()
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{name} 学习地图：页面宽 {width[0]} px，比屏幕（{width[1]} px）宽"
    shoot(page, f"{name}-home")
    title_cell = page.locator("#tk-lessons td", has_text=dibao.title).first.bounding_box()["width"]
    assert title_cell >= 120, f"{name} 学习地图：课程名一栏被挤到 {title_cell:.0f} px，几个字一行"
    tap(name, page.locator("#tk-lessons a", has_text=dibao.title))
    expect(page).to_have_url(f"{app_server.base}voila/render/{dibao.notebook}")


def test_lesson_self_check_on_a_phone(app_server, view, dibao, shoot, lesson_run):
    from playwright.sync_api import expect

    name, page = view
    _open(page, app_server, dibao.notebook, ".tk-quiz", lesson_run)
    card = dibao.card(page)
    card.scroll_into_view_if_needed()
    assert_fits(page, card, f"{name} 低保课程自测")
    shoot(page, f"{name}-lesson-quiz")
    tap(name, card.get_by_text(dibao.right_label, exact=True))
    expect(card.get_by_label(dibao.right_label)).to_be_checked()
    tap(name, card.get_by_role("button", name="提交"))
    expect(card).to_contain_text("回答正确")


def test_wide_lesson_table_scrolls_on_a_phone(app_server, view, shoot, lesson_run):
    """The lesson with the widest table (six columns): on a phone the table scrolls sideways
    inside the lesson instead of being squeezed to a character or two a line."""
    name, page = view
    _open(
        page,
        app_server,
        "121-governance-residents-committee.ipynb",
        "#rendered_cells .jp-RenderedMarkdown table",
        lesson_run,
    )
    narrowest = page.evaluate(NARROWEST_CELL)
    assert narrowest[0] >= 56, f"{name} 居委会课程：表格被挤窄，一格只有 {narrowest[0]} px：{narrowest[1]}"
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{name} 居委会课程：页面宽 {width[0]} px，比屏幕（{width[1]} px）宽"
    page.locator("#rendered_cells .jp-RenderedMarkdown table").first.scroll_into_view_if_needed()
    shoot(page, f"{name}-lesson-table")


def test_charts_fit_a_phone(app_server, view, shoot, lesson_run):
    """The needs-analysis lesson's bar charts shrink to the screen instead of running off it."""
    from playwright.sync_api import expect

    name, page = view
    _open(page, app_server, "111-needs-analysis-register.ipynb", "svg.tk-chart", lesson_run)
    expect(page.locator("#loading")).to_be_hidden(timeout=120_000)
    charts = page.evaluate(
        "Array.from(document.querySelectorAll('svg.tk-chart')).map((s) => [s.getBoundingClientRect().right,"
        " s.closest('.jp-OutputArea-output').getBoundingClientRect().right, s.getBoundingClientRect().width,"
        " s.width.baseVal.value, s.getScreenCTM().a])"
    )
    assert charts
    for right, edge, shown, drawn, scale in charts:
        assert right <= edge + 1, f"{name} 需求分析课：图表超出屏幕（右边 {right:.0f} px，版面 {edge:.0f} px）"
        # the drawing shrinks with its box (a box narrower than the drawing would cut the bars off)
        assert abs(scale - shown / drawn) < 0.02, (
            f"{name} 需求分析课：图表被裁掉一截（缩放 {scale:.2f}，框 {shown:.0f}/{drawn:.0f} px）"
        )
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{name} 需求分析课：页面宽 {width[0]} px，比屏幕（{width[1]} px）宽"
    page.locator("svg.tk-chart").first.scroll_into_view_if_needed()
    shoot(page, f"{name}-chart")


def test_case_walkthrough_on_a_phone(app_server, view, shoot, lesson_run):
    from playwright.sync_api import expect

    name, page = view
    _open(page, app_server, "091-mediation-property-service.ipynb", ".tk-case .tk-option", lesson_run)
    case = page.locator(".tk-case").filter(has=page.locator(".tk-option")).first
    case.scroll_into_view_if_needed()
    options = assert_fits(page, case, f"{name} 案例演练")
    longest = max(options, key=lambda o: o["height"])
    assert longest["height"] > MIN_TAP + 10 or name == "desktop", "长选项应折成多行，而不是挤在一行"
    shoot(page, f"{name}-case")
    first = case.locator(".tk-option").first
    chosen = first.inner_text().split(".", 1)[1].strip()[:20]
    tap(name, first)
    expect(case).to_contain_text("你的选择")
    expect(case).to_contain_text(chosen)


def test_daily_practice_on_a_phone(app_server, view, shoot, lesson_run):
    from playwright.sync_api import expect

    name, page = view
    _open(page, app_server, "01-daily-practice.ipynb", ".tk-practice", lesson_run)
    start = page.locator(".tk-practice .tk-start")
    if start.is_visible():
        tap(name, start)
    items = page.locator(".tk-practice-items .tk-item")
    expect(items.first).to_be_visible()
    assert_fits(page, page.locator(".tk-practice").first, f"{name} 每日15分钟")
    shoot(page, f"{name}-daily-practice")
    item = items.filter(has=page.locator(".widget-radio-box")).first
    label = item.locator(".widget-radio-box label").first
    tap(name, label)
    expect(label.locator("input")).to_be_checked()


def test_contest_on_a_phone(app_server, view, shoot, lesson_run):
    from playwright.sync_api import expect

    name, page = view
    _open(page, app_server, "02-contest.ipynb", ".tk-contest-setup", lesson_run)
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] + 1, f"{name} 练兵比武设置：页面比屏幕宽 {width}"
    assert_inside(page.locator(".tk-contest-setup"), f"{name} 练兵比武设置")
    shoot(page, f"{name}-contest-setup")
    page.locator(".tk-players select").select_option(index=[0, 1])
    page.locator(".tk-banks select").select_option(index=[0])
    tap(name, page.locator(".tk-contest-setup .tk-start"))
    tap(name, page.locator(".tk-contest .tk-next"))
    answer = page.locator(".tk-answer-area")
    expect(answer.locator("input").first).to_be_visible()
    if answer.locator(".widget-radio-box label, .widget-checkbox").count():
        assert_fits(page, answer, f"{name} 练兵比武")
    shoot(page, f"{name}-contest")
    choice = answer.locator(".widget-radio-box label, .widget-checkbox .widget-label-basic").first
    if choice.count():
        tap(name, choice)
    else:  # a fill-in question
        answer.locator("input").first.fill("1")
    tap(name, page.locator(".tk-contest .tk-answer"))
    expect(page.locator(".tk-contest-message")).to_contain_text(re.compile("答对了|答错了"))


def test_case_walkthrough_in_jupyterlab_on_a_phone(lab_server, browser, shoot):
    """The same stylesheet serves JupyterLab: a mediation case's options wrap and take a tap there too."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", **VIEWS["phone"])
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(lab_server.url("lab/workspaces/tk-phone/tree/notebooks/091-mediation-property-service.ipynb"))
        expect(page.locator(".jp-StatusBar-TextItem", has_text="| 空闲").first).to_be_attached(timeout=120_000)
        first_prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").first
        for _attempt in range(4):
            page.locator("#jp-MainMenu").get_by_text("运行", exact=True).click()
            page.locator(".lm-Menu").get_by_text("运行所有单元格", exact=True).click()
            try:
                expect(first_prompt).to_have_text(re.compile(r"\[[0-9*]+\]"), timeout=15_000)
                break
            except AssertionError:
                continue
        case = page.locator(".tk-case").filter(has=page.locator(".tk-option")).first
        expect(case).to_be_attached(timeout=120_000)
        # JupyterLab's own file browser opens beside the notebook and leaves it a few pixels on a
        # phone; the learner closes it with a tap on its icon (JupyterLab's layout, not the kit's)
        open_panel = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if open_panel.count():
            tap("phone", open_panel.first)
        expect(page.locator("#jp-left-stack")).to_be_hidden()
        case.scroll_into_view_if_needed()
        shoot(page, "phone-lab-case")
        assert_fits(page, case, "JupyterLab 手机 案例演练")
        tap("phone", case.locator(".tk-option").first)
        expect(case).to_contain_text("你的选择")
    finally:
        context.close()
