"""A large team's page builds only the matrix rows, from the rating columns at once; they equal
the matrix part of the detailed rows a small team gets (cells, 达标 count, 全岗通, feedback)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from trainkit.evidence import FEEDBACK_SOURCE, open_store
from trainkit.framework import load_framework
from trainkit.report import assess
from trainkit.report_format import percent, percents
from trainkit.roster import Worker

AS_OF = datetime(2026, 3, 1, 12)
SOURCES = ["self_check", "case_walkthrough", "graded_exercise", "supervisor_review", FEEDBACK_SOURCE]


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    rng = random.Random(17)
    domains = [(d.id, d.items[0].id) for d in load_framework().domains]
    rows = []
    for w in range(9):  # W008 is not on the roster
        for domain, item in rng.sample(domains, 8):
            ratio = rng.choice([0.2, 0.6, 0.8, 1.0])
            for k in range(rng.choice([1, 2, 4, 9, 20])):
                source = rng.choice(SOURCES)
                rows.append(
                    {
                        "worker_id": f"W{w:03d}",
                        "domain": domain,
                        "item_id": item,
                        "source": source,
                        "ref": f"R{k % 5}" if source == FEEDBACK_SOURCE else f"q{k % 7}",
                        "score": ratio if rng.random() < 0.8 else 1 - ratio,
                        "max_score": 1.0,
                        "recorded_at": AS_OF - timedelta(days=rng.randrange(1, 200), hours=k),
                    }
                )
    store.record_many(rows)
    yield store
    store.engine.dispose()


def roster():
    names = ["林晓雨（示例）", "<b>赵建国</b>（示例）", "王芳（示例）", "陈刚（示例）"] * 2
    return {
        f"W{n:03d}": Worker(
            worker_id=f"W{n:03d}", display_name=name, street="示例街道", community="示例社区", post="窗口"
        )
        for n, name in enumerate(names)
    }


@pytest.mark.parametrize("domains", [None, ["elderly", "mediation", "social_assistance"]])
def test_matrix_rows_equal_the_detailed_rows(store, domains):
    view, outside = assess(store, roster(), as_of=AS_OF, since=None, domains=domains)
    fast, full = view.matrix_only(), view.worker_rows
    assert outside > 0 and len(fast) == len(full) == 8
    for got, expected in zip(fast, full, strict=True):
        assert got["worker"] == expected["worker"]
        assert str(got["cells_html"]) == str(expected["cells_html"])
        assert (got["n_proficient"], got["full_post"], got["feedback"]) == (
            expected["n_proficient"],
            expected["full_post"],
            expected["feedback"],
        )
    html = "".join(str(row["cells_html"]) for row in fast)
    shown = len(domains) if domains else len(load_framework().domains)
    assert html.count("<td") == 8 * shown
    levels = {c["level"] for row in full for c in row["cells"]}
    assert {"not_assessed", "insufficient", "needs_improvement"} <= levels  # the cases compared occur
    assert any(row["feedback"]["n"] for row in full)


def test_percents_write_each_ratio_as_percent_does():
    rng = random.Random(3)
    ties = [k / 1000 for k in range(0, 1001, 5)]  # x.5 percent: rounding to even, as format does
    values = [rng.random() for _ in range(2000)] + ties + [0.0, 1.0, 0.994999, float("nan")]
    assert percents(values) == [percent(v) for v in values]
    assert percents([0.125, 0.135, float("nan")]) == ["12%", "14%", "—"]
