"""Browser tests: Debian's Chromium driven by Playwright, against JupyterLab and ``trainkit app``.

Playwright's own browser download is never used: the tests launch the system's Chromium
(``TRAINKIT_CHROMIUM``, else ``chromium`` on PATH). Without it (or without the ``playwright``
package) they skip with a reason; under CI (``CI=true``) that is a failure — ``.ci/browser.sh``
installs Chromium and the CJK fonts. Every server listens on 127.0.0.1 and writes to a
temporary evidence database. Screenshots go to ``tests/browser/screenshots/`` (ignored by git)
or to ``TRAINKIT_SCREENSHOTS``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

LAB_TOKEN = "trainkit-browser-test"
REPO = Path(__file__).resolve().parents[2]
WORKER = "W001"


@pytest.fixture(scope="session")
def dibao():
    """The 低保 lesson and the first single-choice item of its self-check bank."""
    from trainkit.lessons import load_lessons
    from trainkit.quiz import load_bank

    lesson = next(x for x in load_lessons() if x.id == "social-assistance-dibao")
    bank = load_bank("social-assistance-dibao")
    number, item = next((n, i) for n, i in enumerate(bank.items, start=1) if i.type == "single")
    option = next(o for o in item.options if o.key == item.answer)
    return Dibao(lesson.notebook, lesson.title, bank.id, item.id, number, item.prompt, f"{option.key}. {option.text}")


class Dibao:
    def __init__(self, notebook, title, bank, item, number, prompt, right_label):  # noqa: ANN001
        self.notebook, self.title, self.bank, self.item, self.number = notebook, title, bank, item, number
        self.prompt, self.right_label = prompt, right_label

    @property
    def ref(self) -> str:
        return f"quiz:{self.bank}:{self.item}"

    def card(self, page):  # noqa: ANN001, ANN201
        """The bordered box of this item: the innermost widget box holding its prompt and a 提交 button."""
        return (
            page.locator(".widget-vbox")
            .filter(has_text=self.prompt[:30])
            .filter(has=page.get_by_role("button", name="提交"))
            .last
        )


def evidence_rows(db_url: str, worker: str, ref: str) -> list:
    from trainkit.evidence import open_store

    store = open_store(db_url)
    try:
        return store.rows(worker_id=worker, ref=ref)
    finally:
        store.engine.dispose()


@pytest.fixture
def recorded():
    """``recorded(server, ref)``: the evidence rows of the test learner for one ref."""
    return lambda server, ref: evidence_rows(server.db_url, WORKER, ref)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(argv: list[str], ready_url: str, log_path: Path, env: dict[str, str], what: str):
    log = log_path.open("w")
    proc = subprocess.Popen(argv, stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(ready_url, timeout=10):  # noqa: S310 (loopback only)
                return proc
        except OSError:
            if proc.poll() is not None:
                log.close()
                pytest.fail(f"{what} 已退出：见 {log_path}\n{log_path.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"{what} 在 180 秒内没有响应：见 {log_path}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _learner_env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "TRAINKIT_HOME": str(folder),
        "TRAINKIT_DB": f"sqlite:///{folder / 'evidence.db'}",
        "TRAINKIT_WORKER": WORKER,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("JUPYTERHUB_USER", None)
    return env


class Server:
    def __init__(self, base: str, db_url: str, log: Path, token: str = ""):
        self.base, self.db_url, self.log, self.token = base, db_url, log, token

    def url(self, path: str) -> str:
        return f"{self.base}{path}" + (f"?token={self.token}" if self.token else "")


LAB_ONLY_MARK = "【只在 JupyterLab 中显示的说明】"


def _lessons_with_a_lab_only_cell(folder: Path) -> Path:
    """A copy of the lessons where the 低保 lesson has one more cell, tagged ``lab-only``
    (instructions such as "press Shift+Enter"): the app runs such a cell but does not show it."""
    import json

    from trainkit.lessons import load_lessons

    shutil.copytree(REPO / "notebooks", folder)
    path = folder / next(x.notebook for x in load_lessons() if x.id == "social-assistance-dibao")
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(
        1,
        {
            "cell_type": "markdown",
            "id": "lab-only-test",
            "metadata": {"tags": ["lab-only"]},
            "source": [f"{LAB_ONLY_MARK}选中代码格，按 Shift+Enter 运行。"],
        },
    )
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _app(tmp_path_factory, *, worker: str | None, home: Path | None = None, env: dict[str, str] | None = None):  # noqa: ANN202
    home = home or tmp_path_factory.mktemp("app-home")
    env = {**_learner_env(home), **(env or {})}
    if worker is None:
        env.pop("TRAINKIT_WORKER")
    else:
        env["TRAINKIT_WORKER"] = worker
    lessons = _lessons_with_a_lab_only_cell(home / "notebooks")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = home / "app.log"
    proc = _serve(
        [
            sys.executable,
            "-m",
            "trainkit",
            "app",
            "--no-browser",
            f"--port={port}",
            f"--notebooks={lessons}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
        ],
        base,
        log,
        env,
        "trainkit app",
    )
    return proc, Server(base, env["TRAINKIT_DB"], log)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """``trainkit app`` on loopback, learner W001, its own evidence database."""
    proc, server = _app(tmp_path_factory, worker=WORKER)
    yield server
    _stop(proc)


@pytest.fixture(scope="module")
def app_factory(tmp_path_factory):
    """``app_factory(worker=…, home=…, env=…)``: ``trainkit app`` for that worker, its lessons
    copied into ``home/notebooks`` (so ``home`` can hold what a lesson reads beside them, such as
    ``../exercises``); ``env`` overrides the learner's environment (``TRAINKIT_DB``,
    ``TRAINKIT_ROSTER``). Every server is stopped with the module."""
    started = []

    def start(*, worker: str | None, home: Path | None = None, env: dict[str, str] | None = None) -> Server:
        proc, server = _app(tmp_path_factory, worker=worker, home=home, env=env)
        started.append(proc)
        return server

    yield start
    for proc in started:
        _stop(proc)


@pytest.fixture
def app_server_no_learner(tmp_path_factory):
    """``trainkit app`` on a machine where nobody has said who they are yet."""
    proc, server = _app(tmp_path_factory, worker=None)
    yield server
    _stop(proc)


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab as ``trainkit lab`` starts it (tests/test_lab.py), on loopback, fresh settings."""
    home = tmp_path_factory.mktemp("lab-home")
    env = {
        **_learner_env(home),
        "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg")),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path_factory.mktemp("settings")),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("workspaces")),
    }
    # a copy of the lessons: JupyterLab saves the notebooks it runs, the repository's stay as they are
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = home / "lab.log"
    proc = _serve(
        [
            sys.executable,
            "-m",
            "trainkit",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={LAB_TOKEN}",
            f"--ServerApp.root_dir={root}",
        ],
        f"{base}api/status?token={LAB_TOKEN}",
        log,
        env,
        "JupyterLab",
    )
    yield Server(base, env["TRAINKIT_DB"], log, LAB_TOKEN)
    _stop(proc)


@pytest.fixture(scope="module")
def lab_factory(tmp_path_factory):
    """``lab_factory(env)``: ``trainkit lab`` on loopback with ``env``; stopped with the module."""
    started = []

    def start(env: dict[str, str]) -> Server:
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        log = tmp_path_factory.mktemp("lab-log") / "lab.log"
        proc = _serve(
            [
                sys.executable,
                "-m",
                "trainkit",
                "lab",
                "--no-browser",
                f"--port={port}",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={LAB_TOKEN}",
            ],
            f"{base}api/status?token={LAB_TOKEN}",
            log,
            env,
            "JupyterLab",
        )
        started.append(proc)
        return Server(base, env["TRAINKIT_DB"], log, LAB_TOKEN)

    yield start
    for proc in started:
        _stop(proc)


@pytest.fixture(scope="module")
def learner_env():
    """``learner_env(folder)``: the environment of a test learner whose home is ``folder``."""
    return _learner_env
