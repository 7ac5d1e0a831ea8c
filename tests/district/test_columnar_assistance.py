"""Columnar 特困 / 临时救助 / 高龄津贴 / 计生特扶 screens held to the per-household rules.

Synthetic registers (several seeds, dates either side of every parameter change, in the gaps),
enriched so that every branch of every rule turns up, are screened whole and compared household
by household with ``agreement.compare``; hand-built registers and the hand-worked scenarios
check the figures themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trainkit.district import agreement
from trainkit.district.agreement import compare
from trainkit.district.register import (
    FP_COLUMNS,
    HOUSEHOLD_COLUMNS,
    MEMBER_COLUMNS,
    households_from_register,
    read_register,
    residents_on,
)
from trainkit.district.screen import COLUMNS, screen_program
from trainkit.district.synth import synthesize, write
from trainkit.policy import PROGRAMS, BeforeFirstDate, load_parameter
from trainkit.policy.household import FamilyPlanning, Household, Member, vocabulary
from trainkit.policy.scenarios import load_scenarios

CASEBANK = Path(__file__).resolve().parents[2] / "casebank"
MINE = ("tekun", "linshi_jiuzhu", "gaoling_jintie", "jisheng_tefu")
PERSON_LEVEL = ("tekun", "gaoling_jintie")
FIRST = {  # the first date of each program's first series: the day before raises
    "jisheng_tefu": dt.date(2014, 1, 1),
    "linshi_jiuzhu": dt.date(2014, 5, 1),
    "tekun": dt.date(2016, 10, 10),
    "gaoling_jintie": dt.date(2025, 10, 1),
}
# Enriched registers (seed: the day ages are worked out on) and the dates each is screened on:
# each side of every change in the series the four programs read, and inside every gap.
REGISTERS = {
    1: dt.date(2014, 6, 1),
    2: dt.date(2019, 1, 1),
    3: dt.date(2024, 9, 1),
    4: dt.date(2025, 10, 1),
    5: dt.date(2030, 9, 30),
}
DATES = [
    (dt.date(2014, 1, 1), 1),  # 计生特扶 first national figures
    (dt.date(2014, 5, 1), 1),  # 临时救助 from the 暂行办法 (its amount a gap throughout)
    (dt.date(2014, 12, 31), 1),  # 计生特扶 last day before its gap
    (dt.date(2015, 1, 1), 1),  # 计生特扶 gap
    (dt.date(2016, 10, 10), 2),  # 特困 2016 认定办法, no 低保 standard yet (待核实)
    (dt.date(2021, 6, 30), 2),  # last day of the 2016 认定办法
    (dt.date(2021, 7, 1), 2),  # 2021 认定办法, 低保 780 / 特困 1560
    (dt.date(2022, 6, 30), 2),  # last day of the 计生特扶 gap
    (dt.date(2022, 7, 1), 2),  # 计生特扶 590 / 460, 低保 850 / 特困 1700
    (dt.date(2023, 6, 30), 3),
    (dt.date(2023, 7, 1), 3),  # 低保 925 / 特困 1850
    (dt.date(2024, 6, 30), 3),
    (dt.date(2024, 7, 1), 3),  # 低保 / 特困 gap
    (dt.date(2025, 6, 30), 3),
    (dt.date(2025, 7, 1), 3),  # 低保 1011 / 特困 2022
    (dt.date(2025, 10, 1), 4),  # 高龄津贴 from the Dalian 办法
    (dt.date(2026, 6, 30), 4),
    (dt.date(2026, 7, 1), 4),  # 低保 / 特困 gap again (百岁 高龄津贴 without an amount)
    (dt.date(2030, 9, 30), 5),  # last day of the 高龄津贴 办法
    (dt.date(2030, 10, 1), 5),  # 高龄津贴 gap
]


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


# ── building registers ──────────────────────────────────────────────────────


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _enrich(tables: dict[str, pd.DataFrame], on: dt.date, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic register with every branch of the four rules made common: ages and birthdays at
    the thresholds (29 February too), wrong or missing birth dates, disabilities, supporters, incomes
    a cent either side of each standard, rural households, property checks, emergencies, receipts,
    family-planning records of every kind, missing sexes, households with no or two applicants."""
    rng = np.random.default_rng([seed, 99])
    hh, rs = tables["households"].copy(), tables["residents"].copy()
    n, k = len(rs), len(hh)

    def pick(choices: list, size: int) -> np.ndarray:
        out = np.empty(len(choices), dtype=object)
        out[:] = choices
        return out[rng.integers(0, len(choices), size)]

    # ages and birth dates
    age = rs["age"].to_numpy().copy()
    moved = rng.random(n) < 0.35
    age[moved] = pick([15, 16, 48, 49, 59, 60, 79, 79, 80, 84, 85, 89, 90, 99, 100, 104], int(moved.sum()))
    near = rng.random(n) < 0.5  # birthdays a few weeks either side of the day
    offset = np.where(near, rng.integers(-40, 41, n), rng.integers(0, 365, n))
    births = []
    for a, d, leap in zip(age, offset, rng.random(n) < 0.02, strict=True):
        if leap:
            year = on.year - int(a)
            year -= year % 4
            year -= 4 if year % 100 == 0 and year % 400 else 0  # a leap year
            births.append(dt.date(year, 2, 29))
        else:
            births.append(dt.date(on.year - int(a), on.month, min(on.day, 28)) - dt.timedelta(days=int(d)))
    exact = np.array([_age_on(b, on) for b in births])
    wrong = rng.random(n) < 0.02
    undated = rng.random(n) < 0.05
    rs["age"] = np.clip(np.where(wrong, exact + 1, exact), 0, 120)
    rs["birth_date"] = np.where(undated, None, np.array(births, dtype=object))
    rs.loc[undated, "age"] = age[undated]

    # who the person is
    rs["hukou_dalian"] = rng.random(n) > 0.1
    rs["sex"] = np.where(rng.random(n) < 0.04, None, rs["sex"].astype(object))
    rs["supporters"] = np.where(
        rng.random(n) < 0.4, pick(["able", "unable", "none"], n), rs["supporters"].astype(object)
    )
    disabled = rng.random(n) < 0.3
    healthy = ~disabled & (rng.random(n) < 0.1)
    kinds = pick(["physical", "intellectual", "psychiatric", "visual", "hearing", "speech", "multiple"], n)
    rs["disability_kind"] = np.where(disabled, kinds, np.where(healthy, None, rs["disability_kind"].astype(object)))
    rs["disability_grade"] = np.where(
        disabled, rng.integers(1, 5, n), np.where(healthy, None, rs["disability_grade"].astype(object))
    )
    # incomes a cent either side of each 低保 standard, some split over two kinds, some not counted
    near_line = rng.random(n) < 0.4
    line = pick(
        [
            0,
            100,
            579.99,
            580,
            659.99,
            660,
            744.99,
            745,
            779.99,
            780,
            780.01,
            845,
            846,
            849.99,
            850,
            924.99,
            925,
            1010.99,
            1011,
            1011.01,
            1500,
        ],
        n,
    ).astype(float)
    split = near_line & (line >= 1) & (rng.random(n) < 0.3)
    for kind in ("wages", "business", "property"):
        rs[f"income_{kind}"] = np.where(near_line, 0.0, rs[f"income_{kind}"])
    rs["income_transfer"] = np.where(near_line, np.where(split, np.round(line - 0.3, 2), line), rs["income_transfer"])
    rs["income_wages"] = np.where(split, 0.3, rs["income_wages"])
    rs["income_preferential_pension"] = np.where(rng.random(n) < 0.1, 1500.0, rs["income_preferential_pension"])

    # households with no applicant, or two
    first = (rs["relation"] == "applicant").to_numpy()
    ids = rs["household_id"].to_numpy()
    lost = np.isin(ids, hh["household_id"].to_numpy()[rng.random(k) < 0.03]) & first
    doubled = (
        np.isin(ids, hh["household_id"].to_numpy()[rng.random(k) < 0.03]) & (rs["relation"] == "spouse").to_numpy()
    )
    rs["relation"] = np.where(lost, "other", np.where(doubled, "applicant", rs["relation"].astype(object)))

    # household facts
    hh["rural_standard"] = rng.random(k) < 0.3
    hh["property_check"] = pick(["passed", "passed", "failed", "unknown", None], k)
    hh["receives"] = pick(["", "", "dibao", "tekun", "dibao,gaoling_jintie", "gaoling_jintie"], k)
    emergency = rng.random(k) < 0.4
    hh["emergency"] = np.where(
        emergency,
        pick(["fire", "traffic_accident", "sudden_illness", "spending_surge", "spending_surge", "other"], k),
        None,
    )
    hh["emergency_hardship"] = np.where(rng.random(k) < 0.9, pick([True, True, False, None], k), None)
    plan = rng.random(k) < 0.4
    outcome = pick(["died", "died", "disabled", "disabled", "living"], k)
    grade = np.where(rng.random(k) < 0.08, None, rng.integers(1, 5, k).astype(object))
    hh["fp_only_child"] = np.where(plan, rng.random(k) < 0.85, None)
    hh["fp_child_outcome"] = np.where(plan, outcome, None)
    hh["fp_child_disability_grade"] = np.where(plan & (outcome != "living"), grade, None)
    hh["fp_later_child"] = np.where(plan, pick([False, False, False, True, None], k), None)
    hh["fp_certificate"] = np.where(plan, pick([True, True, True, False, None], k), None)
    hh["fp_area"] = np.where(plan, pick(["urban", "urban", "rural", None], k), None)  # None: 待核实 where they differ
    return hh, rs


