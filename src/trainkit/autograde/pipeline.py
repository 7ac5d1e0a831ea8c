"""One notebook, start to finish, inside a worker.

:mod:`intake` → :mod:`repair` → :mod:`normalise` → nbgrader's sanitising preprocessors
(reading the :mod:`snapshot`) → its ``Execute``, guarded (:mod:`execute`), in a kernel that
was launched while the previous notebook ran → nbgrader's other autograde preprocessors
except the two that write grades (the parent runs those) → :mod:`checks`.
"""

from __future__ import annotations

import ast
import logging
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import CheckCellMetadata, Execute

from .checks import check_results
from .course import load_course
from .execute import GuardedExecute, stop_kernel
from .intake import Unreadable, read_submission
from .jobs import Job, Outcome, WorkerSetup
from .normalise import normalise_answer
from .repair import describe, repair_structure
from .zygote import Zygote

__all__ = ["Grader", "Prepared", "crashed", "split_preprocessors"]

WRITERS = ("SaveAutoGrades", "AssignLatePenalties")  # nbgrader preprocessors that write grades
_ASSIGNED = re.compile(r"^\s*([^\W\d]\w*)\s*[=＝]", re.MULTILINE)


def split_preprocessors(converter) -> tuple[list[type], list[type], list[type]]:  # noqa: ANN001
    """nbgrader's configured passes: (sanitise, autograde in the worker, record in the parent).

    ``CheckCellMetadata`` appears in both of nbgrader's lists; the passes between them
    (execution, output filters) do not touch nbgrader metadata, so it runs once here — it
    is a fifth of a worker's time per notebook."""
    worker, parent = [], []
    sanitise = list(converter.sanitize_preprocessors)
    for pp in converter.autograde_preprocessors:
        if any(base.__name__ in WRITERS for base in pp.__mro__):
            parent.append(pp)
        elif not (issubclass(pp, CheckCellMetadata) and pp in sanitise):
            worker.append(pp)
    return sanitise, worker, parent


@dataclass
class Prepared:
    job: Job
    nb: NotebookNode
    resources: dict
    repairs: list[str]
    hints: dict[str, str]
    execute: GuardedExecute | None
    incidents: list[str]
    started: float

    @property
    def key(self) -> tuple[str, str]:
        return self.job.key


