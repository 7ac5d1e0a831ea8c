"""Who sees what: a supervisor their scope, a worker only themself, the 公示 names and levels only."""

import csv
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from trainkit.evidence import open_store
from trainkit.publication import build_publication
from trainkit.report import build_report, select_workers
from trainkit.roster import COLUMNS, load_roster

NOW = datetime.now(UTC).replace(tzinfo=None)
RESIDENT = "居民李某某家月收入1389元"


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerow(["A01", "甲一（示例）", "东街道", "东一社区", "窗口", ""])
        writer.writerow(["A02", "甲二（示例）", "东街道", "东二社区", "窗口", ""])
        writer.writerow(["B01", "乙一（示例）", "西街道", "西一社区", "窗口", ""])
    return load_roster(path)


@pytest.fixture
def store(db_url):
    store = open_store(db_url)
    for worker in ("A01", "A02", "B01"):
        for days, source in ((5, "self_check"), (15, "graded_exercise"), (200, "self_check")):
            store.record(
                worker_id=worker,
                item_id="dibao_income",
                domain="social_assistance",
                source=source,
                ref=f"ref-{worker}-{days}",
                score=0.9,
                recorded_at=NOW - timedelta(days=days),
                answer={"value": RESIDENT},
            )
    return store


def _texts(path):
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return " ".join(str(c.value) for s in book for row in s.iter_rows() for c in row if c.value is not None)
    return path.read_text(encoding="utf-8")


def test_scope_keeps_other_streets_out_of_html_and_excel(tmp_path, store, roster):
    east = select_workers(roster, scope="东街道")
    build_report(store, east, out_html=tmp_path / "r.html", out_xlsx=tmp_path / "r.xlsx")
    for path in (tmp_path / "r.html", tmp_path / "r.xlsx"):
        text = _texts(path)
        assert "A01" in text and "A02" in text
        assert "B01" not in text and "乙一" not in text and "ref-B01" not in text
        assert RESIDENT not in text


def test_a_worker_sees_only_themself(tmp_path, store, roster):
    me = select_workers(roster, worker="A02")
    build_report(store, me, out_html=tmp_path / "me.html", out_xlsx=tmp_path / "me.xlsx")
    for path in (tmp_path / "me.html", tmp_path / "me.xlsx"):
        text = _texts(path)
        assert "A02" in text and "甲二" in text
        for other in ("A01", "B01", "甲一", "乙一", "ref-A01", "ref-B01"):
            assert other not in text, (path, other)
        assert "不在花名册" not in text


def test_the_publication_shows_names_levels_and_how_to_appeal_only(tmp_path, store, roster):
    path = build_publication(store, roster, out_html=tmp_path / "pub.html", appeal_days=7)
    text = path.read_text(encoding="utf-8")
    deadline = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    assert deadline in text and "申诉" in text and "@media print" in text
    assert all(name in text for name in ("甲一（示例）", "甲二（示例）", "乙一（示例）"))
    assert "证据不足" in text  # 0.9 from two kinds of source, but only two answers in the window
    body = text.split("<body>")[1]
    for hidden in ("A01", "B01", "%", "ref-", RESIDENT, "证据条数"):
        assert hidden not in body, hidden


def test_the_publication_tells_namesakes_apart_and_leaves_supervisors_out(tmp_path, store):
    from trainkit.roster import Worker

    people = [
        Worker(worker_id="A01", display_name="王芳（示例）", street="东街道", community="东一社区", post="窗口"),
        Worker(worker_id="A02", display_name="王芳（示例）", street="东街道", community="东一社区", post="窗口"),
        Worker(worker_id="B01", display_name="王芳（示例）", street="东街道", community="东一社区", post="网格员"),
        Worker(worker_id="S09", display_name="督导甲（示例）", street="东街道", post="督导", supervisor_scope="东街道"),
    ]
    roster = {w.worker_id: w for w in people}
    body = (
        build_publication(store, roster, out_html=tmp_path / "p.html", appeal_days=7)
        .read_text(encoding="utf-8")
        .split("<tbody>")[1]
    )
    rows = body.split("<tr>")[1:]
    assert len(rows) == 3 and "督导甲" not in body  # the supervisor is not on the notice
    assert "窗口（工号 A01）" in body and "窗口（工号 A02）" in body  # namesakes in one unit and post
    assert "网格员" in body and "B01" not in body  # told apart by post alone
    by_id = build_publication(
        store, roster, out_html=tmp_path / "q.html", appeal_days=7, identify="id", include_supervisors=True
    ).read_text(encoding="utf-8")
    assert "<th>工号</th>" in by_id and all(i in by_id for i in ("A01", "A02", "B01", "S09"))


def test_since_and_domain_narrow_what_is_counted(tmp_path, store, roster):
    summary = build_report(
        store, roster, out_html=tmp_path / "r.html", since=NOW - timedelta(days=30), domains=["social_assistance"]
    )
    assert summary.evidence_rows == 6  # the 200-day-old rows are left out
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    matrix = html.split('class="matrix"')[1].split("</table>")[0]
    assert "救助" in matrix and "就业" not in matrix


def test_select_workers_explains_an_unknown_worker_or_scope(roster):
    with pytest.raises(ValueError, match="没有工号"):
        select_workers(roster, worker="Z99")
    with pytest.raises(ValueError, match="南街道"):
        select_workers(roster, scope="南街道")


def test_each_worker_gets_a_radar_over_all_twelve_domains(tmp_path, store, roster):
    build_report(store, select_workers(roster, worker="A01"), out_html=tmp_path / "me.html")
    html = (tmp_path / "me.html").read_text(encoding="utf-8")
    radar = html.split('<svg class="radar"')[1].split("</svg>")[0]
    assert radar.count("<line") == 12 and "<polygon" in radar
    points = radar.split('points="')[1].split('"')[0].split()
    assert len(points) == 12 and len(set(points)) > 1  # one domain has a score, the rest sit at the centre
