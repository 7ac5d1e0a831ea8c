"""``trainkit synth``: a deterministic synthetic district shaped like 西岗区.

234 网格 across its communities (the bureau's 2021 reply); households of one to five with
an ageing age structure, incomes by source, work, disability, illness, pregnancies and
young children, 失独 families, benefits already received, service records, needs-survey
answers and 居民议事 topics. Names and ID numbers are visibly fake. The distributions are
plausible guesses for teaching, not statistics of any real place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import replacing
from ..content import ContentError
from ..policy.household import vocabulary

__all__ = ["CITY_PIECE", "GRIDS", "as_schema", "synthesize", "write", "write_city"]

GRIDS = 234
CITY_PIECE = 250_000  # households per district of a synthetic city, each written as it is made
PILOT = 20_000  # households synthesised first to learn a city's column types
COMMUNITIES = 39  # six grids each
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏")
GIVEN = [
    "秀英",
    "桂兰",
    "玉兰",
    "凤英",
    "建国",
    "建华",
    "国强",
    "志刚",
    "海燕",
    "丽娟",
    "晓梅",
    "春燕",
    "文博",
    "子涵",
    "雨桐",
    "浩然",
    "一诺",
    "梓轩",
    "淑珍",
    "德福",
    "立新",
    "红梅",
    "振华",
    "玉珍",
]
NEEDS = {
    "meal_help": "老年助餐",
    "day_care": "日间照料",
    "home_repair": "居家适老化改造",
    "job_training": "就业技能培训",
    "childcare": "托育服务",
    "mental_health": "心理疏导",
    "legal_aid": "法律咨询",
    "health_checks": "上门健康服务",
}
TOPICS = [
    "加装电梯",
    "楼道堆物清理",
    "停车位规划",
    "垃圾分类投放点",
    "小区绿化改造",
    "物业费调整",
    "老年食堂选址",
    "儿童活动场地",
    "夜间照明",
    "电动车充电桩",
]
SERVICE_KINDS = ["入户走访", "窗口办理", "电话回访", "政策宣传"]


def _pick(rng: np.random.Generator, choices: list, weights: list[float], size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(choices, dtype=object), size=size, p=p / p.sum())


def _members(rng: np.random.Generator, n_households: int, on: dt.date) -> pd.DataFrame:
    """Residents with their household, relation, age and sex."""
    sizes = _pick(rng, [1, 2, 3, 4, 5], [24, 36, 24, 11, 5], n_households).astype(int)
    head_age = np.clip(rng.normal(56, 15, n_households).round(), 22, 98).astype(int)
    rows = {"household_id": [], "member_no": [], "relation": [], "age": []}
    plans = {
        1: ["applicant"],
        2: ["applicant", "spouse"],
        3: ["applicant", "spouse", "child"],
        4: ["applicant", "spouse", "child", "child"],
        5: ["applicant", "spouse", "child", "child", "parent"],
    }
    for h, (size, age) in enumerate(zip(sizes, head_age, strict=True)):
        plan = list(plans[int(size)])
        if size == 2 and age < 35 and rng.random() < 0.3:
            plan = ["applicant", "child"]
        for m, relation in enumerate(plan):
            if relation == "applicant":
                a = age
            elif relation == "spouse":
                a = age + int(rng.integers(-4, 5))
            elif relation == "child":
                a = age - int(rng.integers(24, 36))
            else:
                a = age + int(rng.integers(24, 32))
            rows["household_id"].append(h)
            rows["member_no"].append(m)
            rows["relation"].append(relation)
            rows["age"].append(min(max(int(a), 0), 104))  # np.clip on one number costs microseconds each
    frame = pd.DataFrame(rows)
    n = len(frame)
    frame["sex"] = _pick(rng, ["female", "male"], [51, 49], n)
    days = rng.integers(0, 365, n)
    frame["birth_date"] = [
        on - dt.timedelta(days=int(a * 365.25) + int(d)) for a, d in zip(frame["age"], days, strict=True)
    ]
    return frame


def _fix_ages(frame: pd.DataFrame, on: dt.date) -> None:
    """Make ``age`` the completed years at ``on`` for each birth date."""
    frame["age"] = [on.year - b.year - ((on.month, on.day) < (b.month, b.day)) for b in frame["birth_date"]]


def synthesize(households: int, *, seed: int = 2026, on: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The register tables: households, residents, services, survey, topics."""
    if households < 1:
        raise ValueError("--households 至少为 1")
    on = on or dt.date(2026, 6, 1)
    rng = np.random.default_rng(seed)
    people = _members(rng, households, on)
    _fix_ages(people, on)
    n, age = len(people), people["age"].to_numpy()
    grid = rng.integers(0, GRIDS, households)
    hh = pd.DataFrame(
        {
            "household_id": [f"H{i:07d}" for i in range(households)],
            "grid": [f"G{g + 1:03d}" for g in grid],
            "community": [f"示例{g // 6 + 1:02d}社区" for g in grid],
        }
    )
    people["household_id"] = hh["household_id"].to_numpy()[people["household_id"].to_numpy()]
    people["grid"] = people["household_id"].map(dict(zip(hh["household_id"], hh["grid"], strict=True)))
    people["name"] = [
        "【虚构】" + SURNAMES[i % len(SURNAMES)] + GIVEN[j % len(GIVEN)]
        for i, j in zip(rng.integers(0, 10_000, n), rng.integers(0, 10_000, n), strict=True)
    ]
    people["id_number"] = [f"虚构-{b:%Y%m%d}-{k:06d}" for k, b in enumerate(people["birth_date"])]
    people["hukou_dalian"] = rng.random(n) < 0.93
    people["lives_together"] = ~((people["relation"] == "child") & (age >= 18) & (rng.random(n) < 0.3))
    study = np.where(age < 18, "secondary", "none").astype(object)
    young_adult = (age >= 18) & (age <= 24)
    study[young_adult] = _pick(rng, ["undergraduate", "postgraduate", "none"], [45, 10, 45], int(young_adult.sum()))
    study[age < 15] = "none"
    people["full_time_study"] = study
    people["cannot_live_independently"] = False
    people["statutory_duty"] = False
    people["excluded_as"] = None
    people.loc[
        (rng.random(n) < 0.004) & (age >= 18) & (age < 60) & (people["relation"] != "applicant"), "excluded_as"
    ] = "prison"

    disabled = rng.random(n) < np.where(age >= 60, 0.09, 0.04)
    people["disability_kind"] = np.where(
        disabled,
        _pick(
            rng,
            ["physical", "visual", "hearing", "intellectual", "psychiatric", "speech", "multiple"],
            [45, 12, 14, 10, 10, 4, 5],
            n,
        ),
        None,
    )
    people["disability_grade"] = np.where(disabled, rng.integers(1, 5, n), None)
    people["severe_illness"] = rng.random(n) < np.where(age >= 50, 0.03, 0.008)
    people["chronic_illness"] = rng.random(n) < np.where(age >= 60, 0.45, 0.08)
    pregnant = (people["sex"] == "female") & (age >= 22) & (age <= 40) & (rng.random(n) < 0.03)
    people["pregnant_weeks"] = np.where(pregnant, rng.integers(4, 41, n), None)
    people["supporters"] = np.where(
        people["relation"] == "applicant", _pick(rng, ["able", "unable", "none"], [90, 6, 4], n), "able"
    )

    working = (age >= 18) & (age < 60) & (study == "none")
    employment = np.where(age >= 60, np.where(rng.random(n) < 0.88, "retired", "none"), "none").astype(object)
    employment[working] = _pick(rng, ["employed", "flexible", "unemployed", "none"], [68, 9, 9, 14], int(working.sum()))
    people["employment"] = employment
    unemployed = employment == "unemployed"
    people["registered_unemployed_months"] = np.where(unemployed, rng.integers(0, 30, n), 0)
    people["landless_farmer"] = rng.random(n) < 0.01
    people["released_from_custody"] = rng.random(n) < 0.003
    people["graduated_within_2y"] = (age >= 21) & (age <= 25) & (study == "none") & (rng.random(n) < 0.4)
    people["employee_pension"] = (employment == "employed") | ((employment == "retired") & (rng.random(n) < 0.8))
    people["resident_pension_years"] = np.where(
        people["employee_pension"] | (age < 16), 0, np.minimum(rng.integers(0, 25, n), np.maximum(age - 16, 0))
    )
    people["employee_medical"] = people["employee_pension"].to_numpy()
    people["resident_medical_enrolled"] = ~people["employee_medical"] & (rng.random(n) < 0.9)
    people["medical_lapsed_years"] = np.where(people["resident_medical_enrolled"], 0, rng.integers(0, 4, n))
    people["flexible_insurance_paid_monthly"] = np.where(employment == "flexible", rng.integers(600, 1300, n), 0)
    people["flexible_subsidy_first_approved"] = None
    people["employment_difficulty_recognised"] = (employment == "flexible") & (rng.random(n) < 0.25)
    people["medical_enrol_late"] = False
    _work_insurance_dates(np.random.default_rng([seed, 7]), people, on)

    kinds = [k.id for k in vocabulary().income_kinds]
    for kind in kinds:
        people[f"income_{kind}"] = 0.0
    poor = rng.random(households) < 0.09  # a low-income tail
    poor_person = poor[people["household_id"].str[1:].astype(int).to_numpy()]
    wage = np.where(poor_person, rng.integers(0, 900, n), rng.integers(2600, 9000, n))
    people["income_wages"] = np.where(employment == "employed", wage, 0).astype(float)
    people["income_business"] = np.where(
        employment == "flexible", np.where(poor_person, rng.integers(0, 800, n), rng.integers(1500, 6000, n)), 0
    ).astype(float)
    pension = np.where(poor_person, rng.integers(0, 700, n), rng.integers(2200, 5200, n))
    people["income_transfer"] = np.where(employment == "retired", pension, 0).astype(float)
    people["income_preferential_pension"] = np.where(rng.random(n) < 0.01, rng.integers(300, 1500, n), 0).astype(float)
    people["income_basic_pension_base"] = np.where((employment == "none") & (age >= 60), 143, 0).astype(float)

    # household facts
    counted_income = (
        people.groupby("household_id")[["income_wages", "income_business", "income_transfer"]].sum().sum(axis=1)
    )
    size = people.groupby("household_id").size()
    per_head = (counted_income / size).reindex(hh["household_id"]).to_numpy()
    low = per_head < 1100
    hh["rural_standard"] = False
    hh["property_check"] = np.where(
        low, _pick(rng, ["passed", "unknown", "failed"], [65, 25, 10], households), "unknown"
    )
    heads = people[people["relation"] == "applicant"].set_index("household_id").reindex(hh["household_id"])
    # receipt: 低保 is paid to the household, 高龄津贴 to the person (a spouse may not yet be registered)
    hh["receives"] = np.where(low & (rng.random(households) < 0.6), "dibao", "")
    people["receives"] = np.where((people["age"] >= 80) & (rng.random(len(people)) < 0.7), "gaoling_jintie", "")
    hh["emergency"] = np.where(
        rng.random(households) < 0.01,
        _pick(rng, ["fire", "traffic_accident", "sudden_illness", "spending_surge"], [1, 2, 5, 2], households),
        None,
    )
    hh["emergency_hardship"] = np.where(pd.notna(hh["emergency"]), rng.random(households) < 0.7, None)
    _emergency_checks(np.random.default_rng([seed, 11]), hh)
    shidu = (heads["age"].to_numpy() >= 49) & (heads["age"].to_numpy() <= 80) & (rng.random(households) < 0.015)
    hh["fp_only_child"] = np.where(shidu, True, None)
    hh["fp_child_outcome"] = np.where(shidu, _pick(rng, ["died", "disabled"], [65, 35], households), None)
    hh["fp_child_disability_grade"] = np.where(
        shidu & (hh["fp_child_outcome"] == "disabled"), rng.integers(1, 5, households), None
    )
    hh["fp_later_child"] = np.where(shidu, False, None)
    held = rng.random(households)  # 85% hold a 光荣证, 10% are recorded without one, 5% not recorded
    hh["fp_certificate"] = np.where(shidu & (held < 0.95), held < 0.85, None)
    hh["fp_area"] = np.where(shidu, "urban", None)  # a central district: 城镇 families

    services = _services(rng, hh, on)
    survey = _survey(rng, hh, people)
    topics = pd.DataFrame(
        [
            {
                "grid": f"G{g:03d}",
                "topic": TOPICS[int(rng.integers(0, len(TOPICS)))],
                "raised_on": on - dt.timedelta(days=int(rng.integers(0, 365))),
                "supporters": int(rng.integers(3, 60)),
            }
            for g in range(1, GRIDS + 1)
            for _ in range(int(rng.integers(0, 4)))
        ]
    )
    return {"households": hh, "residents": people, "services": services, "survey": survey, "topics": topics}


