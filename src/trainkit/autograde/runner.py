"""``trainkit autograde``: nbgrader's autograde, in parallel, for damaged submissions too.

Flow: load the course (nbgrader's config) → snapshot the assignment from the gradebook →
plan (skip what is already autograded, match renamed notebooks) → create the student and
submission rows and stage each submission's files → workers execute the notebooks → the
parent records grades in batches → a submission's ``autograded/`` folder appears only once
its grades are committed, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .course import Course, CourseError, load_course
from .files import publish, stage, write_report
from .jobs import Job, Outcome, WorkerSetup
from .pipeline import split_preprocessors
from .plan import Submission, plan_submissions
from .pool import WorkerPool, default_jobs
from .progress import Progress
from .record import GradeRecorder, quiet
from .snapshot import AssignmentSource, read_assignment
from .summary import FAILED, GRADED, REPAIRED, NotebookResult, RunSummary

__all__ = ["AutogradeError", "autograde"]


class AutogradeError(RuntimeError):
    """The assignment cannot be autograded at all (message in Chinese)."""


@dataclass
class _Open:
    """A submission being graded: its notebooks' results, until all are recorded."""

    sub: Submission
    stage: Path
    waiting: set[str]
    results: dict[str, NotebookResult] = field(default_factory=dict)
    checks: dict[str, list[dict]] = field(default_factory=dict)
    complete: bool = True  # False: some grades could not be recorded; grade again next run


