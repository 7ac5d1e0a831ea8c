"""Widgets for lessons: identity, displays, the calculator and self-check banks."""

from .calculator import DibaoCalculator, dibao_calculator
from .case import CaseWalkthrough, case_walkthrough
from .decision import DecisionWidget, decision_widget
from .display import law_article, parameter_table
from .identity import whoami
from .law_lookup import law_lookup
from .learning_map import learning_map
from .planners import committee_check, health_schedule
from .quiz import QuizWidget, quiz
from .supervisor import appeal_form, evidence_query

__all__ = [
    "appeal_form",
    "evidence_query",
    "committee_check",
    "health_schedule",
    "DecisionWidget",
    "decision_widget",
    "CaseWalkthrough",
    "case_walkthrough",
    "law_lookup",
    "DibaoCalculator",
    "QuizWidget",
    "dibao_calculator",
    "law_article",
    "learning_map",
    "parameter_table",
    "quiz",
    "whoami",
]
