"""民法典 calculators as rules as code: 业主共同决定, 法定继承 and the 冷静期/司法确认 deadlines.

Each calculator module has a pydantic ``Case`` (what a mediator enters) and
``evaluate(case) -> Finding`` (the conclusion with each step and its article, quoted
exactly from the shipped texts). ``CALCULATORS`` maps the command-line name to the module.
"""

from __future__ import annotations

from . import deadline, inheritance, vote
from .cases import load_case, load_scenarios
from .finding import Finding, Step

__all__ = ["CALCULATORS", "Finding", "Step", "deadline", "inheritance", "load_case", "load_scenarios", "vote"]

CALCULATORS = {"vote": vote, "inheritance": inheritance, "deadline": deadline}
