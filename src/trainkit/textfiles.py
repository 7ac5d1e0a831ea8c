"""Text files as Chinese offices save them: UTF-8 with or without BOM, GBK/GB18030 from Excel or
WPS on Chinese Windows, UTF-16 from "Unicode text" exports — read whatever was used, and say which.

A BOM decides at once; otherwise strict UTF-8 is tried first (most files), then the
``charset-normalizer`` library (maintained, pure Python, already installed with Jupyter)
guesses among the encodings Chinese offices use. A file that is none of them is refused
with its name and what to do.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .content import ContentError

__all__ = ["CONTROL", "ENCODING_TITLES", "read_text"]

ENCODING_TITLES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "gb18030": "GBK/GB18030",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}
_CHINESE_OFFICE = ("gb18030", "utf_16", "utf_16_le", "utf_16_be", "big5")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a name, an id or a question


def read_text(path: Path) -> tuple[str, str]:
    """The text of ``path`` and the encoding it was in (a key of :data:`ENCODING_TITLES`)."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise ContentError(f"{path}: 这是一个文件夹，请给出文件") from None
    except FileNotFoundError:
        raise ContentError(f"{path}: 找不到这个文件，请检查路径") from None
    except PermissionError:
        raise ContentError(f"{path}: 没有读取这个文件的权限") from None
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(path, raw, "utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=list(_CHINESE_OFFICE)).best()
    encoding = (best.encoding if best is not None else "gb18030").replace("_", "-")
    encoding = "gb18030" if encoding in ("gbk", "gb2312", "big5") else encoding
    return _decode(path, raw, encoding), encoding


def _decode(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ContentError(
            f"{path}: 文件编码无法识别（不是 UTF-8、GBK 或 UTF-16）：请在 Excel 或 WPS 中“另存为”CSV UTF-8 格式后重试"
        ) from None
