"""``trainkit screen`` on a city's register: a few hundred thousand households at a time.

A city of 7.5 million residents does not fit in memory as one screen (every program over
every resident). The register is read from its Parquet files a piece at a time (the
residents of a piece are the rows that follow, as ``trainkit synth`` writes them: residents
in the order of their households), each piece screened exactly as a district is
(:func:`~trainkit.district.screen.screen_register`), its outreach rows appended to the list
and its decisions let go. Memory stays that of one piece whatever the size of the city.
The list is in piece order, and within a piece by grid, household and member; a city written
by ``trainkit synth`` is one district per piece, so each grid's rows are together.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..atomic import replacing
from ..content import ContentError
from .screen import errors_sheet, outreach_sheet, screen_register
from .synth import CITY_PIECE, as_schema

__all__ = ["CHUNK", "CityResult", "screen_in_chunks"]

CHUNK = CITY_PIECE  # households screened at once: about 600,000 residents, about a gigabyte
DISTINCT = ("household_id", "name", "id_number")  # text columns with a value per row: read as text
UNREAD = ("id_number",)  # resident columns no program and no outreach list reads: left in the file


@dataclass
class CityResult:
    """What a piece-by-piece screening found (the outreach rows themselves are in the file)."""

    path: Path
    rows: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)  # 符合条件 / 待核实 → rows
    households: int = 0  # households with at least one outreach row
    by_grid: pd.DataFrame = field(default_factory=pd.DataFrame)
    data_errors: pd.DataFrame = field(default_factory=pd.DataFrame)
    not_in_force: dict[str, str] = field(default_factory=dict)


def screen_in_chunks(
    folder: Path,
    on: dt.date,
    out: Path,
    *,
    chunk: int = CHUNK,
    progress: Callable[[str], None] | None = None,
) -> CityResult:
    """Screen the register in ``folder`` (``households.parquet``, ``residents.parquet``) ``chunk``
    households at a time and write the outreach list to ``out`` (.parquet or .csv)."""
    folder, out = Path(folder), Path(out)
    if out.suffix not in (".parquet", ".csv"):
        raise ContentError(
            f"{out}: 分块筛查的走访名单请写成 .parquet 或 .csv（Excel 一张表最多 1,048,576 行，装不下一个城市）"
        )
    homes_file, people_file = (_parquet(folder, name) for name in ("households", "residents"))
    cuts, total, grids = _pieces(homes_file, people_file, chunk)
    result = CityResult(path=out)
    by_grid: list[pd.DataFrame] = []
    errors: list[pd.DataFrame] = []
    seen: set[object] = set()
    homes, people = _Rows(homes_file), _Rows(people_file)
    with replacing(out) as tmp, _Sink(tmp, out.suffix) as sink:
        for number in range(len(cuts) - 1):
            households = _frame(homes.take(chunk))
            residents = _frame(people.take(int(cuts[number + 1] - cuts[number])))
            screened = screen_register(households, residents, on, decisions=False)
            sink.write(screened.outreach)
            result.rows += len(screened.outreach)
            for verdict, count in screened.outreach["verdict"].value_counts().items():
                result.verdicts[verdict] = result.verdicts.get(verdict, 0) + int(count)
            result.households += screened.outreach["household_id"].nunique()
            result.not_in_force.update(screened.not_in_force)
            by_grid.append(screened.by_grid)
            errors.append(screened.data_errors)
            seen.update(households["grid"].unique() if "grid" in households else ())
            if progress:
                done = min((number + 1) * chunk, total)
                where = f"，{len(seen):,}/{grids:,} 个网格" if grids else ""
                progress(f"已筛查 {done:,}/{total:,} 户{where}…")
        result.data_errors = pd.concat(errors, ignore_index=True) if errors else pd.DataFrame()
        sink.finish(result.data_errors)
    result.by_grid = _summed(by_grid)
    return result


def _parquet(folder: Path, name: str) -> pq.ParquetFile:
    """The file, its few-valued text columns read as the dictionaries Parquet stores them in:
    they arrive as categoricals, nothing to hash again (the screen codes text so)."""
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise ContentError(f"{folder}: 分块筛查需要 {name}.parquet（CSV 台账请整体筛查，或先转成 Parquet）")
    schema = pq.read_schema(path)
    coded = [
        f.name
        for f in schema
        if f.name not in DISTINCT and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))
    ]
    return pq.ParquetFile(path, read_dictionary=coded)


def _pieces(homes: pq.ParquetFile, people: pq.ParquetFile, chunk: int) -> tuple[np.ndarray, int, int]:
    """Where each piece's residents end (row numbers), the number of households and of grids.

    Only the id columns are read whole. Residents must follow their households' order (a
    resident of no listed household goes with the rows before it, as a whole-register screen
    would not decide them either)."""
    ids = homes.read(columns=["household_id"]).column("household_id").combine_chunks()
    grids = (
        homes.read(columns=["grid"]).column("grid").cast(pa.string()) if "grid" in homes.schema_arrow.names else None
    )
    total = len(ids)
    if not pc.all(pc.equal(pc.count_distinct(ids), pa.scalar(total, pa.int64()))).as_py():
        raise ContentError("households.parquet 中有重复的户编号，请先去重再筛查")
    at = pc.index_in(people.read(columns=["household_id"]).column("household_id"), value_set=ids)
    at = at.fill_null(-1).to_numpy().astype(np.int64)
    known = at[at >= 0]
    if len(known) and (np.diff(known) < 0).any():
        wrong = int(np.flatnonzero(np.diff(at[at >= 0]) < 0)[0]) + 1
        raise ContentError(
            "residents.parquet 未按户排列：分块筛查要求居民按 households.parquet 中户的顺序排列"
            f"（第 {wrong + 1} 个有户的居民排在了前一户之前）。请按户排序后再筛查，或去掉 --chunk 整体筛查"
        )
    filled = np.maximum.accumulate(at) if len(at) else at
    bounds = np.arange(0, total + chunk, chunk)[: -(-total // chunk) + 1] if total else np.array([0])
    cuts = np.searchsorted(filled, bounds, side="left")
    cuts[0], cuts[-1] = 0, len(at)
    return cuts, total, (pc.count_distinct(grids).as_py() if grids is not None else 0)


def _frame(table: pa.Table) -> pd.DataFrame:
    """A piece as ``read_register`` gives a whole register (``pd.read_parquet``'s conversion),
    but dates as datetimes: the screen would parse Python dates into them anyway."""
    return table.to_pandas(date_as_object=False)


class _Rows:
    """A table's rows read in order, ``take(n)`` at a time, a batch at a time from the file."""

    def __init__(self, file: pq.ParquetFile) -> None:
        read = [name for name in file.schema_arrow.names if name not in UNREAD]
        self._batches: Iterator[pa.RecordBatch] = file.iter_batches(batch_size=65_536, columns=read)
        self._held: list[pa.RecordBatch] = []
        self._count = 0
        self._schema = pa.schema([file.schema_arrow.field(name) for name in read], metadata=file.schema_arrow.metadata)

    def take(self, n: int) -> pa.Table:
        while self._count < n:
            batch = next(self._batches, None)
            if batch is None:
                break
            self._held.append(batch)
            self._count += batch.num_rows
        held = pa.Table.from_batches(self._held, schema=self._schema)
        taken, rest = held.slice(0, n), held.slice(n)
        self._held = rest.to_batches()
        self._count = rest.num_rows
        return taken


class _Sink(contextlib.AbstractContextManager):
    """The outreach list written a piece at a time: Parquet row groups, or CSV rows appended."""

    def __init__(self, path: Path, suffix: str) -> None:
        self.path, self.suffix = path, suffix
        self.writer: pq.ParquetWriter | None = None
        self.columns: list[str] | None = None

    def write(self, outreach: pd.DataFrame) -> None:
        if self.suffix == ".parquet":
            table = _plain(pa.Table.from_pandas(outreach, preserve_index=False))
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.path, table.schema)
            self.writer.write_table(as_schema(table, self.writer.schema))
            return
        sheet = outreach_sheet(outreach)
        first = self.columns is None
        self.columns = list(sheet.columns) if first else self.columns
        sheet.to_csv(self.path, index=False, header=first, mode="w" if first else "a", encoding=_csv(first))

    def finish(self, data_errors: pd.DataFrame) -> None:
        """The households not screened: after the list in a CSV (a Parquet list holds outreach rows only)."""
        if self.suffix == ".csv" and len(data_errors):
            first = self.columns is None
            errors = errors_sheet(data_errors)
            errors = errors if first else errors.reindex(columns=self.columns)
            errors.to_csv(self.path, index=False, header=first, mode="w" if first else "a", encoding=_csv(first))

    def __exit__(self, *exc: object) -> None:
        if self.writer is not None:
            self.writer.close()


def _csv(first: bool) -> str:
    return "utf-8-sig" if first else "utf-8"  # the byte-order mark once, at the top


def _plain(table: pa.Table) -> pa.Table:
    """Categorical columns as plain text: each piece has its own categories."""
    fields = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def _summed(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The pieces' grid summaries added up (a grid split over two pieces counted once)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["grid", "program_title"])
    both = pd.concat(parts, ignore_index=True)
    keys = ["grid", "program_title"]
    counts = sorted(c for c in both.columns if c not in keys)
    summed = both.groupby(keys, observed=True)[counts].sum(min_count=0).fillna(0).astype(int).reset_index()
    summed.columns.name = "verdict"
    return summed
