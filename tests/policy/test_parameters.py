"""Dated policy parameters: lookup by date, gaps, and validation of the YAML files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from trainkit.content import ContentError
from trainkit.policy.parameters import BeforeFirstDate, load_parameter, load_parameters

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
URBAN = "dibao-urban-standard-dalian"
RURAL = "dibao-rural-standard-dalian"


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def _urban_data() -> dict:
    return yaml.safe_load((CASEBANK / "parameters" / f"{URBAN}.yaml").read_text(encoding="utf-8"))


def _write(root: Path, name: str, data: dict) -> Path:
    path = root / "parameters" / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ── lookup by date ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2021, 7, 1), Decimal(780)),
        (dt.date(2022, 6, 30), Decimal(780)),
        (dt.date(2022, 7, 1), Decimal(850)),
        (dt.date(2023, 6, 30), Decimal(850)),
        (dt.date(2023, 7, 1), Decimal(925)),
        (dt.date(2024, 6, 30), Decimal(925)),
        (dt.date(2025, 7, 1), Decimal(1011)),
        (dt.date(2026, 6, 30), Decimal(1011)),
    ],
)
def test_urban_value_on_and_around_effective_dates(on, expected):
    assert load_parameter(URBAN).at(on).value == expected


def test_effective_date_switches_on_the_day():
    p = load_parameter(URBAN)
    on_day = p.at(dt.date(2023, 7, 1))
    day_before = p.at(dt.date(2023, 6, 30))
    assert on_day.effective == dt.date(2023, 7, 1)
    assert (on_day.value, on_day.status) == (Decimal(925), "S")
    assert day_before.effective == dt.date(2022, 7, 1)
    assert day_before.value == Decimal(850)


def test_before_first_date_raises():
    p = load_parameter(URBAN)
    with pytest.raises(BeforeFirstDate, match="2021-06-30 早于本系列最早的生效日期 2021-07-01"):
        p.at(dt.date(2021, 6, 30))
    with pytest.raises(LookupError):
        p.at(dt.date(1999, 1, 1))


@pytest.mark.parametrize("on", [dt.date(2024, 7, 1), dt.date(2024, 10, 1), dt.date(2025, 6, 30)])
def test_2024_gap_is_none_with_missing_text(on):
    v = load_parameter(URBAN).at(on)
    assert v.value is None
    assert v.status == "U"
    assert v.effective == dt.date(2024, 7, 1)
    assert "2024 年大连市城市低保标准未找到" in v.missing


def test_rural_series():
    p = load_parameter(RURAL)
    assert p.at(dt.date(2025, 8, 1)).value == Decimal(846)
    assert p.at(dt.date(2023, 7, 1)).value == Decimal(745)
    assert p.at(dt.date(2024, 12, 1)).value is None
    assert p.unit == "元/人/月"


def test_values_carry_reference_and_dates():
    v = load_parameter(URBAN).at(dt.date(2025, 8, 1))
    assert v.published == dt.date(2025, 8, 26)
    assert v.reviewed == dt.date(2026, 11, 26)
    assert v.reference.href == "https://m.ejbk.net/news/mGAoMbyQKk.html"
    assert v.source_line.startswith("2025-07-01起 · 已核实(V) · 来源：大连市 2025 年")


def test_load_parameters_lists_both_series():
    assert {URBAN, RURAL} <= set(load_parameters())


def test_unknown_parameter_is_a_content_error():
    with pytest.raises(ContentError, match="文件不存在：未知参数 no-such-series"):
        load_parameter("no-such-series")


# ── validation of a parameter file ──────────────────────────────────────────


def test_copied_casebank_loads_unchanged(casebank):
    assert load_parameter(URBAN).at(dt.date(2025, 8, 1)).value == Decimal(1011)


def test_descending_dates_rejected(casebank):
    data = _urban_data()
    data["id"] = "descending"
    data["values"][1]["effective"] = dt.date(2020, 7, 1)  # before values[0]
    path = _write(casebank, "descending", data)
    with pytest.raises(ContentError) as err:
        load_parameter("descending")
    message = str(err.value)
    assert str(path) in message
    assert "values" in message
    assert "严格递增" in message


def test_duplicate_dates_rejected(casebank):
    data = _urban_data()
    data["id"] = "duplicate-dates"
    data["values"][1]["effective"] = data["values"][0]["effective"]
    _write(casebank, "duplicate-dates", data)
    with pytest.raises(ContentError, match="不重复"):
        load_parameter("duplicate-dates")


def test_null_value_without_missing_rejected(casebank):
    data = _urban_data()
    data["id"] = "gap-unexplained"
    data["values"][1]["value"] = None
    path = _write(casebank, "gap-unexplained", data)
    with pytest.raises(ContentError) as err:
        load_parameter("gap-unexplained")
    assert err.value.problems[0].startswith(f"{path}: values.1: ")
    assert "missing" in err.value.problems[0]


def test_value_without_reference_rejected(casebank):
    data = _urban_data()
    data["id"] = "unsourced"
    del data["values"][2]["reference"]
    path = _write(casebank, "unsourced", data)
    with pytest.raises(ContentError) as err:
        load_parameter("unsourced")
    assert err.value.problems[0].startswith(f"{path}: values.2: ")
    assert "reference" in err.value.problems[0]


def test_negative_value_rejected(casebank):
    data = _urban_data()
    data["id"] = "negative"
    data["values"][0]["value"] = -780
    path = _write(casebank, "negative", data)
    with pytest.raises(ContentError) as err:
        load_parameter("negative")
    assert err.value.problems[0].startswith(f"{path}: values.0: ")
    assert "数值不能为负" in err.value.problems[0]


def test_unknown_field_and_bad_status_rejected(casebank):
    data = _urban_data()
    data["id"] = "typos"
    data["values"][0]["valeu"] = 780
    data["values"][3]["status"] = "X"
    path = _write(casebank, "typos", data)
    with pytest.raises(ContentError) as err:
        load_parameter("typos")
    text = str(err.value)
    assert f"{path}: values.0.valeu: " in text
    assert f"{path}: values.3.status: " in text


def test_id_must_equal_file_name(casebank):
    data = _urban_data()  # id stays dibao-urban-standard-dalian
    path = _write(casebank, "renamed-copy", data)
    with pytest.raises(ContentError) as err:
        load_parameter("renamed-copy")
    assert str(err.value) == f"{path}: id: 应与文件名一致（renamed-copy）"


def test_bad_file_breaks_load_parameters(casebank):
    data = _urban_data()
    data["id"] = "broken"
    data["values"] = []
    path = _write(casebank, "broken", data)
    with pytest.raises(ContentError, match=f"{path}: values: "):
        load_parameters()


def test_a_date_after_the_unconfirmed_2026_change_is_a_gap_not_the_2025_figure():
    value = load_parameter(URBAN).at(dt.date(2026, 11, 26))
    assert value.value is None and "2026" in value.missing


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2028, 2, 29), 12, dt.date(2027, 2, 28)),  # `policy stale` once crashed here
        (dt.date(2028, 2, 29), 48, dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
        (dt.date(2026, 12, 5), 12, dt.date(2025, 12, 5)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_month_end(day, months, expected):
    from trainkit.policy.parameters import months_before

    assert months_before(day, months) == expected


def test_policy_list_text_names_each_source():
    from click.testing import CliRunner

    from trainkit.cli import main

    out = CliRunner().invoke(main, ["policy", "list"]).output
    assert "dibao-urban-standard-dalian" in out
    block = out.split("dibao-urban-standard-dalian", 1)[1].split("\n\n")[0]
    assert "2025-07-01 起  1011" in block and "来源：" in block and "[V 已核实]" in block


def test_a_series_known_only_to_be_in_force_by_a_date_is_pending_before_it():
    series = load_parameter("linghuo-butie-period-years")
    first = series.values[0]
    assert first.effective_basis == "in_force_by"
    before = series.at(first.effective - dt.timedelta(days=120))
    assert before.value is None and before.status == "U" and f"最晚 {first.effective} 已施行" in before.missing
    assert series.at(first.effective).value == first.value
    assert "最晚此日已施行" in first.since


def test_an_inferred_effective_date_says_so_wherever_it_is_quoted():
    value = load_parameter("dibao-urban-standard-dalian").at(dt.date(2022, 8, 1))
    assert value.effective_basis == "inferred" and value.since == "2022-07-01（生效日期为推定）"
    assert value.source_line.startswith("2022-07-01（生效日期为推定）起")
    stated = load_parameter("dibao-urban-standard-dalian").at(dt.date(2025, 8, 1))
    assert stated.since == "2025-07-01"
