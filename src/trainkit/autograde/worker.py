"""A worker process: reads, repairs and executes one learner notebook at a time.

Each notebook gets its own fresh kernel, started by nbclient's own code path while the
worker is still running the previous notebook (so start-up overlaps execution) and killed
the moment its notebook is done. The worker never writes the gradebook: it sends the
executed notebook back and the parent records the grades.

Pipeline per notebook: :mod:`intake` → :mod:`repair` → :mod:`normalise` → nbgrader's
sanitising preprocessors (reading the :mod:`snapshot`) → :class:`GuardedExecute` → nbgrader's
remaining autograde preprocessors except the two that write grades → :mod:`checks`.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import signal
import tempfile
import time
import traceback
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

from .checks import check_results
from .course import load_course
from .execute import GuardedExecute, reap, stop_kernel
from .intake import Unreadable, read_submission
from .normalise import normalise_answer
from .repair import describe, repair_structure
from .snapshot import AssignmentSource, serve_gradebook_reads

__all__ = ["Job", "Outcome", "WorkerSetup", "grade_one", "split_preprocessors", "worker_main"]

WRITERS = ("SaveAutoGrades", "AssignLatePenalties")  # nbgrader preprocessors that write grades
_ASSIGNED = re.compile(r"^\s*([^\W\d]\w*)\s*[=＝]", re.MULTILINE)


@dataclass(frozen=True)
class WorkerSetup:
    course_root: str
    assignment: str
    snapshot: AssignmentSource
    notebook_timeout: float
    memory_mb: int
    log_path: str


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


def split_preprocessors(converter) -> tuple[list[type], list[type], list[type]]:  # noqa: ANN001
    """nbgrader's configured passes: (sanitise, autograde in the worker, record in the parent)."""
    worker, parent = [], []
    for pp in converter.autograde_preprocessors:
        (parent if any(base.__name__ in WRITERS for base in pp.__mro__) else worker).append(pp)
    return list(converter.sanitize_preprocessors), worker, parent


@dataclass
class _Prepared:
    job: Job
    nb: NotebookNode
    resources: dict
    repairs: list[str]
    hints: dict[str, str]
    execute: GuardedExecute | None
    incidents: list[str]
    started: float


