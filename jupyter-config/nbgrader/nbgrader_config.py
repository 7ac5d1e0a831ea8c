"""nbgrader for one machine, from a clone of the project.

``trainkit lab`` (and so ``make lab``) puts this folder on JUPYTER_CONFIG_PATH, so that in
JupyterLab the Formgrader finds the course in ``exercises/`` and the Assignments panel finds
what was released, whatever folder the server was started in. The exchange, where released
and submitted notebooks wait, is ``.exchange/`` in the project (set by the course config);
a worker's fetched assignments go to ``assignments/``. A district deployment writes its own
configuration instead (deploy/setup.py).
"""

import os

_project = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_course = os.path.join(_project, "exercises")

c = get_config()  # noqa: F821  (provided by nbgrader when it reads this file)
load_subconfig(os.path.join(_course, "nbgrader_config.py"))  # noqa: F821  (the course's own settings)
c.CourseDirectory.root = _course
c.Exchange.assignment_dir = os.path.join(_project, "assignments")
os.makedirs(c.Exchange.assignment_dir, exist_ok=True)
