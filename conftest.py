"""Test-wide setup: every test session (and every notebook kernel it starts) writes to a
temporary home and evidence database, never to the user's own ~/.trainkit."""

import os
import tempfile

_home = tempfile.mkdtemp(prefix="trainkit-test-")
os.environ["TRAINKIT_HOME"] = _home
os.environ["TRAINKIT_DB"] = f"sqlite:///{_home}/evidence.db"
os.environ.setdefault("TRAINKIT_WORKER", "W001")
for var in ("JUPYTERHUB_USER", "TRAINKIT_ROSTER", "TRAINKIT_CASEBANK"):
    os.environ.pop(var, None)
