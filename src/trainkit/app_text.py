"""Text that must read right in the code-free app, where code cells are hidden and cannot be run.

- A lesson's markdown must not tell the learner to run, add or edit a cell: the app cannot do
  that. Text that is truly about code goes in a markdown cell tagged ``lab-only``
  (:data:`LAB_ONLY`), which JupyterLab shows and the app hides.
- A heading must have something under it in the app; a heading followed only by ``lab-only``
  text or by import cells is an empty heading there.
- Case texts: a line break folded by YAML (``>``) must not leave a space between two Chinese
  characters, and a party's words must not end up in two pairs of quotation marks.

Each problem is one line ``where: what is wrong, what to do`` in Chinese.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .markup import quoted

__all__ = [
    "LAB_ONLY",
    "case_text_problems",
    "empty_headings",
    "notebook_problems",
    "run_cell_phrases",
    "unfold",
]

LAB_ONLY = "lab-only"

_RUN_CELL = re.compile(
    r"Shift\s*\+\s*Enter"
    r"|(?:依次|重新|再|从头|先)运行"
    r"|运行(?:下面|上面|下一|上一|这一|这|该|每|所有|一下|后|本格|代码)"
    r"|代码格|单元格|新建.{0,6}格"
    r"|(?:改|修改|编辑|改动)(?:代码|这一格|上面|下面)"
    r"|(?:上面|下面|这|那)(?:第.|一|两|几)?格里",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]"
_CJK_SPACE = re.compile(rf"(?<={_CJK})[ \t\r\n\u3000]+(?={_CJK})")
_IMPORT = re.compile(r"^\s*(?:from\s+\S+\s+)?import\s|^\s*(?:#.*)?$")


def unfold(text: str) -> str:
    """``text`` without the spaces a folded YAML line (``>``) leaves between two Chinese characters."""
    return _CJK_SPACE.sub("", text)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _lab_only(cell: dict) -> bool:
    return LAB_ONLY in cell.get("metadata", {}).get("tags", [])


def run_cell_phrases(text: str) -> list[str]:
    """The phrases in ``text`` that ask the learner to run, add or edit a code cell."""
    return [m.group(0) for m in _RUN_CELL.finditer(text)]


def _visible_blocks(cells: list[dict]) -> list[tuple[int, int | None, str]]:
    """What the app shows, in order: ``(cell, heading level or None, text)``."""
    blocks: list[tuple[int, int | None, str]] = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            if not all(_IMPORT.match(line) for line in _source(cell).splitlines()):
                blocks.append((i, None, "（代码格的输出）"))
        elif cell.get("cell_type") == "markdown" and not _lab_only(cell):
            for line in _source(cell).splitlines():
                if m := _HEADING.match(line):
                    blocks.append((i, len(m.group(1)), m.group(2)))
                elif line.strip():
                    blocks.append((i, None, line))
    return blocks


def empty_headings(cells: list[dict]) -> list[tuple[int, str]]:
    """``(cell, heading)`` for each heading with nothing under it once lab-only text and imports are hidden."""
    blocks = _visible_blocks(cells)
    empty = []
    for n, (i, level, text) in enumerate(blocks):
        if level is None:
            continue
        after = blocks[n + 1] if n + 1 < len(blocks) else None
        if after is None or (after[1] is not None and after[1] <= level):
            empty.append((i, text))
    return empty


def notebook_problems(path: Path, *, label: str | None = None) -> list[str]:
    """Problems a learner would meet reading ``path`` in the app; ``label`` names the file in messages."""
    where = label or path.name
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError) as err:
        return [f"{where}: 读不出课程文件（{err.__class__.__name__}）；请在 JupyterLab 中打开并重新保存"]
    problems = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown" or _lab_only(cell):
            continue
        for phrase in dict.fromkeys(run_cell_phrases(_source(cell))):
            problems.append(
                f"{where}: 第{i + 1}格: 要学员运行或改动代码格（“{phrase}”），无代码页面做不到；"
                f"请改写成两边都读得通的说法（如“下面的计算器……”），或把这段移到带 {LAB_ONLY} 标签的格"
            )
    for i, heading in empty_headings(cells):
        problems.append(
            f"{where}: 第{i + 1}格: 标题“{heading}”下面在无代码页面里是空的；"
            f"请在标题下写几句两边都读得通的说明，或把标题一起移到带 {LAB_ONLY} 标签的格"
        )
    return problems


def case_text_problems(texts: dict[str, str], *, where: str, quotes: tuple[str, ...] = ()) -> list[str]:
    """Problems in the case texts ``{field: text}``; ``quotes`` names the fields shown in quotation marks."""
    problems = []
    for field, text in texts.items():
        if m := _CJK_SPACE.search(text):
            problems.append(
                f"{where}: {field}: 两个汉字之间有空格（“{text[max(0, m.start() - 6) : m.end() + 6]}”）；"
                f"多是 YAML 折行留下的，请删去空格或让该行接上一行"
            )
        shown = quoted(text) if field in quotes else text
        if "““" in shown or "””" in shown:
            problems.append(f"{where}: {field}: 显示时引号成双（““…””）；当事人的话不必自己加引号，请删去外层引号")
    return problems
