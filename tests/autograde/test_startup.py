"""``trainkit autograde`` starts without compiling jsonschema's unused ``iri`` checker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, *args, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_nbformat_still_validates_without_the_iri_checker() -> None:
    code = """
import sys
from trainkit.lean_imports import skip_unused_format_checkers
assert skip_unused_format_checkers() is True
import nbformat
assert sys.modules["rfc3987_syntax"] is None
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "nonsense"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("rejected")
"""
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rejected"


def test_leaves_a_process_that_already_imported_jsonschema_alone() -> None:
    pytest.importorskip("rfc3987_syntax")
    code = """
import sys, jsonschema
from trainkit.lean_imports import skip_unused_format_checkers
print(skip_unused_format_checkers(), sys.modules.get("rfc3987_syntax") is not None)
"""
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_autograde_command_does_not_import_the_iri_parser(tmp_path: Path) -> None:
    pytest.importorskip("rfc3987_syntax")
    code = "import sys; from trainkit.cli import main; sys.argv = ['trainkit', *sys.argv[1:]]; main()"
    env = {**os.environ, "PYTHONPATH": SRC}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "autograde", "a1", "--course", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0  # an empty folder is not a course: the command says so
    assert "nbformat" in result.stderr  # it did get as far as importing the grader
    assert "rfc3987_syntax.syntax_helpers" not in result.stderr
