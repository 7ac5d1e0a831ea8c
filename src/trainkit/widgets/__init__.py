"""Widgets for lessons: identity, displays, the calculator and self-check banks."""

from .calculator import DibaoCalculator, dibao_calculator
from .display import law_article, parameter_table
from .identity import whoami
from .learning_map import learning_map
from .quiz import QuizWidget, quiz

__all__ = [
    "DibaoCalculator",
    "QuizWidget",
    "dibao_calculator",
    "law_article",
    "learning_map",
    "parameter_table",
    "quiz",
    "whoami",
]
