"""What passes between the grading run and its workers: the run's settings, one job per
notebook, and its outcome (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nbformat import NotebookNode

from .snapshot import AssignmentSource

__all__ = ["Job", "Outcome", "WorkerSetup"]


@dataclass(frozen=True)
class WorkerSetup:
    course_root: str
    assignment: str
    snapshot: AssignmentSource
    notebook_timeout: float
    memory_mb: int
    log_path: str
    runtime_dir: str  # kernels' connection files and sockets; the run removes it at the end
    ahead: int = 3  # jobs a worker holds: the one it runs and the next ones, their kernels booting


@dataclass(frozen=True)
class Job:
    student: str
    notebook: str  # the assignment's notebook id
    path: str  # the submitted file standing for it
    stage: str  # folder the notebook runs in and is written to
    notes: tuple[str, ...] = ()  # found while planning (e.g. the file was renamed)

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.notebook)


@dataclass
class Outcome:
    student: str
    notebook: str
    status: str  # graded | unreadable | error
    nb: NotebookNode | None = None  # the executed notebook, for the parent to record
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why (part of) the notebook could not be graded
    checks: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.notebook)
