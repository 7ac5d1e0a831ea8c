"""法条查询: statute lookup and exact-quote checking against the shipped texts."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest
from pydantic import ValidationError

from trainkit.law import Citation, LawError, article, check_quote, law_title, laws

ART_9_TEXT = (
    "国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，"
    "且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。"
)
SHARED_LAW = Path(__file__).resolve().parents[2] / "shared" / "law"


def cite(quote: str, law: str = "社会救助暂行办法", number: int = 9, **kw) -> Citation:
    return Citation(law=law, article=number, quote=quote, **kw)


# ── lookup ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name",
    ["社会救助暂行办法", "《社会救助暂行办法》", "social_assistance_measures", " 社会救助暂行办法 "],
)
def test_article_by_name_or_slug(name):
    a = article(name, 9)
    assert a.law == "social_assistance_measures"
    assert a.number == 9
    assert a.label == "第九条"
    assert a.text == ART_9_TEXT
    assert a.chapter == "第二章 最低生活保障"


@pytest.mark.parametrize(
    "name",
    ["民法典", "中华人民共和国民法典", "《中华人民共和国民法典》", "《民法典》", "civil_code"],
)
def test_civil_code_article_1067_by_every_spelling(name):
    a = article(name, 1067)
    assert a.law == "civil_code"
    assert a.label == "第一千零六十七条"
    assert a.text.startswith("父母不履行抚养义务的，未成年子女或者不能独立生活的成年子女")
    assert "\n成年子女不履行赡养义务的" in a.text


def test_short_alias_for_residents_committee_law():
    assert article("居民委员会组织法", 6) == article("中华人民共和国城市居民委员会组织法", 6)


def test_superseded_2018_residents_committee_law_differs_from_current():
    old = article("城市居民委员会组织法", 6, version=2018)
    new = article("城市居民委员会组织法", 6)
    assert old.law == "urban_residents_committee_law_2018"
    assert "一般在一百户至七百户的范围内设立" in old.text
    assert new.law == "urban_residents_committee_law"
    assert "一百户至七百户" not in new.text
    assert new.text != old.text


def test_superseded_title_says_so():
    assert law_title("城市居民委员会组织法", version=2018) == "中华人民共和国城市居民委员会组织法（2018年版，已废止）"
    assert law_title("城市居民委员会组织法") == "中华人民共和国城市居民委员会组织法"


def test_unknown_version_raises():
    with pytest.raises(LawError, match="没有收录 2018 年版本"):
        article("民法典", 1067, version=2018)


def test_unknown_law_raises_in_chinese():
    with pytest.raises(LawError, match="未收录的法律：中华人民共和国刑法") as err:
        article("中华人民共和国刑法", 1)
    assert "民法典" in str(err.value)  # lists what is available


@pytest.mark.parametrize("number", [0, 1261, 99999])
def test_out_of_range_article_raises_in_chinese(number):
    with pytest.raises(LawError, match=rf"《中华人民共和国民法典》没有第{number}条（共1260条）"):
        article("民法典", number)


def test_last_article_exists():
    assert article("民法典", 1260).text.startswith("本法自2021年1月1日起施行。")
    assert article("城市居民委员会组织法", 50).number == 50
    with pytest.raises(LawError):
        article("城市居民委员会组织法", 51)
    assert article("城市居民委员会组织法", 23, version=2018).number == 23
    with pytest.raises(LawError, match="共23条"):
        article("城市居民委员会组织法", 24, version=2018)


def test_law_error_is_a_lookup_error():
    assert issubclass(LawError, LookupError)


# ── quote checking ──────────────────────────────────────────────────────────


def test_exact_quote_is_ok():
    assert check_quote(cite(ART_9_TEXT)) is None
    assert check_quote(cite("国家对共同生活的家庭成员人均收入低于当地最低生活保障标准")) is None


def test_quote_ignores_whitespace_and_width():
    # half-width comma, inserted spaces and a line break
    quote = "国家对 共同生活的家庭成员\n人均收入低于当地最低生活保障标准 ,且符合当地"
    assert check_quote(cite(quote)) is None


def test_full_width_quote_matches_ascii_text():
    # 社会救助暂行办法 第十一条 is stored with ASCII "(一)"; a full-width quote still matches
    assert "(一)由共同生活的家庭成员" in article("社会救助暂行办法", 11).text
    assert check_quote(cite("（一）由共同生活的家庭成员向户籍所在地", number=11)) is None


@pytest.mark.parametrize("gap", ["……", "…", "..."])
def test_ellipsis_joins_two_pieces(gap):
    assert check_quote(cite(f"国家对共同生活的家庭成员{gap}给予最低生活保障。")) is None


def test_wrong_wording_is_reported():
    problem = check_quote(cite("国家对共同生活的家庭成员人均收入高于当地最低生活保障标准"))
    assert problem is not None
    assert problem.startswith("引文与法条原文不符")
    assert "高于" in problem


def test_quote_from_another_article_is_reported():
    assert check_quote(cite("国家对共同生活的家庭成员人均收入低于", number=10)) is not None


def test_short_piece_is_reported():
    problem = check_quote(cite("国家对共同生活的家庭成员……保障。"))
    assert problem is not None
    assert "过短" in problem
    assert "保障。" in problem


def test_six_character_piece_is_long_enough():
    assert check_quote(cite("国家对共同生活的家庭成员……给予最低生活")) is None  # 6 characters


def test_pieces_out_of_order_are_reported():
    problem = check_quote(cite("给予最低生活保障。……国家对共同生活的家庭成员"))
    assert problem is not None
    assert "不符" in problem


def test_quote_of_superseded_text_checks_against_that_version():
    quote = "一般在一百户至七百户的范围内设立"
    assert check_quote(cite(quote, law="城市居民委员会组织法", number=6, version=2018)) is None
    assert check_quote(cite(quote, law="城市居民委员会组织法", number=6)) is not None


def test_check_quote_reports_unknown_law_and_article_instead_of_raising():
    assert "未收录的法律" in check_quote(cite("国家对共同生活的家庭成员", law="刑法"))
    assert "没有第71条" in check_quote(cite("国家对共同生活的家庭成员", number=71))


def test_citation_rejects_short_quote_and_article_zero():
    with pytest.raises(ValidationError):
        Citation(law="民法典", article=1067, quote="父母")
    with pytest.raises(ValidationError):
        Citation(law="民法典", article=0, quote="父母不履行抚养义务的")
    with pytest.raises(ValidationError):
        Citation(law="民法典", article=1067, quote="父母不履行抚养义务的", page=3)


def test_citation_label():
    assert cite("国家对共同生活的家庭成员").label == "《社会救助暂行办法》第九条"
    assert cite("国家对共同生活的家庭成员", law="social_assistance_measures", number=12).label == (
        "《社会救助暂行办法》第十二条"
    )
    assert cite("父母不履行抚养义务的", law="民法典", number=1067).label == ("《中华人民共和国民法典》第一千零六十七条")


# ── the shipped set ─────────────────────────────────────────────────────────


def test_laws_lists_the_21_current_laws():
    current = laws()
    assert len(current) == 21
    assert set(current) == {
        "anti_domestic_violence_law",
        "civil_code",
        "elderly_rights_law",
        "employment_promotion_law",
        "infectious_disease_law",
        "minors_protection_law",
        "people_mediation_law",
        "personal_information_protection_law",
        "property_management_regulations",
        "social_assistance_measures",
        "social_insurance_law",
        "population_family_planning_law",
        "anti_telecom_fraud_law",
        "community_corrections_law",
        "narcotics_control_law",
        "fire_protection_law",
        "disabled_persons_protection_law",
        "basic_healthcare_law",
        "charity_law",
        "urban_residents_committee_law",
        "women_rights_law",
    }
    assert current["social_assistance_measures"] == "社会救助暂行办法"
    assert current["civil_code"] == "中华人民共和国民法典"
    assert not any(slug.endswith(("_2013", "_2018")) for slug in current)


def _json_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.json"))}


def _require_shared_law(folder: Path) -> Path:
    """The reference folder; skip when absent, except on CI where its absence fails."""
    if not folder.is_dir():
        message = f"找不到参考法条目录 {folder}（应在仓库旁的 ../shared/law）"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}；CI 中必须提供该目录")
        pytest.skip(message)
    return folder


def test_shipped_texts_equal_shared_reference_set():
    reference = _json_files(_require_shared_law(SHARED_LAW))
    shipped = _json_files(Path(str(resources.files("trainkit") / "law")))
    assert len(reference) == 23
    assert sorted(shipped) == sorted(reference)
    changed = [name for name in reference if shipped[name] != reference[name]]
    assert changed == []


def test_missing_reference_folder_skips_locally(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="找不到参考法条目录"):
        _require_shared_law(tmp_path / "absent")


def test_missing_reference_folder_fails_on_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI 中必须提供该目录"):
        _require_shared_law(tmp_path / "absent")
