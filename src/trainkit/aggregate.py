"""What a report needs — per-source sums for the ratings, monthly trends, per-question
statistics — in one pass over the evidence.

A year of evidence for thousands of workers is a million rows. They are read once, as
plain columns (the day as a number, names as categories), and every figure comes from
array arithmetic. :func:`trainkit.ratings.rate` and friends are the readable reference;
tests hold the two to each other on SQLite and PostgreSQL.

The engine is pandas and numpy over the Arrow columns: names become integer codes and the
sums are ``np.bincount`` over them (ratings, item analysis), pandas only finding sorted groups.
For a district (a million rows, 60,000 ratings) that arithmetic takes about half a second on
two cores, the team figures in a thread beside the ratings, most of the report's time being
the read; DuckDB or Polars would add a second engine, and a second place for the rules, for
no clear gain at this size.

Nor would a stored daily summary shorten the read: a worker leaves about one answer a day, so
a district's year has 990,713 distinct (worker, domain, source, day) among its 1,000,000 rows
(977,378 distinct worker, domain and question for the item analysis) — a summary as long as
the log, and one more thing to keep right under regrades and erasure.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .arrow_read import ArrowUnavailable, DriverMissing, read_columns
from .erasure import ERASED_PREFIX
from .evidence import FEEDBACK_SOURCE, EvidenceStore, evidence_table, utc_naive
from .framework import Framework
from .item_quality import question_table
from .ratings import RatingRules, feedback_counted, rate_sums, superseded_ids

__all__ = ["Aggregates", "aggregate"]

log = logging.getLogger(__name__)
t = evidence_table
UNIX_EPOCH_JULIAN = 2440587.5


@dataclass(frozen=True)
class Aggregates:
    ratings: pd.DataFrame  # worker_id, domain, RATING_COLUMNS
    trend: pd.DataFrame  # domain, month, score, n_evidence
    worker_trend: pd.DataFrame  # worker_id, month, score, n_evidence
    questions: pd.DataFrame  # item_quality.QUESTION_COLUMNS
    rows: int  # evidence rows counted (in period, for these workers)
    current: int  # of which not superseded
    date_from: datetime | None
    date_to: datetime | None
    outside: int  # rows in the period that belong to workers not asked for
    set_aside: frozenset[str] = frozenset()  # questions a trainer has set aside (counted in no rating)


def _julian(moment: datetime) -> float:
    return (moment - datetime(1970, 1, 1)).total_seconds() / 86400 + UNIX_EPOCH_JULIAN


_COLUMNS = ("worker_id", "domain", "source", "ref", "item_id", "ratio", "recorded_at", "id", "supersedes")
_NAMES = ("worker_id", "domain", "source", "ref", "item_id")
_US_PER_DAY = 86_400_000_000
# PostgreSQL reads only the asked-for workers' rows (an index-only scan, trainkit.pg_indexes) up to
# this many workers; a larger list is no cheaper to send than the rows it would leave out.
SCOPE_IN_SQL_LIMIT = 20_000


@dataclass(frozen=True)
class _Scope:
    """The rows to read when the database filters them: these workers (and erased pseudonyms), to ``until``."""

    workers: Sequence[str]
    with_erased: bool
    until: datetime


def _query(scope: _Scope | None = None) -> sa.Select:
    query = sa.select(
        t.c.worker_id,
        t.c.domain,
        t.c.source,
        t.c.ref,
        t.c.item_id,
        sa.cast(t.c.score / t.c.max_score, sa.Float),
        t.c.recorded_at,  # the database's own date arithmetic differs by version (SQLite rounds to ms)
        t.c.id,
        sa.func.coalesce(t.c.supersedes, 0),
    )
    if scope is None:
        return query
    # a row just past ``until`` is dropped below, by the same rule for every transport
    mine: sa.ColumnElement[bool] = t.c.worker_id.in_(list(scope.workers))
    if scope.with_erased:
        mine = sa.or_(mine, t.c.worker_id.startswith(ERASED_PREFIX, autoescape=True))
    return query.where(mine, t.c.recorded_at <= scope.until + timedelta(milliseconds=1))


def _fetch_rows(store: EvidenceStore, query: sa.Select | None = None) -> pd.DataFrame:
    """The reference transport: the driver's tuples, converted column by column."""
    with store.engine.connect() as conn:
        rows = conn.execute(_query() if query is None else query).cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=list(_COLUMNS))
    frame = frame.astype({**dict.fromkeys(_NAMES, "category"), "ratio": float, "id": np.int64, "supersedes": np.int64})
    # SQLite gives the stored text, PostgreSQL a datetime
    return frame.assign(recorded_at=pd.to_datetime(frame["recorded_at"], format="ISO8601").astype("datetime64[us]"))


