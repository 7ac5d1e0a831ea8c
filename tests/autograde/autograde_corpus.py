"""The corpus of good and damaged submissions, built from the 低保 exercise's release notebook
(nothing binary is committed: every file is made here)."""

from __future__ import annotations

import codecs
import json
import os
import shutil
from pathlib import Path

import nbformat

from trainkit.content import exercises_root
from trainkit.grading import nbgrader

ASSIGNMENT = "social-assistance-dibao"
NOTEBOOK = "dibao-exercise"
RIGHT = {"人数": "4", "月收入": "2000", "第3题": '"A"', "月补差": "2044", "第5题": '"B"', "第6题": '"C"'}
WRONG = {"人数": "5", "月收入": "2900", "第3题": '"C"', "月补差": "1144", "第5题": '"A"', "第6题": '"A"'}
QUESTION = {"人数": "q1", "月收入": "q2", "第3题": "q3", "月补差": "q4", "第5题": "q5", "第6题": "q6"}
WARNS = (
    "import warnings\nclass 元(int):\n    def __eq__(self, other):\n        warnings.warn('示例：比较金额时的警告')\n"
    "        return int(self) == other\n    __hash__ = int.__hash__\n月补差 = 元(2044)"
)

# An explanation and its source on one check, as a trainer may add them (metadata.trainkit).
EXPLAINED = {
    "q1-check": {
        "explanation": "共同生活的家庭成员看户籍和实际居住：读研究生且不同住的女儿不计入。",
        "citation": {"law": "social_assistance_measures", "article": 9},
    }
}

# A timestamp for every submission (no due date is set, so nothing is late).
STAMP = "2026-10-08 09:30:00.000000 UTC"
FILE_TIME = 1_791_000_000  # the modification time every submitted file gets


def hidden_texts(course: Path) -> list[str]:
    """Every line of every hidden test in the trainer's source notebook."""
    found = []
    for cell in nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4).cells:
        if "BEGIN HIDDEN TESTS" in cell.source:
            body = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            found += [line.strip() for line in body.splitlines() if line.strip()]
            found += [part for line in body.splitlines() for part in line.split('"')[1::2] if len(part) > 4]
    return found


def release_nb(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)


def answered(course: Path, answers: dict[str, str | None], *, written: str | None = None) -> nbformat.NotebookNode:
    """The release notebook with ``answers`` (variable → source after ``=``; a full cell
    source when it contains a newline) written into the answer cells."""
    nb = release_nb(course)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("-answer"):
            name = next(k for k in QUESTION if f"{k} =" in cell.source)
            value = answers.get(name)
            if value is not None:
                cell.source = value if "\n" in value or value.startswith("#!") else f"{cell.source}\n{name} = {value}"
        if gid == "q7-plan" and written:
            cell.source = written
    return nb


