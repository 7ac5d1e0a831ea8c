"""Columnar screens of the programs not yet written once (就业困难, 居民养老, 灵活就业社保补贴): each a function
``screen(households, residents, on) -> DataFrame`` over the whole register at once.

They are built from the same dated parameters as the per-household rules and must give
exactly the same decisions (tests compare them on random samples). Each result row has
``household_id``, ``member_no`` (the person decided for; the applicant for household-level
programs), ``eligible`` (True / False / None for 待核实, or ``"n/a"`` when the program does not
apply), ``amount`` (float, NaN when none) and ``reason``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import pandas as pd

__all__ = ["COLUMNS", "load_screens"]

COLUMNS = ["household_id", "member_no", "eligible", "amount", "reason"]
Screen = Callable[[pd.DataFrame, pd.DataFrame, object], pd.DataFrame]


def load_screens() -> dict[str, Screen]:
    """Program id → columnar screen, for every module here."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found[module.PROGRAM] = module.screen
    return dict(sorted(found.items()))
