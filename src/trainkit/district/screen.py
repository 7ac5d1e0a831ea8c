"""``trainkit screen``: every program over every household, and who is missed.

The outreach list holds each person or household that qualifies (or is 待核实) for a
program they do not yet receive — "让所有应该享受政策的人全都享受到" — with the reason and
the service item, plus a summary per grid for planning visits. Ages are taken on the
screening date, from the birth dates in the register.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import union_categoricals

from ..atomic import replacing
from ..framework import load_framework
from ..policy import PROGRAMS, BeforeFirstDate
from ..policy.frames import numbered
from ..policy.outcome import PENDING, YES, Outcome, eligible, reason_column, screened
from ..policy.shared import with_shared
from .register import positions, register_problems, residents_on

__all__ = [
    "COLUMNS",
    "HEADERS",
    "ScreenResult",
    "errors_sheet",
    "outreach_sheet",
    "screen_program",
    "screen_register",
    "write_outreach",
]

COLUMNS = ["household_id", "member_no", "eligible", "amount", "reason"]  # one program's screened rows

# Person-level programs whose take-up the register records on the person, not in ``receives``.
ALREADY_COVERED = {
    "jumin_yibao": lambda r: r["resident_medical_enrolled"].astype(bool),
    "jumin_yanglao": lambda r: r["resident_pension_years"].fillna(0).astype(int) > 0,
    "jiuye_kunnan": lambda r: r["employment_difficulty_recognised"].astype(bool),
}


@dataclass(frozen=True)
class ScreenResult:
    outreach: pd.DataFrame  # qualifies or 待核实, not yet receiving
    by_grid: pd.DataFrame  # outreach counts per grid and program
    not_in_force: dict[str, str] = field(default_factory=dict)  # program → why it was left out
    data_errors: pd.DataFrame = field(default_factory=pd.DataFrame)  # grid, household_id, reason: not screened
    decided: Callable[[], pd.DataFrame] = field(default=pd.DataFrame, repr=False)  # makes ``decisions``

    @functools.cached_property
    def decisions(self) -> pd.DataFrame:
        """Every program × household or person: put together when first read (``trainkit
        screen`` writes the outreach list only, and a district's 2.5 million decisions take a
        tenth of a second to stack)."""
        return self.decided()


def screen_register(
    households: pd.DataFrame, residents: pd.DataFrame, on: dt.date, *, decisions: bool = True
) -> ScreenResult:
    """Run every program over the whole register on date ``on``.

    ``decisions=False`` leaves ``decisions`` empty (a city screened a piece at a time keeps
    only the outreach list); otherwise they are kept and stacked when first read.

    Households whose entry cannot be decided on (:func:`register_problems`) are not screened:
    they are listed in ``data_errors`` to be corrected, never given an eligibility.
    """
    if "birth_date" in residents and pd.api.types.is_object_dtype(residents["birth_date"].dtype):
        # read once here, not by every step that needs a birthday
        residents = residents.assign(birth_date=pd.to_datetime(residents["birth_date"], errors="coerce"))
    homes = pd.Index(households["household_id"])
    # the screens join and group on household numbers (row numbers of ``households``): far
    # cheaper than id strings; the ids come back once, at the end
    at = positions(homes, residents["household_id"])
    problems = register_problems(households, residents, at=at)
    wrong = residents[residents["household_id"].isin(problems.index)] if len(problems) else residents.head(0)
    grids = wrong.drop_duplicates("household_id").set_index("household_id")["grid"]
    data_errors = pd.DataFrame(
        {
            "grid": grids.reindex(problems.index).to_numpy(),
            "household_id": problems.index,
            "reason": problems.to_numpy(),
        }
    )
    if len(problems):  # left out, the others numbered again
        kept = ~homes.isin(problems.index)
        households = households[kept].reset_index(drop=True)
        homes = pd.Index(households["household_id"])
        at = np.append(np.where(kept, np.cumsum(kept) - 1, -1), -1)[at]  # -1: no household, or one left out
        residents = residents[at >= 0]
        at = at[at >= 0]
    residents = _coded(residents_on(residents.assign(household_id=at), on))
    numbered = _coded(households.assign(household_id=np.arange(len(homes))))
    numbered, residents = with_shared(numbered, residents)  # values several programs read, once
    receiving = _receiving(households["receives"])
    personal = _receiving(residents["receives"] if "receives" in residents else pd.Series("", index=residents.index))
    resident_key = _keys(residents["household_id"].to_numpy(), residents["member_no"])
    parts, open_parts, not_in_force = [], [], {}
    for number, (program, rule) in enumerate(PROGRAMS.items()):
        try:
            outcome = rule.decide(numbered, residents, on)
        except BeforeFirstDate as err:
            not_in_force[program] = str(err)
            continue
        part = _part(outcome, number)
        if decisions:
            parts.append(part)
        verdict = part["verdict"].to_numpy()
        open_case = (verdict == YES) | (verdict == PENDING)  # qualifies or 待核实
        home = part["household_id"].to_numpy()
        key = _keys(home, part["member_no"])
        if rule.PER == "person":  # paid to the person: only their own receipt counts
            covered = _resident_flag(key, resident_key, personal(program))
        else:
            covered = (home >= 0) & receiving(program)[home]
        if program in ALREADY_COVERED:
            covered |= _resident_flag(key, resident_key, ALREADY_COVERED[program](residents).to_numpy(dtype=bool))
        listed = open_case & ~covered
        # only the listed rows are worded: the others are never read
        open_parts.append(part[listed].assign(reason=reason_column(rule, outcome, np.flatnonzero(listed))))
    names = pd.Index(PROGRAMS)
    outreach = (
        _stack(open_parts)
        if open_parts
        else pd.DataFrame(columns=["household_id", "member_no", "verdict", "amount", "reason", "program"])
    )
    outreach = _with_ids(_with_people(outreach, residents, resident_key), homes, names)
    outreach = outreach.assign(
        program_title=outreach["program"].map({p: m.TITLE for p, m in PROGRAMS.items()}),
        service_item=outreach["program"].map({p: m.ITEMS[0] for p, m in PROGRAMS.items()}),
        verdict=np.where(outreach["verdict"].to_numpy(dtype=np.int64) == YES, "符合条件", "待核实"),  # code → words
    )[
        [
            "grid",
            "household_id",
            "member_no",
            "name",
            "age",
            "program",
            "program_title",
            "verdict",
            "amount",
            "reason",
            "service_item",
        ]
    ].sort_values(["grid", "household_id", "member_no", "program"])
    by_grid = (
        outreach.groupby(["grid", "program_title", "verdict"]).size().unstack("verdict", fill_value=0).reset_index()
    )
    return ScreenResult(
        decided=functools.partial(_decisions, parts, homes, names),
        outreach=outreach.reset_index(drop=True),
        by_grid=by_grid,
        not_in_force=not_in_force,
        data_errors=data_errors,
    )


def _with_people(outreach: pd.DataFrame, residents: pd.DataFrame, resident_key: np.ndarray) -> pd.DataFrame:
    """Each outreach row with its person's name, age and grid: looked up by (household, member)
    number, as a left merge on the two would (which it is, when a member number repeats)."""
    people = pd.Index(resident_key)
    if not people.is_unique:
        shown = residents[["household_id", "member_no", "name", "age", "grid"]]
        return outreach.merge(shown, on=["household_id", "member_no"], how="left")
    at = people.get_indexer(_keys(outreach["household_id"].to_numpy(), outreach["member_no"]))  # -1: nobody
    return outreach.assign(
        **{name: pd.api.extensions.take(residents[name].array, at, allow_fill=True) for name in ("name", "age", "grid")}
    )


def _part(outcome: Outcome, number: int) -> pd.DataFrame:
    """One program's decided rows as the screen keeps them: verdicts as codes, the program by number."""
    rows = outcome.rows
    return pd.DataFrame(
        {
            "household_id": rows["household_id"].to_numpy(),
            "member_no": rows["member_no"].to_numpy(dtype=np.int64),
            "verdict": rows["verdict"].to_numpy(dtype=np.int8),
            "amount": rows["amount"].to_numpy(dtype=float),
            "program": np.full(len(rows), number, dtype=np.int8),
        },
        copy=False,
    )


