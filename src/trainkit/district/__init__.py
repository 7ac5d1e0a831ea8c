"""A synthetic district for needs analysis: a register generated from a seed, the screening
of every program over it, and the way back from register rows to household records."""

from .register import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS, households_from_register, read_register
from .synth import synthesize

__all__ = ["HOUSEHOLD_COLUMNS", "MEMBER_COLUMNS", "households_from_register", "read_register", "synthesize"]
