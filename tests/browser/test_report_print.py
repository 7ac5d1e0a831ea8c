"""The supervisor's team report prints on a few A4 pages; per-worker detail prints only when asked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework
from trainkit.report import build_report
from trainkit.roster import Worker

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AS_OF = datetime(2026, 11, 30, 12, 0)


@pytest.fixture(scope="module")
def team_report(tmp_path_factory):
    """30 workers, every domain, six months, 200 distinct questions."""
    folder = tmp_path_factory.mktemp("print")
    store = open_store(f"sqlite:///{folder / 'e.db'}")
    roster = {
        f"W{i:03d}": Worker(
            worker_id=f"W{i:03d}",
            display_name=f"学员{i:02d}（示例）",
            street="示例街道",
            community=f"示例{i % 3 + 1}社区",
            post="网格员",
        )
        for i in range(1, 31)
    }
    rows = []
    for n, worker in enumerate(roster):
        for d, domain in enumerate(load_framework().domains):
            item = domain.items[0].id
            for k, source in enumerate(("self_check", "self_check", "graded_exercise")):
                rows.append(
                    {
                        "worker_id": worker,
                        "item_id": item,
                        "domain": domain.id,
                        "source": source,
                        "ref": f"quiz:bank:q{(n + d + k) % 200}",
                        "score": (n + d + k) % 5 / 4,
                        "recorded_at": AS_OF - timedelta(days=30 * k + d),
                    }
                )
    store.record_many(rows)
    summary = build_report(store, roster, out_html=folder / "report.html", as_of=AS_OF)
    return summary.html


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_team_report_prints_in_at_most_ten_pages(team_report, page):
    page.goto(team_report.as_uri())
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    team = _pages(page.pdf(format="A4", landscape=True))
    assert team <= 10, team
    page.emulate_media(media="screen")
    page.check("#print-details")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    with_detail = _pages(page.pdf(format="A4", landscape=True))
    assert with_detail > team + 5  # the 30 workers' own pages come only when asked for
