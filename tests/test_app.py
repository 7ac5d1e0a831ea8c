"""``trainkit app``: options, the learning-map home page and the warm kernel pool (no browser)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from trainkit.app import APP_TEMPLATE, AppError, app_argv, home_page, notebooks_dir
from trainkit.cli import main
from trainkit.evidence import open_store
from trainkit.lessons import load_lessons
from trainkit.quiz import load_bank
from trainkit.roster import load_roster
from trainkit.widgets.learning_map import PRACTICE_NOTEBOOK


def test_lessons_are_served_without_code_by_our_template_and_a_small_pool():
    argv = app_argv(port=8899, open_browser=False)
    assert "--VoilaConfiguration.strip_sources=True" in argv
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    assert "--VoilaConfiguration.progressive_rendering=True" in argv  # the first widget before the last cell
    assert f"--VoilaConfiguration.template={APP_TEMPLATE}" in argv
    assert "--VoilaConfiguration.multi_kernel_manager_class=trainkit.app.LessonKernelManager" in argv
    assert "--LessonKernelManager.pool_size=1" in argv
    assert "--LessonKernelManager.cull_idle_timeout=1800" in argv
    assert {"--port=8899", "--no-browser"} <= set(argv)
    assert app_argv(extra=["--Voila.ip=0.0.0.0"])[-1] == "--Voila.ip=0.0.0.0"


def test_the_lessons_folder_is_found_or_named(tmp_path):
    assert (notebooks_dir() / load_lessons()[0].notebook).is_file()
    with pytest.raises(AppError, match="找不到课程文件夹"):
        notebooks_dir(tmp_path)


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    monkeypatch.setenv("TRAINKIT_DB", url)
    monkeypatch.setenv("TRAINKIT_WORKER", "W001")
    return url


def test_home_page_is_the_learning_map_of_the_learner(store_url):
    page = home_page()
    assert load_roster()["W001"].display_name in page
    for lesson in load_lessons():
        assert f'<a href="/voila/render/{lesson.notebook}">{lesson.title}</a>' in page
    assert "未开始" in page and "学习中" not in page
    assert "未评估" in page and 'name="worker_id"' not in page
    if (notebooks_dir() / PRACTICE_NOTEBOOK).is_file():
        assert f'<a href="/voila/render/{PRACTICE_NOTEBOOK}"><b>每日15分钟</b></a>' in page


def test_home_page_shows_progress_read_fresh_from_the_evidence(store_url):
    bank = load_bank("social-assistance-dibao")
    item = bank.items[0]
    store = open_store(store_url)
    store.record(
        worker_id="W001",
        item_id=item.items[0],
        domain="social_assistance",
        source="self_check",
        ref=f"quiz:{bank.id}:{item.id}",
        score=1.0,
        max_score=1.0,
        recorded_at=datetime.now(UTC),
        assessor="W001",
    )
    dibao = next(x for x in load_lessons() if x.id == "social-assistance-dibao")
    page = home_page(base_url="/user/w001/")
    row = page.split(f'<a href="/user/w001/voila/render/{dibao.notebook}">')[1].split("</tr>")[0]
    assert "学习中" in row
    assert "建议下一课" in page


def test_home_page_without_a_learner_offers_the_roster_once(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINKIT_WORKER", raising=False)
    monkeypatch.setenv("TRAINKIT_HOME", str(tmp_path))
    page = home_page(xsrf_form_html='<input type="hidden" name="_xsrf" value="x">')
    assert "第一次使用" in page and 'name="_xsrf"' in page
    for worker_id in load_roster():
        assert f'<option value="{worker_id}">' in page


def test_an_unknown_worker_is_refused_in_chinese():
    result = CliRunner().invoke(main, ["app", "--no-browser", "--worker", "NOBODY"])
    assert result.exit_code == 1
    assert "花名册中没有工号 NOBODY" in result.output


@pytest.mark.slow
def test_the_pool_hands_out_a_kernel_with_the_kit_already_imported():
    from trainkit.app import LessonKernelManager

    async def scenario() -> None:
        km = LessonKernelManager(pool_size=1, fill_delay=0.0)
        try:
            km.fill_pool()
            await asyncio.gather(*km._pool)
            warm = set(km._pooled)
            kernel_id = await km.start_kernel(kernel_name="python3", path="")
            assert kernel_id in warm and kernel_id not in km._pooled
            client = km.get_kernel(kernel_id).client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=60)
                reply = await client.execute_interactive(
                    "import sys; assert 'trainkit.widgets' in sys.modules", timeout=60, output_hook=lambda _m: None
                )
            finally:
                client.stop_channels()
            assert reply["content"]["status"] == "ok"
            await asyncio.sleep(0.1)
            assert len(km._pool) == 1  # refilling for the next learner
        finally:
            await km.shutdown_all()

    asyncio.run(scenario())


def test_keyboard_instructions_are_kept_out_of_the_app():
    """ "按 Shift+Enter" means nothing in the app, where the code runs by itself: every such line
    sits in a cell tagged ``lab-only``, which the app's template leaves out. The needs-analysis
    lessons are no longer exempt: they are opened in the app too (their controls are widgets)."""
    import json

    folder = notebooks_dir()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and "Shift" in text:
                assert "lab-only" in cell["metadata"].get("tags", []), f"{path.name}: {text[:60]}"


def test_home_page_shows_the_questions_due_for_review_today(store_url):
    assert "今日待复习 0 题" in home_page()
    bank = load_bank("social-assistance-dibao")
    store = open_store(store_url)
    for item in bank.items[:2]:
        store.record(
            worker_id="W001",
            item_id=item.items[0],
            domain="social_assistance",
            source="self_check",
            ref=f"quiz:{bank.id}:{item.id}",
            score=0.0,
            max_score=1.0,
            recorded_at=datetime.now(UTC) - timedelta(days=3),
            assessor="W001",
        )
    assert "今日待复习 2 题" in home_page()


def test_home_page_search_finds_lessons_and_links_them_in_the_app(store_url):
    assert 'name="q"' in home_page() and "搜索结果" not in home_page()
    page = home_page(base_url="/user/w001/", query="高龄津贴")
    lesson = next(x for x in load_lessons() if "高龄津贴" in x.title)
    assert "“高龄津贴”的搜索结果" in page and 'value="高龄津贴"' in page
    assert f"href='/user/w001/voila/render/{lesson.notebook}'" in page


@pytest.mark.parametrize("status, title", [(404, "找不到这个页面"), (500, "服务器出错了"), (418, "出错了")])
def test_error_pages_are_chinese_with_the_way_home(status, title):
    import jinja2

    from trainkit.app import _LESSON_TEMPLATE

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_LESSON_TEMPLATE)), autoescape=True)
    name = "404.html" if status == 404 else "error.html"
    page = env.get_template(name).render(
        status_code=status, status_message="Not Found", message="", base_url="/user/w001/"
    )
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert f"<h1>{title}</h1>" in page and '<a href="/user/w001/">← 返回学习地图</a>' in page
    assert "Not Found" not in page


def test_a_warmed_kernel_holds_no_widget_before_the_page_connects():
    """Lessons are drawn progressively: the page connects to a pooled kernel and then the cells run.
    A widget made during the warm-up (a module-level layout) would be one the page may not yet know
    when a lesson's widget refers to it, and that widget would not be drawn."""
    import subprocess
    import sys

    from trainkit.app import WARM_CODE

    count = "import ipywidgets\nprint(len(ipywidgets.Widget.widgets))\n"
    shown = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", WARM_CODE + count], capture_output=True, text=True, check=True
    )
    assert shown.stdout.split()[-1] == "0", shown.stdout
