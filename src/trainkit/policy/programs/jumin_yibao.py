"""城乡居民基本医疗保险: who enrols, what it costs at least, and how long benefits wait.

Anyone outside the employee medical insurance may enrol. The national minimum individual
contribution and government subsidy are dated series (status S); Dalian's actual amount is
not in the kit. 特困 members' contributions are paid in full by the government, 低保
members' are subsidised by a locally set amount (not in the kit). From 2025, enrolling
outside the collection period or after a lapse means a waiting period: 3 months plus 1
month per year missed (国办发〔2024〕38号, S). The decision is whether the person may
enrol; amounts stay empty. One row per resident, each decided on their own facts; a date
before the first national figure (2024-01-01) raises :class:`BeforeFirstDate`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ...law import Citation
from ..columns import at_home, member_flag, member_number, receiving, step, value_on
from ..household import RELATION_TITLES
from ..outcome import NO, YES, Because, Outcome, money
from ..parameters import STATUS_TITLES, Reference, load_parameter
from . import household_rule
from ._person import lazy_names, named

__all__ = ["decide", "evaluate", "waiting_months"]

PROGRAM = "jumin_yibao"
TITLE = "城乡居民基本医疗保险"
AMOUNT = "个人缴费"  # never filled: Dalian's contribution is not in the kit
PERIOD = "year"
PER = "person"  # one decision per resident; enrolment recorded on the person
DOMAIN = "social_insurance"
ITEMS = ("resident_medical_enrolment",)

ART_23 = Citation(
    law="社会保险法",
    article=23,
    quote="职工应当参加职工基本医疗保险，由用人单位和职工按照国家规定共同缴纳基本医疗保险费。",
)
ART_25 = Citation(law="社会保险法", article=25, quote="城镇居民基本医疗保险实行个人缴费和政府补贴相结合。")
ART_25_SUBSIDY = Citation(
    law="社会保险法",
    article=25,
    quote="享受最低生活保障的人、丧失劳动能力的残疾人、低收入家庭六十周岁以上的老年人和未成年人等所需个人缴费部分，由政府给予补贴。",
)
ASSISTANCE = Reference(
    title="特困人员个人缴费全额资助、低保对象定额资助（国办发〔2021〕42号等，经第三方研究笔记转引）",
    status="S",
)
WAITING_DOC = Reference(
    title="国务院办公厅《关于健全基本医疗保险参保长效机制的指导意见》（国办发〔2024〕38号），央视网 2024-08-07 报道转载",
    href="http://m.yhxzz.com/zcjd/2024-8/7/244064.html",
    status="S",
)

INDIVIDUAL = "jumin-yibao-individual-min-national"
SUBSIDY = "jumin-yibao-subsidy-min-national"
WAIT_FIXED = "jumin-yibao-waiting-fixed-months"
WAIT_PER_YEAR = "jumin-yibao-waiting-months-per-lapsed-year"
WINDOW = "区医疗保障经办机构或街道医保窗口"

REASONS = {
    "subject": Because("判断对象：{relation_title}（{age}岁）", citation=ART_25),
    "subject_named": Because("判断对象：{name}（{relation_title}，{age}岁）", citation=ART_25),
    "employee": Because("本人已参加职工基本医疗保险，不再参加城乡居民医保", citation=ART_23),
    "may_enrol": Because("未参加职工基本医疗保险，可以参加城乡居民基本医疗保险", citation=ART_25),
    "enrolled": Because("本年度已参保，无需重复参保；下一年度请在集中参保期内按时续保", citation=ART_25),
    "figures": Because("{figures}；大连市实际个人缴费标准以当年通知为准", citation=ART_25, param="individual_param"),
    "individual_gap": Because("{individual_missing}", missing=True),
    "subsidy_gap": Because("{subsidy_missing}", missing=True),
    "local_standard": Because(f"大连市当年居民医保个人缴费标准（不低于全国最低标准）：请向{WINDOW}核实", missing=True),
    "tekun": Because("特困人员：个人缴费部分由政府全额资助", citation=ART_25_SUBSIDY, reference=ASSISTANCE),
    "dibao": Because(
        "低保对象：个人缴费部分由政府给予定额资助，资助金额由当地规定", citation=ART_25_SUBSIDY, reference=ASSISTANCE
    ),
    "dibao_amount": Because(f"大连市对低保对象居民医保个人缴费的资助金额：请向{WINDOW}核实", missing=True),
    "wait_gap": Because("{wait_missing}", missing=True),
    "no_wait": Because("在集中参保期内参保且连续参保，没有待遇等待期", reference=WAITING_DOC),
    "wait_unknown": Because("集中参保期外参保或断保后再参保：待遇等待期在本日期的规定未收录", reference=WAITING_DOC),
    "wait": Because(
        "{why}：固定待遇等待期 {fixed} 个月，断保 {lapsed} 年 × {per_year} 个月，"
        "共 {wait} 个月（待遇等待期 {wait} 个月），等待期满后才开始享受医保待遇（{fixed_title}，{fixed_status}）",
        reference=WAITING_DOC,
    ),
}
WHY = {  # (late, lapsed) → how the person came to wait
    (True, False): "在集中参保期外参保",
    (False, True): "断保后再参保",
    (True, True): "在集中参保期外参保、断保后再参保",
}


def _wait_months(late: np.ndarray, lapsed: np.ndarray, fixed: float, per_year: float) -> np.ndarray:
    """Months of waiting: 0 on time and continuous, else fixed + per lapsed year (NaN: unknown)."""
    return np.where(~late & (lapsed == 0), 0.0, fixed + per_year * lapsed)


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


def waiting_months(late: bool, lapsed_years: int, on: dt.date) -> int | None:
    """Months of waiting after enrolling: 0 when on time and continuous; ``None`` when unknown."""
    if not late and lapsed_years == 0:
        return 0
    fixed, per_year = _nan(value_on(WAIT_FIXED, on)), _nan(value_on(WAIT_PER_YEAR, on))
    wait = float(_wait_months(np.array([late]), np.array([float(lapsed_years)]), fixed, per_year)[0])
    return None if np.isnan(wait) else int(wait)


def _national(param_id: str, on: dt.date) -> tuple[str, str]:
    """How the reasons quote a national minimum on ``on``, and what is missing in its gap."""
    param = load_parameter(param_id)
    value = param.at(on)  # raises before the first figure
    status = f"{STATUS_TITLES[value.status]}·{value.status}"
    if value.value is None:
        return f"{param.title}：未收录（{status}）", value.missing or ""
    return f"{param.title}：{money(value.value)} {param.unit}（{value.since}起，{status}）", ""


def _same(n: int, text: str) -> pd.Categorical:
    """One text for every row, stored once."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[text])


