"""The nbgrader course as ``nbgrader autograde`` sees it: its configuration, folders and converter.

Configuration is loaded by nbgrader's own ``AutogradeApp`` (jupyter config paths, the
current folder and the course's ``nbgrader_config.py``), so every setting that changes
nbgrader's scores — ``Execute.timeout``, ``IgnorePattern``, ``LimitOutput``, the
preprocessor lists, late penalties — changes trainkit's the same way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Course", "CourseError", "load_course"]

_LOADED: dict[Path, Course] = {}


class CourseError(RuntimeError):
    """The course folder cannot be autograded as it is (message in Chinese)."""


@dataclass
class Course:
    root: Path
    app: object  # nbgrader.apps.AutogradeApp, initialised
    converter: object  # nbgrader.converters.Autograde
    exporter: object  # its nbconvert exporter: the parent of every preprocessor, as in nbgrader

    @property
    def coursedir(self):  # noqa: ANN201
        return self.app.coursedir

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def path(self, step: str, student: str, assignment: str) -> Path:
        """``submitted`` / ``autograded`` / ``feedback`` / ``source`` / ``release`` folder."""
        folder = getattr(self.coursedir, f"{step}_directory")
        return Path(self.coursedir.format_path(folder, student, assignment))

    def state(self, *parts: str) -> Path:
        """trainkit's own working files (git-ignored ``.trainkit/``) inside the course."""
        return self.root.joinpath(".trainkit", "autograde", *parts)


def load_course(root: Path) -> Course:
    """Load the course at ``root`` once per process (workers forked later share it)."""
    root = Path(root).resolve()
    if root in _LOADED:
        return _LOADED[root]
    if not root.is_dir():
        raise CourseError(f"找不到课程目录 {root}：请用 --course 指定 nbgrader 课程所在的文件夹")
    if not (root / "nbgrader_config.py").is_file():
        raise CourseError(f"{root} 里没有 nbgrader_config.py：这不是 nbgrader 课程目录，请用 --course 指定")
    from nbconvert.exporters import NotebookExporter
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde

    saved_path = list(sys.path)
    with contextlib.chdir(root):
        app = AutogradeApp()
        app.log = logging.getLogger("trainkit.autograde.nbgrader")
        try:
            app.initialize([])
        finally:
            sys.path[:] = saved_path
    converter = Autograde(coursedir=app.coursedir, parent=app)
    converter.exporter = NotebookExporter(parent=converter, config=converter.config)
    course = Course(Path(os.path.abspath(app.coursedir.root)), app, converter, converter.exporter)
    _LOADED[root] = course
    return course