def _work_insurance_dates(rng: np.random.Generator, people: pd.DataFrame, on: dt.date) -> None:
    """First approvals of the 灵活就业 subsidy (most subsidised workers already have one, some long
    ago) and 居民医保 enrolments outside the collection period. A separate random stream, so the
    other columns stay as they were for every seed."""
    n = len(people)
    subsidised = (people["employment"] == "flexible").to_numpy() & (
        people["employment_difficulty_recognised"] | people["graduated_within_2y"]
    ).to_numpy()
    back = np.where(people["employment_difficulty_recognised"], rng.integers(0, 1800, n), rng.integers(0, 800, n))
    approved = np.flatnonzero(subsidised & (rng.random(n) < 0.7))
    first = np.full(n, None, dtype=object)
    first[approved] = [on - dt.timedelta(days=int(d)) for d in back[approved]]
    people["flexible_subsidy_first_approved"] = first
    people["medical_enrol_late"] = people["resident_medical_enrolled"].to_numpy() & (rng.random(n) < 0.05)


def _emergency_checks(rng: np.random.Generator, hh: pd.DataFrame) -> None:
    """Some 急难情形 are "other special difficulty" and some are not yet checked at home (临时救助
    待核实). A separate random stream, so the other columns stay as they were for every seed."""
    n = len(hh)
    emergency = pd.notna(hh["emergency"]).to_numpy()
    other = emergency & (rng.random(n) < 0.1)
    unchecked = emergency & (rng.random(n) < 0.2)
    hh["emergency"] = np.where(other, "other", hh["emergency"].astype(object))
    hh["emergency_hardship"] = np.where(unchecked, None, hh["emergency_hardship"].astype(object))


