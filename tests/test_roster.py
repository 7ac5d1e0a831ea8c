"""The roster of workers and who the learner of this session is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainkit.content import ContentError
from trainkit.roster import (
    COLUMNS,
    current_worker,
    forget_identity,
    load_roster,
    roster_path,
    set_identity,
)

CASEBANK = Path(__file__).resolve().parents[1] / "casebank"
EXAMPLE = CASEBANK / "roster-example.csv"
HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """A fresh home, the example roster, and no identity from the environment."""
    monkeypatch.setenv("TRAINKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRAINKIT_ROSTER", str(EXAMPLE))
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("TRAINKIT_WORKER", raising=False)


def _csv(tmp_path: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


# ── loading ─────────────────────────────────────────────────────────────────


def test_example_roster():
    roster = load_roster(EXAMPLE)
    assert list(roster) == ["W001", "W002", "W003", "W004", "W005", "S001"]
    w = roster["W003"]
    assert (w.display_name, w.street, w.community, w.post) == (
        "孙丽娟（示例）",
        "示例街道",
        "示例二社区",
        "社会救助岗",
    )
    assert w.supervisor_scope == ""
    assert roster["S001"].supervisor_scope == "示例街道"


def test_missing_column(tmp_path):
    path = _csv(tmp_path, "no-street.csv", "worker_id,display_name,community", "W001,林晓雨,一社区")
    with pytest.raises(ContentError) as err:
        load_roster(path)
    assert str(err.value).startswith(f"{path}: 表头: 缺少列 街道（street）")


def test_optional_columns_may_be_absent(tmp_path):
    path = _csv(tmp_path, "short.csv", "worker_id,display_name,street,community", "W001,林晓雨,示例街道,一社区")
    assert load_roster(path)["W001"].post == ""


def test_every_bad_row_is_reported_with_its_line(tmp_path):
    path = _csv(
        tmp_path,
        "bad.csv",
        HEADER,
        "W001,林晓雨,示例街道,一社区,窗口,",  # line 2: fine
        "W 002,赵建国,示例街道,一社区,网格员,",  # line 3: bad worker_id
        "W003,,示例街道,二社区,社会救助岗,",  # line 4: empty display_name
        "W001,林晓雨二,示例街道,一社区,窗口,",  # line 5: duplicate id
        "W005,吴秀兰,示例街道,三社区,老龄工作岗,",  # line 6: fine
    )
    with pytest.raises(ContentError) as err:
        load_roster(path)
    problems = err.value.problems
    assert len(problems) == 3
    assert problems[0].startswith(f"{path}: 第3行: 工号: ")
    assert problems[1].startswith(f"{path}: 第4行: 姓名: ")
    assert problems[2] == f"{path}: 第5行: 工号: W001 重复"


def test_bom_prefixed_file_reads(tmp_path):
    path = _csv(tmp_path, "excel.csv", HEADER, "W001,林晓雨,示例街道,一社区,窗口,", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_roster(path)["W001"].display_name == "林晓雨"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig", "utf-8"])
def test_an_office_file_with_chinese_headers_and_empty_rows_reads(tmp_path, encoding):
    """As Excel or WPS on Chinese Windows saves it: GBK or UTF-16, Chinese headers, ,,,,, at the end."""
    text = (
        "工号,姓名,街道,社区,岗位,督导范围\r\nw001,林晓雨（示例）,示例街道,示例一社区,综合受理窗口,\r\n"
        "s001,郑督导（示例）,示例街道,,街道督导,示例街道\r\n,,,,,\r\n,,,,,\r\n"
    )
    path = tmp_path / "花名册.csv"
    path.write_bytes(text.encode(encoding))
    roster = load_roster(path)
    assert list(roster) == ["w001", "s001"] and roster["w001"].display_name == "林晓雨（示例）"
    assert roster["s001"].supervisor_scope == "示例街道"


def test_control_characters_are_refused_with_the_row(tmp_path):
    path = _csv(tmp_path, "ctrl.csv", HEADER, "W001,林晓\x00雨,示例街道,一社区,,", "W002,赵建国,示例街道,一社区,,")
    with pytest.raises(ContentError) as err:
        load_roster(path)
    assert err.value.problems == [f"{path}: 第2行: 姓名: 含有不可见的控制字符，请在 Excel 中删去后重新保存"]


def test_a_file_in_no_known_encoding_says_what_to_do(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x81\x30" + bytes(range(128, 256)) * 4)
    with pytest.raises(ContentError, match="另存为"):
        load_roster(path)


def test_whitespace_is_stripped(tmp_path):
    path = _csv(tmp_path, "spaces.csv", HEADER, " W001 , 林晓雨 ,示例街道,一社区,,")
    assert load_roster(path)["W001"].display_name == "林晓雨"


def test_missing_file(tmp_path):
    with pytest.raises(ContentError, match="找不到花名册文件"):
        load_roster(tmp_path / "absent.csv")


def test_roster_path_prefers_env_then_home_then_example(monkeypatch, tmp_path):
    assert roster_path() == EXAMPLE
    monkeypatch.delenv("TRAINKIT_ROSTER")
    assert roster_path() == CASEBANK / "roster-example.csv"
    local = _csv(tmp_path / "home", "roster.csv", HEADER, "W009,林晓雨,示例街道,一社区,,")
    assert roster_path() == local


# ── who is learning ─────────────────────────────────────────────────────────


def test_no_identity_yet():
    assert current_worker() is None


def test_current_worker_from_jupyterhub_user(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "W002")
    monkeypatch.setenv("TRAINKIT_WORKER", "W003")  # the hub user wins
    assert current_worker().worker_id == "W002"


def test_current_worker_from_trainkit_worker(monkeypatch):
    monkeypatch.setenv("TRAINKIT_WORKER", "W004")
    assert current_worker().display_name == "周海波（示例）"


def test_unknown_hub_user_raises(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "stranger")
    with pytest.raises(KeyError, match="花名册中没有工号 stranger"):
        current_worker()


def test_hub_user_beats_a_remembered_identity(monkeypatch):
    set_identity("W001")
    monkeypatch.setenv("JUPYTERHUB_USER", "W005")
    assert current_worker().worker_id == "W005"


def test_set_identity_is_remembered(tmp_path):
    worker = set_identity("W003")
    assert worker.worker_id == "W003"
    stored = json.loads((tmp_path / "home" / "identity.json").read_text(encoding="utf-8"))
    assert stored == {"worker_id": "W003"}
    assert current_worker() == worker


@pytest.mark.parametrize("content", ['{"worker_id": "W0', "[]", '{"worker_id": [1]}', ""])
def test_an_unreadable_remembered_identity_asks_again(tmp_path, content):
    """A half-written or edited identity.json: the learner is asked once more, never a traceback."""
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "identity.json").write_text(content, encoding="utf-8")
    assert current_worker() is None
    assert set_identity("W002").worker_id == "W002" and current_worker().worker_id == "W002"
    assert [p.name for p in home.iterdir()] == ["identity.json"]  # written whole, no temporary file left


def test_set_identity_with_unknown_id_raises(tmp_path):
    with pytest.raises(KeyError, match="花名册中没有工号 W999"):
        set_identity("W999")
    assert not (tmp_path / "home" / "identity.json").exists()
    assert current_worker() is None


def test_forget_identity(tmp_path):
    set_identity("W001")
    forget_identity()
    assert not (tmp_path / "home" / "identity.json").exists()
    assert current_worker() is None
    forget_identity()  # forgetting twice is fine
