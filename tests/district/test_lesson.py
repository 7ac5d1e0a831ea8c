import pandas as pd
import pytest

from trainkit.district.lesson import LESSON_COMMUNITY, load_district, mask_id, mask_name


@pytest.fixture(scope="module")
def district():
    return load_district()


def test_one_community_with_chinese_tables(district):
    assert set(district.tables) == {"户", "居民", "服务记录", "需求问卷", "议事议题"}
    assert set(district["户"]["社区"]) == {LESSON_COMMUNITY}
    assert district["户"]["网格"].nunique() == 6 and 400 < len(district["户"]) < 650
    people = district["居民"]
    assert {"姓名", "身份证号", "年龄", "网格", "独居", "大连户籍", "户享受待遇"} <= set(people.columns)
    assert set(people["性别"]) <= {"女", "男"} and set(people["与户主关系"]) <= {"户主", "配偶", "子女", "父母"}
    assert set(district["需求问卷"]["户编号"]) <= set(district["户"]["户编号"])
    assert set(district["议事议题"]["网格"]) <= set(district["户"]["网格"])
    assert "示例07社区" in repr(district) and "虚构" in district.note and "2026-06-01" in district.note


def test_people_are_visibly_fake(district):
    people = district["居民"]
    assert people["姓名"].str.startswith("【虚构】").all() and people["身份证号"].str.startswith("虚构-").all()


def test_living_alone_means_the_only_one_living_in_the_household(district):
    people, households = district["居民"], district["户"]
    alone = people[people["独居"]]
    assert (alone["户编号"].map(households.set_index("户编号")["同住人数"]) == 1).all()
    assert len(alone) == (households["同住人数"] == 1).sum()


def test_same_arguments_same_tables_and_copies_are_independent(district):
    again = load_district()
    pd.testing.assert_frame_equal(district["居民"], again["居民"])
    again["居民"]["年龄段"] = "x"
    assert "年龄段" not in load_district()["居民"].columns
    assert not load_district(community="示例23社区")["户"]["户编号"].isin(district["户"]["户编号"]).any()


def test_unknown_community_and_table_are_named_in_chinese(district):
    with pytest.raises(ValueError, match="示例99社区"):
        load_district(community="示例99社区")
    with pytest.raises(KeyError, match="问卷"):
        district["问卷"]


def test_masking_keeps_surname_and_last_four_digits():
    assert mask_name("【虚构】王秀英") == "【虚构】王**"
    assert mask_name("李") == "李*"
    assert mask_id("虚构-19460520-000123") == "虚构-********-**0123"
    assert mask_id("21020219460520123X") == "**************123X"
