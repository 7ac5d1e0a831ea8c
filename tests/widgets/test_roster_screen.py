"""The roster screen checks a file row by row and shows who is who before anything is saved."""

from trainkit.evidence import open_store
from trainkit.roster import trainkit_home
from trainkit.widgets.roster_screen import RosterScreen

HEADER = "worker_id,display_name,street,community,post,supervisor_scope\n"


def _screen(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    for worker in ("W001", "W777"):
        store.record(
            worker_id=worker, item_id="dibao_income", domain="social_assistance", source="self_check", ref="q", score=1
        )
    return RosterScreen(store=store)


def test_a_good_file_is_shown_by_street_and_community_with_unknown_ids(tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINKIT_ROSTER", raising=False)
    monkeypatch.setenv("TRAINKIT_HOME", str(tmp_path / "home"))  # saving must not change other tests' roster
    screen = _screen(tmp_path)
    data = (
        HEADER + "W001,林晓雨（示例）,示例街道,示例一社区,窗口,\nS001,郑督导（示例）,示例街道,,督导,示例街道\n"
    ).encode()
    assert set(screen.load("新花名册.csv", data)) == {"W001", "S001"}
    shown = screen.view.value
    assert "检查通过" in shown and "示例一社区" in shown and "督导：示例街道" in shown
    assert "W777" in shown and "不在这份花名册上" in shown
    assert not screen.save.disabled
    screen.save.click()
    assert (trainkit_home() / "roster.csv").read_bytes() == data


def test_a_bad_file_lists_each_row_and_cannot_be_saved(tmp_path):
    screen = _screen(tmp_path)
    data = (
        HEADER + "W001,林晓雨（示例）,示例街道,示例一社区,窗口,\nW001,重复的人,示例街道,,,\nbad id,某人,示例街道,,,\n"
    ).encode()
    assert screen.load("坏的.csv", data) is None
    shown = screen.view.value
    assert "2 处问题" in shown and "第3行" in shown and "重复" in shown and "第4行" in shown
    assert screen.save.disabled


def test_on_a_deployment_the_roster_is_not_replaced_from_the_notebook(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINKIT_ROSTER", str(tmp_path / "deployed.csv"))
    (tmp_path / "deployed.csv").write_text(HEADER + "W001,林晓雨（示例）,示例街道,,,\n", encoding="utf-8")
    screen = _screen(tmp_path)
    screen.load("新.csv", (HEADER + "W002,赵建国（示例）,示例街道,,,\n").encode())
    assert screen.save.disabled and "系统管理员" in screen.message.value


def test_a_bad_row_is_named_by_the_uploaded_file_not_a_temporary_copy(tmp_path):
    screen = _screen(tmp_path)
    assert screen.load("新花名册.csv", (HEADER + "W 1,某人,示例街道,,,\n").encode()) is None
    shown = screen.view.value
    assert "新花名册.csv: 第2行: 工号" in shown
    assert "tmp" not in shown.replace("新花名册.csv", "")


def test_a_city_roster_keeps_same_named_streets_of_two_districts_apart(tmp_path):
    screen = _screen(tmp_path)
    data = (
        "工号,姓名,街道,社区,岗位,督导范围,区县\n"
        "W001,林晓雨（示例）,新华街道,一社区,窗口,,示例东区\n"
        "W002,赵建国（示例）,新华街道,一社区,窗口,,示例西区\n"
    ).encode("gbk")
    assert set(screen.load("全市花名册.csv", data)) == {"W001", "W002"}
    rows = screen.view.value.split("<tr>")[2:]
    assert len(rows) == 2 and "示例东区·新华街道" in rows[0] and "示例西区·新华街道" in rows[1]
