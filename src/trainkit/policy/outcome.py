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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..law import Citation
from .decision import Decision, Reason, cents
from .household import member_label
from .parameters import Reference, load_parameter

__all__ = ["NOT_APPLICABLE", "Because", "Outcome", "explain", "money", "reason_column", "screened"]

NOT_APPLICABLE = "n/a"  # the rule does not apply to this row (nobody counts, no one to decide for)


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


@dataclass
class Outcome:
    """Decisions for many rows: one per household, or one per resident for personal programs.

    ``rows`` has ``household_id``, ``member_no`` (the person decided for), ``eligible``
    (True / False / None for 待核实 / ``NOT_APPLICABLE``), ``amount`` (NaN when none), one column
    of reason codes per name in ``steps`` (None where the step was not reached) and the figures
    the reasons quote. ``members`` (household programs that look at members) has
    ``household_id``, ``member_no``, ``counted`` and ``code``, and the figures its reasons quote.
    """

    rows: pd.DataFrame
    steps: tuple[str, ...]
    members: pd.DataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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
    row = outcome.rows.iloc[index]
    table = program.REASONS
    reasons: list[Reason] = []
    missing: list[str] = []
    if outcome.members is not None:
        mine = outcome.members[outcome.members["household_id"] == row["household_id"]]
        for _, member in mine.iterrows():
            figures = member.to_dict()
            figures["label"] = member_label(figures.get("name"), figures["relation"], int(figures["age"]))
            reasons.append(_reason(table[member["code"]], figures, on))
    for step in outcome.steps:
        code = row[step]
        if code is None or (isinstance(code, float) and np.isnan(code)):
            continue
        because = table[code]
        reason = _reason(because, row.to_dict(), on)
        (missing.append(reason.text) if because.missing else reasons.append(reason))
    verdict = row["eligible"]
    if verdict is NOT_APPLICABLE or (isinstance(verdict, str) and verdict == NOT_APPLICABLE):
        raise ValueError("；".join(r.text for r in reasons[-1:]) or "该项目不适用于这一户")
    amount = row["amount"]
    paid = amount is not None and not (isinstance(amount, float) and np.isnan(amount))
    return Decision(
        program.PROGRAM,
        on,
        None if verdict is None or (isinstance(verdict, float) and np.isnan(verdict)) else bool(verdict),
        amount=cents(amount) if paid else None,
        period=program.PERIOD if paid else None,
        reasons=tuple(reasons),
        missing=tuple(missing),
    )


def reason_column(program: Any, outcome: Outcome) -> pd.Categorical:
    """Every row's decisive reason — the last step it reached — as text, built column-wise.

    The sentences are filled per reason code over arrays (no Python object per row), so a
    register of hundreds of thousands of residents is worded in a fraction of a second.
    """
    rows = outcome.rows
    n = len(rows)
    decisive = pd.Series(None, index=rows.index, dtype=object)
    for step in outcome.steps:
        codes = rows[step]
        decisive = decisive.where(codes.isna(), codes)
    texts: list[pa.Array] = []
    positions: list[np.ndarray] = []
    for code, where in decisive.groupby(decisive, sort=False).indices.items():
        texts.append(_fill(program.REASONS[code].text, rows.iloc[where]))
        positions.append(where)
    if not texts:
        return pd.Categorical(pd.array([""] * n, dtype="str"))
    order = np.concatenate(positions)
    words = pa.concat_arrays([t.cast(pa.string()) for t in texts]).to_numpy(zero_copy_only=False)
    out = np.full(n, "", dtype=object)
    out[order] = words
    return pd.Categorical(pd.array(out, dtype="str"))


def _fill(template: str, rows: pd.DataFrame) -> pa.Array:
    """``template.format(**row)`` for every row at once (money as :func:`money` writes it)."""
    parts: list[pa.Array | str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if name:
            parts.append(_column_text(rows[name]))
    if not any(isinstance(p, pa.Array) for p in parts):
        return pa.array(["".join(p for p in parts if isinstance(p, str))] * len(rows))
    return pc.binary_join_element_wise(*parts, "")


def _column_text(column: pd.Series) -> pa.Array:
    values = column.to_numpy()
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
    return pa.array([str(v) for v in values], type=pa.string())


def screened(program: Any, outcome: Outcome) -> pd.DataFrame:
    """The outreach view of an outcome: ``household_id``, ``member_no``, ``eligible``, ``amount``
    and the decisive ``reason`` of every row (categorical: a few sentences over many rows)."""
    rows = outcome.rows
    return pd.DataFrame(
        {
            "household_id": rows["household_id"].to_numpy(),
            "member_no": rows["member_no"].to_numpy(dtype=np.int64),
            "eligible": pd.Series(rows["eligible"].to_numpy(dtype=object), dtype=object),
            "amount": rows["amount"].to_numpy(dtype=float),
            "reason": reason_column(program, outcome),
        }
    )