def cell_index(nb: nbformat.NotebookNode, gid: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def submit(course: Path, student: str, files: dict[str, bytes | nbformat.NotebookNode], *, stamp: str = STAMP) -> Path:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            nbformat.write(content, path)
        os.utime(path, (FILE_TIME, FILE_TIME))  # one modification time: only content tells files apart
    (folder / "timestamp.txt").write_text(stamp)
    return folder


def as_bytes(nb: nbformat.NotebookNode) -> bytes:
    return nbformat.writes(nb).encode("utf-8")


# -- the good submissions: nbgrader grades them too, and the scores must be the same ----------
def good(course: Path) -> dict[str, nbformat.NotebookNode]:
    mixed = {k: (RIGHT if i % 2 else WRONG)[k] for i, k in enumerate(RIGHT)}
    return {
        "G-right": answered(
            course, RIGHT, written="王阿姨，您家计入四个人，助学金和抚恤金不算收入，请写书面申请交街道。"
        ),
        "G-wrong": answered(course, WRONG, written="不清楚。"),
        "G-mixed": answered(course, {**mixed, "月补差": "1011 * 4 - 2000", "人数": '"4"'}),
        "G-blank": release_nb(course),
        "G-warning": answered(course, {**RIGHT, "月补差": WARNS}),
        "G-pandas": answered(
            course, {**RIGHT, "月收入": "import pandas as pd\n月收入 = int(pd.Series([2000, 0]).sum())"}
        ),
        # attempts to cheat, as in nbgrader's own test fixtures (submitted-cheat-attempt, changed
        # grade and locked cells): nbgrader restores the trainer's cells, and so must the kit
        "G-cheat-test": _cheat(course, test_source="assert True", answers={**RIGHT, "人数": "5"}),
        "G-cheat-points": _cheat(course, points=100, answers=RIGHT),
        "G-cheat-locked": _cheat(course, locked_text="（题目已被学员改写）", answers=WRONG),
    }


def _cheat(
    course: Path,
    *,
    answers: dict[str, str],
    test_source: str | None = None,
    points: float | None = None,
    locked_text: str | None = None,
) -> nbformat.NotebookNode:
    nb = answered(course, answers)
    check = nb.cells[cell_index(nb, "q1-check")]
    if test_source is not None:
        check.source = test_source
    if points is not None:
        check.metadata.nbgrader["points"] = points
    if locked_text is not None:
        locked = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked") and c.cell_type == "markdown")
        locked.source = locked_text
    return nb


# -- the damaged ones: (what to submit, what the trainer must be told) ---------------------------
def _retyped(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, RIGHT)
    for gid in ("q4-answer", "q5-check"):
        i = cell_index(nb, gid)
        cell = nb.cells[i]
        nb.cells[i] = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
    return nb


def _deleted(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, RIGHT)
    del nb.cells[cell_index(nb, "q2-check")]
    del nb.cells[cell_index(nb, "q3-answer")]
    return nb


def _duplicated(course: Path) -> bytes:
    nb = answered(course, RIGHT)
    check = nb.cells[cell_index(nb, "q1-check")]
    nb.cells.insert(2, nbformat.from_dict(json.loads(json.dumps(check))))  # a copy far from its answer
    answer = nb.cells[cell_index(nb, "q4-answer")]
    stub = nbformat.from_dict(json.loads(json.dumps(answer)))
    stub.source = "# 在下一行写：月补差 = 你的答案\n# 在这里填写答案\n"
    nb.cells.insert(cell_index(nb, "q4-answer") + 1, stub)  # the answered copy comes first
    return json.dumps(nb).encode("utf-8")  # copies keep their cell ids: not a valid notebook any more


def _edited_test(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, {**RIGHT, "人数": "5"})
    nb.cells[cell_index(nb, "q1-check")].source = "pass  # 检查被删掉了"
    return nb


def _bad_metadata(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, RIGHT)
    nb.cells[cell_index(nb, "q1-check")].metadata.nbgrader["points"] = 100
    nb.cells[cell_index(nb, "q2-answer")].metadata.nbgrader["grade_id"] = "我的答案"
    nb.cells[0].metadata["nbgrader"] = {"grade": True}  # no grade id: nbgrader cannot validate this
    return nb


def _v3(course: Path) -> bytes:
    nb = answered(course, RIGHT)
    return nbformat.writes(nbformat.convert(nb, 3)).encode("utf-8")


def _answer_kills_worker(course: Path) -> nbformat.NotebookNode:
    """Learner code that finds the grading process (the kernel's JPY_PARENT_PID) and kills it."""
    kill = "import os, signal\nos.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)"
    return answered(course, {**RIGHT, "第5题": kill})


def damaged(course: Path) -> dict[str, tuple[dict[str, bytes | nbformat.NotebookNode], str, str]]:
    """student → (files, expected status, a phrase the reason or repair must contain)."""
    right = as_bytes(answered(course, RIGHT))
    nb = f"{NOTEBOOK}.ipynb"
    ime = answered(
        course,
        {"人数": "４", "月收入": "2，000", "第3题": "“A”", "月补差": "2044元", "第5题": "‘B’。", "第6题": "「C」"},
    )
    return {
        "D-empty": ({nb: b""}, "失败", "空的"),
        "D-not-json": ({nb: "这不是 notebook".encode()}, "失败", "不是有效的 notebook"),
        "D-truncated": ({nb: right[: int(len(right) * 0.55)]}, "已修复", "不完整"),
        "D-invalid": ({nb: right.replace(b'"cell_type": "code"', b'"cell_type": code', 3)[::1]}, "已修复", "不完整"),
        "D-gbk": ({nb: nbformat.writes(answered(course, RIGHT)).encode("gb18030")}, "已修复", "GBK"),
        "D-utf16": (
            {nb: codecs.BOM_UTF16_LE + nbformat.writes(answered(course, RIGHT)).encode("utf-16-le")},
            "已修复",
            "UTF-16",
        ),
        "D-v3": ({nb: _v3(course)}, "已修复", "v3"),
        "D-deleted": ({nb: _deleted(course)}, "已修复", "被删除"),
        "D-duplicated": ({nb: _duplicated(course)}, "已修复", "出现了 2 次"),
        "D-retyped": ({nb: _retyped(course)}, "已修复", "已改回代码格"),
        "D-edited-test": ({nb: _edited_test(course)}, "已修复", "被改动过"),
        "D-bad-metadata": ({nb: _bad_metadata(course)}, "已修复", "评分标记"),
        "D-loop": (
            {nb: answered(course, {**RIGHT, "月收入": "while True:\n    pass\n月收入 = 2000"})},
            "失败",
            "死循环",
        ),
        "D-memory": (
            {nb: answered(course, {**RIGHT, "第3题": "x = []\nwhile True:\n    x.append(' ' * 10**8)"})},
            "失败",
            "内存",
        ),
        "D-output": (
            {nb: answered(course, {**RIGHT, "人数": "print('很长的输出' * 10**7)\n人数 = 4"})},
            "已修复",
            "输出的内容过多",
        ),
        "D-sys-exit": (
            {nb: answered(course, {**RIGHT, "第5题": "import sys\nsys.exit(1)\n第5题 = 'B'"})},
            "失败",
            "sys.exit",
        ),
        "D-os-exit": ({nb: answered(course, {**RIGHT, "第6题": "import os\nos._exit(3)"})}, "失败", "os._exit"),
        "D-killed-kernel": (
            {nb: answered(course, {**RIGHT, "月收入": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"})},
            "失败",
            "强制终止",
        ),
        "D-kills-worker": ({nb: _answer_kills_worker(course)}, "失败", "评分进程意外退出"),
        "D-missing": ({}, "失败", "没有提交"),
        "D-renamed": ({f"{NOTEBOOK} (1).ipynb": answered(course, RIGHT)}, "已修复", "改用提交的"),
        # renamed, beside a blank copy of the release whose name sorts later: the answered one is graded
        "D-renamed-beside-blank": (
            {"answered.ipynb": answered(course, RIGHT), f"{NOTEBOOK}-copy.ipynb": release_nb(course)},
            "已修复",
            "作答的格子最多",
        ),
        # two answered copies, neither named right, equally complete and equally new: none is graded
        "D-two-candidates": (
            {"copy-a.ipynb": answered(course, RIGHT), "copy-b.ipynb": answered(course, WRONG)},
            "失败",
            "无法确定评哪一份",
        ),
        "D-extra-files": (
            {nb: answered(course, RIGHT), "Untitled.ipynb": nbformat.v4.new_notebook(), "笔记.txt": "草稿".encode()},
            "已修复",
            "不属于本作业",
        ),
        "D-ime": ({nb: ime}, "已修复", "输入法"),
        "D-unparseable": ({nb: answered(course, {**RIGHT, "月补差": "2万"})}, "已评分", ""),
        # handed in exactly as released: nothing to repair, nothing "restored"
        "D-untouched": ({nb: release_nb(course)}, "已评分", ""),
        # the kernel dies after every check has passed: full marks, listed with a note, never as failed
        "D-exit-at-end": ({nb: _exit_at_end(course)}, "已修复", "说明"),
        # valid Python that may not be what was meant is graded as written, never rewritten
        "D-as-written": ({nb: answered(course, {**RIGHT, "月收入": "2,000", "第6题": "C"})}, "已评分", ""),
    }


# Autograded points each damaged submission must get (of 8), where its damage allows a score.
EXPECTED_AUTO = {
    "D-gbk": 8,
    "D-utf16": 8,
    "D-v3": 8,
    "D-deleted": 7,
    "D-duplicated": 8,
    "D-retyped": 8,
    "D-edited-test": 6,
    "D-bad-metadata": 8,
    "D-loop": 7,
    "D-memory": 7,
    "D-output": 8,
    "D-sys-exit": 7,
    "D-os-exit": 7,
    "D-killed-kernel": 7,
    "D-renamed": 8,
    "D-extra-files": 8,
    "D-ime": 8,
    "D-unparseable": 6,
    "D-as-written": 6,
    "D-exit-at-end": 8,
    "D-renamed-beside-blank": 8,
    "D-empty": 0,
    "D-not-json": 0,
    "D-missing": 0,
}


def _exit_at_end(course: Path) -> nbformat.NotebookNode:
    nb = answered(course, RIGHT)
    nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(0)"))
    return nb


def new_course(root: Path, *, timeout: int = 4, trainkit_metadata: dict[str, dict] | None = None) -> Path:
    """An nbgrader course with the 低保 exercise generated; each cell may run ``timeout`` s.
    ``trainkit_metadata`` adds keys to the source cells' ``metadata.trainkit`` by grade id."""
    root.mkdir(parents=True)
    config = (exercises_root() / "nbgrader_config.py").read_text(encoding="utf-8")
    (root / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {timeout}\n", encoding="utf-8")
    shutil.copytree(exercises_root() / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
    if trainkit_metadata:
        path = root / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            extra = trainkit_metadata.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if extra:
                cell.metadata.setdefault("trainkit", {}).update(extra)
        nbformat.write(nb, path)
    result = nbgrader("generate_assignment", ASSIGNMENT, course=root)
    assert result.returncode == 0, result.stderr[-2000:]
    return root


def grades(course: Path, *, students: set[str] | None = None, db_url: str | None = None) -> dict:
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(db_url or f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            if students is not None and sub.student.id not in students:
                continue
            for nb in sub.notebooks:
                for g in nb.grades:
                    found[(sub.student.id, g.name)] = (g.auto_score, g.manual_score, g.needs_manual_grade)
    return found


def auto_total(course: Path, student: str) -> float:
    return sum(
        score or 0 for (s, gid), (score, _, _) in grades(course).items() if s == student and gid.endswith("-check")
    )
