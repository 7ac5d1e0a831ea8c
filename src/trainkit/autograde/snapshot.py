"""What the gradebook knows about an assignment's source notebooks, read once.

Workers never open the gradebook. nbgrader's ``OverwriteCells`` and ``OverwriteKernelspec``
look cells up through a ``Gradebook``; in a worker that name is pointed at this snapshot
(:func:`serve_gradebook_reads`), which answers the same ``find_*`` questions from memory.
The snapshot also carries, per grade id, the visible part of each test (nbgrader's own
``ClearHiddenTests`` applied), the cell's ``trainkit`` metadata and its question heading —
what the repair step, the check messages and the feedback need.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = ["AssignmentSource", "NotebookSource", "SourceCell", "read_assignment", "serve_gradebook_reads"]


@dataclass(frozen=True)
class SourceCell:
    """One cell nbgrader saved at ``generate_assignment`` (the fields nbgrader reads)."""

    name: str
    cell_type: str
    source: str  # with hidden tests
    checksum: str | None
    locked: bool
    visible: str = ""  # the source as learners received it (hidden tests removed)


@dataclass(frozen=True)
class GradedCell:
    name: str
    max_score: float
    cell_type: str


@dataclass(frozen=True)
class NamedCell:
    name: str


@dataclass
class NotebookSource:
    name: str
    kernelspec: str | None
    source_cells: list[SourceCell]
    grade_cells: list[GradedCell]
    solution_cells: list[NamedCell]
    task_cells: list[GradedCell]
    order: list[str] = field(default_factory=list)  # grade ids in the source notebook's order
    trainkit: dict[str, dict] = field(default_factory=dict)  # grade id → metadata.trainkit
    headings: dict[str, str] = field(default_factory=dict)  # grade id → question heading

    def cell(self, name: str) -> SourceCell | None:
        return next((c for c in self.source_cells if c.name == name), None)

    def is_grade(self, name: str) -> bool:
        return any(c.name == name for c in self.grade_cells)

    def is_solution(self, name: str) -> bool:
        return any(c.name == name for c in self.solution_cells)

    def is_task(self, name: str) -> bool:
        return any(c.name == name for c in self.task_cells)

    def points(self, name: str) -> float | None:
        found = next((c for c in self.grade_cells + self.task_cells if c.name == name), None)
        return found.max_score if found else None

    def canonical_metadata(self, name: str) -> dict:
        """The cell's nbgrader metadata as ``generate_assignment`` wrote it (checksum aside)."""
        cell = self.cell(name)
        meta = {
            "grade": self.is_grade(name),
            "grade_id": name,
            "locked": bool(cell and cell.locked),
            "schema_version": 3,
            "solution": self.is_solution(name),
        }
        if self.is_task(name):
            meta["task"] = True
        if self.points(name) is not None:
            meta["points"] = self.points(name)
        if cell is not None:
            meta["cell_type"] = cell.cell_type
            if cell.checksum:
                meta["checksum"] = cell.checksum
        return meta

    def label(self, name: str) -> str:
        return self.headings.get(name) or name


@dataclass
class AssignmentSource:
    """The gradebook's picture of one assignment; stands in for ``Gradebook`` in workers."""

    name: str
    notebooks: dict[str, NotebookSource]

    # -- the part of nbgrader's Gradebook API that its sanitising preprocessors use ----------
    def __enter__(self) -> AssignmentSource:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None

    def find_notebook(self, name: str, assignment: str) -> NotebookSource:
        from nbgrader.api import MissingEntry

        if assignment != self.name or name not in self.notebooks:
            raise MissingEntry(f"No such notebook: {assignment}/{name}")
        return self.notebooks[name]

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SourceCell:
        from nbgrader.api import MissingEntry

        cell = self.find_notebook(notebook, assignment).cell(name)
        if cell is None:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}")
        return cell

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> GradedCell:
        from nbgrader.api import MissingEntry

        nb = self.find_notebook(notebook, assignment)
        found = next((c for c in nb.grade_cells + nb.task_cells if c.name == name), None)
        if found is None:
            raise MissingEntry(f"No such graded cell: {assignment}/{notebook}/{name}")
        return found


def read_assignment(gb, assignment: str, *, source_dir: Path, clear_hidden) -> AssignmentSource:  # noqa: ANN001
    """Snapshot ``assignment`` from an open nbgrader ``Gradebook``; ``clear_hidden`` is a
    configured ``ClearHiddenTests`` preprocessor; ``source_dir`` holds the source notebooks."""
    notebooks = {}
    for nb in gb.find_assignment(assignment).notebooks:
        cells = []
        for c in nb.source_cells:
            probe = (
                nbformat.v4.new_code_cell(c.source or "")
                if c.cell_type == "code"
                else nbformat.v4.new_markdown_cell(c.source or "")
            )
            probe.metadata["nbgrader"] = {
                "grade": True,
                "grade_id": c.name,
                "points": 0,
                "solution": False,
                "locked": True,
            }
            try:
                visible = clear_hidden.preprocess_cell(probe, {}, 0)[0].source
            except RuntimeError:  # unbalanced hidden-test markers: show nothing of this cell
                visible = ""
            cells.append(SourceCell(c.name, c.cell_type, c.source or "", c.checksum, bool(c.locked), visible))
        source = NotebookSource(
            name=nb.name,
            kernelspec=nb.kernelspec,
            source_cells=cells,
            grade_cells=[GradedCell(c.name, float(c.max_score), c.cell_type) for c in nb.grade_cells],
            solution_cells=[NamedCell(c.name) for c in nb.solution_cells],
            task_cells=[GradedCell(c.name, float(c.max_score), c.cell_type) for c in nb.task_cells],
        )
        _read_source_notebook(source, source_dir / f"{nb.name}.ipynb")
        notebooks[nb.name] = source
    return AssignmentSource(assignment, notebooks)


def _read_source_notebook(source: NotebookSource, path: Path) -> None:
    """Cell order, ``trainkit`` metadata and question headings from the trainer's notebook.
    Only metadata and the headings of locked, non-solution cells are read: never solutions."""
    known = {c.name for c in source.source_cells}
    order: list[str] = []
    if path.is_file():
        with warnings.catch_warnings():  # an old minor format (no cell ids) is fine to read
            warnings.simplefilter("ignore")
            nb = nbformat.read(path, as_version=4)
        heading = ""
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            gid = meta.get("grade_id")
            if cell.cell_type == "markdown" and meta.get("locked") and not meta.get("solution"):
                heading = _heading(cell) or heading
            if gid in known and gid not in order:
                order.append(gid)
                source.headings[gid] = heading
                if isinstance(cell.metadata.get("trainkit"), dict):
                    source.trainkit[gid] = dict(cell.metadata["trainkit"])
    source.order = order + sorted(known - set(order))


def _heading(cell: NotebookNode) -> str:
    for line in cell.source.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def serve_gradebook_reads(snapshot: AssignmentSource) -> None:
    """In a worker process: nbgrader's sanitising preprocessors read from ``snapshot``."""
    from nbgrader.preprocessors import overwritecells, overwritekernelspec

    def opened(*_args: object, **_kwargs: object) -> AssignmentSource:
        return snapshot

    overwritecells.Gradebook = opened
    overwritekernelspec.Gradebook = opened
