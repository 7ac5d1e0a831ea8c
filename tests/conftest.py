"""Fixtures shared by the test modules."""

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from trainkit.content import casebank_root


@pytest.fixture
def casebank(tmp_path, monkeypatch):
    """A private copy of the casebank, in use for this test (edit it freely)."""
    root = tmp_path / "casebank"
    shutil.copytree(casebank_root(), root)
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(root))
    return root


# On a lesson page in the app, Voilà's page script puts a grey placeholder in each cell and
# removes it when that cell has run (progressive rendering, trainkit.app). The first widget is
# drawn before the last cell runs: a test that reads or checks the whole page waits for all.
# (tests/test_lesson_pages.py checks that Voilà's script still uses this class.)
LESSON_PLACEHOLDER = "#rendered_cells .voila-skeleton-container"


@pytest.fixture
def lesson_run():
    """A function that waits until a lesson page in the app has run every cell."""

    def wait(page, timeout: float = 120_000) -> None:  # noqa: ANN001
        from playwright.sync_api import expect

        expect(page.locator("#rendered_cells [cell-index]").first).to_be_attached(timeout=timeout)
        expect(page.locator(LESSON_PLACEHOLDER)).to_have_count(0, timeout=timeout)

    wait.placeholder = LESSON_PLACEHOLDER
    return wait


def missing_service(what: str, hint: str) -> None:
    """Skip locally; fail under CI, where .ci/run must provide every service the tests need."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI 中缺少{what}：{hint}（.ci/run 负责准备）")
    pytest.skip(f"没有{what}：{hint}")


def service_url(env_var: str, what: str, guide: str = "README 的“开发”一节") -> str:
    """A test service's address from ``env_var``; without it, the missing_service rule."""
    url = os.environ.get(env_var)
    if not url:
        missing_service(what, f"设置 {env_var} 后运行（见 {guide}）")
    return url


@pytest.fixture(scope="session")
def service():
    """``service_url`` for test folders that cannot import this file (tests/hub)."""
    return service_url


@contextmanager
def _fresh_pg_schema():
    import sqlalchemy as sa

    base = service_url("TRAINKIT_TEST_PG_URL", " PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def pg_url():
    """A real PostgreSQL database of its own (a fresh schema) for one test."""
    with _fresh_pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The same test on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evidence.db'}"
        return
    with _fresh_pg_schema() as url:
        yield url


# ---------------------------------------------------------------- Debian's Chromium (browser and hub tests)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]


def chromium_path() -> str:
    path = os.environ.get("TRAINKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).is_file():
        missing_service(
            " Chromium",
            "安装 Debian 的 chromium（apt-get install chromium fonts-noto-cjk，CI 中由 .ci/browser.sh 安装），"
            "或设置 TRAINKIT_CHROMIUM",
        )
    return path


@pytest.fixture(scope="module")
def browser():
    # module scope: Playwright's sync API keeps an event loop running in this thread while it
    # is open, which would break later tests that call asyncio.run()
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service(" playwright", 'pip install -e ".[browser]"')
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request, screenshots):
    """A fresh tab; when the test fails, a screenshot and the browser console go beside the others."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    tab.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = f"failed-{request.node.name}"
        tab.screenshot(path=str(screenshots / f"{name}.png"), full_page=False)
        (screenshots / f"{name}.console.txt").write_text("\n".join(console), encoding="utf-8")
        print(f"失败截图：{screenshots / name}.png")
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("TRAINKIT_SCREENSHOTS", Path(__file__).parent / "browser" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shoot(screenshots):
    """``shoot(page, name)`` saves ``<name>.png`` and prints where."""

    def _shoot(page, name: str, *, full_page: bool = False) -> Path:
        path = screenshots / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        print(f"截图：{path}")
        return path

    return _shoot