def _decisions(parts: list[pd.DataFrame], homes: pd.Index, names: pd.Index) -> pd.DataFrame:
    """The screens' decided rows one under another, with their ids and verdicts as decisions say
    them (True, False, None for 待核实, ``NOT_APPLICABLE``)."""
    if not parts:
        return pd.DataFrame()
    stacked = _with_ids(_stack(parts), homes, names)
    verdict = pd.Series(eligible(stacked.pop("verdict").to_numpy()), index=stacked.index, dtype=object)
    stacked.insert(2, "eligible", verdict)
    return stacked


def screen_program(program: str, households: pd.DataFrame, residents: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """One program over a register as it is stored (ids, ages on the day it was written):
    ``household_id``, ``member_no``, ``eligible``, ``amount``, ``reason`` per decided row."""
    homes, people, ids = numbered(households, residents_on(residents, on))
    homes, people = with_shared(homes, people)
    rule = PROGRAMS[program]
    out = screened(rule, rule.decide(homes, people, on))
    return out.assign(household_id=ids[out["household_id"].to_numpy()])


def _coded(table: pd.DataFrame) -> pd.DataFrame:
    """The register as the rules read it fastest, once for all programs: text columns with few
    distinct values as categoricals (each rule compares ``sex == "female"`` many times; on a
    categorical that compares small integer codes, not 300,000 strings) and number columns
    stored as objects (a blank cell makes them so) as floats. Names and id numbers stay text."""
    columns: dict[str, object] = {}
    texts: list[str] = []
    for name in table.columns:
        column = table[name]
        if name in ("name", "id_number", "household_id"):
            continue
        if isinstance(column.dtype, pd.CategoricalDtype):  # read as categorical: sorted as text would be
            columns[name] = _sorted(column.array)
        elif pd.api.types.is_object_dtype(column.dtype):
            values = column.to_numpy()
            filled = pd.notna(values)  # mostly blank: only the filled cells say what they are
            if pd.api.types.infer_dtype(values[filled]) in ("integer", "floating", "mixed-integer-float"):
                numbers = np.full(len(values), np.nan)
                numbers[filled] = values[filled].astype(float)
                columns[name] = numbers
        elif pd.api.types.is_string_dtype(column.dtype):
            texts.append(name)
    # Arrow encodes a column without holding the interpreter lock: the columns go two at a time
    with ThreadPoolExecutor(2) as pool:
        columns.update(zip(texts, pool.map(lambda name: _categories(table[name]), texts), strict=True))
    return table.assign(**columns)


def _categories(column: pd.Series) -> pd.Categorical:
    """A text column as a categorical with sorted categories (as ``astype("category")`` makes
    it), by Arrow's hash encoding: about twice as fast on the register's Arrow strings."""
    try:
        values = pa.array(column.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _sorted(column.astype("category").array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    indices = encoded.indices if encoded.indices.null_count == 0 else encoded.indices.fill_null(-1)  # -1: blank
    return _sorted(indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist())


def _sorted(codes: np.ndarray | pd.Categorical, words: list[object] | None = None) -> pd.Categorical:
    """Codes into ``words`` (or a categorical's own) as a categorical whose categories are in
    text order, as ``astype("category")`` gives them: a list sorted by grid sorts by name."""
    if isinstance(codes, pd.Categorical):
        codes, words = codes.codes, list(codes.categories)
    text = np.asarray(words, dtype=object).astype(str)
    order = np.argsort(text, kind="stable")
    rank = np.empty(len(order) + 1, dtype=np.int8 if len(order) < 127 else np.int32)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # blank
    return pd.Categorical.from_codes(
        rank.take(codes), dtype=pd.CategoricalDtype(pd.Index(text[order], dtype="str")), validate=False
    )


def _resident_flag(key: np.ndarray, resident_key: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """A resident's flag on each row of a screen (rows keyed like residents; no lookup when the
    screen has one row per resident in register order, as the personal programs do)."""
    if np.array_equal(key, resident_key):
        return flag
    return np.isin(key, resident_key[flag])


def _keys(home: np.ndarray, member_no: pd.Series) -> np.ndarray:
    """One integer per (household, member): cheap to compare across tables."""
    return home.astype(np.int64) * 1024 + member_no.to_numpy(dtype=np.int64)


def _receiving(receives: pd.Series):  # noqa: ANN202
    """``program → one flag per row`` (household or resident): does it already receive it (``receives`` lists ids)."""
    combos, kinds = pd.factorize(receives)  # a few hundred distinct lists; -1: blank
    listed = [{p.strip() for p in str(kind).split(",")} for kind in kinds]
    return lambda program: np.array([program in each for each in listed] + [False], dtype=bool)[combos]


def _stack(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The screens' frames one under another, their reasons (where worded) kept categorical."""
    if not all("reason" in part for part in parts):  # the decisions: verdicts and amounts only
        return pd.concat([part.drop(columns="reason", errors="ignore") for part in parts], ignore_index=True)
    stacked = pd.concat([part.drop(columns="reason") for part in parts], ignore_index=True)
    stacked.insert(4, "reason", union_categoricals([part["reason"] for part in parts]))
    return stacked


def _with_ids(frame: pd.DataFrame, homes: pd.Index, programs: pd.Index) -> pd.DataFrame:
    """Household numbers and program numbers back to their ids, as categories (no string copies)."""
    home = frame["household_id"].to_numpy()
    return frame.assign(
        household_id=pd.Categorical.from_codes(np.where(home >= 0, home, -1), categories=homes),
        program=pd.Categorical.from_codes(frame["program"].to_numpy(), categories=programs),
    )


HEADERS = {
    "grid": "网格",
    "household_id": "户编号",
    "member_no": "成员序号",
    "name": "姓名（虚构）",
    "age": "年龄",
    "program": "项目id",
    "program_title": "项目",
    "verdict": "结论",
    "amount": "金额（元）",
    "reason": "依据",
    "service_item": "服务事项",
}


def outreach_sheet(outreach: pd.DataFrame) -> pd.DataFrame:
    """The outreach list as a reader sees it: Chinese headers, service items by title."""
    items = load_framework().items
    titles = outreach["service_item"].map(lambda i: items[i].title if i in items else i)
    return outreach.assign(service_item=titles).rename(columns=HEADERS)


def errors_sheet(data_errors: pd.DataFrame) -> pd.DataFrame:
    """The households not screened, with what to do."""
    return data_errors.rename(columns={"grid": "网格", "household_id": "户编号", "reason": "依据"}).assign(
        结论="登记有误，请核对台账"
    )


def write_outreach(result: ScreenResult, out: Path) -> Path:
    """The outreach list and grid summary as Excel (.xlsx), CSV or Parquet, by the file's suffix."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table = outreach_sheet(result.outreach)
    errors = errors_sheet(result.data_errors)
    with replacing(out) as tmp:  # a failed run leaves the earlier list in place
        if out.suffix == ".xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                table.to_excel(writer, sheet_name="走访名单", index=False)
                result.by_grid.rename(columns={"grid": "网格", "program_title": "项目"}).to_excel(
                    writer, sheet_name="网格汇总", index=False
                )
                errors.to_excel(writer, sheet_name="登记有误", index=False)
        elif out.suffix == ".parquet":
            result.outreach.to_parquet(tmp, index=False)
        else:
            pd.concat([table, errors], ignore_index=True).to_csv(tmp, index=False, encoding="utf-8-sig")
    return out
