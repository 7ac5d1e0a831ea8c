"""`trainkit demo` end to end: course, cohort, autograding, evidence, report."""

import re

import openpyxl
import pytest

from trainkit.demo import DemoError, run_demo
from trainkit.framework import load_framework


@pytest.mark.slow
def test_demo_builds_a_report_for_every_worker_and_domain(tmp_path):
    out = tmp_path / "demo"
    said = []
    result = run_demo(out, workers=6, say=said.append)
    assert result.workers == 6 and len(said) == 5
    html = result.report_html.read_text(encoding="utf-8")
    roster = (out / "roster.csv").read_text(encoding="utf-8").splitlines()[1:7]
    for line in roster:
        assert line.split(",")[1] in html
    for domain in load_framework().domains:
        assert domain.title in html
    assert "未评估" in html
    months = set(re.findall(r"20\d\d-\d\d", html))
    assert len(months) >= 3
    assert "<script src" not in html and "<link" not in html
    book = openpyxl.load_workbook(result.report_xlsx)
    assert "能力矩阵" in book.sheetnames
    graded = sorted((out / "course" / "autograded").iterdir())
    assert [p.name for p in graded] == [f"D{i:03d}" for i in range(1, 7)]
    assert result.evidence_rows > 6 * 10


@pytest.mark.slow
def test_the_demo_report_shows_a_realistic_spread(tmp_path):
    """Some workers 全岗通, others with gaps, and cells that score well but lack trainer evidence."""
    result = run_demo(tmp_path / "demo", workers=10, say=lambda _: None)
    matrix = result.report_html.read_text(encoding="utf-8").split('class="matrix"')[1].split("</table>")[0]
    rows = matrix.split("<tr>")[2:]
    proficient = [int(re.search(r"(\d+) / 12", r).group(1)) for r in rows]
    assert len(rows) == 10 and proficient.count(12) >= 1 and any(0 < n < 12 for n in proficient)
    assert "lv-untested" in matrix and "缺考核" in matrix
    exercises = {r.split(":")[1] for r in _refs(result.folder) if r.startswith("exercise:")}
    from trainkit.content import exercises_root

    course = {p.name for p in (exercises_root() / "source").iterdir() if p.is_dir()}
    assert exercises == course  # every exercise of the course
    book = openpyxl.load_workbook(result.report_xlsx)
    cells = [c for row in book["能力矩阵"].iter_rows(min_row=2, values_only=True) for c in row]
    assert "待提高（缺考核）" in cells
    # a cell whose interval does not settle a level says so, and what would settle it
    assert re.search(r'title="[^"]*再完成约 \d+ 道考核题[^"]*"[^>]*>证据不足', matrix)
    # the planted wrongly keyed question is the one the item analysis asks trainers to review
    from trainkit.demo import PLANTED
    from trainkit.quiz import load_banks

    planted = load_banks()[PLANTED[0]].items[PLANTED[1]].id
    page = result.report_html.read_text(encoding="utf-8")
    review = page.split("请培训师复核", 1)[1].split("</div>", 1)[0]
    flagged = [line for line in review.split("<li>")[1:] if "可能答案有误" in line]
    assert any(f"quiz:{PLANTED[0]}:{planted}" in line for line in flagged), review
    # among the self-check questions (hundreds of answers each) it is the strongest signal; a graded
    # exercise question answered once by ten workers may flag by chance as strongly
    self_checks = [line for line in flagged if "quiz:" in line]
    strongest_signal = min(self_checks, key=lambda line: float(re.search(r"区分度 ([-+][\d.]+)", line).group(1)))
    assert f"quiz:{PLANTED[0]}:{planted}" in strongest_signal
    assert float(re.search(r"区分度 ([-+][\d.]+)", strongest_signal).group(1)) < 0
    # the written answers were double-marked: every answer settled, the wide gaps by the arbiter,
    # the agreed mark in the gradebook, and the trainers' agreement page gives α per criterion
    from nbgrader.api import Gradebook

    from trainkit.demo import ASSIGNMENT
    from trainkit.evidence import open_store
    from trainkit.marking import marking_status

    store = open_store(f"sqlite:///{result.folder / 'evidence.db'}")
    course = result.folder / "course"
    status = marking_status(store, course, ASSIGNMENT)
    assert len(status) >= 10 and set(status["state"]) == {"agreed"}
    wide = status[(status["first"] - status["second"]).abs() > 1]
    assert len(wide) >= 1 and wide["arbitration"].notna().all()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for row in status.itertuples():
            assert gb.find_grade(row.grade_id, row.notebook, ASSIGNMENT, row.student).manual_score == row.final
    agreement = result.marking_html.read_text(encoding="utf-8")
    assert "Krippendorff α" in agreement and re.search(r"<td[^>]*>-?\d\.\d\d</td>", agreement)


def _refs(folder):
    from trainkit.evidence import open_store

    store = open_store(f"sqlite:///{folder / 'evidence.db'}")
    return set(store.frame(columns=("ref",))["ref"])


def test_demo_refuses_a_folder_it_did_not_create(tmp_path):
    (tmp_path / "mine.txt").write_text("重要文件")
    with pytest.raises(DemoError, match="非空"):
        run_demo(tmp_path, workers=2, say=lambda _: None)
    assert (tmp_path / "mine.txt").read_text() == "重要文件"
