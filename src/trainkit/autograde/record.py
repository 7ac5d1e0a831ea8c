"""The one process that writes the gradebook, through nbgrader's own API and preprocessors.

nbgrader opens a new ``Gradebook`` in each preprocessor for each notebook and commits after
every cell. Here one ``Gradebook`` stays open for the whole run: nbgrader's ``SaveAutoGrades``
and ``AssignLatePenalties`` (and the ``Gradebook`` methods that create students and
submissions) run unchanged, but their commits become flushes and the batch is committed once
— every ``batch`` notebooks or ``interval`` seconds (small batches: a flush checks every
object the session holds, so a long batch costs more than it saves). If one notebook's grades cannot be
written, the batch is rolled back and replayed without it, so it costs no one else's grades.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime

from nbformat import NotebookNode

__all__ = ["GradeRecorder"]


class _DeferredCommits:
    """Wraps the gradebook's session: ``commit()`` only flushes; :meth:`GradeRecorder.commit` commits."""

    def __init__(self, session) -> None:  # noqa: ANN001
        self._session = session

    def commit(self) -> None:
        self._session.flush()

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._session, name)


class _Borrowed:
    """What ``Gradebook(url)`` returns inside nbgrader's writers during a run: the open
    gradebook, which their ``with`` block must not close."""

    def __init__(self, gb) -> None:  # noqa: ANN001
        self._gb = gb

    def __enter__(self):  # noqa: ANN204
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self._gb, name)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """nbgrader's gradebook code makes SQLAlchemy warn about objects it adds a moment later
    (``SAWarning: Object ... not in session``); plain ``nbgrader autograde`` prints the same."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        yield


class GradeRecorder:
    def __init__(
        self,
        course,
        assignment: str,
        writers: list[type],
        *,
        batch: int = 8,  # noqa: ANN001
        interval: float = 1.0,
    ) -> None:
        from nbgrader.api import Gradebook

        self.course, self.assignment, self.writers = course, assignment, writers
        self.gb = Gradebook(course.db_url, course.course_id)
        self.session = self.gb.db
        self.gb.db = _DeferredCommits(self.session)
        self.batch, self.interval = batch, interval
        self._pending: list[tuple[object, Callable[[], None]]] = []  # (tag, replayable write)
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.gb.db = self.session
        self.gb.close()

    # -- before the run --------------------------------------------------------------------
    def open_submission(self, student: str, timestamp: datetime | None, *, create_student: bool) -> str | None:
        """Create the student and submission rows as ``nbgrader autograde`` does; the reason
        (Chinese) if that is impossible."""
        from nbgrader.api import MissingEntry

        try:
            with quiet():
                self._open(student, timestamp, create_student=create_student)
        except MissingEntry:  # raised by a query: nothing to roll back
            return f"成绩库中没有学员 {student}（课程配置不允许自动添加学员）：请先用 nbgrader db student add 添加"
        return None

    def _open(self, student: str, timestamp: datetime | None, *, create_student: bool) -> None:
        if create_student:
            self.gb.update_or_create_student(student)
        else:
            self.gb.find_student(student)
        if timestamp is not None:
            self.gb.update_or_create_submission(self.assignment, student, timestamp=timestamp)
        else:
            self.gb.update_or_create_submission(self.assignment, student)

    # -- during the run --------------------------------------------------------------------
    def save(self, tag: object, nb: NotebookNode, resources: dict) -> str | None:
        """Record an executed notebook's grades with nbgrader's writers; the reason if impossible."""
        return self._do(tag, lambda: self._run_writers(nb, resources))

    def zero(self, tag: object, student: str, notebook: str) -> str | None:
        """All grades of a notebook that could not be read become 0 — what nbgrader does for a
        missing notebook."""
        return self._do(tag, lambda: self._zero(student, notebook))

    def due(self) -> bool:
        return len(self._pending) >= self.batch or (
            self._pending and time.monotonic() - self._last_commit >= self.interval
        )

    def commit(self) -> list[object]:
        """Commit the batch; return the tags now safely recorded. A gradebook busy with
        another writer (formgrader saving a grade) is waited for a little."""
        from sqlalchemy.exc import OperationalError

        for attempt in range(5):
            try:
                with quiet():
                    self.session.commit()
                break
            except OperationalError:
                self.session.rollback()
                if attempt == 4:
                    raise
                time.sleep(1 + attempt)
                with quiet():
                    for _, write in self._pending:  # the batch again, for the next try
                        write()
        done = [tag for tag, _ in self._pending]
        self._pending.clear()
        self._last_commit = time.monotonic()
        return done

    def _do(self, tag: object, write: Callable[[], None]) -> str | None:
        try:
            with quiet():
                write()
        except Exception as err:  # noqa: BLE001
            self.session.rollback()
            with quiet():
                for _, earlier in self._pending:  # the rest of the batch, again
                    earlier()
            return f"成绩写入成绩库失败（{type(err).__name__}：{str(err)[:200]}）"
        self._pending.append((tag, write))
        return None

    def _run_writers(self, nb: NotebookNode, resources: dict) -> None:
        with self._lent_to_nbgrader():
            for pp in self.writers:
                nb, resources = pp(parent=self.course.exporter)(nb, resources)

    def _zero(self, student: str, notebook: str) -> None:
        submission = self.gb.find_submission_notebook(notebook, self.assignment, student)
        for grade in submission.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        self.session.flush()

    @contextlib.contextmanager
    def _lent_to_nbgrader(self) -> Iterator[None]:
        from nbgrader.preprocessors import latesubmissions, saveautogrades

        lent = _Borrowed(self.gb)
        saved = saveautogrades.Gradebook, latesubmissions.Gradebook
        saveautogrades.Gradebook = latesubmissions.Gradebook = lambda *a, **k: lent
        try:
            yield
        finally:
            saveautogrades.Gradebook, latesubmissions.Gradebook = saved
