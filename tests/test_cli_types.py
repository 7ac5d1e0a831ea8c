"""What people type on the command line: partial dates and Chinese domain names."""

import datetime as dt

import pytest
from click.testing import CliRunner

from trainkit.cli import main
from trainkit.cli_types import PERIOD_END, PERIOD_START


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-10-05", dt.datetime(2026, 10, 5), dt.datetime(2026, 10, 5)),
        ("2026-10", dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31)),
        ("2024-02", dt.datetime(2024, 2, 1), dt.datetime(2024, 2, 29)),
        ("2026", dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)),
        ("2026年10月", dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 31)),
        ("2026/9/1", dt.datetime(2026, 9, 1), dt.datetime(2026, 9, 1)),
    ],
)
def test_a_partial_date_means_its_first_or_last_day(text, start, end):
    assert PERIOD_START.convert(text, None, None) == start
    assert PERIOD_END.convert(text, None, None) == end


@pytest.mark.parametrize("text", ["2026-13", "2026-02-30", "十月", "26-10"])
def test_a_wrong_date_is_refused_in_chinese(text):
    with pytest.raises(Exception, match="日期"):
        PERIOD_START.convert(text, None, None)


def test_report_takes_chinese_domains_and_partial_dates(tmp_path):
    run = CliRunner().invoke
    db = f"sqlite:///{tmp_path / 'e.db'}"
    out = tmp_path / "r.html"
    done = run(main, ["report", "--out", str(out), "--db", db, "--domain", "社会救助", "--since", "2026-10"])
    assert done.exit_code == 0, done.output
    matrix = out.read_text(encoding="utf-8").split('class="matrix"')[1].split("</table>")[0]
    assert "救助" in matrix and "就业" not in matrix
    wrong = run(main, ["report", "--out", str(out), "--db", db, "--domain", "救灾"])
    assert wrong.exit_code == 2 and "可用：" in wrong.output and "社保（social_insurance）" in wrong.output
    backwards = run(main, ["report", "--out", str(out), "--db", db, "--since", "2026-11", "--until", "2026-10"])
    assert backwards.exit_code == 1 and "晚于" in backwards.output
