"""Columnar screens for 就业困难人员认定, 灵活就业社保补贴, 残疾人两项补贴, 居民养老 and 居民医保,
held to the per-household rules: whole synthetic registers on dates either side of every
parameter change, a register bent to reach the rare branches, Parquet and CSV round trips,
and small hand-worked registers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trainkit.district.agreement import compare
from trainkit.district.register import MEMBER_COLUMNS, households_from_register, read_register
from trainkit.district.screen import COLUMNS, screen_program
from trainkit.district.synth import synthesize, write
from trainkit.policy import PROGRAMS, BeforeFirstDate
from trainkit.policy.household import Member, vocabulary
from trainkit.policy.programs import linghuo_shebao_butie as linghuo_rule
from trainkit.policy.programs.linghuo_shebao_butie import add_years_each, ceiling

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
MINE = ["jiuye_kunnan", "linghuo_shebao_butie", "canji_liangxiang", "jumin_yanglao", "jumin_yibao"]
FIRST_DAY = {
    "jiuye_kunnan": dt.date(2008, 1, 1),
    "canji_liangxiang": dt.date(2016, 1, 1),
    "jumin_yanglao": dt.date(2016, 8, 12),
    "jumin_yibao": dt.date(2024, 1, 1),
    "linghuo_shebao_butie": dt.date(2025, 7, 2),
}
SAMPLE = 300
# Every first day, both sides of 居民医保's changes (waiting period from 2025-01-01, national
# minimums a gap from 2026-01-01), and later, when subsidy periods have run out. Each register is
# written some months before the date it is screened on (``compare`` re-ages it from birth dates).
DATES = [
    dt.date(2008, 1, 1),
    dt.date(2016, 1, 1),
    dt.date(2016, 8, 12),
    dt.date(2024, 1, 1),
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
    dt.date(2025, 7, 2),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 1),
    dt.date(2026, 6, 1),
    dt.date(2028, 9, 1),
]
WRITTEN_BEFORE = dt.timedelta(days=150)
SEEDS = (11, 12, 13)
BENT_ON = dt.date(2026, 6, 1)  # the bent register is written on this day, screened on it and later
BENT_DATES = [BENT_ON, dt.date(2026, 9, 1), dt.date(2028, 9, 1)]
# what each rule can answer: 就业困难 is never 符合 (local list unknown); 养老 and 医保 never 待核实
OUTCOMES = {
    "jiuye_kunnan": {False, None},
    "linghuo_shebao_butie": {True, False, None, "n/a"},
    "canji_liangxiang": {True, False, None},
    "jumin_yanglao": {True, False},
    "jumin_yibao": {True, False},
}


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def _active(on: dt.date) -> list[str]:
    return [p for p in MINE if FIRST_DAY[p] <= on]


_REGISTERS: dict[tuple[int, dt.date], tuple[pd.DataFrame, pd.DataFrame]] = {}


def _synthetic(seed: int, written: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    if (seed, written) not in _REGISTERS:
        tables = synthesize(1000, seed=seed, on=written)
        _REGISTERS[seed, written] = tables["households"], tables["residents"]
    return _REGISTERS[seed, written]


def _for(on: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic register screened on ``on`` (seeds taking turns)."""
    return _synthetic(SEEDS[DATES.index(on) % len(SEEDS)], on - WRITTEN_BEFORE)