def _fetch_arrow(store: EvidenceStore, query: sa.Select | None = None) -> pd.DataFrame:
    """The same rows as Arrow columns (ADBC): names dictionary-encoded, no Python object per row."""
    import pyarrow as pa

    types = {
        **dict.fromkeys(_NAMES, pa.dictionary(pa.int32(), pa.string())),  # names as integer codes
        "ratio": pa.float64(),
        "recorded_at": pa.timestamp("us"),  # SQLite's text is parsed in Arrow
        "id": pa.int64(),
        "supersedes": pa.int64(),
    }
    # a large store is read in two halves side by side (one reading process, a thread per half),
    # each half's names encoded and dates parsed there
    frame = read_columns(store, _query() if query is None else query, types, split=t.c.id).to_pandas()
    for name in _NAMES:  # categories as the reference path has them: str, sorted (groupby follows their order)
        frame[name] = frame[name].cat.set_categories(frame[name].cat.categories.astype(str).sort_values())
    return frame


def _fetch(store: EvidenceStore, *, arrow: bool, scope: _Scope | None = None) -> pd.DataFrame:
    query = _query(scope)
    if arrow:
        try:
            return _fetch_arrow(store, query)
        except ArrowUnavailable as err:  # a missing driver is news to whoever runs the kit; the rest is expected
            level = logging.WARNING if isinstance(err, DriverMissing) else logging.INFO
            log.log(level, "报告改用逐行读取证据（较慢）：%s", err)
    return _fetch_rows(store, query)


def _read(
    store: EvidenceStore, *, as_of: datetime, since: datetime | None, arrow: bool = True, scope: _Scope | None = None
) -> pd.DataFrame:
    """The period's rows as plain columns: names as categories, the time as a Julian day.

    ``arrow`` reads them through ADBC when it can (:mod:`trainkit.arrow_read`); the rules
    below apply to either transport's frame alike. ``scope`` has the database leave out
    other workers' rows (a supersession never crosses workers, so none is lost).
    """
    frame = _fetch(store, arrow=arrow, scope=scope)
    micros = frame.pop("recorded_at").to_numpy().view(np.int64)
    frame.insert(len(frame.columns) - 2, "day", micros / _US_PER_DAY + UNIX_EPOCH_JULIAN)
    until = (frame["day"] <= _julian(as_of) + 1e-9).to_numpy()
    superseded = set(superseded_ids(frame if until.all() else frame[until]).tolist())  # no copy when all count
    keep = until & (frame["day"] >= _julian(since) - 1e-9).to_numpy() if since else until
    frame = frame if keep.all() else frame[keep]
    set_aside = store.set_aside_refs(as_of)
    frame.attrs["set_aside"] = set_aside
    return frame.assign(
        current=~frame["id"].isin(superseded),
        set_aside=frame["ref"].isin(set_aside) if set_aside else False,
    )


