"""A kernel that stays open sees a corrected content file without a restart."""

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path

from trainkit.filecache import by_file
from trainkit.policy import load_parameter
from trainkit.policy.household import Household, Member

CASEBANK = Path(__file__).resolve().parents[1] / "casebank"


def test_a_corrected_parameter_file_is_read_again(tmp_path, monkeypatch):
    root = tmp_path / "casebank"
    shutil.copytree(CASEBANK, root)
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(root))
    on = dt.date(2025, 8, 1)
    assert load_parameter("dibao-urban-standard-dalian").at(on).value == Decimal(1011)
    from trainkit.policy import PROGRAMS

    alone = Household(property_check="passed", members=(Member(relation="applicant", age=50),))
    assert PROGRAMS["dibao"].evaluate(alone, on).amount == Decimal(1011)

    path = root / "parameters" / "dibao-urban-standard-dalian.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 1011", "value: 1111"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later save, even within one tick
    assert load_parameter("dibao-urban-standard-dalian").at(on).value == Decimal(1111)
    assert PROGRAMS["dibao"].evaluate(alone, on).amount == Decimal(1111)


def test_an_unchanged_file_is_read_once(tmp_path):
    reads = []
    path = tmp_path / "a.txt"
    path.write_text("一", encoding="utf-8")

    @by_file
    def load(p: Path) -> str:
        reads.append(p)
        return p.read_text(encoding="utf-8")

    assert load(path) == load(path) == "一"
    assert len(reads) == 1
    path.write_text("二三", encoding="utf-8")
    assert load(path) == "二三" and len(reads) == 2


def test_corrected_rating_rules_are_read_again(tmp_path, monkeypatch):
    from trainkit.ratings import load_rating_rules

    root = tmp_path / "casebank"
    shutil.copytree(CASEBANK, root)
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(root))
    path = root / "rating-rules.yaml"
    before = int(load_rating_rules().window_days)
    text = path.read_text(encoding="utf-8")
    assert f"\nwindow_days: {before}\n" in text
    path.write_text(text.replace(f"\nwindow_days: {before}\n", f"\nwindow_days: {before + 1}\n"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_rating_rules().window_days == before + 1
