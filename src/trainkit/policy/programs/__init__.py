"""One module per program. Each defines ``PROGRAM`` (its id), ``TITLE``, ``DOMAIN``,
``ITEMS`` (the service items it teaches) and ``evaluate(household, on) -> Decision``.
Modules here are found automatically; adding a program is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["load_programs"]

REQUIRED = ("PROGRAM", "TITLE", "DOMAIN", "ITEMS", "evaluate")


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