def decide(households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> Outcome:
    """城乡居民医保 for every resident of a numbered register on ``on``, each as if they applied."""
    n = len(residents)
    individual, individual_missing = _national(INDIVIDUAL, on)
    subsidy, subsidy_missing = _national(SUBSIDY, on)
    fixed_param = load_parameter(WAIT_FIXED)
    fixed_value = fixed_param.at(on)
    fixed, per_year = _nan(value_on(WAIT_FIXED, on)), _nan(value_on(WAIT_PER_YEAR, on))

    employee = member_flag(residents, "employee_medical")
    enrolled = member_flag(residents, "resident_medical_enrolled")
    late = member_flag(residents, "medical_enrol_late")
    lapsed = member_number(residents, "medical_lapsed_years")
    tekun = at_home(households, residents, receiving(households, "tekun"))
    dibao = at_home(households, residents, receiving(households, "dibao")) & ~tekun
    wait = _wait_months(late, lapsed, fixed, per_year)
    unknown = np.isnan(wait)
    may = ~employee

    has_name = named(residents)
    relation = residents["relation"].astype("category")
    # how each came to wait, as a position in (WHY[False, True], WHY[True, False], WHY[True, True])
    why = np.select([late & (lapsed > 0), late], [2, 1], 0)
    rows = {
        "household_id": residents["household_id"].to_numpy(),
        "member_no": residents["member_no"].to_numpy(dtype=np.int64),
        "verdict": np.where(employee, NO, YES).astype(np.int8),
        "amount": np.full(n, np.nan),
        "subject_step": step(n, (has_name, "subject_named"), (~has_name, "subject")),
        "employee_step": step(n, (employee, "employee"), (~employee, "may_enrol")),
        "enrolled_step": step(n, (may & enrolled, "enrolled")),
        "figures_step": step(n, (may, "figures")),
        "individual_step": step(n, (may & bool(individual_missing), "individual_gap")),
        "subsidy_step": step(n, (may & bool(subsidy_missing), "subsidy_gap")),
        "local_step": step(n, (may, "local_standard")),
        "assistance_step": step(n, (may & tekun, "tekun"), (may & dibao, "dibao")),
        "dibao_step": step(n, (may & dibao, "dibao_amount")),
        "wait_gap_step": step(n, (may & unknown, "wait_gap")),
        "wait_step": step(
            n, (may & (wait == 0), "no_wait"), (may & unknown, "wait_unknown"), (may & (wait > 0), "wait")
        ),
        "relation_title": relation.cat.rename_categories(lambda r: RELATION_TITLES.get(r, r)).array,
        "age": residents["age"].to_numpy(dtype=np.int64),
        "figures": _same(n, f"{individual}；{subsidy}"),
        "individual_param": _same(n, INDIVIDUAL),
        "individual_missing": _same(n, individual_missing),
        "subsidy_missing": _same(n, subsidy_missing),
        "wait_missing": _same(n, fixed_value.missing or ""),
        "why": pd.Categorical.from_codes(why, categories=[WHY[False, True], WHY[True, False], WHY[True, True]]),
        "fixed": np.full(n, fixed),
        "per_year": np.full(n, per_year),
        "lapsed": lapsed,
        "wait": wait,
        "fixed_title": _same(n, fixed_param.title),
        "fixed_status": _same(n, f"{STATUS_TITLES[fixed_value.status]}·{fixed_value.status}"),
    }
    steps = tuple(c for c in rows if c.endswith("_step"))
    return Outcome(rows=rows, steps=steps, lazy={"name": lazy_names(residents)})


evaluate = household_rule(__name__)
