"""The mediation case schema, its checks, the contribution template and personal-data flags."""

import shutil
from pathlib import Path

import pytest
import yaml

from trainkit.cases import Case, load_cases, new_case_template, personal_data_warnings, walk_score
from trainkit.check import run_check

FIXTURE = Path(__file__).parent / "data" / "test-water-cutoff.yaml"


def _data():
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_case_is_valid_and_scores_along_its_path():
    case = Case.model_validate(_data())
    assert walk_score(case, ["A", "A", "A"]) == 1.0
    assert walk_score(case, ["B", "A", "A", "A"]) == pytest.approx((0 + 0.8 + 1 + 1) / 4)
    assert walk_score(case, ["B", "B"]) == pytest.approx(0.1)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: d["steps"][0]["options"][0].update(next="nowhere"), "不存在"),
        (
            lambda d: [
                o.update(next=d["steps"][i + 1]["id"] if i + 1 < len(d["steps"]) else "end")
                for i, s in enumerate(d["steps"])
                for o in s["options"]
            ],
            "分支",
        ),
        (lambda d: d["steps"][3]["options"][0].update(next="s1"), "循环"),
        (lambda d: d.update(citations=d["citations"][:1]), "citations"),
        (
            lambda d: d["steps"].append(
                {
                    "id": "lost",
                    "prompt": "?",
                    "options": [
                        {"key": "A", "text": "x", "feedback": "一二三四五六七八九十", "score": 1, "next": "end"},
                        {"key": "B", "text": "y", "feedback": "一二三四五六七八九十", "score": 0, "next": "end"},
                    ],
                }
            ),
            "走不到",
        ),
    ],
)
def test_broken_cases_are_refused_with_a_reason(breakage, message):
    data = _data()
    breakage(data)
    with pytest.raises(ValueError, match=message):
        Case.model_validate(data)


def test_check_counts_a_case_by_area_and_flags_real_looking_personal_data(casebank):
    folder = casebank / "cases" / "property_service"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder)
    inv = run_check()
    assert inv.by["cases_by_area"]["property_service"] >= 1
    assert not [p for p in inv.problems if "test-water-cutoff" in p]
    leaked = folder / "test-water-cutoff.yaml"
    leaked.write_text(
        leaked.read_text(encoding="utf-8").replace(
            "某小区3号楼的陈女士", "家住胜利路12号的陈女士（电话13912345678，身份证210202198001011234）"
        ),
        encoding="utf-8",
    )
    problems = [p for p in run_check().problems if "个人信息" in p]
    assert len(problems) == 3 and all(str(leaked) in p for p in problems)


def test_a_case_in_the_wrong_folder_is_named(casebank):
    folder = casebank / "cases" / "neighbors"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder)
    problems = run_check().problems
    assert any("area" in p and "neighbors" in p for p in problems)


def test_personal_data_warnings_leave_fictional_text_alone():
    assert personal_data_warnings("陈女士住在3号楼2单元，电话已登记。") == []
    assert len(personal_data_warnings("联系电话 13800001111")) == 1


def test_the_contribution_template_names_its_area_and_fails_until_filled(casebank):
    text = new_case_template("neighbors", "my-first-case")
    data = yaml.safe_load(text)
    assert data["area"] == "neighbors" and data["items"] == ["mediate_neighbors"]
    assert "去标识化" in text
    with pytest.raises(ValueError):
        Case.model_validate(data)
    with pytest.raises(ValueError, match="未知调解领域"):
        new_case_template("gardening", "x")


def test_load_cases_filters_by_area(casebank):
    folder = casebank / "cases" / "property_service"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE, folder)
    assert "test-water-cutoff" in load_cases("property_service")
    assert "test-water-cutoff" not in load_cases("neighbors")
