"""Widgets for lessons: identity, displays, the calculator, self-check banks, the learning map,
每日15分钟 and 练兵比武."""

from .calculator import DibaoCalculator, dibao_calculator
from .case import CaseWalkthrough, case_walkthrough
from .civil import deadline_calculator, inheritance_calculator, vote_calculator
from .contest import ContestWidget, contest
from .decision import DecisionWidget, decision_widget
from .display import law_article, parameter_table
from .identity import whoami
from .law_lookup import law_lookup
from .learning_map import assignments_help, learning_map
from .needs_analysis import gap_planner, resident_filter, visit_planner
from .planners import committee_check, health_schedule
from .practice import DailyPractice, daily_practice
from .quiz import QuizWidget, quiz
from .supervisor import appeal_form, evidence_query

__all__ = [
    "deadline_calculator",
    "inheritance_calculator",
    "vote_calculator",
    "appeal_form",
    "evidence_query",
    "committee_check",
    "gap_planner",
    "resident_filter",
    "visit_planner",
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
    "assignments_help",
    "ContestWidget",
    "contest",
    "DailyPractice",
    "daily_practice",
]
