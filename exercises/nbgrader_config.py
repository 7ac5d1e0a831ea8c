"""nbgrader course configuration for trainkit's graded exercises (培训考核作业).

This directory is an nbgrader course: sources live in ``source/<assignment>/``; the
folders nbgrader creates (``release/``, ``submitted/``, ``autograded/``, ``feedback/``)
and ``gradebook.db`` are not tracked by git.

``trainkit autograde`` reads this same file (through nbgrader's own loader), so both
graders give the same scores; it adds a time limit per notebook, a memory cap and an
output cap (``trainkit autograde --help``).
"""

import os

from nbgrader.converters import GenerateAssignment

from trainkit.release import ClearExplanations

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "trainkit"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# In a clone of the project, the exchange (where released and submitted notebooks wait) is a
# folder of the project, so release, fetch and submit work on one machine without root. An
# installed kit (a district deployment) leaves it to the deployment's own configuration.
_project = os.path.dirname(c.CourseDirectory.root)
if os.path.isfile(os.path.join(_project, "pyproject.toml")) and os.path.isdir(os.path.join(_project, "notebooks")):
    c.Exchange.root = os.path.join(_project, ".exchange")
    os.makedirs(c.Exchange.root, exist_ok=True)

# Learner code runs with these limits per cell; a stuck answer cannot hold up a batch.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# What learners find in an answer cell of the released notebook.
c.ClearSolutions.code_stub = {"python": "# 在这里填写答案\n"}
c.ClearSolutions.text_stub = "请在这里作答。"

# A warning printed by a library is not a wrong answer: nbgrader scores a test cell 0 when it
# writes anything to stderr, so stderr output that is a warning is removed before scoring
# (tests/autograde checks that a right answer with a warning keeps its points).
c.IgnorePattern.pattern = r".*(Warning|warnings\.warn).*"
c.IgnorePattern.enabled = True

# Each check's explanation names its right answer: the feedback page reads it from the source
# notebook, and the released notebooks go out without it.
c.GenerateAssignment.preprocessors = [*GenerateAssignment.class_traits()["preprocessors"].default(),
                                      ClearExplanations]
