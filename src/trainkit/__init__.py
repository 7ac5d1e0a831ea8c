"""trainkit — 社区工作者“全岗通”训练与案例工具包.

Lessons in JupyterLab, graded exercises on nbgrader, and competency reports built from an
append-only evidence log. The public names below are the stable API; lesson widgets live
in :mod:`trainkit.widgets`.
"""

import importlib
import typing

if typing.TYPE_CHECKING:
    from .content import ContentError
    from .evidence import EvidenceStore, open_store
    from .framework import Framework, load_framework
    from .law import Citation, article, check_quote
    from .lessons import load_lessons
    from .quiz import check_answer, load_bank, load_banks
    from .roster import Worker, current_worker, load_roster

# Each public name's module, imported on first use: ``trainkit --help`` and the small commands
# then start without loading pandas, SQLAlchemy and the policy rules (PEP 562).
_HOME = {
    "Citation": "law",
    "ContentError": "content",
    "EvidenceStore": "evidence",
    "Framework": "framework",
    "Worker": "roster",
    "article": "law",
    "check_answer": "quiz",
    "check_quote": "law",
    "current_worker": "roster",
    "load_bank": "quiz",
    "load_banks": "quiz",
    "load_framework": "framework",
    "load_lessons": "lessons",
    "load_roster": "roster",
    "open_store": "evidence",
}


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Citation",
    "ContentError",
    "EvidenceStore",
    "Framework",
    "Worker",
    "article",
    "check_answer",
    "check_quote",
    "current_worker",
    "load_bank",
    "load_banks",
    "load_framework",
    "load_lessons",
    "load_roster",
    "open_store",
]
