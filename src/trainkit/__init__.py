"""trainkit — 社区工作者“全岗通”训练与案例工具包.

Lessons in JupyterLab, graded exercises on nbgrader, and competency reports built from an
append-only evidence log. The public names below are the stable API; lesson widgets live
in :mod:`trainkit.widgets`.
"""

from .content import ContentError
from .evidence import EvidenceStore, open_store
from .framework import Framework, load_framework
from .law import Citation, article, check_quote
from .lessons import load_lessons
from .quiz import check_answer, load_bank, load_banks
from .roster import Worker, current_worker, load_roster

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
