"""Start-up without a cost nothing here uses: jsonschema's ``iri`` format checker.

``nbformat`` imports ``jsonschema``, whose format module imports ``rfc3987_syntax`` if it is
installed (``jsonschema[format-nongpl]``, pulled in by the Jupyter stack); that package
compiles some thirty Earley parsers at import — 1.5 s on an idle 2-core machine, 5–7 s on a
busy one, most of a one-notebook ``trainkit autograde``'s start-up (python-jsonschema/
jsonschema#1428). Neither nbformat's nor nbgrader's schemas use a ``format``, so the
command that grades runs without it: jsonschema then checks ``iri`` formats as it does when
the package is absent (not at all). A process that has already imported jsonschema is left as
it is.
"""

from __future__ import annotations

import sys

__all__ = ["skip_unused_format_checkers"]

_UNUSED = ("rfc3987_syntax",)


def skip_unused_format_checkers() -> bool:
    """Before jsonschema is first imported, mark its unused, slow format checkers as absent;
    True if that was done (False: jsonschema was already imported, nothing changed)."""
    if "jsonschema" in sys.modules:
        return False
    for name in _UNUSED:
        # None in sys.modules: `import name` raises ImportError, which jsonschema expects
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    return True
