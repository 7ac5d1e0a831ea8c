"""The competency framework: 12 domains, their service items and the rating scale."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainkit.content import ContentError
from trainkit.framework import load_framework

CASEBANK = Path(__file__).resolve().parents[1] / "casebank"

# DESIGN §3, in order
DOMAINS = [
    "employment",
    "social_insurance",
    "social_assistance",
    "shidu_care",
    "maternal_child",
    "public_health",
    "law_safety",
    "elderly",
    "mediation",
    "communication",
    "needs_analysis",
    "governance",
]
MEDIATION_AREAS = {
    "property_service": "物业",
    "neighbors": "相邻关系与物权",
    "marriage_family": "婚姻家庭",
    "inheritance": "继承",
    "elder_support": "赡养",
    "women_children": "妇女儿童权益",
}


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def test_twelve_domains_in_design_order():
    fw = load_framework()
    assert [d.id for d in fw.domains] == DOMAINS
    assert fw.domain("social_assistance").title == "社会救助"
    assert fw.domain("mediation").title == "矛盾纠纷调处（民法典）"
    assert all(d.items for d in fw.domains)


def test_item_ids_are_unique_and_ascii():
    fw = load_framework()
    ids = [i.id for d in fw.domains for i in d.items]
    assert len(ids) == len(set(ids))
    assert len(fw.items) == len(ids)
    for item_id in ids:
        assert item_id.isascii() and item_id == item_id.lower(), item_id
        assert not set(item_id) - set("abcdefghijklmnopqrstuvwxyz0123456789_"), item_id
    assert not set(ids) & set(DOMAINS)  # an id names either a domain or an item


def test_mediation_areas():
    mediation = load_framework().domain("mediation")
    assert {a.id: a.title for a in mediation.areas} == MEDIATION_AREAS
    declared = {a.id for a in mediation.areas}
    for item in mediation.items:
        assert item.area in declared, item.id
    assert {i.area for i in mediation.items} == declared  # every area has an item


def test_only_mediation_has_areas():
    fw = load_framework()
    assert [d.id for d in fw.domains if d.areas] == ["mediation"]


def test_domain_of():
    fw = load_framework()
    assert fw.domain_of("dibao_income") == "social_assistance"
    assert fw.domain_of("mediate_inheritance") == "mediation"
    assert fw.domain_of("unemployment_registration") == "employment"
    assert fw.domain_of("grid_management") == "governance"
    with pytest.raises(KeyError, match="未知服务事项"):
        fw.domain_of("social_assistance")  # a domain id is not an item
    with pytest.raises(KeyError):
        fw.domain("nope")


def test_scale():
    fw = load_framework()
    assert [lv.title for lv in fw.scale] == ["未评估", "证据不足", "待提高", "合格", "熟练", "精通"]
    assert [lv.id for lv in fw.scale if lv.proficient] == ["competent", "skilled", "expert"]
    assert {lv.title for lv in fw.scale if lv.proficient} == {"合格", "熟练", "精通"}
    assert fw.level("competent").proficient is True
    assert fw.level("needs_improvement").proficient is False


# ── a broken framework file ─────────────────────────────────────────────────


@pytest.fixture
def framework_data(casebank):
    path = casebank / "framework.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def write(changed: dict) -> Path:
        text = yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return data, write


def _domain(data: dict, domain_id: str) -> dict:
    return next(d for d in data["domains"] if d["id"] == domain_id)


def test_copied_framework_loads(framework_data):
    data, write = framework_data
    write(data)
    assert len(load_framework().domains) == 12


def test_duplicate_item_id_rejected(framework_data):
    data, write = framework_data
    _domain(data, "governance")["items"].append({"id": "dibao_income", "title": "重复的事项"})
    path = write(data)
    with pytest.raises(ContentError) as err:
        load_framework()
    message = str(err.value)
    assert str(path) in message
    assert path.name == "framework.yaml"
    assert "id 重复：dibao_income" in message


def test_duplicate_domain_id_rejected(framework_data):
    data, write = framework_data
    data["domains"].append(
        {"id": "elderly", "title": "重复", "short": "重复", "items": [{"id": "x_item", "title": "x"}]}
    )
    write(data)
    with pytest.raises(ContentError, match="domains 中 id 重复：elderly"):
        load_framework()


def test_undeclared_area_rejected(framework_data):
    data, write = framework_data
    _domain(data, "mediation")["items"].append({"id": "mediate_labour", "title": "劳动纠纷调解", "area": "labour"})
    path = write(data)
    with pytest.raises(ContentError) as err:
        load_framework()
    message = str(err.value)
    assert str(path) in message
    assert "mediate_labour" in message and "'labour'" in message


def test_area_on_domain_without_areas_rejected(framework_data):
    data, write = framework_data
    _domain(data, "elderly")["items"][0]["area"] = "inheritance"  # declared only under mediation
    write(data)
    with pytest.raises(ContentError, match="未在领域 elderly 中声明"):
        load_framework()


def test_non_ascii_item_id_rejected(framework_data):
    data, write = framework_data
    _domain(data, "elderly")["items"][0]["id"] = "高龄津贴"
    path = write(data)
    with pytest.raises(ContentError) as err:
        load_framework()
    assert err.value.problems[0].startswith(f"{path}: domains.7.items.0.id: ")


def test_missing_framework_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(tmp_path))
    with pytest.raises(ContentError, match="framework.yaml: 文件不存在"):
        load_framework()
