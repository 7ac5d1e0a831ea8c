"""Content loaders that stay current in a long-running kernel.

``functools.cache`` keeps a file's first reading for the life of the process: a trainer who
corrects a parameter file would see the old figure in an open lesson until the kernel restarts.
:func:`by_file` caches a loader of one file by the file's path, size and modification time,
so an edited file is read again on next use and an unchanged one costs only a ``stat``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["by_file"]

T = TypeVar("T")


def by_file(load: Callable[[Path], T]) -> Callable[[Path], T]:
    """Cache ``load(path)`` until the file at ``path`` changes (or disappears)."""
    memo: dict[Path, tuple[tuple[int, int], T]] = {}

    @functools.wraps(load)
    def cached(path: Path) -> T:
        try:
            info = path.stat()
            stamp = (info.st_mtime_ns, info.st_size)
        except OSError:
            memo.pop(path, None)
            return load(path)  # the loader says what is missing
        hit = memo.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = load(path)
        memo[path] = (stamp, value)
        return value

    cached.cache_clear = memo.clear  # type: ignore[attr-defined]
    return cached
