"""The trainkit command line, run as a trainer would run it."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

from trainkit.content import casebank_root

KEYS_INT = [
    "domains",
    "service_items",
    "lessons",
    "quiz_items",
    "cases",
    "programs",
    "scenarios",
    "exercises",
    "citations",
    "distinct_articles",
    "references",
]
KEYS_OBJ = [
    "lessons_by_domain",
    "quiz_items_by_domain",
    "quiz_items_by_service_item",
    "exercises_by_domain",
    "scenarios_by_program",
    "cases_by_area",
]


def trainkit(*args, env=None, cwd=None):
    import os

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "trainkit", *args], capture_output=True, text=True, env=full_env, cwd=cwd, check=False
    )


def test_check_json_reports_every_key_and_passes_on_the_shipped_content():
    result = trainkit("check", "--json")
    assert result.returncode == 0, result.stderr
    inv = json.loads(result.stdout)
    for key in KEYS_INT:
        assert isinstance(inv[key], int), key
    for key in KEYS_OBJ:
        assert isinstance(inv[key], dict), key
    assert inv["domains"] == 12 and len(inv["quiz_items_by_domain"]) == 12
    assert inv["quiz_items_by_domain"]["social_assistance"] >= 8
    assert inv["scenarios_by_program"]["dibao"] >= 10
    assert inv["exercises_by_domain"]["social_assistance"] == 2  # 低保, and 特困/临时救助/两项补贴
    for service_item in ("tekun_application", "temporary_assistance", "disability_subsidies"):
        assert inv["quiz_items_by_service_item"][service_item] >= 20, service_item
    assert inv["citations"] >= 10 and inv["problems"] == []


def test_a_broken_parameter_file_exits_1_naming_file_and_field(casebank):
    path = casebank / "parameters" / "dibao-urban-standard-dalian.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["values"][1]["status"] = "X"
    del data["values"][2]["reference"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = trainkit("check", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(str(path) in line and "values.1.status" in line for line in lines)
    assert any(str(path) in line and "values.2" in line and "reference" in line for line in lines)


def test_a_wrong_quote_and_a_wrong_scenario_are_both_reported(casebank):
    quiz = casebank / "quiz" / "social-assistance-dibao.yaml"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("低于当地最低生活保障标准", "少于当地最低生活保障标准", 1),
        encoding="utf-8",
    )
    scen = casebank / "scenarios" / "dibao.yaml"
    scen.write_text(scen.read_text(encoding="utf-8").replace("amount: 633", "amount: 634"), encoding="utf-8")
    result = trainkit("check", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 1
    assert "引文与法条原文不符" in result.stderr and str(quiz) in result.stderr
    assert "金额应为 634" in result.stderr


def test_a_lesson_naming_a_missing_case_is_reported(casebank):
    path = casebank / "lessons" / "mediation-neighbors.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["cases"] = [*data["cases"], "no-such-case"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = trainkit("check", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 1
    assert f"{path}: cases: 找不到案例 no-such-case" in result.stderr


def test_policy_evaluate_gives_the_documented_json():
    household = casebank_root() / "households" / "dibao-wang-family.yaml"
    result = trainkit("policy", "evaluate", "dibao", "--household", str(household), "--on", "2025-09-01", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["eligible"] is True and out["amount"] == "2044.00" and out["period"] == "month"
    assert out["program"] == "dibao" and out["on"] == "2025-09-01" and out["missing"] == []
    assert any(r.get("citation", {}).get("article") == 12 for r in out["reasons"])
    gap = json.loads(
        trainkit("policy", "evaluate", "dibao", "--household", str(household), "--on", "2024-10-01", "--json").stdout
    )
    assert gap["eligible"] is None and gap["amount"] is None and gap["missing"]


def test_policy_evaluate_explains_bad_input(tmp_path):
    household = tmp_path / "h.yaml"
    household.write_text(
        "members:\n  - {relation: applicant, age: 40, incomes: [{kind: wages, monthly: -5}]}\n", encoding="utf-8"
    )
    result = trainkit("policy", "evaluate", "dibao", "--household", str(household), "--on", "2025-09-01")
    assert result.returncode == 1 and "members.0.incomes.0.monthly" in result.stderr
    early = trainkit(
        "policy",
        "evaluate",
        "dibao",
        "--household",
        str(casebank_root() / "households" / "dibao-wang-family.yaml"),
        "--on",
        "2020-01-01",
    )
    assert early.returncode == 1 and "早于" in early.stderr
    unknown = trainkit("policy", "evaluate", "nosuch", "--household", str(household), "--on", "2025-09-01")
    assert unknown.returncode == 1 and "未知项目" in unknown.stderr


def test_policy_list_shows_status_and_review_date_of_every_value():
    out = json.loads(trainkit("policy", "list", "--json").stdout)
    urban = out["dibao-urban-standard-dalian"]
    assert all(v["status"] in "VSU" and v["reviewed"] for v in urban["values"])
    # the 2024 gap, the 2025 figure, then 2026 (not yet found) as a gap again
    assert [v["value"] for v in urban["values"]][-3:] == [None, "1011", None]


def test_whoami_is_set_once_and_remembered(tmp_path):
    env = {"TRAINKIT_HOME": str(tmp_path), "TRAINKIT_WORKER": ""}
    assert trainkit("whoami", env=env).returncode == 1
    assert "W002" in trainkit("whoami", "W002", env=env).stdout
    assert "赵建国" in trainkit("whoami", env=env).stdout
    assert trainkit("whoami", "NOPE", env=env).returncode == 1


def test_report_command_writes_html_and_xlsx(tmp_path):
    from trainkit.evidence import open_store

    db = f"sqlite:///{tmp_path / 'e.db'}"
    open_store(db).record(
        worker_id="W001",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="quiz:x:y",
        score=1,
    )
    result = trainkit("report", "--db", db, "--out", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "r.xlsx"))
    assert result.returncode == 0, result.stderr
    assert "林晓雨" in Path(tmp_path / "r.html").read_text(encoding="utf-8")
    assert (tmp_path / "r.xlsx").stat().st_size > 0


def test_policy_stale_lists_figures_not_reviewed_within_the_period(casebank):
    path = casebank / "parameters" / "dibao-rural-standard-dalian.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["values"][0]["reviewed"] = "2024-01-15"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = trainkit("policy", "stale", "--months", "12", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("dibao-")]
    assert lines == ["dibao-rural-standard-dalian  2021-07-01  580  [V]  上次核对 2024-01-15"]
    assert "共 1 个数字" in result.stdout


def test_a_template_item_whose_answer_disagrees_with_the_rule_is_reported(casebank):
    path = casebank / "quiz" / "social-assistance-dibao.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("base: {income: 1389}", "base: {income: 1390}"), encoding="utf-8"
    )
    result = trainkit("check", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 1
    assert "template" in result.stderr and "632" in result.stderr


def test_civil_evaluate_vote_shows_each_step_with_its_article(tmp_path):
    case = tmp_path / "vote.yaml"
    case.write_text(
        "matter: 4\ntotal: {area: 9000, owners: 120}\nparticipating: {area: 6000, owners: 80}\n"
        "agreeing: {area: 3000, owners: 41}\n",
        encoding="utf-8",
    )
    result = trainkit("civil", "evaluate", "vote", "--case", str(case))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("结论：未通过：同意的面积未达到第二百七十八条的要求")
    assert "依据：《中华人民共和国民法典》第二百七十八条" in result.stdout
    assert "第一千二百五十九条" in result.stdout


def test_civil_evaluate_deadline_json_gives_dates(tmp_path):
    case = tmp_path / "deadline.yaml"
    case.write_text("kind: divorce_cooling_off\nstart: 2025-03-03\nasked_on: 2025-04-03\n", encoding="utf-8")
    out = json.loads(trainkit("civil", "evaluate", "deadline", "--case", str(case), "--json").stdout)
    assert out["facts"] == {
        "withdraw_last": "2025-04-02",
        "certificate_last": "2025-05-02",
        "stage": "certificate",
        "day": 31,
    }
    assert {s["citation"]["article"] for s in out["steps"] if "citation" in s} >= {201, 203, 1077}


def test_civil_evaluate_explains_bad_input(tmp_path):
    case = tmp_path / "heirs.yaml"
    case.write_text("decedent: 甲\npeople:\n  - {name: 乙, relation: cousin}\n", encoding="utf-8")
    bad = trainkit("civil", "evaluate", "inheritance", "--case", str(case))
    assert bad.returncode == 1 and f"{case}: people.0.relation: 只能是 'spouse'、" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = trainkit("civil", "evaluate", "inheritance", "--case", str(tmp_path / "none.yaml"))
    assert missing.returncode == 1 and "文件不存在" in missing.stderr
    unknown = trainkit("civil", "evaluate", "tax", "--case", str(case))
    assert unknown.returncode == 1 and "未知计算器 tax" in unknown.stderr


def test_check_runs_the_civil_scenarios_and_reports_a_wrong_one(casebank):
    path = casebank / "civil" / "deadline.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "withdraw_last: 2025-04-02, certificate_last: 2025-05-02",
            "withdraw_last: 2025-04-03, certificate_last: 2025-05-02",
            1,
        ),
        encoding="utf-8",
    )
    result = trainkit("check", "--json", env={"TRAINKIT_CASEBANK": str(casebank)})
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert out["civil_scenarios_by_calculator"]["deadline"] >= 8
    assert any(f"{path}: scenarios.0" in p and "withdraw_last: 应为" in p for p in out["problems"])