class _Grader:
    """Holds the course objects a worker uses for every notebook."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.course = load_course(Path(setup.course_root))
        self.sanitise, self.autograde, _ = split_preprocessors(self.course.converter)
        self.runtime = tempfile.mkdtemp(prefix="tkag-")
        self.kernel_log = open(setup.log_path, "ab")  # noqa: SIM115  (kernels' own stderr, for the record)

    def close(self) -> None:
        self.kernel_log.close()
        for leftover in Path(self.runtime).glob("*"):
            leftover.unlink(missing_ok=True)
        os.rmdir(self.runtime)

    def resources(self, job: Job) -> dict:
        return {"unique_key": job.notebook, "output_files_dir": f"{job.notebook}_files",
                "nbgrader": {"student": job.student, "assignment": self.setup.assignment,
                             "notebook": job.notebook, "db_url": self.course.db_url},
                "metadata": {"name": job.notebook, "path": job.stage}}

    def prepare(self, job: Job) -> _Prepared | Outcome:
        """Read, repair, normalise and sanitise; then launch the notebook's kernel."""
        started = time.monotonic()
        source = self.setup.snapshot.notebooks[job.notebook]
        try:
            intake = read_submission(Path(job.path).read_bytes())
        except (Unreadable, OSError) as err:
            reason = str(err) if isinstance(err, Unreadable) else f"无法读取文件：{err.strerror}"
            return Outcome(job.student, job.notebook, "unreadable", repairs=list(job.notes),
                           problems=[f"{reason}：本 notebook 各题记 0 分，请学员重新提交"],
                           seconds=time.monotonic() - started)
        nb = intake.nb
        repairs = [*job.notes, *intake.notes, *repair_structure(nb, source)]
        hints = _normalise(nb, repairs)
        resources = self.resources(job)
        for pp in self.sanitise:
            nb, resources = pp(parent=self.course.exporter)(nb, resources)
        incidents: list[str] = []
        execute = None
        for pp in self.autograde:
            if issubclass(pp, Execute):  # nbgrader's Execute, as configured
                execute = GuardedExecute(parent=self.course.exporter, on_incident=incidents.append,
                                         where=lambda cell, i, s=source: _where(s, cell, i),
                                         notebook_timeout=self.setup.notebook_timeout,
                                         memory_mb=self.setup.memory_mb, runtime_dir=self.runtime)
                if execute.enabled and any(c.cell_type == "code" and c.source.strip() for c in nb.cells):
                    execute.prestart(nb, resources, stderr=self.kernel_log)
                break
        return _Prepared(job, nb, resources, repairs, hints, execute, incidents, started)

    def run(self, prep: _Prepared) -> Outcome:
        nb, resources, source = prep.nb, prep.resources, self.setup.snapshot.notebooks[prep.job.notebook]
        problems: list[str] = []
        for pp in self.autograde:
            if issubclass(pp, Execute):
                nb, resources = self._execute(prep, problems)
            else:
                nb, resources = pp(parent=self.course.exporter)(nb, resources)
        problems += prep.incidents + _incidents(nb, source, self.setup.memory_mb, prep.execute, prep.repairs)
        nb_path = Path(prep.job.stage) / f"{prep.job.notebook}.ipynb"
        nbformat.write(nb, nb_path)
        checks = [c.to_json() for c in check_results(nb, source, hints=prep.hints)]
        return Outcome(prep.job.student, prep.job.notebook, "graded", nb, prep.repairs, problems, checks,
                       time.monotonic() - prep.started)

    def _execute(self, prep: _Prepared, problems: list[str]) -> tuple[NotebookNode, dict]:
        ex = prep.execute
        if ex is None or not ex.enabled or ex.km is None:
            return prep.nb, prep.resources
        try:
            try:
                return ex.preprocess(prep.nb, prep.resources, km=ex.km)
            except RuntimeError as err:  # the kernel died while starting: one more fresh kernel
                if "Kernel" not in str(err) and "kernel" not in str(err):
                    raise
                problems.append("内核第一次没有启动成功，已换用新内核重新运行")
                stop_kernel(ex.km)
                ex.prestart(prep.nb, prep.resources, stderr=self.kernel_log)
                return ex.preprocess(prep.nb, prep.resources, km=ex.km)
        finally:
            if ex.km is not None:
                stop_kernel(ex.km)
            if ex.kc is not None:
                ex.kc.stop_channels()
                ex.kc = None

    def discard(self, prep: _Prepared) -> None:
        if prep.execute is not None and prep.execute.km is not None:
            stop_kernel(prep.execute.km)


def grade_one(grader: _Grader, job: Job) -> Outcome:
    """Prepare and run one job, turning any unexpected error into a failed outcome."""
    prep = None
    try:
        prep = grader.prepare(job)
        return prep if isinstance(prep, Outcome) else grader.run(prep)
    except Exception as err:  # noqa: BLE001  (one notebook must never stop the batch)
        return _crashed(job, err, prep)


def _crashed(job: Job, err: BaseException, prep: _Prepared | None) -> Outcome:
    logging.getLogger("trainkit.autograde").error("%s/%s:\n%s", job.student, job.notebook, traceback.format_exc())
    repairs = prep.repairs if isinstance(prep, _Prepared) else list(job.notes)
    return Outcome(job.student, job.notebook, "error", repairs=repairs,
                   problems=[f"评分时出现内部错误（{type(err).__name__}：{str(err)[:200]}），成绩未记录；详见评分日志"])


