"""A progress bar with the time left, on stderr, in Chinese.

On a terminal the bar is redrawn in place (at most ten times a second); when stderr is a
file or a pipe a line is written at every tenth of the work, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total: int, *, label: str = "自动评分", stream: TextIO | None = None, width: int = 24) -> None:
        self.total, self.label, self.width = total, label, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self._drawn = 0.0
        self._decile = -1
        self._printed = -1

    def advance(self, *, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "█" * filled + "░" * (self.width - filled)
        left = "估算中" if not self.done else _clock(elapsed / self.done * (self.total - self.done))
        failed = f"  失败 {self.failed}" if self.failed else ""
        return f"{self.label} [{bar}] {self.done}/{self.total}  已用 {_clock(elapsed)}  预计还需 {left}{failed}"

    def draw(self, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.tty:
            if final or now - self._drawn >= 0.1 or self.done == self.total:
                self.stream.write("\r" + self.line() + ("\n" if final else ""))
                self.stream.flush()
                self._drawn = now
            return
        decile = self.done * 10 // self.total if self.total else 10
        if decile != self._decile or (final and self._printed != self.done):
            self._decile, self._printed = decile, self.done
            self.stream.write(self.line() + "\n")
            self.stream.flush()
