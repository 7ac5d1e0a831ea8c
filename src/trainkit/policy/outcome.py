"""What a program returns for a whole register, and how one row of it becomes a
:class:`~trainkit.policy.decision.Decision` with its reasons.

A program is written once, over columns (``policy/programs/<program>.py``); a household is a
register of one. Its :class:`Outcome` holds, per decided row, the verdict, the amount and the
reason *codes* reached at each step, with the figures those reasons quote. The program's
``REASONS`` table maps every code to its Chinese sentence and its source — the one place a
reason is worded. :func:`explain` renders one row (for a learner); :func:`reason_column`
renders the decisive reason of every row at once (for an outreach list).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..law import Citation
from .columns import Step
from .decision import Decision, Reason, cents
from .household import member_label
from .parameters import Reference, load_parameter

__all__ = [
    "NO",
    "NOT_APPLICABLE",
    "NOT_APPLIES",
    "PENDING",
    "YES",
    "Because",
    "Outcome",
    "eligible",
    "explain",
    "money",
    "reason_column",
    "screened",
]

NOT_APPLICABLE = "n/a"  # the rule does not apply to this row (nobody counts, no one to decide for)

# A verdict as a small integer (an Outcome's ``verdict`` column) until it is shown: comparing
# and counting codes costs nothing next to Python objects for 300,000 rows.
NO, YES, PENDING, NOT_APPLIES = 0, 1, 2, 3  # PENDING: 待核实; NOT_APPLIES: the rule does not apply
VERDICTS = np.array([False, True, None, NOT_APPLICABLE], dtype=object)  # code → what a decision says


def eligible(codes: np.ndarray) -> np.ndarray:
    """Verdict codes as a decision says them: True, False, None (待核实) or ``NOT_APPLICABLE``."""
    return VERDICTS[np.asarray(codes, dtype=np.int64)]


@dataclass(frozen=True)
class Because:
    """One reason as the learner reads it: a sentence with ``{figure}`` fields and its source.

    ``reference`` is a fixed source, or ``param`` names the figure column holding the id of the
    dated parameter whose reference applies (``"standard_param"``); ``missing`` marks what must
    be checked before a 待核实 can be settled (it is listed apart from the reasons).
    """

    text: str
    citation: Citation | None = None
    reference: Reference | None = None
    param: str | None = None
    missing: bool = False

    def fields(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(self.text) if name]


CORE = ("household_id", "member_no", "verdict", "amount")  # what a screen reads of every row


@dataclass
class Outcome:
    """Decisions for many rows: one per household, or one per resident for personal programs.

    ``rows`` has ``household_id``, ``member_no`` (the person decided for), ``verdict`` (a code:
    ``YES``, ``NO``, ``PENDING`` for 待核实, ``NOT_APPLIES``; :func:`eligible` says it) and
    ``amount`` (NaN when none). A program gives them with one column of reason codes per name in
    ``steps`` (a :class:`~trainkit.policy.columns.Step`, filled when read) and the figures the
    reasons quote, as a dict: those are kept in ``columns`` as given and taken only for the rows
    whose reasons are read (:meth:`table`) — a screen of 300,000 rows words the few it lists.
    ``members`` (household programs that look at members) has ``household_id``, ``member_no``,
    ``counted`` and ``code``, and the figures its reasons quote; it may be given as a function of
    the household numbers wanted. Likewise ``lazy`` holds costly figure columns made only for the
    rows whose reasons quote them: name → function of the row positions.
    """

    rows: pd.DataFrame  # a program gives a dict of columns: the core is made a frame, the rest kept
    steps: tuple[str, ...]
    members: pd.DataFrame | Callable[[np.ndarray], pd.DataFrame] | None = None
    lazy: dict[str, Callable[[np.ndarray], np.ndarray]] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.rows, pd.DataFrame):  # a program's columns: the core now, the rest when read
            given = dict(self.rows)
            self.columns = {name: value for name, value in given.items() if name not in CORE}
            self.rows = pd.DataFrame({name: _plain(given[name]) for name in CORE}, copy=False)

    def table(self, at: np.ndarray) -> pd.DataFrame:
        """Every column — reason codes and figures too — for the rows at positions ``at`` only
        (numbered from 0 in that order; ``lazy`` columns are not in it)."""
        at = np.asarray(at, dtype=np.int64)
        taken = {name: _at(self.rows[name], at) for name in self.rows.columns}
        taken.update({name: _at(value, at) for name, value in self.columns.items()})
        return pd.DataFrame(taken, index=pd.RangeIndex(len(at)), copy=False)

    def member_reasons(self, household: object) -> pd.DataFrame | None:
        """The member reasons of one household, in order."""
        if self.members is None:
            return None
        if callable(self.members):
            return self.members(np.array([household]))
        return self.members[self.members["household_id"] == household]

    def figures(self, index: int) -> dict[str, object]:
        """Every figure of row ``index``, lazy ones included."""
        found = self.table(np.array([index])).iloc[0].to_dict()
        for name, make in self.lazy.items():
            found[name] = make(np.array([index]))[0]
        return found


def _plain(value: Any) -> Any:
    """A column as an array (a Series by its values: its index is not the rows' numbers)."""
    if isinstance(value, pd.Series):
        return value.array if isinstance(value.dtype, pd.api.extensions.ExtensionDtype) else value.to_numpy()
    return value


def _at(value: Any, at: np.ndarray) -> Any:
    """The rows at ``at`` of one column as given (a scalar is the same on every row)."""
    value = _plain(value)
    if isinstance(value, Step):
        return value.take(at)
    if isinstance(value, np.ndarray):
        taken = value[at]
        return pd.Series(taken, dtype=object, copy=False) if taken.dtype.kind in "OU" else taken  # no str per cell
    if isinstance(value, (pd.Categorical, pd.api.extensions.ExtensionArray)):
        return value.take(at)
    return value


def money(value: float | Decimal) -> str:
    """A sum of yuan as the notices write it, rounded by :func:`cents`: 1011, 822.5 → 822.50."""
    exact = cents(value)
    if exact == 0:
        return "0"
    return str(exact.quantize(Decimal(1))) if exact == exact.to_integral_value() else str(exact)


def _text(value: object) -> str:
    if isinstance(value, (float, np.floating, Decimal)):
        return money(float(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def _reason(because: Because, figures: dict[str, object], on: dt.date) -> Reason:
    text = because.text.format(**{name: _text(figures[name]) for name in because.fields()})
    reference = because.reference
    if because.param:
        reference = load_parameter(str(figures[because.param])).at(on).reference
    return Reason(text, citation=because.citation, reference=reference)


def explain(program: Any, outcome: Outcome, index: int, on: dt.date) -> Decision:
    """Row ``index`` of ``outcome`` as a Decision: member reasons first, then each step reached.

    Raises ``ValueError`` with the reason when the rule does not apply to the row.
    """
    row = outcome.figures(index)
    table = program.REASONS
    reasons: list[Reason] = []
    missing: list[str] = []
    mine = outcome.member_reasons(row["household_id"])
    if mine is not None:
        for _, member in mine.iterrows():
            figures = member.to_dict()
            figures["label"] = member_label(figures.get("name"), figures["relation"], int(figures["age"]))
            reasons.append(_reason(table[member["code"]], figures, on))
    for step in outcome.steps:
        code = row[step]
        if code is None or (isinstance(code, float) and np.isnan(code)):
            continue
        because = table[code]
        reason = _reason(because, row, on)
        (missing.append(reason.text) if because.missing else reasons.append(reason))
    verdict = int(np.asarray(row["verdict"]))
    if verdict == NOT_APPLIES:
        raise ValueError("；".join(r.text for r in reasons[-1:]) or "该项目不适用于这一户")
    amount = row["amount"]
    paid = amount is not None and not (isinstance(amount, float) and np.isnan(amount))
    return Decision(
        program.PROGRAM,
        on,
        VERDICTS[verdict],
        amount=cents(float(amount)) if paid else None,  # type: ignore[arg-type]
        period=program.PERIOD if paid else None,
        reasons=tuple(reasons),
        missing=tuple(missing),
    )


def reason_column(program: Any, outcome: Outcome, at: np.ndarray | None = None) -> pd.Categorical:
    """Every row's decisive reason — the last step it reached — as text, built column-wise.

    The sentences are filled per reason code over arrays and dictionary-encoded as they are
    made (no Python string per row), so a register of hundreds of thousands of residents is
    worded in a fraction of a second. ``at``: only these row positions (an outreach list words
    the rows it lists, not every decision; their reason columns are taken for them only).
    """
    positions = np.arange(len(outcome.rows)) if at is None else np.asarray(at, dtype=np.int64)
    n = len(positions)
    view = outcome.table(positions)  # row i of the view is row positions[i]
    which = np.full(n, -1, dtype=np.int64)  # the decisive code of each row, as a number into ``codes``
    codes: list[str] = []
    for step in outcome.steps:
        reached, names = _step_codes(view[step])  # -1 where the step was not reached
        number = np.array([_number_of(str(name), codes) for name in names] + [-1], dtype=np.int64)
        which = np.where(reached >= 0, number[reached], which)
    parts: list[pa.Array] = [pa.array([""], type=pa.string())]
    chosen = np.zeros(n, dtype=np.int64)
    offset = 1
    for k, code in enumerate(codes):
        where = np.flatnonzero(which == k)
        if not len(where):  # a code no listed row ends on
            continue
        words, number = _fill(program.REASONS[code].text, view, outcome.lazy, where, positions)
        chosen[where] = number + offset
        parts.append(words)
        offset += len(words)
    encoded = pc.dictionary_encode(pa.concat_arrays(parts))  # once: two codes may word a row alike
    inverse = encoded.indices.to_numpy(zero_copy_only=False)
    return pd.Categorical.from_codes(inverse[chosen], categories=pd.Index(encoded.dictionary.to_pandas(), dtype="str"))


def _step_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """A step's reason codes as numbers into the codes named (-1: not reached); a categorical
    step column (what a :class:`~trainkit.policy.columns.Step` fills) is read by its codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes.astype(np.int64), column.array.categories  # no Series of codes
    return pd.factorize(column)


def _number_of(code: str, codes: list[str]) -> int:
    if code not in codes:
        codes.append(code)
    return codes.index(code)


def _fill(
    template: str,
    view: pd.DataFrame,
    lazy: dict[str, Callable[[np.ndarray], np.ndarray]],
    where: np.ndarray,
    positions: np.ndarray,
) -> tuple[pa.Array, np.ndarray]:
    """``template.format(**row)`` for the view's rows at ``where`` at once (money as :func:`money`
    writes it): the sentences, and each row's number into them. ``positions``: each view row's
    row in the outcome (what ``lazy`` columns are made for).

    Most sentences quote a few figures shared by many rows: the rows are grouped by the values
    they quote and each group is worded once (by :func:`_fill_rows`, on one row of it)."""
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    if not fields:  # the same sentence on every row
        return _fill_rows(template, view, lazy, where[:1], positions), np.zeros(len(where), dtype=np.int64)
    each = np.arange(len(where))
    if len(where) < 1_000 or any(name in lazy for name in fields):
        return _fill_rows(template, view, lazy, where, positions), each
    key = np.zeros(len(where), dtype=np.int64)
    span = 1
    for name in fields:
        codes = _codes(view[name], where)
        size = int(codes.max()) + 2 if len(codes) else 1
        span *= size
        if span > 2**62:  # too many combinations to number: word every row
            return _fill_rows(template, view, lazy, where, positions), each
        key = key * size + codes + 1
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if len(distinct) * 4 > len(where):
        return _fill_rows(template, view, lazy, where, positions), each
    return _fill_rows(template, view, lazy, where[first], positions), inverse.reshape(-1)


def _codes(column: pd.Series, where: np.ndarray) -> np.ndarray:
    """A number for each distinct value of the column at ``where`` (-1: missing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes[where].astype(np.int64)
    values = column.to_numpy()[where] if column.dtype.kind in "fiub" else column.iloc[where]
    return pd.factorize(values)[0].astype(np.int64)


def _fill_rows(
    template: str,
    view: pd.DataFrame,
    lazy: dict[str, Callable[[np.ndarray], np.ndarray]],
    where: np.ndarray,
    positions: np.ndarray,
) -> pa.Array:
    """``template.format(**row)`` for each view row at ``where``, as Arrow text."""
    parts: list[pa.Array | str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if name:
            if name in lazy:
                parts.append(_column_text(np.asarray(lazy[name](positions[where]))))
            else:
                parts.append(_column_text(_take(view[name], where)))
    if not any(isinstance(p, pa.Array) for p in parts):
        return pa.array(["".join(p for p in parts if isinstance(p, str))] * len(where), type=pa.string())
    return pc.binary_join_element_wise(*parts, "")


def _take(column: pd.Series, where: np.ndarray) -> pa.Array | np.ndarray:
    """The rows at ``where`` of a column: Arrow text stays Arrow (no Python string per row)."""
    if column.dtype.kind in "fiub":
        return column.to_numpy()[where]
    if isinstance(column.dtype, pd.CategoricalDtype):  # the few categories once, then codes
        codes = column.array.codes[where]
        words = pa.array(column.array.categories, from_pandas=True)
        return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), words)
    return pa.array(column.iloc[where], from_pandas=True)


def _column_text(column: pd.Series | np.ndarray | pa.Array) -> pa.Array:
    if isinstance(column, pa.Array):
        return column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
    values = column.to_numpy() if isinstance(column, pd.Series) else column
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        fen = np.floor(np.abs(np.where(missing, 0.0, values)) * 100 + 0.5 + 1e-9).astype(np.int64)  # half up
        whole = pc.cast(pa.array(fen // 100), pa.string())
        part = pc.utf8_lpad(pc.cast(pa.array(fen % 100), pa.string()), 2, "0")
        sign = pa.array(np.where(np.signbit(values) & (fen > 0), "-", ""))
        text = pc.if_else(
            pa.array(fen % 100 == 0),
            pc.binary_join_element_wise(sign, whole, ""),
            pc.binary_join_element_wise(sign, whole, ".", part, ""),
        )
        return pc.if_else(pa.array(missing), "待核实", text)
    if values.dtype.kind in "iub":
        return pc.cast(pa.array(values), pa.string())
    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([str(v) for v in values], type=pa.string())


def screened(program: Any, outcome: Outcome, *, reasons: bool = True) -> pd.DataFrame:
    """The outreach view of an outcome: ``household_id``, ``member_no``, ``eligible``, ``amount``
    and (with ``reasons``) the decisive ``reason`` of every row (categorical)."""
    rows = outcome.rows
    frame = pd.DataFrame(
        {
            "household_id": rows["household_id"].to_numpy(),
            "member_no": rows["member_no"].to_numpy(dtype=np.int64),
            "eligible": pd.Series(eligible(rows["verdict"].to_numpy()), dtype=object),
            "amount": rows["amount"].to_numpy(dtype=float),
        },
        copy=False,
    )
    if reasons:
        frame["reason"] = reason_column(program, outcome)
    return frame
