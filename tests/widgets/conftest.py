"""Fixtures for driving widgets: a private evidence store and a clock the test moves."""

from datetime import UTC, datetime, timedelta

import pytest

from trainkit.evidence import open_store


class FakeClock:
    """Starts at the real now (evidence is stamped with real time) and moves only when told."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def evidence(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'evidence.db'}")