def _services(rng: np.random.Generator, hh: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    picked = hh["household_id"].to_numpy()[rng.random(len(hh)) < 0.35]
    return pd.DataFrame(
        {
            "household_id": picked,
            "date": [on - dt.timedelta(days=int(d)) for d in rng.integers(0, 365, len(picked))],
            "kind": _pick(rng, SERVICE_KINDS, [4, 3, 2, 1], len(picked)),
        }
    )


def _survey(rng: np.random.Generator, hh: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    answered = hh[rng.random(len(hh)) < 0.4][["household_id", "grid"]].reset_index(drop=True)
    oldest = people.groupby("household_id")["age"].max().reindex(answered["household_id"]).to_numpy()
    youngest = people.groupby("household_id")["age"].min().reindex(answered["household_id"]).to_numpy()
    base = {
        "meal_help": np.where(oldest >= 75, 0.45, 0.05),
        "day_care": np.where(oldest >= 80, 0.3, 0.03),
        "home_repair": np.where(oldest >= 70, 0.25, 0.05),
        "job_training": np.where(oldest < 60, 0.18, 0.03),
        "childcare": np.where(youngest <= 3, 0.55, 0.02),
        "mental_health": np.full(len(answered), 0.06),
        "legal_aid": np.full(len(answered), 0.08),
        "health_checks": np.where(oldest >= 70, 0.35, 0.06),
    }
    for need, p in base.items():
        answered[need] = rng.random(len(answered)) < p
    answered["satisfaction"] = rng.integers(1, 6, len(answered))
    return answered


def write(tables: dict[str, pd.DataFrame], out: Path, *, csv: bool = False) -> list[Path]:
    """Write every table as Parquet (and CSV on request)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.parquet"
        with replacing(path) as tmp:
            frame.to_parquet(tmp, index=False)
        written.append(path)
        if csv:
            with replacing(out / f"{name}.csv") as tmp:
                frame.to_csv(tmp, index=False, encoding="utf-8-sig")
            written.append(out / f"{name}.csv")
    return written


def write_city(
    households: int,
    out: Path,
    *,
    seed: int = 2026,
    on: dt.date | None = None,
    piece: int = CITY_PIECE,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """A synthetic city too large to hold at once: districts of ``piece`` households, each
    synthesised like a district (its own 234 grids, named ``D01-G001``…, household ids numbered on
    across the city) and appended to ``households.parquet`` and ``residents.parquet`` as one row
    group each, so that a reader can take the city a district at a time. Only these two tables
    are written (the register ``trainkit screen`` reads). Each file appears whole or not at all."""
    if households < 1:
        raise ValueError("--households 至少为 1")
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / "households.parquet", out / "residents.parquet"]
    # the column types, from a district large enough that every column has a value somewhere
    # (a small piece may have no 失独 family, its family-planning columns typed null)
    pilot = synthesize(PILOT, seed=seed, on=on)
    schemas = [
        pa.Table.from_pandas(_in_city(pilot["households"], pilot["residents"], piece=0, first=0)[k]).schema
        for k in (0, 1)
    ]
    with contextlib.ExitStack() as stack:
        temps = [stack.enter_context(replacing(path)) for path in targets]
        writers = [
            stack.enter_context(pq.ParquetWriter(tmp, schema)) for tmp, schema in zip(temps, schemas, strict=True)
        ]
        done, number = 0, 0
        while done < households:
            size = min(piece, households - done)
            tables = synthesize(size, seed=seed * 1_000 + number, on=on)
            hh, people = _in_city(tables["households"], tables["residents"], piece=number, first=done)
            for k, frame in enumerate((hh, people)):
                table = pa.Table.from_pandas(frame, preserve_index=False)
                writers[k].write_table(as_schema(table, writers[k].schema), row_group_size=len(table))
            done, number = done + size, number + 1
            if progress:
                progress(f"已生成 {done:,}/{households:,} 户（{number} 个区）…")
        for writer in writers:
            writer.close()
    return targets


def _in_city(hh: pd.DataFrame, people: pd.DataFrame, *, piece: int, first: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A district's tables renumbered into the city: ids go on from ``first``, grids and
    communities are prefixed with the district's number."""
    ids = pd.Index(hh["household_id"])
    city_ids = np.array([f"H{first + i:07d}" for i in range(len(ids))], dtype=object)
    district = f"D{piece + 1:02d}"
    hh = hh.assign(
        household_id=city_ids,
        grid=district + "-" + hh["grid"].astype(str),
        community=f"示例{piece + 1:02d}区" + hh["community"].astype(str).str.removeprefix("示例"),
    )
    people = people.assign(
        household_id=city_ids[ids.get_indexer(people["household_id"])],
        grid=district + "-" + people["grid"].astype(str),
        id_number=people["id_number"].astype(str).str.replace("虚构-", f"虚构-{district}-", n=1, regex=False),
    )
    return hh, people


def as_schema(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in the column types of ``schema``: the first piece written fixes them (a column
    empty in one piece is typed null there)."""
    if table.schema.equals(schema):
        return table
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, KeyError) as err:
        raise ContentError(f"各部分的列类型不一致，无法写入同一个文件：{err}") from err
