"""The needs-analysis controls: the figures they show, worked out by hand or with plain pandas."""

import pandas as pd
import pytest

from trainkit.district.explore import select_residents, service_gap, visit_plan
from trainkit.district.lesson import load_district
from trainkit.widgets import gap_planner, resident_filter, visit_planner


@pytest.fixture(scope="module")
def residents():
    return load_district()["居民"]


def test_select_residents_by_age_living_alone_and_hukou(residents):
    assert len(select_residents(residents, min_age=75)) == (residents["年龄"] >= 75).sum()
    older_not_alone = select_residents(residents, min_age=80, living_alone=False)
    assert len(older_not_alone) == ((residents["年龄"] >= 80) & ~residents["独居"]).sum()
    assert (older_not_alone["年龄"] >= 80).all() and not older_not_alone["独居"].any()
    non_local = select_residents(residents, min_age=60, dalian=False)
    assert len(non_local) == ((residents["年龄"] >= 60) & ~residents["大连户籍"]).sum()


def test_resident_filter_follows_the_slider(residents):
    box = resident_filter(residents)
    slider, out = box.children[0], box.children[-1]
    assert f"共 <b>{(residents['年龄'] >= 80).sum()}</b> 人" in out.value
    slider.value = 75
    assert f"共 <b>{(residents['年龄'] >= 75).sum()}</b> 人" in out.value


def test_service_gap_worked_by_hand():
    need = pd.Series({"老年助餐": 50.0, "日间照料": 10.0, "托育服务": 3.0})
    table = service_gap(need, households=200, capacity={"日间照料": 25, "老年助餐": 40})
    # 老年助餐 50% × 200 = 100 户，缺 60，占 60.0%；日间照料 10% × 200 = 20 户，多出 5，-25.0%
    assert list(table.index) == ["老年助餐", "日间照料"]
    assert table.loc["老年助餐"].tolist() == [100, 40, 60, 60.0]
    assert table.loc["日间照料"].tolist() == [20, 25, -5, -25.0]
    with pytest.raises(ValueError, match="问卷里没有这几项服务：助浴"):
        service_gap(need, households=200, capacity={"助浴": 3})


def test_gap_planner_recomputes_when_a_capacity_changes():
    box = gap_planner(pd.Series({"老年助餐": 50.0}), households=200, capacity={"老年助餐": 40})
    field, out = box.children[1], box.children[-1]
    assert "<td>60</td>" in out.value
    field.value = 70
    assert "<td>30</td>" in out.value and "<td>30.0</td>" in out.value


def _outreach():
    return pd.DataFrame(
        {
            "网格": ["G1", "G1", "G1", "G1", "G2", "G2"],
            "户编号": ["H1", "H1", "H2", "H3", "H4", "H5"],
            "项目": ["低保", "高龄津贴", "低保", "临时救助", "高龄津贴", "低保"],
        }
    )


def test_visit_plan_counts_households_once_and_rounds_afternoons_up():
    plan = visit_plan(_outreach(), home_visit=["低保", "临时救助"], per_afternoon=2)
    assert plan.methods.loc["低保"].tolist() == [3, 0] and plan.methods.loc["高龄津贴"].tolist() == [0, 2]
    # G1: H1, H2, H3 → 3 户，每个下午 2 户 → 2 个下午；G2: H5 → 1 户 → 1 个下午
    assert plan.plan.to_dict("index") == {
        "G1": {"入户户数": 3, "需要几个下午": 2},
        "G2": {"入户户数": 1, "需要几个下午": 1},
    }
    with pytest.raises(ValueError, match="至少走访 1 户"):
        visit_plan(_outreach(), home_visit=[], per_afternoon=0)


def test_visit_planner_ticks_change_the_plan():
    box = visit_planner(_outreach(), home_visit=["低保"], per_afternoon=4)
    ticks = {c.description: c for c in box.children if hasattr(c, "indent")}
    out = box.children[-1]
    assert "一共要 <b>2</b> 个下午" in out.value
    box.children[-2].value = 1  # one household an afternoon: G1 has H1 and H2, G2 has H5
    assert "一共要 <b>3</b> 个下午" in out.value
    ticks["临时救助"].value = True  # H3 in G1
    assert "一共要 <b>4</b> 个下午" in out.value
    ticks["低保"].value = ticks["临时救助"].value = False
    assert "没有勾选要入户的项目" in out.value