def aggregate(
    store: EvidenceStore,
    *,
    workers: Sequence[str],
    as_of: datetime,
    rules: RatingRules,
    framework: Framework,
    since: datetime | None = None,
    domains: Sequence[str] | None = None,
    with_worker_trend: bool = True,
    with_erased: bool = False,
    arrow: bool = True,
    team_figures: bool = True,
) -> Aggregates:
    """Everything the report shows about ``workers`` from ``since`` to ``as_of``.

    ``with_erased`` (a district-wide report) keeps the rows of erased workers, under their
    pseudonyms, in the team figures — domain trends and question statistics — so that an
    erasure leaves those figures as they were; nobody is rated under a pseudonym.
    ``arrow=False`` reads the rows through the Python driver (the reference transport).
    ``team_figures=False`` gives the ratings and row counts only: the trends and question
    statistics stay empty and ``outside`` is 0 (a province summary needs no more).
    """
    as_of = utc_naive(as_of)
    since = utc_naive(since) if since else None
    scope = None
    if store.engine.dialect.name == "postgresql" and len(workers) <= SCOPE_IN_SQL_LIMIT:
        scope = _Scope(workers=workers, with_erased=with_erased, until=as_of)
    period = _read(store, as_of=as_of, since=since, arrow=arrow, scope=scope)
    wanted = period["worker_id"].isin(list(workers))
    if with_erased:
        wanted |= period["worker_id"].astype(str).str.startswith(ERASED_PREFIX)
    theirs = period[wanted]
    mine = theirs[theirs["domain"].isin(list(domains))] if domains else theirs
    answered = mine[mine["current"]]  # the item analysis sees set-aside questions too
    current = answered[~answered["set_aside"]]
    # residents' feedback is no answer to a question and no learning: it stays out of trends and item analysis
    learning = current[current["source"] != FEEDBACK_SOURCE]
    answered = answered[answered["source"] != FEEDBACK_SOURCE]
    if not team_figures:
        learning, answered = learning.iloc[:0], answered.iloc[:0]
    # The team figures need nothing of the ratings, so a second thread computes them meanwhile, on
    # frames of its own: numpy and pandas let go of the interpreter lock in their sorts and counts,
    # and on two cores the item analysis runs beside the ratings (a district: 0.9 s became 0.55 s).
    with ThreadPoolExecutor(1) as pool:
        team = pool.submit(
            _team_figures,
            learning,
            answered,
            workers=workers if with_worker_trend and team_figures else [],
            framework=framework,
            rules=rules,
        )
        age = _julian(as_of) - current["day"]
        window = current[(age <= rules.window_days + 1e-9) & current["worker_id"].isin(list(workers))]
        when = window["day"]
        window = window[feedback_counted(window, rules=rules, when=when, date=np.floor(when - UNIX_EPOCH_JULIAN))]
        weight = 0.5 ** ((_julian(as_of) - window["day"].to_numpy()) / rules.half_life_days)
        ratings = rate_sums(_source_sums(window, weight), by=("worker_id", "domain"), rules=rules, framework=framework)
        trend, worker_trend, questions = team.result()

    first, last = (mine["day"].min(), mine["day"].max()) if len(mine) else (None, None)
    outside = 0
    if team_figures:
        outside = (_count_in_period(store, as_of=as_of, since=since) if scope else len(period)) - len(theirs)
    return Aggregates(
        # grouped as categories, named as text: plain objects, as rate_sums gives its words (ratings._text)
        ratings=ratings.astype({"worker_id": object, "domain": object}),
        trend=trend,
        worker_trend=worker_trend,
        questions=questions,
        rows=len(mine),
        current=len(current),
        date_from=_moment(first),
        date_to=_moment(last),
        outside=outside,
        set_aside=period.attrs.get("set_aside", frozenset()),
    )


