"""Policy rules as code: dated parameters, households, decisions, one module per program."""

from .decision import PENDING, Decision, Reason
from .household import Household, Income, Member, load_household, vocabulary
from .parameters import BeforeFirstDate, Parameter, Reference, load_parameter, load_parameters
from .programs import dibao, load_programs

PROGRAMS = load_programs()

__all__ = [
    "PENDING",
    "PROGRAMS",
    "BeforeFirstDate",
    "Decision",
    "Household",
    "Income",
    "Member",
    "Parameter",
    "Reason",
    "Reference",
    "dibao",
    "load_household",
    "load_parameter",
    "load_parameters",
    "vocabulary",
]