def _frames(households: list[dict], members: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A register built by hand: every column present, the defaults of the household record elsewhere."""
    kinds = [k.id for k in vocabulary().income_kinds]
    hdefaults = {
        "rural_standard": False,
        "property_check": "unknown",
        "receives": "",
        "emergency": None,
        "emergency_hardship": None,
    } | {name: None for name in FP_COLUMNS}
    mdefaults = {
        name: field.default
        for name, field in Member.model_fields.items()
        if name in MEMBER_COLUMNS and name not in ("relation", "age")
    }
    mdefaults = {k: float(v) if isinstance(v, Decimal) else v for k, v in mdefaults.items()}
    mdefaults |= {f"income_{k}": 0.0 for k in kinds} | {"disability_kind": None, "disability_grade": None}
    hh = pd.DataFrame([hdefaults | h for h in households])
    rs = pd.DataFrame([mdefaults | m for m in members])
    return hh, rs


def _register_of(households: list[Household]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Household records (the scenarios) as register rows: the inverse of ``household_record``."""
    kinds = [k.id for k in vocabulary().income_kinds]
    hrows, mrows = [], []
    for i, h in enumerate(households):
        hid = f"S{i:04d}"
        row = {name: getattr(h, name) for name in HOUSEHOLD_COLUMNS} | {"household_id": hid}
        row["receives"] = ",".join(h.receives)
        for name in FamilyPlanning.model_fields:
            row[f"fp_{name}"] = getattr(h.family_planning, name) if h.family_planning else None
        hrows.append(row)
        for j, m in enumerate(h.members):
            person = {name: getattr(m, name) for name in MEMBER_COLUMNS} | {"household_id": hid, "member_no": j}
            person = {key: float(v) if isinstance(v, Decimal) else v for key, v in person.items()}
            for kind in kinds:
                person[f"income_{kind}"] = float(sum(inc.monthly for inc in m.incomes if inc.kind == kind))
            person["disability_kind"] = m.disability.kind if m.disability else None
            person["disability_grade"] = m.disability.grade if m.disability else None
            mrows.append(person)
    return pd.DataFrame(hrows), pd.DataFrame(mrows)


def _screen(program: str, hh: pd.DataFrame, rs: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    out = screen_program(program, hh, rs, on)
    assert list(out.columns) == COLUMNS
    assert len(out) == (len(residents_on(rs, on)) if program in PERSON_LEVEL else len(hh))  # the unborn are not there
    return out


def _outcomes(out: pd.DataFrame) -> set:
    return set(out["eligible"].tolist())


def _row(out: pd.DataFrame, household_id: str, member_no: int | None = None) -> tuple:
    rows = out[out["household_id"] == household_id]
    if member_no is not None:
        rows = rows[rows["member_no"] == member_no]
    assert len(rows) == 1
    amount = rows["amount"].iloc[0]
    return rows["eligible"].iloc[0], None if math.isnan(amount) else amount


def _in_force(program: str, on: dt.date) -> bool:
    return on >= FIRST[program]


def _expected(program: str, on: dt.date) -> set:
    """Exactly which outcomes the enriched register shows on ``on``."""

    def known(series: str) -> bool:
        return load_parameter(series).at(on).value is not None

    if program == "tekun":
        figures = known("dibao-urban-standard-dalian") if on >= dt.date(2021, 7, 1) else False
        return {True, False, None} if figures and known("tekun-urban-standard-dalian") else {False, None}
    if program == "linshi_jiuzhu":
        return {True, False, None}
    if program == "gaoling_jintie":  # ages come from the birth dates: never one that disagrees ("n/a")
        return {True, False} if known("gaoling-jintie-80-84-dalian") else {None}
    return {True, False, None, "n/a"} if known("tefu-bereaved-urban-national") else {False, None, "n/a"}


# ── the whole register against the rule, household by household ───────────────


@functools.cache
def _enriched(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    on = REGISTERS[seed]
    return _enrich(synthesize(300, seed=seed, on=on), on, seed)


_RECORDS: dict = {}


@pytest.fixture
def _records_once(monkeypatch):
    """``compare`` rebuilds the household records on every call, and that is most of its time. The
    records of one register are the same on every date, so the dated comparisons of a register share them
    (only for the cached registers of ``_enriched``, which stay alive: their ids are never reused)."""
    build = agreement.households_from_register

    def shared(households, residents, ids=None):  # noqa: ANN001, ANN202
        key = (id(households), id(residents), None if ids is None else frozenset(ids))
        if key not in _RECORDS:
            _RECORDS[key] = list(build(households, residents, ids))
        return iter(_RECORDS[key])

    monkeypatch.setattr(agreement, "households_from_register", shared)


@pytest.mark.parametrize(("on", "seed"), DATES, ids=[f"{on}-register{seed}" for on, seed in DATES])
def test_enriched_register_agrees_with_the_rules(on, seed, _records_once):
    hh, rs = _enriched(seed)
    programs = [p for p in MINE if _in_force(p, on)]
    assert compare(hh, rs, on, sample=len(hh), seed=seed, programs=programs) == []
    for program in programs:  # every household was compared: the comparison covered every outcome
        out = _screen(program, hh, rs, on)
        assert _outcomes(out) == _expected(program, on), program
        paid = out[out["eligible"].map(lambda v: v is True)]["amount"]
        if program == "linshi_jiuzhu":  # the Dalian amount is a gap throughout
            assert paid.isna().all()
        elif program == "gaoling_jintie":  # a 百岁 allowance has no amount while the 低保 standard is a gap
            assert paid.notna().any() == (True in _expected(program, on))
        else:
            assert paid.notna().all()
        assert out.loc[out["eligible"].map(lambda v: v is not True), "amount"].isna().all()


@pytest.mark.parametrize(
    ("households", "seed", "on"), [(1_500, 14, dt.date(2026, 6, 1)), (1_500, 12, dt.date(2025, 11, 15))]
)
def test_plain_synthetic_register_agrees_on_a_random_sample(households, seed, on):
    tables = synthesize(households, seed=seed, on=on)
    hh, rs = tables["households"], tables["residents"]
    assert compare(hh, rs, on, sample=300, seed=seed, programs=list(MINE)) == []
    shown = {
        "tekun": {True, False, None},
        "linshi_jiuzhu": {True, False, None},
        "gaoling_jintie": {True, False},
        "jisheng_tefu": {True, False, None, "n/a"},
    }
    for program in MINE:
        assert shown[program] <= _outcomes(_screen(program, hh, rs, on)), program


@pytest.mark.parametrize("program", MINE)
def test_a_date_before_the_first_figure_raises_like_the_rule(program):
    on = FIRST[program] - dt.timedelta(days=1)
    hh, rs = _enrich(synthesize(60, seed=3, on=on), on, 3)
    with pytest.raises(BeforeFirstDate):
        screen_program(program, hh, rs, on)
    planned = hh[hh["fp_only_child"].notna()]["household_id"].tolist()
    record = next(iter(households_from_register(hh, rs, planned[:1] if program == "jisheng_tefu" else None)))
    with pytest.raises(BeforeFirstDate):
        PROGRAMS[program].evaluate(record, on)
    # and on the first day everything is decided
    assert len(_screen(program, hh, rs, FIRST[program])) > 0


def test_jisheng_tefu_without_family_planning_records_never_looks_up_a_figure():
    on = dt.date(2010, 1, 1)
    tables = synthesize(40, seed=1, on=on)
    hh, rs = tables["households"], tables["residents"]
    hh["fp_only_child"] = None
    out = _screen("jisheng_tefu", hh, rs, on)
    assert _outcomes(out) == {"n/a"}
    assert compare(hh, rs, on, sample=40, programs=["jisheng_tefu"]) == []


# ── hand-worked: 特困人员救助供养 ────────────────────────────────────────────


def test_tekun_by_hand():
    hh, rs = _frames(
        [
            {"household_id": "A", "property_check": "passed"},
            {"household_id": "B", "property_check": "passed", "rural_standard": True},
            {"household_id": "C", "property_check": "unknown"},
            {"household_id": "D", "property_check": "failed"},
        ],
        [
            {
                "household_id": "A",
                "member_no": 0,
                "relation": "applicant",
                "age": 65,
                "supporters": "none",
                "income_transfer": 1010.99,
            },
            {"household_id": "A", "member_no": 1, "relation": "spouse", "age": 59, "supporters": "none"},
            {"household_id": "A", "member_no": 2, "relation": "child", "age": 15, "supporters": "unable"},
            {"household_id": "A", "member_no": 3, "relation": "parent", "age": 88, "supporters": "able"},
            {
                "household_id": "B",
                "member_no": 0,
                "relation": "applicant",
                "age": 75,
                "supporters": "none",
                "income_business": 846.0,
            },
            {
                "household_id": "B",
                "member_no": 1,
                "relation": "spouse",
                "age": 74,
                "supporters": "none",
                "income_business": 800.0,
                "income_wages": 45.0,
                "income_preferential_pension": 1500.0,
            },
            {"household_id": "C", "member_no": 0, "relation": "applicant", "age": 70, "supporters": "none"},
            {
                "household_id": "D",
                "member_no": 0,
                "relation": "applicant",
                "age": 40,
                "supporters": "unable",
                "disability_kind": "intellectual",
                "disability_grade": 3,
            },
        ],
    )
    aug = dt.date(2025, 8, 1)
    out = _screen("tekun", hh, rs, aug)
    assert _row(out, "A", 0) == (True, 2022.0)  # 1010.99 < 1011, urban 特困 2022
    assert _row(out, "A", 1) == (False, None)  # 59, no disability: can work
    assert _row(out, "A", 2) == (True, 2022.0)  # under 16, decided for as the applicant
    assert _row(out, "A", 3) == (False, None)  # has able supporters
    assert _row(out, "B", 0) == (False, None)  # 846 is not below the rural 846
    assert _row(out, "B", 1) == (True, 1315.0)  # 845 (抚恤金 not counted) < 846, rural 1315
    assert _row(out, "C", 0) == (None, None)  # property not checked
    assert _row(out, "D", 0) == (False, None)  # property failed
    assert compare(hh, rs, aug, sample=4, programs=["tekun"]) == []

    # the 认定办法 switch: intellectual grade 3 counts only under the 2021 version
    hh.loc[hh["household_id"] == "D", "property_check"] = "passed"
    assert _row(_screen("tekun", hh, rs, dt.date(2021, 6, 30)), "D", 0) == (False, None)
    assert _row(_screen("tekun", hh, rs, dt.date(2021, 7, 1)), "D", 0) == (True, 1560.0)
    # before the 低保 series: 无生活来源 cannot be judged
    assert _row(_screen("tekun", hh, rs, dt.date(2021, 6, 30)), "C", 0) == (None, None)
    assert _row(_screen("tekun", hh, rs, dt.date(2024, 10, 1)), "A", 0) == (None, None)  # the 2024 gap
    for on in (dt.date(2021, 6, 30), dt.date(2021, 7, 1), dt.date(2024, 10, 1)):
        assert compare(hh, rs, on, sample=4, programs=["tekun"]) == []


def test_tekun_two_applicants_are_each_decided_on_their_own_facts():
    # two members marked applicant is a data error (the screen lists it, never decides it); the
    # program itself decides each person on their own facts, never the first applicant's
    hh, rs = _frames(
        [{"household_id": "A", "property_check": "passed"}],
        [
            {"household_id": "A", "member_no": 0, "relation": "applicant", "age": 70, "supporters": "none"},
            {"household_id": "A", "member_no": 1, "relation": "applicant", "age": 30},
        ],
    )
    out = _screen("tekun", hh, rs, dt.date(2025, 8, 1))
    assert _row(out, "A", 0) == (True, 2022.0)  # 70: 无劳动能力, no supporters, no income
    assert _row(out, "A", 1) == (False, None)  # 30, no disability: can work


# ── hand-worked: 临时救助 ────────────────────────────────────────────────────


def test_linshi_jiuzhu_by_hand():
    cases = {  # household id: (emergency, hardship, receives, expected)
        "fire": ("fire", True, "", True),
        "fire-ok": ("fire", False, "", False),
        "fire-unchecked": ("fire", None, "", None),
        "surge-dibao": ("spending_surge", True, "tekun,dibao", True),
        "surge-tekun": ("spending_surge", True, "tekun", False),
        "surge-dibao-ok": ("spending_surge", False, "dibao", False),
        "other": ("other", True, "", None),
        "other-ok": ("other", False, "", False),
        "none": (None, True, "", False),
    }
    hh, rs = _frames(
        [
            {"household_id": h, "emergency": e, "emergency_hardship": c, "receives": r}
            for h, (e, c, r, _) in cases.items()
        ],
        [
            m
            for h in cases
            for m in (
                {"household_id": h, "member_no": 0, "relation": "spouse", "age": 50},
                {"household_id": h, "member_no": 1, "relation": "applicant", "age": 52},
            )
        ],
    )
    aug = dt.date(2025, 8, 1)
    out = _screen("linshi_jiuzhu", hh, rs, aug)
    for household, (*_, expected) in cases.items():
        assert _row(out, household) == (expected, None), household  # the Dalian amount is a gap: never a figure
    assert (out["member_no"] == 1).all()  # the applicant
    assert compare(hh, rs, aug, sample=len(cases), programs=["linshi_jiuzhu"]) == []
    assert "低保" in out.loc[out["household_id"] == "surge-tekun", "reason"].iloc[0]


# ── hand-worked: 高龄津贴 ────────────────────────────────────────────────────


def test_gaoling_jintie_by_hand():
    ages = {79: None, 80: 30.0, 84: 30.0, 85: 50.0, 89: 50.0, 90: 200.0, 99: 200.0, 100: 1011.0, 104: 1011.0}
    members = [{"household_id": f"H{a}", "member_no": 0, "relation": "applicant", "age": a} for a in ages]
    members += [
        {"household_id": "H80", "member_no": 1, "relation": "spouse", "age": 86, "hukou_dalian": False},
        {"household_id": "B", "member_no": 0, "relation": "applicant", "age": 79, "birth_date": dt.date(1946, 1, 15)},
        {"household_id": "W", "member_no": 0, "relation": "applicant", "age": 80, "birth_date": dt.date(1946, 1, 15)},
    ]
    hh, rs = _frames([{"household_id": h} for h in dict.fromkeys(m["household_id"] for m in members)], members)
    nov = dt.date(2025, 11, 1)
    out = _screen("gaoling_jintie", hh, rs, nov)
    for a, amount in ages.items():
        assert _row(out, f"H{a}", 0) == (amount is not None, amount), a
    assert _row(out, "H80", 1) == (False, None)  # 户籍不在大连
    assert _row(out, "W", 0) == (False, None)  # the screen ages from the birth date: 79 on the day, not 80
    assert _row(out, "B", 0) == (False, None)
    assert compare(hh, rs, nov, sample=len(hh), programs=["gaoling_jintie"]) == []

    # the birthday: 79 the day before (inside the registration window), 80 on the day
    one = rs[rs["household_id"] == "B"].copy()
    hb = hh[hh["household_id"] == "B"]
    before = _screen("gaoling_jintie", hb, one, dt.date(2026, 1, 14))
    assert _row(before, "B", 0) == (False, None)
    assert "登记期" in before["reason"].iloc[0]
    one["age"] = 80
    assert _row(_screen("gaoling_jintie", hb, one, dt.date(2026, 1, 15)), "B", 0) == (True, 30.0)
    # 29 February: the year completes on 1 March in a common year (84 → 85, the next tier)
    leap = one.assign(birth_date=[dt.date(1944, 2, 29)], age=[84])
    assert _row(_screen("gaoling_jintie", hb, leap, dt.date(2029, 2, 28)), "B", 0) == (True, 30.0)
    assert _row(_screen("gaoling_jintie", hb, leap, dt.date(2029, 3, 1)), "B", 0) == (True, 50.0)
    for on in (dt.date(2029, 2, 28), dt.date(2029, 3, 1)):
        assert compare(hb, leap, on, sample=1, programs=["gaoling_jintie"]) == []
    # after the 办法's five years: 待核实
    assert _outcomes(_screen("gaoling_jintie", hh, rs, dt.date(2030, 10, 1))) == {None}


# ── hand-worked: 计划生育家庭特别扶助 ──────────────────────────────────────────


def test_jisheng_tefu_by_hand():
    died = {"fp_only_child": True, "fp_child_outcome": "died", "fp_certificate": True, "fp_area": "urban"}
    hh, rs = _frames(
        [
            {"household_id": "died"} | died,
            {"household_id": "young-wife"} | died,
            {"household_id": "two-men"} | died,
            {"household_id": "no-sex"} | died,
            {
                "household_id": "grade-unknown",
                "fp_only_child": True,
                "fp_child_outcome": "disabled",
                "fp_certificate": True,
            },
            {
                "household_id": "grade-4",
                "fp_only_child": True,
                "fp_child_outcome": "disabled",
                "fp_child_disability_grade": 4,
                "fp_certificate": True,
            },
            {
                "household_id": "rural-disabled",
                "fp_area": "rural",  # the family's status (the household's 低保 standard is urban here)
                "fp_only_child": True,
                "fp_child_outcome": "disabled",
                "fp_child_disability_grade": 2,
                "fp_certificate": True,
            },
            {"household_id": "no-certificate", "fp_only_child": True, "fp_child_outcome": "died", "fp_area": "urban"},
            {"household_id": "no-plan"},
        ],
        [
            {"household_id": "died", "member_no": 0, "relation": "applicant", "age": 55, "sex": "female"},
            {"household_id": "died", "member_no": 1, "relation": "spouse", "age": 57, "sex": "male"},
            {"household_id": "young-wife", "member_no": 0, "relation": "applicant", "age": 52, "sex": "male"},
            {"household_id": "young-wife", "member_no": 1, "relation": "spouse", "age": 48, "sex": "female"},
            {"household_id": "two-men", "member_no": 0, "relation": "applicant", "age": 60, "sex": "male"},
            {"household_id": "two-men", "member_no": 1, "relation": "spouse", "age": 58, "sex": "male"},
            {"household_id": "two-men", "member_no": 2, "relation": "parent", "age": 85, "sex": "female"},
            {"household_id": "no-sex", "member_no": 0, "relation": "applicant", "age": 60, "sex": "male"},
            {"household_id": "no-sex", "member_no": 1, "relation": "spouse", "age": 58, "sex": None},
            {"household_id": "grade-unknown", "member_no": 0, "relation": "applicant", "age": 60, "sex": "female"},
            {"household_id": "grade-4", "member_no": 0, "relation": "applicant", "age": 60, "sex": "female"},
            {"household_id": "rural-disabled", "member_no": 0, "relation": "applicant", "age": 55, "sex": "female"},
            {"household_id": "no-certificate", "member_no": 0, "relation": "applicant", "age": 58, "sex": "female"},
            {"household_id": "no-plan", "member_no": 0, "relation": "applicant", "age": 60, "sex": "female"},
        ],
    )
    expected = {
        dt.date(2025, 8, 1): {
            "died": (True, 590.0),
            "young-wife": (False, None),
            "two-men": (None, None),
            "no-sex": ("n/a", None),
            "grade-unknown": ("n/a", None),
            "grade-4": (False, None),
            "rural-disabled": (True, 460.0),
            "no-certificate": (None, None),
            "no-plan": ("n/a", None),
        },
        dt.date(2014, 6, 1): {"died": (True, 340.0), "rural-disabled": (True, 150.0), "young-wife": (False, None)},
        dt.date(2018, 5, 1): {
            "died": (None, None),
            "rural-disabled": (None, None),
            "young-wife": (False, None),
            "two-men": (None, None),
        },
    }
    for on, rows in expected.items():
        out = _screen("jisheng_tefu", hh, rs, on)
        for household, outcome in rows.items():
            assert _row(out, household) == outcome, (on, household)
        assert compare(hh, rs, on, sample=len(hh), programs=["jisheng_tefu"]) == []


# ── the hand-worked scenarios, screened as one-household registers ─────────────


@pytest.mark.parametrize("program", MINE)
def test_scenarios_screen_as_worked(program):
    for scenario in load_scenarios()[program].scenarios:
        hh, rs = _register_of([scenario.household])
        out = _screen(program, hh, rs, scenario.date)
        applicant = [m.relation for m in scenario.household.members].index("applicant")
        eligible, amount = _row(out, "S0000", applicant if program in PERSON_LEVEL else None)
        assert eligible is scenario.expected.eligible, scenario.name
        if scenario.expected.amount is not None:
            assert amount == float(scenario.expected.amount), scenario.name
        elif eligible is not True:
            assert amount is None, scenario.name


def test_a_register_read_back_from_csv_agrees(tmp_path):
    # CSV gives text dates and "True"/"False" text where a column also has blanks
    hh, rs = _enriched(4)
    write({"households": hh, "residents": rs}, tmp_path, csv=True)
    for parquet in tmp_path.glob("*.parquet"):
        parquet.unlink()
    hh, rs = read_register(tmp_path)
    assert compare(hh, rs, REGISTERS[4], sample=len(hh), programs=list(MINE)) == []


DIBAO_DATES = [
    (dt.date(2023, 7, 1), 3),
    (dt.date(2025, 7, 1), 3),
    (dt.date(2025, 10, 1), 4),
    (dt.date(2026, 6, 30), 4),
    (dt.date(2026, 7, 1), 4),
]


@pytest.mark.parametrize(("on", "seed"), DIBAO_DATES, ids=[f"{on}-register{seed}" for on, seed in DIBAO_DATES])
def test_enriched_register_agrees_with_the_dibao_rule_on_eligibility_and_amount(on, seed, _records_once):
    """低保 is held to its rule like the others: every household, eligibility and the monthly gap,
    incomes a cent either side of the standard and unchecked property among them."""
    hh, rs = _enriched(seed)
    assert compare(hh, rs, on, sample=len(hh), seed=seed, programs=["dibao"]) == []
    out = _screen("dibao", hh, rs, on)
    standard = load_parameter("dibao-urban-standard-dalian").at(on).value
    if standard is None:  # a gap in the series: nobody is paid
        assert True not in _outcomes(out) and out["amount"].isna().all()
        return
    assert {True, False, None} <= _outcomes(out)
    paid = out[out["eligible"].map(lambda v: v is True)]["amount"].astype(float)
    assert paid.notna().all() and (paid > 0).all()
    assert (paid < float(standard) * 20).all() and paid.nunique() > 3  # gaps that differ, not the standard paid whole
