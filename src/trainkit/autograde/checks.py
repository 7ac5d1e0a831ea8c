"""One result per graded cell of an executed notebook, with a Chinese message a learner may see.

The message is one of: a visible check's own assert message (the learner saw that text in
the notebook they received), a hint from the answer normaliser, or a fixed sentence written
here. The text of a hidden test — its code or its assert message — is never used: an
assert message is shown only when it is one of the visible part's messages.
Works on any autograded notebook, whether trainkit or plain ``nbgrader autograde`` ran it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import asdict, dataclass

from nbformat import NotebookNode
from nbgrader import utils

from .execute import STOPPED
from .snapshot import NotebookSource

__all__ = ["CheckResult", "check_results", "visible_messages"]

_NAME_ERROR = re.compile(r"name '(.+?)' is not defined")


@dataclass
class CheckResult:
    grade_id: str
    label: str  # the question heading, e.g. 第 1 题（2 分）：共同生活的家庭成员
    kind: str  # auto | manual | task
    score: float | None  # as nbgrader's determine_grade scores the cell (None: graded by hand)
    max_score: float
    message: str
    answer: str = ""  # the learner's answer cell just before the check, as it was run

    def to_json(self) -> dict:
        return asdict(self)


def visible_messages(test_source: str) -> set[str]:
    """The string messages of the ``assert`` statements in the visible part of a test."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return set()
    return {
        node.msg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert) and isinstance(node.msg, ast.Constant) and isinstance(node.msg.value, str)
    }


def check_results(
    nb: NotebookNode, source: NotebookSource, *, hints: dict[str, str] | None = None
) -> list[CheckResult]:
    """Results for every grade and task cell of ``nb`` (executed), in notebook order.
    ``hints`` maps the grade id of a test cell to the normaliser's message about its answer."""
    hints = hints or {}
    results, answer = [], ""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type == "code" and not meta.get("locked"):
            answer = "\n".join(
                line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")
            )
        if gid is None or not (meta.get("grade") or meta.get("task")):
            continue
        label = source.label(gid)
        max_score = float(meta.get("points", source.points(gid) or 0))
        if meta.get("task"):
            results.append(CheckResult(gid, label, "task", None, max_score, "由培训师按评分细则评分"))
        elif meta.get("solution"):
            results.append(CheckResult(gid, label, "manual", None, max_score, "由培训师评分"))
        elif cell.cell_type == "code":
            score, _ = utils.determine_grade(cell)
            src = source.cell(gid)
            visible = src.visible if src is not None else ""
            message = _message(cell, score, max_score, visible, hints.get(gid))
            results.append(CheckResult(gid, label, "auto", score, max_score, message, answer))
            answer = ""
    return results


def _message(cell: NotebookNode, score: float | None, max_score: float, visible: str, hint: str | None) -> str:
    if score is not None and score >= max_score:
        return "通过"
    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
    if any(o.get("ename") == STOPPED for o in errors):
        text = next(o.get("evalue", "") for o in errors if o.get("ename") == STOPPED)
    elif any(o.get("ename") == "CellTimeoutError" for o in errors):
        text = "检查运行超过时间限制，被中断"
    elif errors and errors[0].get("ename") == "NameError" and cell.metadata.get("trainkit", {}).get("after_restart"):
        why = cell.metadata["trainkit"]["after_restart"]
        text = f"前面一格运行时{why}，评分换用了新内核，之前各格的答案没有保留下来，本项不得分（不是答案格为空）"
    elif errors:
        text = _error_message(errors[0], visible)
    elif score:
        text = f"部分正确（{score:g} / {max_score:g} 分）"
    else:
        text = "检查时有错误输出（stderr），按评分规则本项不得分"
    return f"{text}。答案格的问题：{hint}" if hint else text


def _error_message(error: NotebookNode, visible: str) -> str:
    ename, evalue = error.get("ename", ""), str(error.get("evalue", ""))
    if ename == "AssertionError":
        return evalue if evalue in visible_messages(visible) else "答案不正确"
    if ename == "NameError":
        match = _NAME_ERROR.search(evalue)
        if match and match.group(1) in visible:
            name = match.group(1)
            return f"没有找到“{name}”：答案格是空的、被删除了，或名称写错了。请写成“{name} = 你的答案”并运行"
        return "检查没有通过：缺少答案"
    if ename == "MemoryError":
        return "运行时内存超限（代码占用的内存太多），本项不得分"
    if ename == "KeyboardInterrupt":
        return "检查运行超过时间限制，被中断"
    return f"检查没有通过（运行出错：{ename}）" if re.fullmatch(r"[A-Za-z_][\w.]*", ename) else "检查没有通过"
