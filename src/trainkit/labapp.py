"""How ``trainkit lab`` starts JupyterLab: in Chinese, at the 学习地图, also as root."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .content import casebank_root

__all__ = ["LEARNING_MAP", "lab_command"]

LEARNING_MAP = "00-learning-map.ipynb"


def lab_command(extra: list[str], *, uid: int | None = None) -> list[str]:
    """The ``python -m jupyter lab …`` argv; nbgrader's tools are put on PATH for its gradebook."""
    uid = os.getuid() if uid is None else uid
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    notebooks = casebank_root().parent / "notebooks"
    nbgrader_config = notebooks.parent / "jupyter-config" / "nbgrader"
    if nbgrader_config.is_dir():  # a clone of the project: the Formgrader and Assignments panel find the course
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            p for p in (str(nbgrader_config), os.environ.get("JUPYTER_CONFIG_PATH")) if p
        )
    args = [sys.executable, "-m", "jupyter", "lab"]
    if notebooks.is_dir() and not any(
        a.startswith("--notebook-dir") or a.startswith("--ServerApp.root_dir") for a in extra
    ):
        args += [f"--ServerApp.root_dir={notebooks.parent}", f"--LabApp.default_url=/lab/tree/notebooks/{LEARNING_MAP}"]
    if uid == 0 and "--allow-root" not in extra:
        args.append("--allow-root")
    return args + list(extra)
