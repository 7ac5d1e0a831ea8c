"""Fast, safe, robust autograding of nbgrader submissions (``trainkit autograde``).

The same scores as ``nbgrader autograde`` with the course's own configuration, written to the
same gradebook by nbgrader's own preprocessors — but in parallel, each notebook in its own
fresh kernel with time, memory and output limits, damaged submissions repaired from the
source or failed with a Chinese reason, answers typed with a Chinese input method normalised,
and a summary table at the end. Modules, one job each:

``course``    the nbgrader course and its configuration       ``plan``      what to grade
``snapshot``  the gradebook's view of the source notebooks    ``intake``    bytes → notebook
``repair``    structure back to the source's                  ``normalise`` IME answers → Python
``execute``   nbgrader's Execute with guards                  ``launcher``  the kernel's limits
``checks``    per-check Chinese messages (no hidden text)     ``worker``    a worker process
``pool``      worker processes                                ``record``    the one gradebook writer
``jobs``      what workers are sent and send back             ``pipeline``  one notebook, start to finish
``zygote``    kernels forked without re-importing             ``files``     staging, publishing, reports
``progress``  progress bar and time left                      ``summary``   the closing table
``runner``    the whole run
"""

from .runner import AutogradeError, autograde
from .summary import RunSummary, render_summary

__all__ = ["AutogradeError", "RunSummary", "autograde", "render_summary"]
