"""Reading whatever arrives as a submitted file (no kernels)."""

import codecs
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from trainkit.autograde.intake import Unreadable, read_submission


def notebook() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell("# 第 1 题：人数"),
            new_code_cell("人数 = 4"),
            new_code_cell('assert 人数 == 4, "检查：人数"'),
        ]
    )


def test_an_intact_notebook_needs_no_notes():
    intake = read_submission(nbformat.writes(notebook()).encode())
    assert intake.notes == [] and [c.source for c in intake.nb.cells][1] == "人数 = 4"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"", "空的（0 字节）"),
        (b"  \n", "只有空白"),
        (b"PK\x03\x04rest", "压缩包"),
        ("这不是 notebook".encode(), "JSON 在第 1 行第 1 列"),
        (b"[1, 2]", "不是 notebook"),
    ],
)
def test_files_without_a_notebook_are_refused_with_a_reason(raw, says):
    with pytest.raises(Unreadable, match=says):
        read_submission(raw)


@pytest.mark.parametrize(
    ("encode", "says"),
    [
        (lambda t: t.encode("gb18030"), "GBK"),
        (lambda t: codecs.BOM_UTF8 + t.encode(), "BOM"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "UTF-16"),
    ],
)
def test_other_encodings_are_converted_and_said(encode, says):
    intake = read_submission(encode(nbformat.writes(notebook())))
    assert any(says in n for n in intake.notes)
    assert intake.nb.cells[0].source == "# 第 1 题：人数"


def test_a_cut_off_file_keeps_the_cells_before_the_cut():
    text = nbformat.writes(notebook())
    cut = text[: text.index("assert")]
    intake = read_submission(cut.encode())
    assert intake.salvaged and [c.source for c in intake.nb.cells] == ["# 第 1 题：人数", "人数 = 4"]
    assert "找回了前 2 个格子" in intake.notes[0]


def test_the_old_v3_format_is_upgraded():
    v3 = nbformat.writes(nbformat.convert(notebook(), 3))
    intake = read_submission(v3.encode())
    assert any("v3" in n for n in intake.notes) and intake.nb.nbformat == 4
    assert [c.cell_type for c in intake.nb.cells] == ["markdown", "code", "code"]


def test_broken_cells_are_dropped_and_the_rest_is_schema_valid():
    data = json.loads(nbformat.writes(notebook()))
    data["cells"].append({"source": "no type"})
    data["cells"][1]["outputs"] = "garbage"
    intake = read_submission(json.dumps(data).encode())
    nbformat.validate(intake.nb)
    assert len(intake.nb.cells) == 3 and any("结构损坏" in n for n in intake.notes)