def _team_figures(
    learning: pd.DataFrame,
    answered: pd.DataFrame,
    *,
    workers: Sequence[str],
    framework: Framework,
    rules: RatingRules,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The monthly trend per domain, per worker of ``workers`` (none: empty) and the item analysis."""
    learning = learning.assign(month=_months(learning["day"]))
    shown = learning[learning["worker_id"].isin(list(workers))]
    return (
        _trend("domain", learning),
        _trend("worker_id", shown)
        if len(workers)
        else pd.DataFrame(columns=["worker_id", "month", "score", "n_evidence"]),
        question_table(answered, framework, rules.item_quality),
    )


def _trend(by: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Mean ratio and count per ``by`` and month, sorted by both: :func:`trainkit.ratings.monthly_trend`
    over the coded columns. Counted with ``np.bincount`` over (name, month) codes, the names'
    categories sorted as text and the months in order: pandas' grouping, then turning the
    groups into text and sorting them, took three times as long for a district."""
    names, months = rows[by].cat, rows["month"].cat
    size = len(months.categories)
    code, month = names.codes.to_numpy().astype(np.int64), months.codes.to_numpy().astype(np.int64)
    ratio = rows["ratio"].to_numpy(dtype=float)
    if (code < 0).any():  # a missing name: pandas leaves such rows out
        code, month, ratio = code[code >= 0], month[code >= 0], ratio[code >= 0]
    group = code * size + month
    counts = np.bincount(group, minlength=len(names.categories) * size)
    present = np.flatnonzero(counts)
    sums = np.bincount(group, weights=ratio, minlength=len(counts))[present]
    return pd.DataFrame(
        {
            by: pd.Index(names.categories.astype(str), dtype=object)[present // size],
            "month": pd.Index(months.categories.astype(str), dtype=object)[present % size],
            "score": sums / counts[present],
            "n_evidence": counts[present],
        }
    )


_SUMS = ("n", "weight", "weighted", "weight2", "ratio_sum")
_DENSE_GROUPS = 1 << 24  # up to this many possible groups, counted in one array (a province: 3 million)


def _source_sums(window: pd.DataFrame, weight: np.ndarray) -> pd.DataFrame:
    """Per worker, domain and source present: :data:`_SUMS`, which :func:`rate_sums` starts from.

    Summed with ``np.bincount`` over the names' integer codes, groups in the order of the
    (sorted) categories as pandas gives them: pandas' grouping on three categorical keys
    took a quarter of a second of a district's report.
    """
    keys = ("worker_id", "domain", "source")
    ratio = window["ratio"].to_numpy(dtype=float)
    values = {"n": np.ones(len(window)), "weight": weight, "weighted": weight * ratio, "weight2": weight * weight}
    values["ratio_sum"] = ratio
    codes = [window[k].cat.codes.to_numpy().astype(np.int64) for k in keys]
    sizes = [len(window[k].cat.categories) for k in keys]
    if any((c < 0).any() for c in codes):  # a missing name: pandas leaves such rows out
        kept = np.logical_and.reduce([c >= 0 for c in codes])
        codes, values = [c[kept] for c in codes], {k: v[kept] for k, v in values.items()}
    group = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
    if sizes[0] * sizes[1] * sizes[2] <= _DENSE_GROUPS:
        present = np.flatnonzero(np.bincount(group, minlength=sizes[0] * sizes[1] * sizes[2]))
        slot = np.zeros(sizes[0] * sizes[1] * sizes[2], dtype=np.int64)
        slot[present] = np.arange(len(present))
        where = slot[group]
    else:
        present, where = np.unique(group, return_inverse=True)
    frame = pd.DataFrame(
        {
            key: pd.Categorical.from_codes(code, dtype=window[key].dtype)
            for key, code in zip(keys, _unravel(present, sizes), strict=True)
        }
    )
    for name in _SUMS:
        frame[name] = np.bincount(where, weights=values[name], minlength=len(present))
    return frame.astype({"n": np.int64})


def _unravel(group: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    """The codes a combined group number was made of (the inverse of the mixed-radix sum above)."""
    codes = []
    for size in reversed(sizes[1:]):
        group, code = np.divmod(group, size)
        codes.append(code)
    return [group, *reversed(codes)]


def _count_in_period(store: EvidenceStore, *, as_of: datetime, since: datetime | None) -> int:
    """All workers' rows from ``since`` to ``as_of``, counted by the database."""
    query = sa.select(sa.func.count()).select_from(t).where(t.c.recorded_at <= as_of)
    if since is not None:
        query = query.where(t.c.recorded_at >= since)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def _months(day: pd.Series) -> pd.Categorical:
    """'YYYY-MM' of each Julian day: months counted as integers, each month present written once.

    Each calendar day of the span is given its month once, in a table the rows look up: a
    year is 365 days, converting a million dates to months took most of the trends' time.
    """
    days = np.floor(day.to_numpy() - UNIX_EPOCH_JULIAN).astype(np.int64)
    if not len(days):
        return pd.Categorical.from_codes(np.zeros(0, np.int64), categories=pd.Index([], dtype=object))
    first = days.min()
    month_of_day = (np.arange(first, days.max() + 1).astype("datetime64[D]").astype("datetime64[M]")).view(np.int64)
    number = month_of_day[days - first] - month_of_day[0]
    present = np.bincount(number) > 0  # a year of evidence spans a dozen months: a short count
    code = np.cumsum(present) - 1
    names = np.datetime_as_string((np.flatnonzero(present) + month_of_day[0]).astype("datetime64[M]"), unit="M")
    return pd.Categorical.from_codes(code[number], categories=names)


def _moment(day: float | None) -> datetime | None:
    if day is None or pd.isna(day):
        return None
    return pd.Timestamp(round((day - UNIX_EPOCH_JULIAN) * 86_400_000_000), unit="us").to_pydatetime()