def _bent(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Households with someone flexible, unemployed or disabled, or on 低保; then facts blurred the
    way real registers are (sex or birth date unrecorded, empty cells) and the rare routes forced
    (no contributions paid, more graduates, a first approval dated after the register)."""
    households, residents = _synthetic(seed, BENT_ON)
    rng = np.random.default_rng(seed)
    keen = residents["employment"].isin(["flexible", "unemployed"]) | residents["disability_kind"].notna()
    keep = set(residents.loc[keen, "household_id"]) | set(
        households.loc[households["receives"].str.contains("dibao"), "household_id"]
    )
    h = households[households["household_id"].isin(keep)].reset_index(drop=True)
    r = residents[residents["household_id"].isin(keep)].reset_index(drop=True)
    n = len(r)
    flexible = (r["employment"] == "flexible").to_numpy()
    r.loc[flexible & (rng.random(n) < 0.1), "flexible_insurance_paid_monthly"] = 0
    r.loc[flexible & (rng.random(n) < 0.3), "graduated_within_2y"] = True
    r.loc[r["flexible_subsidy_first_approved"].notna() & (rng.random(n) < 0.4), "flexible_subsidy_first_approved"] = (
        BENT_ON + dt.timedelta(days=60)
    )
    r["sex"] = r["sex"].astype(object).where(rng.random(n) >= 0.15, None)
    r["birth_date"] = r["birth_date"].where(rng.random(n) >= 0.3, None)
    r["employment"] = r["employment"].astype(object).where(rng.random(n) >= 0.03, None)
    h["receives"] = h["receives"].astype(object).where(rng.random(len(h)) >= 0.1, None)
    return h, r


def _sampled(households: pd.DataFrame, seed: int = 0) -> list[str]:
    """The households ``compare`` re-decides one by one (the same draw as in agreement.py)."""
    return random.Random(seed).sample(list(households["household_id"]), min(SAMPLE, len(households)))


def _agree(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date, programs: list[str]) -> None:
    found = compare(households, residents, on, sample=SAMPLE, programs=programs)
    assert not found, f"{len(found)} 处不一致，例如 {found[:3]}"


# -- whole registers ---------------------------------------------------------------------------


@pytest.mark.parametrize("on", DATES, ids=str)
def test_agrees_with_the_rules_on_a_synthetic_register(on):
    _agree(*_for(on), on, _active(on))


@pytest.mark.parametrize("on", BENT_DATES, ids=str)
def test_agrees_on_a_register_bent_towards_the_rare_routes(on):
    _agree(*_bent(SEEDS[0]), on, _active(on))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_agrees_after_a_round_trip_through_files(tmp_path, fmt):
    households, residents = _bent(SEEDS[1])
    write({"households": households, "residents": residents}, tmp_path, csv=fmt == "csv")
    if fmt == "csv":
        for name in ("households", "residents"):
            (tmp_path / f"{name}.parquet").unlink()
    _agree(*read_register(tmp_path), BENT_ON, MINE)


def test_the_comparisons_are_not_vacuous():
    """On the very households ``compare`` re-decides, each program gives every answer its rule can."""
    seen: dict[str, set] = {p: set() for p in MINE}
    cases = [(_for(on), on) for on in (dt.date(2025, 7, 2), dt.date(2026, 6, 1), dt.date(2028, 9, 1))]
    cases += [(_bent(SEEDS[0]), on) for on in BENT_DATES]
    for (households, residents), on in cases:
        ids = _sampled(households)
        for program in _active(on):
            out = screen_program(program, households, residents, on)
            seen[program] |= set(out.loc[out["household_id"].isin(ids), "eligible"])
    assert seen == OUTCOMES


def test_one_row_per_resident_in_register_order():
    households, residents = _bent(SEEDS[0])
    for program in MINE:
        out = screen_program(program, households, residents, BENT_ON)
        assert list(out.columns) == COLUMNS
        assert out["household_id"].tolist() == residents["household_id"].tolist()
        assert out["member_no"].tolist() == residents["member_no"].tolist()
        amounts = out["amount"].to_numpy(dtype=float)
        assert np.array_equal(np.round(amounts, 2), amounts, equal_nan=True)
        assert out["reason"].map(lambda s: isinstance(s, str) and len(s) > 5).all()


@pytest.mark.parametrize("program", [p for p in MINE if p != "linghuo_shebao_butie"])
def test_raises_before_the_first_date_like_the_rule(program):
    households, residents = _synthetic(SEEDS[0], dt.date(2005, 1, 1))
    before = FIRST_DAY[program] - dt.timedelta(days=1)
    with pytest.raises(BeforeFirstDate):
        screen_program(program, households, residents, before)
    first = households["household_id"].iloc[0]
    household = next(households_from_register(households.iloc[:1], residents[residents["household_id"] == first]))
    with pytest.raises(BeforeFirstDate):
        PROGRAMS[program].evaluate(household, before)
    assert len(screen_program(program, households, residents, FIRST_DAY[program])) == len(residents)


def test_before_linghuo_is_known_in_force_the_candidates_are_pending_never_paid():
    """灵活就业社保补贴 is known in force only by 2025-07-02: earlier, the screen and the rule both say 待核实."""
    households, residents = _synthetic(SEEDS[0], dt.date(2005, 1, 1))
    out = screen_program("linghuo_shebao_butie", households, residents, dt.date(2025, 3, 1))
    assert True not in set(out["eligible"]) and out["amount"].isna().all()
    assert None in set(out["eligible"]) and False in set(out["eligible"])


# -- small registers, worked by hand -------------------------------------------------------------

BLANK = {
    name: (0.0 if name == "flexible_insurance_paid_monthly" else field.default)
    for name, field in Member.model_fields.items()
    if name in MEMBER_COLUMNS and not field.is_required()
}


def register(*households: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``register({"receives": "dibao", "members": [{...}, ...]}, ...)``: the two tables, every column."""
    kinds = [k.id for k in vocabulary().income_kinds]
    homes, people = [], []
    for i, household in enumerate(households):
        hid = f"T{i:03d}"
        homes.append(
            {
                "household_id": hid,
                "rural_standard": False,
                "property_check": "unknown",
                "receives": household.get("receives", ""),
                "emergency": None,
                "emergency_hardship": None,
            }
        )
        for no, member in enumerate(household["members"]):
            people.append(
                {
                    "household_id": hid,
                    "member_no": no,
                    "relation": "applicant" if no == 0 else "spouse",
                    **BLANK,
                    "disability_kind": None,
                    "disability_grade": None,
                    **{f"income_{k}": 0.0 for k in kinds},
                    **member,
                }
            )
    return pd.DataFrame(homes), pd.DataFrame(people)


def decide(program: str, tables: tuple[pd.DataFrame, pd.DataFrame], on: dt.date) -> list[tuple]:
    """(eligible, amount or None) per resident, after checking the rule agrees on every one."""
    households, residents = tables
    assert compare(households, residents, on, sample=len(households), programs=[program]) == []
    out = screen_program(program, households, residents, on)
    return [(e, None if np.isnan(a) else a) for e, a in zip(out["eligible"], out["amount"], strict=True)]


def reasons(program: str, tables: tuple[pd.DataFrame, pd.DataFrame], on: dt.date) -> list[str]:
    households, residents = tables
    return screen_program(program, households, residents, on)["reason"].tolist()


def test_jiuye_kunnan_by_hand():
    on = dt.date(2025, 12, 1)
    tables = register(
        {
            "members": [
                {"age": 52, "sex": "male", "employment": "unemployed", "registered_unemployed_months": 3},
                {"age": 45, "sex": "female", "employment": "flexible"},
                {"relation": "child", "age": 24, "sex": "male", "employment": "employed"},
                {"relation": "parent", "age": 75, "sex": "male", "employment": "retired"},
            ]
        },
        {
            "members": [
                {"age": 45, "employment": "unemployed", "registered_unemployed_months": 14},  # sex not recorded
                {"age": 30, "sex": "male", "employment": "none"},
            ]
        },
        {
            "members": [
                {"age": 30, "sex": "male", "employment": "unemployed", "registered_unemployed_months": 2},
                {"age": 28, "sex": "female", "employment": "flexible"},
            ]
        },
        {"receives": "dibao", "members": [{"age": 30, "sex": "male", "employment": "none"}]},
    )
    assert decide("jiuye_kunnan", tables, on) == [
        (None, None),
        (None, None),
        (False, None),
        (False, None),
        (None, None),
        (False, None),
        (None, None),
        (False, None),
        (None, None),
    ]
    why = reasons("jiuye_kunnan", tables, on)
    assert "「4050人员」" in why[0] and "「4050人员」" in why[1]  # 男 ≥ 50, 女 ≥ 40
    assert "「4050人员（性别未登记）、零就业家庭成员、连续失业一年以上」" in why[4]  # 40 ≤ 45 < 50, nobody works
    assert why[6].startswith(
        "不符合本工具包收录的任何常见类别，但本人处于失业状态"
    )  # a flexibly working spouse: not 零就业
    assert "「低保家庭成员」" in why[8]


def test_linghuo_shebao_butie_by_hand():
    on = dt.date(2025, 8, 1)
    worker = {"sex": "male", "employment": "flexible", "employment_difficulty_recognised": True}
    tables = register(
        {
            "members": [
                {
                    **worker,
                    "age": 40,
                    "birth_date": dt.date(1985, 3, 15),
                    "flexible_insurance_paid_monthly": 600,
                    "flexible_subsidy_first_approved": dt.date(2025, 3, 1),
                },
                {**worker, "age": 40, "birth_date": dt.date(1985, 3, 15), "flexible_insurance_paid_monthly": 301},
            ]
        },
        {
            "members": [
                {
                    **worker,
                    "age": 45,
                    "birth_date": dt.date(1980, 1, 1),
                    "flexible_insurance_paid_monthly": 750,
                    "flexible_subsidy_first_approved": dt.date(2022, 8, 1),
                }
            ]
        },  # 3 years ran out today
        {
            "members": [
                {
                    "age": 24,
                    "sex": "female",
                    "employment": "flexible",
                    "graduated_within_2y": True,
                    "flexible_insurance_paid_monthly": 450,
                    "flexible_subsidy_first_approved": dt.date(2023, 9, 1),
                }
            ]
        },
        {
            "members": [
                {
                    **worker,
                    "sex": "female",
                    "age": 57,
                    "birth_date": dt.date(1968, 5, 1),
                    "flexible_insurance_paid_monthly": 900,
                },  # retires 2018…2026: unsure
                {
                    **worker,
                    "sex": "female",
                    "age": 59,
                    "birth_date": dt.date(1966, 3, 1),
                    "flexible_insurance_paid_monthly": 900,
                },  # 58 reached 2024-03-01
                {
                    **worker,
                    "age": 40,
                    "flexible_insurance_paid_monthly": 1234.56,
                    "flexible_subsidy_first_approved": dt.date(2025, 9, 1),
                },  # approved after `on`
                {**worker, "sex": None, "age": 40, "flexible_insurance_paid_monthly": 1},  # age only, no sex
                {**worker, "age": 40},  # paid nothing
                {**worker, "age": 40, "employment": "employed", "flexible_insurance_paid_monthly": 600},
            ]
        },
    )
    assert decide("linghuo_shebao_butie", tables, on) == [
        (True, 400.0),
        (True, 200.66),
        (False, None),
        (True, 300.0),
        (None, None),
        (False, None),
        ("n/a", None),
        (True, 0.66),
        (False, None),
        (False, None),
    ]
    assert decide("linghuo_shebao_butie", tables, dt.date(2025, 9, 1))[3] == (False, None)  # 2 years ran out
    assert "期限 3 年，2025-08-01 起不再享受" in reasons("linghuo_shebao_butie", tables, on)[2]
    # the 57-year-old woman reaches the highest retirement age (58) on 2026-05-01
    assert [decide("linghuo_shebao_butie", tables, day)[4] for day in (dt.date(2026, 4, 30), dt.date(2026, 5, 1))] == [
        (None, None),
        (False, None),
    ]


def test_linghuo_shebao_butie_retirement_window_from_the_age_alone():
    """Without a birth date a man of 59 may have been born as late as on-60y+1d: 60 is still ahead;
    at 60 he may already have reached it (and 63 is surely ahead)."""
    on = dt.date(2025, 8, 1)
    worker = {
        "sex": "male",
        "employment": "flexible",
        "employment_difficulty_recognised": True,
        "flexible_insurance_paid_monthly": 900,
    }
    tables = register(
        {
            "members": [
                {**worker, "age": 59},
                {**worker, "age": 60},
                {**worker, "age": 63},
                {**worker, "age": 49, "sex": None},
                {**worker, "age": 50, "sex": None},
            ]
        }
    )
    assert decide("linghuo_shebao_butie", tables, on) == [
        (True, 600.0),
        (None, None),
        (False, None),
        (True, 600.0),
        (None, None),
    ]


def test_canji_liangxiang_by_hand():
    on = dt.date(2025, 12, 1)
    tables = register(
        {
            "members": [
                {"age": 40, "disability_kind": "physical", "disability_grade": 1},
                {"age": 38, "disability_kind": "intellectual", "disability_grade": 3},
                {"age": 70, "disability_kind": "physical", "disability_grade": 3},
                {"age": 12},
            ]
        },
        {
            "receives": "gaoling_jintie,dibao",
            "members": [
                {"age": 60, "disability_kind": "hearing", "disability_grade": 4},
                {"age": 58, "disability_kind": "psychiatric", "disability_grade": 4},
                {"age": 30},
            ],
        },
    )
    assert decide("canji_liangxiang", tables, on) == [
        (True, None),
        (None, None),
        (False, None),
        (False, None),
        (True, None),
        (True, None),
        (False, None),
    ]
    why = reasons("canji_liangxiang", tables, on)
    assert "护理补贴" in why[0] and "生活补贴" in why[4] and "待核实" in why[5]


def test_jumin_yanglao_by_hand():
    on = dt.date(2025, 12, 1)
    tables = register(
        {
            "members": [
                {"age": 65, "resident_pension_years": 15},
                {"age": 65, "resident_pension_years": 10},
                {"age": 15},
                {"age": 16},
                {"age": 20, "full_time_study": "undergraduate"},
                {"age": 30, "hukou_dalian": False},
                {"age": 40, "employee_pension": True},
                {"age": 70, "resident_pension_years": 20, "full_time_study": "postgraduate"},
            ]
        }
    )
    assert [e for e, _ in decide("jumin_yanglao", tables, on)] == [True, False, False, True, False, False, False, True]
    assert "不足城乡居民养老保险按月领取所需的最低累计缴费年限 15 年" in reasons("jumin_yanglao", tables, on)[1]


def test_jumin_yibao_by_hand():
    tables = register(
        {
            "receives": "dibao",
            "members": [
                {"age": 40, "employee_medical": True},
                {"age": 40, "medical_lapsed_years": 2},
                {"age": 40, "medical_enrol_late": True},
                {"age": 40, "resident_medical_enrolled": True},
            ],
        }
    )
    on = dt.date(2025, 6, 1)
    assert [e for e, _ in decide("jumin_yibao", tables, on)] == [False, True, True, True]
    why = reasons("jumin_yibao", tables, on)
    assert "等待期 5 个月" in why[1] and "等待期 3 个月" in why[2] and "没有待遇等待期" in why[3]
    assert "未收录" in reasons("jumin_yibao", tables, dt.date(2024, 6, 1))[1]  # before the 2025 rule


def test_a_second_applicant_is_decided_on_their_own_facts():
    """Two applicants are a data error the screen lists apart; a program given such a register
    still decides every person on their own facts (never the first applicant's)."""
    tables = register(
        {
            "members": [
                {"age": 65, "resident_pension_years": 20},
                {"relation": "applicant", "age": 30, "employee_pension": True},
                {"age": 30},
            ]
        }
    )
    assert [e for e, _ in decide("jumin_yanglao", tables, dt.date(2025, 12, 1))] == [True, False, True]


def test_empty_cells_take_the_record_defaults():
    households, residents = register(
        {
            "members": [
                {
                    "age": 30,
                    "employment": "flexible",
                    "sex": "male",
                    "employment_difficulty_recognised": True,
                    "flexible_insurance_paid_monthly": 600,
                }
            ]
        }
    )
    residents["hukou_dalian"] = residents["hukou_dalian"].astype(object)
    residents.loc[0, ["hukou_dalian", "full_time_study"]] = None  # → 户籍大连, 非在校
    households.loc[0, "receives"] = None
    assert decide("jumin_yanglao", (households, residents), dt.date(2025, 12, 1)) == [(True, None)]
    assert decide("linghuo_shebao_butie", (households, residents), dt.date(2025, 12, 1)) == [(True, 400.0)]


# -- the date and money arithmetic ----------------------------------------------------------------


def test_add_years_matches_the_rule_including_29_february():
    days = [
        dt.date(2024, 2, 29),
        dt.date(2023, 2, 28),
        dt.date(2020, 12, 31),
        dt.date(1968, 3, 1),
        dt.date(2000, 2, 29),
    ]
    days += [dt.date(1950, 1, 1) + dt.timedelta(days=int(d)) for d in np.random.default_rng(1).integers(0, 30000, 300)]
    for years in (-61, -5, -1, 0, 1, 2, 3, 4, 5, 50, 58, 63, 100):
        got = add_years_each(np.array(days, dtype="datetime64[D]"), years)
        assert got.tolist() == [linghuo_rule.add_years(d, years) for d in days], years


def test_ceiling_rounds_two_thirds_down_to_the_fen():
    """Worked by hand: paid × 2/3 (linghuo-butie-share-thirds), anything below a fen dropped."""
    paid = ["600", "500", "301", "1", "0.01", "1234.56", "0.1", "999.99", "1300", "0.02", "7.77"]
    worked = ["400", "333.33", "200.66", "0.66", "0", "823.04", "0.06", "666.66", "866.66", "0.01", "5.18"]
    got = ceiling(np.array([float(p) for p in paid]), 2.0)
    assert [Decimal(str(g)).quantize(Decimal("0.01")) for g in got] == [
        Decimal(w).quantize(Decimal("0.01")) for w in worked
    ]
    on = dt.date(2025, 8, 1)
    assert [linghuo_rule.subsidy_ceiling(Decimal(p), on) for p in paid] == [
        Decimal(w).quantize(Decimal("0.01")) for w in worked
    ]
