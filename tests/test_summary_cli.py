"""``trainkit summary``, run as a city's supervisor would: a GBK roster from Excel with a 区县
column, one row left blank there, a supervisor on it; statuses worked out by hand from evidence
that leaves no doubt (every answer right, or every answer wrong in one domain)."""

import csv
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from trainkit.evidence import open_store
from trainkit.framework import load_framework

NOW = datetime.now(UTC).replace(tzinfo=None)
STATUS_HEADER = ["人数", "全岗通", "有领域未达合格", "有领域证据不足、尚未评定"]


def _answers(worker: str, *, wrong_in: str | None = None) -> list[dict]:
    """Ten recent answers per domain, half from a trainer: all right, or all wrong in ``wrong_in``."""
    return [
        {
            "worker_id": worker,
            "domain": domain.id,
            "item_id": domain.items[0].id,
            "source": "graded_exercise" if k % 2 else "self_check",
            "ref": f"q{k}",
            "score": 0.0 if domain.id == wrong_in else 1.0,
            "max_score": 1.0,
            "recorded_at": NOW - timedelta(days=k + 1),
        }
        for domain in load_framework().domains
        for k in range(10)
    ]


@pytest.fixture
def city(tmp_path):
    """A roster as Excel saves it on Chinese Windows (GBK, Chinese headers, 区/县 spelled so)."""
    rows = [
        ["工号", "姓名", "街道", "社区", "岗位", "督导范围", "区/县"],
        ["A1", "甲一（示例）", "东一街道", "东一社区", "窗口", "", "示例东区"],
        ["A2", "甲二（示例）", "东二街道", "东二社区", "窗口", "", "示例东区"],
        ["B1", "乙一（示例）", "西一街道", "西一社区", "网格员", "", "示例西区"],
        ["C1", "丙一（示例）", "东一街道", "东一社区", "窗口", "", ""],
        ["S1", "督导（示例）", "东一街道", "", "督导", "示例东区", "示例东区"],
    ]
    roster = tmp_path / "花名册.csv"
    with roster.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    db = f"sqlite:///{tmp_path / 'evidence.db'}"
    store = open_store(db)
    store.record_many([*_answers("A1"), *_answers("A2", wrong_in=load_framework().domains[3].id)])
    return roster, db


def _summary(*args, home):
    env = {**os.environ, "TRAINKIT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "trainkit", "summary", *args], capture_output=True, text=True, env=env, check=False
    )


def _rows(stdout: str) -> dict[str, list[str]]:
    """The table's rows by their first cell, counts without the shares in brackets."""
    lines = [line.split() for line in stdout.splitlines() if line.startswith("  ") and "──" not in line]
    return {cells[0]: [c.split("（")[0] for c in cells[1:]] for cells in lines if len(cells) == 5}


def test_the_summary_counts_each_district_by_hand(city, tmp_path):
    roster, db = city
    done = _summary("--roster", str(roster), "--db", db, "--out", str(tmp_path / "汇总.csv"), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "按区县" in done.stdout  # a roster with 区县 filled is summarised by 区县 unless told otherwise
    rows = _rows(done.stdout)
    assert rows["区县"] == STATUS_HEADER
    assert rows["示例东区"] == ["2", "1", "1", "0"]
    assert rows["示例西区"] == ["1", "0", "0", "1"]
    assert rows["（花名册未填写）"] == ["1", "0", "0", "1"]
    assert rows["合计"] == ["4", "1", "1", "2"]
    assert "不含督导 1 人" in done.stdout
    data = (tmp_path / "汇总.csv").read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel on Chinese Windows reads UTF-8 only with a BOM
    table = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert table[0] == ["区县", *STATUS_HEADER]
    assert table[-1] == ["合计", "4", "1", "1", "2"]


def test_the_summary_by_street_and_the_shares(city, tmp_path):
    roster, db = city
    done = _summary("--roster", str(roster), "--db", db, "--by", "街道", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "按街道" in done.stdout
    rows = _rows(done.stdout)
    assert rows["示例东区·东一街道"] == ["1", "1", "0", "0"]
    assert rows["示例东区·东二街道"] == ["1", "0", "1", "0"]
    assert rows["东一街道"] == ["1", "0", "0", "1"]  # C1 left 区县 blank
    assert rows["示例西区·西一街道"] == ["1", "0", "0", "1"]
    assert "1（100%）" in next(line for line in done.stdout.splitlines() if "示例东区·东一街道" in line)


def test_a_supervisor_of_a_district_reads_its_report(city, tmp_path):
    roster, db = city
    env = {**os.environ, "TRAINKIT_HOME": str(tmp_path)}
    out = tmp_path / "东区.html"
    args = ["report", "--roster", str(roster), "--db", db, "--scope", "示例东区", "--out", str(out)]
    done = subprocess.run([sys.executable, "-m", "trainkit", *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "甲一（示例）" in page and "乙一（示例）" not in page and "丙一（示例）" not in page


def test_bad_choices_and_targets_are_one_line(city, tmp_path):
    roster, db = city
    wrong = _summary("--roster", str(roster), "--db", db, "--by", "社区", home=tmp_path)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr and "区县" in wrong.stderr
    (tmp_path / "folder").mkdir()
    into_dir = _summary("--roster", str(roster), "--db", db, "--out", str(tmp_path / "folder"), home=tmp_path)
    assert into_dir.returncode != 0 and "Traceback" not in into_dir.stderr and "--out" in into_dir.stderr
