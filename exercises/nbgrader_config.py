"""nbgrader course configuration for trainkit's graded exercises (培训考核作业).

This directory is an nbgrader course: sources live in ``source/<assignment>/``; the
folders nbgrader creates (``release/``, ``submitted/``, ``autograded/``, ``feedback/``)
and ``gradebook.db`` are not tracked by git.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "trainkit"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Learner code runs with these limits per cell; a stuck answer cannot hold up a batch.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# A warning printed by a library is not a wrong answer: ignore the common ones.
c.ClearSolutions.code_stub = {"python": "# 在这里填写答案\n"}
c.IgnorePattern.pattern = r".*(Warning|warnings\.warn).*"
c.IgnorePattern.enabled = True
c.ClearSolutions.text_stub = "请在这里作答。"
