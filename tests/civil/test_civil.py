"""Civil Code calculators against the hand-worked scenarios in ``casebank/civil/``, plus the
quotes they show and the way they refuse bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainkit.civil import CALCULATORS
from trainkit.civil.cases import Scenario, ScenarioFile, load_case, mismatch
from trainkit.content import ContentError, parse, read_yaml
from trainkit.law import check_quote

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"


def _scenarios() -> list:
    params = []
    for name in CALCULATORS:
        path = CASEBANK / "civil" / f"{name}.yaml"
        if not path.is_file():
            continue
        scenario_file = ScenarioFile.model_validate(read_yaml(path))
        assert scenario_file.calculator == name
        params += [pytest.param(name, s, id=f"{name}:{s.name}") for s in scenario_file.scenarios]
    return params


SCENARIOS = _scenarios()


@pytest.mark.parametrize(("calculator", "scenario"), SCENARIOS)
def test_scenario_is_reproduced(calculator: str, scenario: Scenario):
    module = CALCULATORS[calculator]
    finding = module.evaluate(parse(module.Case, scenario.case, scenario.name))
    assert mismatch(scenario.expected, finding.facts) is None, (mismatch(scenario.expected, finding.facts), finding)


@pytest.mark.parametrize("calculator", list(CALCULATORS))
def test_each_calculator_has_at_least_eight_scenarios(calculator: str):
    assert sum(1 for p in SCENARIOS if p.values[0] == calculator) >= 8


@pytest.mark.parametrize(("calculator", "scenario"), SCENARIOS)
def test_every_step_quotes_its_article_exactly(calculator: str, scenario: Scenario):
    module = CALCULATORS[calculator]
    finding = module.evaluate(parse(module.Case, scenario.case, scenario.name))
    cited = [s.citation for s in finding.steps if s.citation]
    assert cited, "a finding with no article"
    for citation in cited:
        assert check_quote(citation) is None, citation


def test_mismatch_names_the_differing_fact():
    assert mismatch({"passed": True}, {"passed": False}) == "passed: 应为 True，实际为 False"
    assert mismatch({"last_day": "2025-04-02"}, {"last_day": "2025-04-02"}) is None


def test_a_case_file_with_a_duplicate_key_is_refused(tmp_path):
    path = tmp_path / "vote.yaml"
    path.write_text("matter: 4\nmatter: 6\n", encoding="utf-8")
    with pytest.raises(ContentError, match="第2行: .*键 'matter' 重复"):
        load_case(CALCULATORS["vote"].Case, path)


def test_bad_vote_input_names_each_field_in_chinese(tmp_path):
    path = tmp_path / "vote.yaml"
    path.write_text(
        "matter: true\ntotal: {area: 大约一万, owners: 1.5}\n"
        "participating: {area: 1, owners: 1}\nagreeing: {area: 1, owners: 1, note: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        load_case(CALCULATORS["vote"].Case, path)
    text = str(err.value)
    assert f"{path}: matter: 应为整数" in text
    assert "total.area: 应为数字" in text
    assert "total.owners: 应为整数" in text
    assert "agreeing.note: 未知字段" in text


def test_vote_refuses_more_agreeing_than_participating():
    case = {
        "matter": 4,
        "total": {"area": 100, "owners": 10},
        "participating": {"area": 80, "owners": 8},
        "agreeing": {"area": 90, "owners": 8},
    }
    with pytest.raises(ContentError, match="同意的面积或人数不能多于参与表决的业主"):
        parse(CALCULATORS["vote"].Case, case, "x.yaml")


def test_a_representative_must_name_a_child_who_died_first():
    case = {
        "decedent": "甲",
        "people": [{"name": "乙", "relation": "child"}, {"name": "丙", "relation": "descendant", "through": "乙"}],
    }
    with pytest.raises(ContentError, match=r"丙：被代位人（through）应是先于被继承人死亡的子女的姓名"):
        parse(CALCULATORS["inheritance"].Case, case, "x.yaml")


def test_an_inheritance_flag_must_be_true_or_false():
    case = {"decedent": "甲", "people": [{"name": "乙", "relation": "child", "hardship": "是"}]}
    with pytest.raises(ContentError, match=r"x.yaml: people.0.hardship: 应为 true 或 false"):
        parse(CALCULATORS["inheritance"].Case, case, "x.yaml")
