"""The supervisor's forms write appeals and decisions like the command line does."""

from datetime import date, timedelta

from trainkit.appeals import file_appeal, list_appeals
from trainkit.evidence import open_store
from trainkit.roster import load_roster
from trainkit.widgets import appeal_form, evidence_query


def _form(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    return appeal_form(supervisor="S001", store=store, roster=load_roster()), store


def test_an_appeal_is_filed_and_revised_into_new_evidence(tmp_path):
    form, store = _form(tmp_path)
    worker, domain, reason, _deadline, file_button = form.children[1:6]
    pending, outcome, score, note, decide_button, message = form.children[7:13]
    worker.value, domain.value, reason.value = "W002", "elderly", "高龄津贴登记一直是我在办"
    file_button.click()
    assert "已登记申诉" in message.value and len(pending.options) == 1
    outcome.value, score.value, note.value = "revised", 0.8, "督导陪同入户两次，登记规范"
    decide_button.click()
    assert "改变评定" in message.value and pending.options == (("（目前没有待处理的申诉）", ""),)
    assert decide_button.disabled
    [row] = store.rows(worker_id="W002")
    assert (row.source, row.score, row.domain) == ("appeal_outcome", 0.8, "elderly")
    assert list_appeals(store)[0].decided_by == "S001"


def test_bad_input_is_a_message_not_a_traceback(tmp_path):
    form, store = _form(tmp_path)
    file_button, message = form.children[5], form.children[12]
    file_button.click()  # no reason written
    assert "理由" in message.value
    form.children[11].click()  # nothing pending
    assert "没有待处理" in message.value


def test_the_appeal_form_lists_only_the_supervisors_area(tmp_path):
    roster = load_roster()
    elsewhere = roster["W003"].model_copy(update={"worker_id": "X001", "street": "另一街道", "community": "另一社区"})
    roster = {**roster, "X001": elsewhere}
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    file_appeal(
        store,
        roster,
        worker_id="X001",
        domain="elderly",
        reason="另一街道的申诉",
        recorded_by="X001",
        deadline=date.today() + timedelta(days=5),
    )
    form = appeal_form(supervisor="S001", store=store, roster=roster)
    worker, pending = form.children[1], form.children[7]
    listed = {value for _label, value in worker.options}
    assert "X001" not in listed and "S001" not in listed and {"W001", "W002"} <= listed
    assert pending.options == (("（目前没有待处理的申诉）", ""),)  # X001's appeal is another street's
    refused = appeal_form(supervisor="W001", store=store, roster=roster)
    assert "没有督导范围" in refused.children[0].value


def test_the_query_form_shows_ratings_and_evidence(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    store.record(
        worker_id="W001",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="quiz:x:y",
        score=1,
    )
    box = evidence_query(store=store, roster=load_roster())
    box.children[0].children[0].value = "W001"
    box.children[2].click()
    shown = box.children[3].value
    assert "社会救助" in shown and "quiz:x:y" in shown


def _two_workers(tmp_path):
    from datetime import datetime

    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    for worker in ("W001", "W002"):
        store.record(
            worker_id=worker,
            item_id="dibao_income",
            domain="social_assistance",
            source="self_check",
            ref=f"quiz:{worker}",
            score=1,
            recorded_at=datetime(2026, 11, 30, 23, 30),
        )  # UTC
    return store


def test_a_worker_sees_only_their_own_records(tmp_path):
    roster = load_roster()
    box = evidence_query(store=_two_workers(tmp_path), roster=roster, viewer=roster["W001"])
    who = box.children[0].children[0]
    assert who.options == (("林晓雨（示例）（W001）", "W001"),)
    box.children[2].click()
    shown = box.children[3].value
    assert "quiz:W001" in shown and "quiz:W002" not in shown and "W002" not in shown
    assert "本人的记录" in box.children[4].value


def test_a_supervisor_sees_names_local_time_and_chinese_titles(tmp_path):
    roster = load_roster()
    box = evidence_query(store=_two_workers(tmp_path), roster=roster, viewer=roster["S001"])
    who, domain = box.children[0].children
    assert who.options[0] == ("全部", "") and who.value == "" and domain.options[0] == ("全部领域", "")
    box.children[2].click()
    shown = box.children[3].value
    assert "quiz:W001" in shown and "quiz:W002" in shown
    assert "赵建国（示例）（W002）" in shown and "2026-12-01 07:30" in shown  # 23:30 UTC is 07:30 in Beijing
    assert "低保" in shown and "dibao_income" not in shown and "social_assistance" not in shown
    assert "NaN" not in shown


def test_the_query_names_the_question_not_its_ref(tmp_path):
    from trainkit.quiz import load_bank

    bank = load_bank("social-assistance-dibao")
    item = bank.items[0]
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    store.record(
        worker_id="W001",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref=f"quiz:{bank.id}:{item.id}",
        score=1,
    )
    box = evidence_query(store=store, roster=load_roster())
    box.children[2].click()
    shown = box.children[3].value
    assert f"自测题〔{bank.title}〕" in shown and f"quiz:{bank.id}" not in shown


def test_on_a_city_roster_a_street_supervisor_sees_only_their_own_districts_street(tmp_path):
    """Two 区县 each have a 示例街道: the 东区 supervisor of 示例街道 must not see 西区's."""
    from trainkit.widgets.supervisor import visible_workers

    roster = {k: w.model_copy(update={"district": "示例东区"}) for k, w in load_roster().items()}
    west = roster["W003"].model_copy(update={"worker_id": "X001", "district": "示例西区"})
    roster = {**roster, "X001": west}
    seen = visible_workers(roster["S001"], roster)
    assert "X001" not in seen and {"W001", "W002", "S001"} <= set(seen)
    city = roster["S001"].model_copy(update={"district": "", "supervisor_scope": "示例西区·示例街道"})
    assert set(visible_workers(city, roster)) == {"X001", "S001"}
