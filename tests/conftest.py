"""Fixtures shared by the test modules."""

import shutil

import pytest

from trainkit.content import casebank_root


@pytest.fixture
def casebank(tmp_path, monkeypatch):
    """A private copy of the casebank, in use for this test (edit it freely)."""
    root = tmp_path / "casebank"
    shutil.copytree(casebank_root(), root)
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(root))
    return root
