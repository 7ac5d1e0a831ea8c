"""One error path for the whole command line: every expected failure ends in one Chinese
sentence naming the file, row or field and what to do, exit status 1, no traceback;
anything unexpected prints one line and where its full traceback was written."""

from __future__ import annotations

import errno
import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

import click

__all__ = ["KitGroup", "explain"]

_OS = {
    errno.ENOENT: "找不到这个文件或文件夹，请检查路径",
    errno.EACCES: "没有权限（请检查文件的所有者和权限，或换一个位置）",
    errno.EPERM: "没有权限（请检查文件的所有者和权限，或换一个位置）",
    errno.EISDIR: "这是一个文件夹，这里需要一个文件名",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘已满：请清理空间后重试，原有文件没有改动",
    errno.EROFS: "位于只读的磁盘或介质上，不能写入",
    errno.EEXIST: "已经存在",
}


def explain(err: BaseException) -> str | None:
    """The Chinese sentence for an expected failure, or ``None`` when it is unexpected."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    from .content import ContentError

    if isinstance(err, ContentError):
        return str(err)
    if isinstance(err, OSError) and err.errno in _OS:
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{_OS[err.errno]}"
    if isinstance(err, OperationalError | DatabaseError):
        text = str(err.orig if getattr(err, "orig", None) is not None else err).splitlines()[0]
        if "readonly" in text or "read-only" in text:
            return "证据库是只读的（只读介质、没有写权限或备份副本）：生成报告可以，写入请换用可写的证据库（--db 或 TRAINKIT_DB）"
        if "not a database" in text or "malformed" in text or "file is encrypted" in text:
            return "证据库文件不是有效的数据库（可能已损坏，或不是 trainkit 的证据库）：请检查 --db 或 TRAINKIT_DB 指向的文件"
        if "locked" in text:
            return "证据库正被另一个程序写入：请稍后重试"
        if "unable to open" in text:
            return "打不开证据库文件：请检查 --db 或 TRAINKIT_DB 的路径和所在文件夹的权限"
        return f"证据库出错：{text[:200]}"
    if isinstance(err, UnicodeDecodeError):
        return "文件编码不是 UTF-8：请在 Excel 或 WPS 中“另存为”CSV UTF-8 格式后重试"
    if isinstance(err, ValueError | KeyError):
        return str(err).strip("'\"")
    return None


class KitGroup(click.Group):
    """The ``trainkit`` group: runs a command and turns any failure into one readable line."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except (
            click.exceptions.ClickException,
            click.exceptions.Exit,
            click.exceptions.Abort,
            KeyboardInterrupt,
            SystemExit,
        ):
            raise
        except Exception as err:  # noqa: BLE001 — the one place every failure passes through
            if ctx.params.get("debug") or os.environ.get("TRAINKIT_DEBUG"):
                raise
            said = explain(err)
            if said is not None:
                raise click.ClickException(said) from err
            log = _write_traceback(err)
            raise click.ClickException(
                f"意外错误（{type(err).__name__}）：{str(err)[:300]}。完整记录已写入 {log}，"
                "请把它交给培训师或系统管理员；加 --debug 可在屏幕上看到详细信息"
            ) from err


def _write_traceback(err: BaseException) -> Path:
    from .roster import trainkit_home

    try:
        folder = trainkit_home() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        folder = Path(tempfile.gettempdir())
    path = folder / "trainkit-errors.log"
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        log.write("".join(traceback.format_exception(err)))
    return path
