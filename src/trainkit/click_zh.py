"""Click's own words — 用法, 选项, its error messages — in Chinese, from a translation catalogue.

Click marks its texts for translation with :mod:`gettext` (default domain); the catalogue
``locale/zh_CN/LC_MESSAGES/click.po`` holds their Chinese. It is compiled once into a
``.mo`` file (with ``polib``, a small maintained library for gettext catalogues) in the kit's
home folder, and bound as the process's gettext domain, so nothing of Click is changed.
"""

from __future__ import annotations

import gettext
import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

from .atomic import replacing

__all__ = ["DOMAIN", "use_chinese"]

DOMAIN = "trainkit-click"


def use_chinese() -> None:
    """Make Click speak Chinese in this process (and leave everything else as it is)."""
    source = resources.files("trainkit").joinpath("locale", "zh_CN", "LC_MESSAGES", "click.po").read_bytes()
    locale_dir = _compiled(source)
    if locale_dir is None:
        return  # nowhere to write the compiled catalogue: Click stays in English, nothing breaks
    gettext.bindtextdomain(DOMAIN, str(locale_dir))
    gettext.textdomain(DOMAIN)
    if not os.environ.get("LANGUAGE", "").startswith("zh"):
        os.environ["LANGUAGE"] = "zh_CN"


def _compiled(source: bytes) -> Path | None:
    """A folder holding ``zh_CN/LC_MESSAGES/trainkit-click.mo`` compiled from ``source``."""
    import polib

    digest = hashlib.sha256(source).hexdigest()[:12]
    for base in (Path(os.environ.get("TRAINKIT_HOME", Path.home() / ".trainkit")), Path(tempfile.gettempdir())):
        root = base / "locale" / digest
        target = root / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if target.is_file():
            return root
        try:
            with replacing(target) as tmp:
                polib.pofile(source.decode("utf-8")).save_as_mofile(str(tmp))
            return root
        except OSError:
            continue
    return None
