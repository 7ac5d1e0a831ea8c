"""What learners receive: nbgrader's release of an exercise, without the explanations.

Each autograded check's ``metadata.trainkit`` holds an explanation and its source for the
feedback page (:mod:`trainkit.feedback` reads them from the *source* notebook). They name the
right answers, so :class:`ClearExplanations` — added to ``GenerateAssignment.preprocessors``
in ``exercises/nbgrader_config.py`` — removes them from the released notebooks.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["EXPLANATION_KEYS", "ClearExplanations"]

EXPLANATION_KEYS = ("explanation", "reference", "citation", "explanation_source")


class ClearExplanations(NbGraderPreprocessor):
    """Drop the explanation keys from every cell's ``metadata.trainkit``."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        meta = cell.metadata.get("trainkit")
        if meta:
            for key in EXPLANATION_KEYS:
                meta.pop(key, None)
        return cell, resources
