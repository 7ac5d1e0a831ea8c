"""Certificates as a trainer prints them: ``trainkit certificate --out`` writes one page per
worker, Chromium prints it on one A4 landscape sheet, and its code verifies (a changed one not)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.roster import load_roster

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOW = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0)
BEIJING = ZoneInfo("Asia/Shanghai")
CODE = re.compile(r"TK-W00\d-\d{12}-[0-9A-F]{6}")


def _trainkit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trainkit", *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """W001 proficient everywhere (全岗通), W002 in two domains, W003 nowhere; the certificates written."""
    folder = tmp_path_factory.mktemp("certificates")
    env = {**os.environ, "TRAINKIT_HOME": str(folder), "TRAINKIT_DB": f"sqlite:///{folder / 'e.db'}"}
    env.pop("TRAINKIT_WORKER", None)
    store = open_store(env["TRAINKIT_DB"])
    domains = [d.id for d in load_framework().domains]
    rows = []
    for worker, chosen, score, each in (
        ("W001", domains, 1.0, 3),
        ("W002", domains[:2], 0.9, 6),
        ("W003", domains, 0.5, 3),
        ("W004", domains[:11], 1.0, 3),  # the longest list a domain certificate can carry
    ):
        for domain in chosen:
            item = load_framework().domain(domain).items[0].id
            for i, source in enumerate(("self_check",) * each + ("graded_exercise",) * each):
                rows.append(
                    {
                        "worker_id": worker,
                        "item_id": item,
                        "domain": domain,
                        "source": source,
                        "ref": f"{domain}:{i}",
                        "score": score,
                        "recorded_at": NOW - timedelta(days=5),
                    }
                )
    store.record_many(rows)
    store.engine.dispose()
    out = folder / "证书"
    result = _trainkit(env, "certificate", "--out", str(out), "--issuer", "示例区民政局")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "已出具 3 份证书（全岗通 1 份，领域合格 2 份）" in result.stdout
    return env, out


def _footer_below_the_domains(page) -> None:  # noqa: ANN001
    """The footer (issuer, date, code) sits below the worker's domains, not on top of them."""
    if not page.locator(".sheet table").count():
        return
    table = page.locator(".sheet table").bounding_box()
    foot_top = page.locator(".foot").bounding_box()["y"]
    assert foot_top >= table["y"] + table["height"], f"证书落款压在领域表格上（{page.viewport_size}）"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize(
    ("worker", "title"), [("W001", "全岗通能力证书"), ("W002", "领域能力合格证书"), ("W004", "领域能力合格证书")]
)
def test_a_certificate_prints_on_one_a4_landscape_page_and_its_code_verifies(issued, page, shoot, worker, title):
    from playwright.sync_api import expect

    env, out = issued
    name = load_roster()[worker].display_name
    page.goto((out / f"{worker}.html").as_uri())
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".who b")).to_have_text(name)
    text = page.locator("body").inner_text()
    assert "示例区民政局" in text and "示例街道" in text
    code = page.locator(".foot .code").inner_text()
    assert CODE.fullmatch(code), code
    issued_on = datetime.strptime(code.split("-")[2], "%Y%m%d%H%M").replace(tzinfo=UTC).astimezone(BEIJING)
    assert f"评定截至 {issued_on:%Y年%m月%d日}" in text
    assert code.startswith(f"TK-{worker}-")
    shoot(page, f"certificate-{worker}")
    page.emulate_media(media="print")
    _footer_below_the_domains(page)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert _pages(pdf) == 1
    # A4 landscape: 842 × 595 points
    width, height = (float(x) for x in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert (round(width), round(height)) == (842, 595)

    genuine = _trainkit(env, "certificate", "verify", code)
    assert genuine.returncode == 0, genuine.stdout + genuine.stderr
    assert genuine.stdout.startswith(f"有效：截至 {issued_on:%Y-%m-%d %H:%M}（北京时间）") and name in genuine.stdout
    assert ("，达到全岗通" in genuine.stdout) == (worker == "W001")
    assert worker == "W001" or page.locator(".sheet td.domain").count() == {"W002": 2, "W004": 11}[worker]
    stamp = code.split("-")[2]
    earlier = f"{int(stamp[:4]) - 1}{stamp[4:]}"  # the certificate's year changed by hand
    tampered = _trainkit(env, "certificate", "verify", code.replace(stamp, earlier))
    assert tampered.returncode == 1
    assert "校验位不符" in tampered.stdout and "Traceback" not in tampered.stdout + tampered.stderr


def test_a_worker_without_a_proficient_domain_gets_no_certificate_and_a_forged_one_is_refused(issued):
    from trainkit.certificate import code_for

    env, out = issued
    assert sorted(p.name for p in out.iterdir()) == ["W001.html", "W002.html", "W004.html"]
    forged = _trainkit(env, "certificate", "verify", code_for("W003", NOW))
    assert forged.returncode == 1 and "不能由证据证实" in forged.stdout


@pytest.mark.parametrize("worker", ["W002", "W004"])
def test_a_certificate_opened_on_a_phone_has_no_sideways_scrolling(issued, browser, shoot, worker):
    _env, out = issued
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto((out / f"{worker}.html").as_uri())
        shoot(tab, f"certificate-{worker}-phone", full_page=True)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"手机上证书横向超出 {overflow} 像素"
        _footer_below_the_domains(tab)
        assert tab.locator(".foot .code").is_visible()
    finally:
        context.close()
