"""Files written whole or not at all: a temporary file beside the target, renamed into place.

A full disk, a killed process or a bad path leaves the earlier file as it was, never half a
report or half a question bank.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["check_target", "replacing", "write_bytes", "write_text"]


def check_target(path: Path, *, what: str = "输出文件") -> Path:
    """Refuse a target that is a folder or whose folder cannot be made, before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, f"{what}是一个文件夹，请给出文件名（例如 {path / '报告.html'}）", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK):
        raise PermissionError(13, "没有写入这个文件夹的权限", str(path.parent))
    return path


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``; when the block ends without error it replaces ``path``."""
    path = check_target(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        os.chmod(tmp, _mode(path))  # mkstemp makes it private (0600): a report is for others to read too
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _mode(path: Path) -> int:
    """The replaced file's permissions, or those of a new file (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
