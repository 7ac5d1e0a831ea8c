"""How long a learner waits for a lesson in ``trainkit app``: from opening the lesson's address in
Chromium to its first widget on screen, with a warm kernel pool (the app's default) and, as the
baseline in the same run, with no pool (every lesson starts its own kernel). One browser opens
the lessons one after another, as a learner's does: the first lesson loads Voilà's scripts
(about 5 MB), the next ones find them in the browser's cache. Prints

    bench: app_lesson_first_widget_seconds X              (median of the later lessons, warm pool)
    bench: app_lesson_first_widget_seconds_first_visit X  (the first lesson, empty cache, warm pool)
    bench: app_lesson_first_widget_seconds_no_pool X      (median of the later lessons, no pool)

Usage: ``python benchmarks/app.py [--lessons N]``. Needs Chromium (``TRAINKIT_CHROMIUM`` or
``chromium`` on PATH) and Playwright; without them it says so and exits 0. Not run in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LESSONS = (
    "031-social-assistance-dibao.ipynb",
    "081-elderly-longevity-allowance.ipynb",
    "011-employment-difficulty-subsidy.ipynb",
    "092-mediation-neighbors.ipynb",
    "041-shidu-special-support.ipynb",
)
WARM = "预热内核已就绪"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(home: Path, pool: int) -> tuple[subprocess.Popen, str, Path]:
    port = _port()
    log = home / f"app-{pool}.log"
    env = {
        **os.environ,
        "TRAINKIT_HOME": str(home),
        "TRAINKIT_DB": f"sqlite:///{home / 'evidence.db'}",
        "TRAINKIT_WORKER": "W001",
    }
    env.pop("JUPYTERHUB_USER", None)
    argv = [sys.executable, "-m", "trainkit", "app", "--no-browser", f"--port={port}", f"--pool-size={pool}"]
    proc = subprocess.Popen(argv + ["--Voila.ip=127.0.0.1"], stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base, timeout=10):  # noqa: S310 (loopback only)
                return proc, base, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"trainkit app 没有在 180 秒内启动：见 {log}")


def _wait_warm(log: Path, count: int) -> None:
    """Until the pool has warmed ``count`` kernels in all (the first at start, one more per visit)."""
    deadline = time.monotonic() + 120
    while log.read_text(encoding="utf-8", errors="replace").count(WARM) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"预热内核 120 秒内没有就绪：见 {log}")
        time.sleep(0.2)


def _first_widget(page, base: str, lesson: str) -> float:  # noqa: ANN001
    started = time.perf_counter()
    page.goto(f"{base}voila/render/{lesson}", wait_until="commit")
    page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=120_000)
    return time.perf_counter() - started


def measure(browser, home: Path, pool: int, lessons: tuple[str, ...]) -> list[float]:  # noqa: ANN001
    """Seconds to the first widget of each lesson, opened one after another in one new browser."""
    proc, base, log = _serve(home, pool)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        times = []
        for n, lesson in enumerate(lessons, start=1):
            if pool:
                _wait_warm(log, n)  # a learner arrives once the pool is refilled, as in a day's use
            times.append(_first_widget(page, base, lesson))
        return times
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=len(LESSONS), help="at least 2")
    args = parser.parse_args()
    executable = os.environ.get("TRAINKIT_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if not executable:
        print("app benchmark skipped: no Chromium or Playwright (set TRAINKIT_CHROMIUM)", file=sys.stderr)
        return 0
    lessons = LESSONS[: max(2, args.lessons)]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        try:
            warm = measure(browser, Path(tmp), 1, lessons)
            cold = measure(browser, Path(tmp), 0, lessons)
        finally:
            browser.close()
    for name, times in (("warm pool", warm), ("no pool", cold)):
        print(f"{name}: " + ", ".join(f"{t:.2f}" for t in times) + " s", file=sys.stderr)
    print(f"bench: app_lesson_first_widget_seconds {statistics.median(warm[1:]):.2f}")
    print(f"bench: app_lesson_first_widget_seconds_first_visit {warm[0]:.2f}")
    print(f"bench: app_lesson_first_widget_seconds_no_pool {statistics.median(cold[1:]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
