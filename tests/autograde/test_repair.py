"""Structural repair against the source, and check messages (no kernels)."""

import copy

import nbformat
import pytest
from autograde_corpus import ASSIGNMENT, NOTEBOOK, RIGHT, answered, cell_index, release_nb

from trainkit.autograde.checks import check_results, visible_messages
from trainkit.autograde.course import load_course
from trainkit.autograde.repair import repair_structure
from trainkit.autograde.snapshot import read_assignment


@pytest.fixture(scope="module")
def source(template_course):
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ClearHiddenTests

    course = load_course(template_course)
    with Gradebook(course.db_url) as gb:
        snap = read_assignment(
            gb,
            ASSIGNMENT,
            source_dir=template_course / "source" / ASSIGNMENT,
            clear_hidden=ClearHiddenTests(parent=course.exporter),
        )
    return snap.notebooks[NOTEBOOK]


def test_the_snapshot_knows_each_test_as_learners_saw_it(source):
    q1 = source.cell("q1-check")
    assert "HIDDEN" in q1.source and "HIDDEN" not in q1.visible and "人数 == 4" not in q1.visible
    assert source.label("q4-check").startswith("第 4 题") and source.trainkit["q4-check"]["items"]
    assert source.order[:4] == ["intro", "case", "q1", "q1-answer"]


def test_an_intact_notebook_is_not_touched(template_course, source):
    nb = answered(template_course, RIGHT)
    before = copy.deepcopy(nb)
    assert repair_structure(nb, source) == []
    assert nb == before


def test_a_test_cell_locked_as_released_is_not_reported_as_changed(template_course, source):
    """generate_assignment locks test cells that the trainer's source leaves unlocked: that is what was
    released, so nothing was changed and nothing is "restored"."""
    import dataclasses

    # a course whose gradebook keeps the trainer's unlocked test cells (made outside the kit)
    unlocked = dataclasses.replace(
        source,
        source_cells=[
            dataclasses.replace(c, locked=False) if source.is_grade(c.name) and not source.is_solution(c.name) else c
            for c in source.source_cells
        ],
    )
    nb = answered(template_course, RIGHT)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            meta["locked"] = True
    assert repair_structure(nb, unlocked) == []
    nb.cells[cell_index(nb, "q1-check")].metadata["nbgrader"]["points"] = 99
    assert any("评分标记" in note for note in repair_structure(nb, source))


def test_deleted_cells_come_back_in_place(template_course, source):
    nb = answered(template_course, RIGHT)
    del nb.cells[cell_index(nb, "q2-check")]
    notes = repair_structure(nb, source)
    assert cell_index(nb, "q2-check") == cell_index(nb, "q2-answer") + 1
    assert notes == ["第 2 题（1 分）的检查格被删除，已按原题补回"]
    assert "HIDDEN" not in nb.cells[cell_index(nb, "q2-check")].source  # nbgrader restores the hidden part


def test_a_duplicated_answer_keeps_the_answered_copy(template_course, source):
    nb = answered(template_course, RIGHT)
    i = cell_index(nb, "q4-answer")
    stub = copy.deepcopy(nb.cells[i])
    stub.source, stub["id"] = release_nb(template_course).cells[i].source, "copy"
    nb.cells.insert(i + 1, stub)
    repair_structure(nb, source)
    tagged = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q4-answer"]
    assert len(tagged) == 1 and "月补差 = 2044" in tagged[0].source


def test_retyped_and_relabelled_cells_are_put_back(template_course, source):
    nb = answered(template_course, RIGHT)
    i = cell_index(nb, "q4-answer")
    nb.cells[i] = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    nb.cells[cell_index(nb, "q1-check")].metadata.nbgrader["points"] = 50
    notes = repair_structure(nb, source)
    assert nb.cells[i].cell_type == "code" and nb.cells[cell_index(nb, "q1-check")].metadata.nbgrader["points"] == 2
    assert any("已改回代码格" in n for n in notes) and any("分值" in n for n in notes)


def test_only_visible_assert_messages_are_ever_shown(template_course, source):
    assert visible_messages(source.cell("q1-check").visible) == {"请把人数写成整数，例如：人数 = 3"}
    nb = answered(template_course, RIGHT)
    hidden = nbformat.v4.new_output("error", ename="AssertionError", evalue="计入人数不对：秘密", traceback=[])
    visible = nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="请把月补差写成数字，例如：月补差 = 633", traceback=[]
    )
    other = nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="请把人数写成整数，例如：人数 = 3", traceback=[]
    )
    nb.cells[cell_index(nb, "q1-check")].outputs = [hidden]
    nb.cells[cell_index(nb, "q4-check")].outputs = [visible]
    nb.cells[cell_index(nb, "q5-check")].outputs = [other]  # visible, but another check's message
    nb.cells[cell_index(nb, "q2-check")].outputs = [
        nbformat.v4.new_output("error", ename="NameError", evalue="name '月收入' is not defined", traceback=[])
    ]
    results = {r.grade_id: r for r in check_results(nb, source)}
    assert results["q1-check"].message == "答案不正确" and results["q1-check"].score == 0
    assert results["q4-check"].message == "请把月补差写成数字，例如：月补差 = 633"
    assert results["q5-check"].message == "答案不正确"
    assert "没有找到“月收入”" in results["q2-check"].message
    assert results["q3-check"].message == "通过" and results["q7-plan"].kind == "manual"
    assert results["q7-income"].kind == "task"
