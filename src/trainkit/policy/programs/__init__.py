"""One module per program, each written once over columns and run alike on one household
and on a whole register. Each defines ``PROGRAM`` (its id), ``TITLE``, ``DOMAIN``, ``ITEMS``
(the service items it teaches), ``AMOUNT`` and ``PERIOD`` (how its amount is named and paid),
``REASONS`` (reason code → :class:`~trainkit.policy.outcome.Because`), ``decide(households,
residents, on) -> Outcome`` over a numbered register (:func:`~trainkit.policy.frames.numbered`)
and ``evaluate = household_rule(__name__)``. Modules here are found automatically; adding a
program is adding a module."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sys
from collections.abc import Callable
from types import ModuleType

import numpy as np

from ..decision import Decision
from ..frames import frames_of, numbered
from ..household import Household
from ..outcome import explain

__all__ = ["household_rule", "load_programs"]

REQUIRED = ("PROGRAM", "TITLE", "DOMAIN", "ITEMS", "AMOUNT", "PERIOD", "PER", "REASONS", "decide", "evaluate")


def household_rule(module_name: str) -> Callable[[Household, dt.date], Decision]:
    """``evaluate(household, on)`` for a program: its ``decide`` on a register of one, the
    row of the household's applicant explained (``ValueError`` when the rule does not apply)."""

    def evaluate(household: Household, on: dt.date) -> Decision:
        program = sys.modules[module_name]
        households, residents, _ = numbered(*frames_of(household))
        outcome = program.decide(households, residents, on)
        applicant = next(
            (i for i, m in enumerate(household.members, start=1) if m.relation == "applicant"),
            1,
        )
        rows = np.flatnonzero(outcome.rows["member_no"].to_numpy() == applicant)
        return explain(program, outcome, int(rows[0]) if len(rows) else 0, on)

    evaluate.__doc__ = f"Decide {module_name.rsplit('.', 1)[-1]} for one household on a date."
    return evaluate


def load_programs() -> dict[str, ModuleType]:
    """Program id → module, in id order."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        missing = [name for name in REQUIRED if not hasattr(module, name)]
        if missing:
            raise TypeError(f"{module.__name__} 缺少 {', '.join(missing)}")
        found[module.PROGRAM] = module
    return dict(sorted(found.items()))