class Grader:
    """Holds the course objects a worker uses for every notebook."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.course = load_course(Path(setup.course_root))
        self.sanitise, self.autograde, _ = split_preprocessors(self.course.converter)
        self.runtime = setup.runtime_dir
        self.kernel_log = open(setup.log_path, "ab")  # noqa: SIM115  (kernels' own stderr, for the record)
        self.zygote = Zygote(stderr=self.kernel_log)

    def zygote_alive(self) -> Zygote | None:
        """The zygote, started again if learner code killed it."""
        if not self.zygote.alive:
            self.zygote.close()
            self.zygote = Zygote(stderr=self.kernel_log)
        return self.zygote

    def close(self) -> None:
        self.zygote.close()
        self.kernel_log.close()

    def resources(self, job: Job) -> dict:
        return {
            "unique_key": job.notebook,
            "output_files_dir": f"{job.notebook}_files",
            "nbgrader": {
                "student": job.student,
                "assignment": self.setup.assignment,
                "notebook": job.notebook,
                "db_url": self.course.db_url,
            },
            "metadata": {"name": job.notebook, "path": job.stage},
        }

    def prepare(self, job: Job) -> Prepared | Outcome:
        """Read, repair, normalise and sanitise; then launch the notebook's kernel."""
        started = time.monotonic()
        source = self.setup.snapshot.notebooks[job.notebook]
        try:
            intake = read_submission(Path(job.path).read_bytes())
        except (Unreadable, OSError) as err:
            reason = str(err) if isinstance(err, Unreadable) else f"无法读取文件：{err.strerror}"
            return Outcome(
                job.student,
                job.notebook,
                "unreadable",
                repairs=list(job.notes),
                problems=[f"{reason}：本 notebook 各题记 0 分，请学员重新提交"],
                seconds=time.monotonic() - started,
            )
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
                execute = GuardedExecute(
                    parent=self.course.exporter,
                    on_incident=incidents.append,
                    where=lambda cell, i, s=source: _where(s, cell, i),
                    notebook_timeout=self.setup.notebook_timeout,
                    memory_mb=self.setup.memory_mb,
                    runtime_dir=self.runtime,
                )
                execute.zygote = self.zygote_alive()
                if execute.enabled and any(c.cell_type == "code" and c.source.strip() for c in nb.cells):
                    execute.prestart(nb, resources, stderr=self.kernel_log)
                break
        return Prepared(job, nb, resources, repairs, hints, execute, incidents, started)

    def run(self, prep: Prepared) -> Outcome:
        nb, resources, source = prep.nb, prep.resources, self.setup.snapshot.notebooks[prep.job.notebook]
        problems: list[str] = []
        for pp in self.autograde:
            if issubclass(pp, Execute):
                nb, resources = self._execute(prep)
            else:
                nb, resources = pp(parent=self.course.exporter)(nb, resources)
        problems += prep.incidents + _incidents(nb, source, self.setup.memory_mb, prep.execute, prep.repairs)
        nb_path = Path(prep.job.stage) / f"{prep.job.notebook}.ipynb"
        nbformat.write(nb, nb_path)
        checks = [c.to_json() for c in check_results(nb, source, hints=prep.hints)]
        return Outcome(
            prep.job.student,
            prep.job.notebook,
            "graded",
            nb,
            prep.repairs,
            problems,
            checks,
            time.monotonic() - prep.started,
        )

    def _execute(self, prep: Prepared) -> tuple[NotebookNode, dict]:
        ex = prep.execute
        if ex is None or not ex.enabled or ex.km is None:
            return prep.nb, prep.resources
        try:
            try:
                return ex.preprocess(prep.nb, prep.resources, km=ex.km)
            except RuntimeError:
                if ex.kc is not None or ex.code_cells_executed:
                    raise  # not a kernel that failed to start
                prep.repairs.append("评分用的内核第一次没有启动成功，已换用新内核")
                if ex.km is not None:
                    stop_kernel(ex.km)
                ex.prestart(prep.nb, prep.resources, stderr=self.kernel_log)
                return ex.preprocess(prep.nb, prep.resources, km=ex.km)
        finally:
            if ex.km is not None:
                stop_kernel(ex.km)
            if ex.kc is not None:
                ex.kc.stop_channels()
                ex.kc = None

    def discard(self, prep: Prepared) -> None:
        if prep.execute is not None and prep.execute.km is not None:
            stop_kernel(prep.execute.km)


def crashed(job: Job, err: BaseException, prep: Prepared | None) -> Outcome:
    logging.getLogger("trainkit.autograde").error("%s/%s:\n%s", job.student, job.notebook, traceback.format_exc())
    repairs = prep.repairs if isinstance(prep, Prepared) else list(job.notes)
    return Outcome(
        job.student,
        job.notebook,
        "error",
        repairs=repairs,
        problems=[f"评分时出现内部错误（{type(err).__name__}：{str(err)[:200]}），成绩未记录；详见评分日志"],
    )


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


def _incidents(
    nb: NotebookNode,
    source,
    memory_mb: int,
    execute: GuardedExecute | None,  # noqa: ANN001
    repairs: list[str],
) -> list[str]:
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
        if any(
            "[trainkit] 本格输出" in o.get("text", "") or "[trainkit] 错误输出过长" in o.get("text", "")
            for o in cell.outputs
            if o.get("output_type") == "stream"
        ):
            repairs.append(f"{where}输出的内容过多，只保存了开头部分（不影响评分）")
    return found


def _where(source, cell: NotebookNode, index: int) -> str:  # noqa: ANN001
    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
    return describe(source, gid) if gid else f"第 {index + 1} 格"