def _normalise(nb: NotebookNode, repairs: list[str]) -> dict[str, str]:
    """Normalise the learner's code cells; return test grade id → what is still wrong before it."""
    defined = frozenset(_defined_names(nb))
    hints, pending = {}, []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if not meta.get("locked"):
            result = normalise_answer(cell.source, defined=defined)
            if result.source != cell.source:
                cell.source = result.source
                repairs.extend(f"答案按输入法习惯自动修正：{change}" for change in result.changes)
            if result.problem:
                pending.append(result.problem)
        elif meta.get("grade") and meta.get("grade_id"):
            if pending:
                hints[meta["grade_id"]] = "；".join(pending)
            pending = []
    return hints


def _defined_names(nb: NotebookNode) -> set[str]:
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError):
            names.update(_ASSIGNED.findall(cell.source))
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _incidents(nb: NotebookNode, source, memory_mb: int, execute: GuardedExecute | None,  # noqa: ANN001
               repairs: list[str]) -> list[str]:
    """What learner code did to its own run, named by question where possible: timeouts,
    memory errors and exits are problems; cut-off output is only noted (it costs no points)."""
    found = []
    limit = execute.timeout if execute is not None else None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        names = {o.get("ename") for o in cell.outputs if o.get("output_type") == "error"}
        where = _where(source, cell, i)
        if "CellTimeoutError" in names:
            found.append(f"{where}运行超过 {limit} 秒，已中断（可能有死循环），受影响的题目不得分")
        elif "MemoryError" in names:
            found.append(f"{where}占用内存超过上限（{memory_mb} MB），已中止，受影响的题目不得分")
        elif "SystemExit" in names:
            found.append(f"{where}调用了 sys.exit()（退出），这一格没有运行完，受影响的题目不得分")
        if any("[trainkit] 本格输出" in o.get("text", "") or "[trainkit] 错误输出过长" in o.get("text", "")
               for o in cell.outputs if o.get("output_type") == "stream"):
            repairs.append(f"{where}输出的内容过多，只保存了开头部分（不影响评分）")
    return found


def _where(source, cell: NotebookNode, index: int) -> str:  # noqa: ANN001
    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
    return describe(source, gid) if gid else f"第 {index + 1} 格"


def worker_main(conn, setup: WorkerSetup) -> None:  # noqa: ANN001
    """Serve jobs from ``conn`` until it sends ``None``; keeps the next job's kernel booting."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    warnings.simplefilter("ignore")
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    logger = logging.getLogger("trainkit.autograde")
    logger.handlers[:] = [logging.FileHandler(setup.log_path, encoding="utf-8")]
    logger.propagate = False
    grader = _Grader(setup)
    os.chdir(grader.course.root)
    serve_gradebook_reads(setup.snapshot)
    pending: deque = deque()
    stopping = False
    try:
        while True:
            while not stopping and (not pending or (len(pending) < 2 and conn.poll())):
                job = conn.recv()
                if job is None:
                    stopping = True
                    break
                pending.append(_safe_prepare(grader, job))
            if not pending:
                return
            prep = pending.popleft()
            if not stopping and not pending and conn.poll():
                job = conn.recv()
                if job is None:
                    stopping = True
                else:
                    pending.append(_safe_prepare(grader, job))  # its kernel boots while this one runs
            conn.send(("begin", prep.job.key if isinstance(prep, _Prepared) else prep.key))
            if isinstance(prep, _Prepared):
                try:
                    prep = grader.run(prep)
                except Exception as err:  # noqa: BLE001
                    prep = _crashed(prep.job, err, prep)
            conn.send(("done", prep))
    finally:
        for prep in pending:
            if isinstance(prep, _Prepared):
                grader.discard(prep)
        reap(wait=True)
        grader.close()


def _exit_on_sigterm(*_args: object) -> None:
    raise SystemExit(0)  # unwinds through worker_main's cleanup: its kernels are killed


def _safe_prepare(grader: _Grader, job: Job) -> _Prepared | Outcome:
    try:
        return grader.prepare(job)
    except Exception as err:  # noqa: BLE001
        return _crashed(job, err, None)
