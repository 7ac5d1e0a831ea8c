import re

import pandas as pd
import pytest

from trainkit.district.charts import bar_chart


def _bars(html: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="([\d.]+)"', html)]


def test_bars_are_proportional_and_labels_are_text_not_glyphs():
    html = bar_chart(pd.Series({"老年助餐": 40, "托育服务": 10}), title="需求", unit="户", note="数据：示例").data
    assert _bars(html) == [360.0, 90.0]
    assert ">老年助餐<" in html and ">40户<" in html and "数据：示例" in html
    assert "<svg" in html and "<img" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_labels_and_title_are_escaped():
    html = bar_chart({"<b>甲</b>": 1}, title="A & B").data
    assert "<b>甲</b>" not in html and "&lt;b&gt;甲&lt;/b&gt;" in html and "A &amp; B" in html


def test_missing_value_is_shown_as_no_data_not_zero():
    html = bar_chart({"G001": float("nan"), "G002": 3}, title="x", digits=1).data
    assert "无数据" in html and ">3.0<" in html and _bars(html) == [0.0, 360.0]


def test_highlight_colours_one_bar():
    html = bar_chart({"G001": 1, "G002": 2}, title="x", highlight="G002").data
    assert html.count("#e45756") == 1


def test_all_zero_and_empty_do_not_divide_by_zero():
    assert _bars(bar_chart({"甲": 0, "乙": 0}, title="x").data) == [0.0, 0.0]
    assert "<svg" in bar_chart({}, title="空").data


def test_negative_values_are_refused_in_chinese():
    with pytest.raises(ValueError, match="负值"):
        bar_chart({"甲": -1}, title="缺口")


def test_chart_shrinks_to_a_phone_screen_keeping_its_proportions():
    """The SVG's viewBox is its drawn size, and the shared stylesheet lets it shrink below it."""
    html = bar_chart({"老年助餐": 40, "托育服务": 10}, title="需求").data
    svg = re.search(r"<svg[^>]*>", html).group(0)
    width, height = (re.search(rf' {name}="(\d+)"', svg).group(1) for name in ("width", "height"))
    assert f'viewBox="0 0 {width} {height}"' in svg and 'class="tk-chart"' in svg
    assert "svg.tk-chart{max-width:100%;height:auto}" in html