def autograde(
    course_dir: Path,
    assignment: str,
    *,
    jobs: int | None = None,
    students: tuple[str, ...] = (),
    force: bool = False,
    timeout: float = 120.0,
    memory_mb: int = 2048,
    progress: TextIO | None = None,
) -> RunSummary:
    """Autograde ``assignment`` in the nbgrader course at ``course_dir``; see the module doc."""
    started = time.monotonic()
    try:
        course = load_course(Path(course_dir))
    except CourseError as err:
        raise AutogradeError(str(err)) from err
    log_path = course.state(assignment, "autograde.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _log_to(log_path)
    snapshot = _snapshot(course, assignment)
    with _one_run_at_a_time(course.state(assignment, "run.lock")):
        return _autograde(
            course,
            snapshot,
            started,
            log_path,
            jobs=jobs,
            students=students,
            force=force,
            timeout=timeout,
            memory_mb=memory_mb,
            progress=progress,
        )


@contextlib.contextmanager
def _one_run_at_a_time(path: Path) -> Iterator[None]:
    """Two runs on one assignment would both write its grades: the second stops with a message."""
    with path.open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise AutogradeError(
                "这份作业的自动评分已经在运行（另一个终端或另一位培训师）：请等它结束后再运行"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _autograde(
    course: Course,
    snapshot: AssignmentSource,
    started: float,
    log_path: Path,
    *,
    jobs: int | None,
    students: tuple[str, ...],
    force: bool,
    timeout: float,
    memory_mb: int,
    progress: TextIO | None,
) -> RunSummary:
    assignment = snapshot.name
    plan = plan_submissions(course, snapshot, students=tuple(students), force=force)
    jobs = max(1, jobs or default_jobs())
    summary = RunSummary(assignment, skipped=plan.skipped, unknown=plan.unknown, jobs=jobs, log=str(log_path))
    if plan.todo:
        from sqlalchemy.exc import OperationalError

        try:
            _Run(
                course,
                snapshot,
                summary,
                timeout=timeout,
                memory_mb=memory_mb,
                jobs=jobs,
                progress=progress if progress is not None else sys.stderr,
            ).go(plan.todo)
        except OperationalError as err:
            raise AutogradeError(
                f"成绩库无法写入（{str(err).splitlines()[0][:200]}）：可能正被其他程序占用，"
                "请关闭 formgrader 等后重新运行；已评完的作业不会重复评分"
            ) from err
    summary.seconds = time.monotonic() - started
    return summary


def _log_to(path: Path) -> None:
    for name in ("trainkit.autograde", "trainkit.autograde.nbgrader"):
        logger = logging.getLogger(name)
        for old in logger.handlers:
            old.close()
        logger.handlers[:] = [logging.FileHandler(path, encoding="utf-8")]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def _snapshot(course: Course, assignment: str) -> AssignmentSource:
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import ClearHiddenTests

    with Gradebook(course.db_url, course.course_id) as gb, quiet():
        try:
            snapshot = read_assignment(
                gb,
                assignment,
                source_dir=course.path("source", ".", assignment),
                clear_hidden=ClearHiddenTests(parent=course.exporter),
            )
        except MissingEntry:
            raise AutogradeError(
                f"成绩库中没有作业 {assignment}：请先在课程目录运行 nbgrader generate_assignment {assignment}"
            ) from None
    if not snapshot.notebooks:
        raise AutogradeError(f"作业 {assignment} 在成绩库中没有任何 notebook：请重新运行 nbgrader generate_assignment")
    return snapshot


class _Run:
    def __init__(
        self,
        course: Course,
        snapshot: AssignmentSource,
        summary: RunSummary,
        *,
        timeout: float,
        memory_mb: int,
        jobs: int,
        progress: TextIO,
    ) -> None:
        self.course, self.snapshot, self.summary = course, snapshot, summary
        self.assignment = snapshot.name
        self.timeout, self.memory_mb, self.jobs, self.stream = timeout, memory_mb, jobs, progress
        self.open: dict[str, _Open] = {}

    def go(self, todo: list[Submission]) -> None:
        _, _, writers = split_preprocessors(self.course.converter)
        self.recorder = GradeRecorder(self.course, self.assignment, writers)
        pool = runtime = None
        try:
            jobs = self._open_submissions(todo)
            self._flush()
            self.progress = Progress(len(jobs), stream=self.stream)
            if jobs:
                runtime = tempfile.mkdtemp(prefix="tkag-")  # short: IPC socket paths have a length limit
                setup = WorkerSetup(
                    str(self.course.root),
                    self.assignment,
                    self.snapshot,
                    self.timeout,
                    self.memory_mb,
                    str(self.course.state(self.assignment, "autograde.log")),
                    runtime,
                )
                pool = WorkerPool(setup, min(self.jobs, len(jobs)), stall_after=self.timeout + 120)
                try:
                    with _stop_on_sigterm():
                        pool.run(jobs, self._on_outcome, self._tick)
                except KeyboardInterrupt:
                    self.summary.interrupted = True
                    pool.close(now=True)
                    pool = None
            self.progress.draw(final=True)
            self._flush()
        finally:
            if pool is not None:
                pool.close()
            if runtime is not None:
                shutil.rmtree(runtime, ignore_errors=True)
            self.recorder.close()
            for entry in self.open.values():
                shutil.rmtree(entry.stage, ignore_errors=True)

    # -- before -----------------------------------------------------------------------------
    def _open_submissions(self, todo: list[Submission]) -> list[Job]:
        jobs = []
        for sub in todo:
            reason = self.recorder.open_submission(
                sub.student, sub.timestamp, create_student=self.course.converter.create_student
            )
            if reason:
                for nb in self.snapshot.notebooks:
                    self.summary.results.append(NotebookResult(sub.student, nb, FAILED, problems=[reason]))
                continue
            staged, notes = stage(self.course, self.assignment, sub)
            entry = self.open[sub.student] = _Open(sub, staged, set(sub.files))
            for name, path in sub.files.items():
                found = [*notes, *sub.notes.get(name, [])]
                if name in sub.undecided:  # nothing recorded: the trainer chooses the file, then runs again
                    entry.complete = False
                    entry.waiting.discard(name)
                    result = NotebookResult(sub.student, name, FAILED, found, [sub.undecided[name]])
                    entry.results[name] = result
                    self.summary.results.append(result)
                elif path is None:
                    reason = f"没有提交 {name}.ipynb：本 notebook 各题记 0 分"
                    self._zeroed(entry, Outcome(sub.student, name, "unreadable", repairs=found, problems=[reason]))
                else:
                    jobs.append(Job(sub.student, name, str(path), str(staged), tuple(found)))
                notes = []  # say it once per submission
        return jobs

    # -- during -----------------------------------------------------------------------------
    def _on_outcome(self, outcome: Outcome) -> None:
        entry = self.open[outcome.student]
        if outcome.status == "graded":
            reason = self.recorder.save(outcome.key, outcome.nb, self._resources(outcome))
            if reason:
                outcome.problems.append(reason)
                entry.complete = False
                entry.waiting.discard(outcome.notebook)
            self._result(entry, outcome, recorded=not reason)
        elif outcome.status == "unreadable":
            self._zeroed(entry, outcome)
        else:
            entry.complete = False
            entry.waiting.discard(outcome.notebook)
            self._result(entry, outcome, recorded=False)
        self.progress.advance(failed=entry.results[outcome.notebook].status == FAILED)

    def _zeroed(self, entry: _Open, outcome: Outcome) -> None:
        reason = self.recorder.zero(outcome.key, outcome.student, outcome.notebook)
        if reason:
            outcome.problems.append(reason)
            entry.complete = False
            entry.waiting.discard(outcome.notebook)
        self._result(entry, outcome, recorded=not reason, zero=True)

    def _result(self, entry: _Open, outcome: Outcome, *, recorded: bool, zero: bool = False) -> None:
        status = FAILED if outcome.problems else REPAIRED if outcome.repairs else GRADED
        source = self.snapshot.notebooks[outcome.notebook]
        auto_max = sum(c.max_score for c in source.grade_cells if not source.is_solution(c.name))
        score = 0.0 if zero else sum(c["score"] or 0 for c in outcome.checks if c["kind"] == "auto")
        repairs, problems = outcome.repairs, outcome.problems
        if status == FAILED and recorded and auto_max and score >= auto_max - 1e-9:
            # full marks are recorded: what went wrong cost nothing, so it is a note, not a failure
            status, repairs, problems = REPAIRED, [*repairs, *(f"说明：{p}" for p in problems)], []
        result = NotebookResult(
            outcome.student, outcome.notebook, status, repairs, problems, score if recorded else None, auto_max
        )
        entry.results[outcome.notebook] = result
        entry.checks[outcome.notebook] = outcome.checks
        self.summary.results.append(result)

    def _resources(self, outcome: Outcome) -> dict:
        return {
            "nbgrader": {
                "student": outcome.student,
                "assignment": self.assignment,
                "notebook": outcome.notebook,
                "db_url": self.course.db_url,
            }
        }

    def _tick(self) -> None:
        if self.recorder.due():
            self._flush()

    def _flush(self) -> None:
        for student, notebook in self.recorder.commit():
            self.open[student].waiting.discard(notebook)
        for student in [s for s, e in self.open.items() if not e.waiting]:
            self._finish(self.open.pop(student))

    # -- after ------------------------------------------------------------------------------
    def _finish(self, entry: _Open) -> None:
        """Publish the submission's ``autograded/`` folder (only if all its grades are
        recorded) and write trainkit's report of what was repaired and why things failed."""
        if entry.complete:
            publish(self.course, self.assignment, entry.sub.student, entry.stage)
        else:
            shutil.rmtree(entry.stage, ignore_errors=True)
        write_report(
            self.course, self.assignment, entry.sub, recorded=entry.complete, results=entry.results, checks=entry.checks
        )


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (a job scheduler stopping the run) ends it like Ctrl-C: what is graded is kept."""

    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
