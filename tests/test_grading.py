"""The graded exercise through real nbgrader, and grades imported as evidence."""

import shutil
from pathlib import Path

import nbformat
import pytest

from trainkit.content import exercises_root
from trainkit.evidence import open_store
from trainkit.grading import grade_cell_items, import_grades, nbgrader

ASSIGNMENT = "social-assistance-dibao"
RIGHT = {"人数": "4", "月收入": "2000", "第3题": '"A"', "月补差": "2044", "第5题": '"B"', "第6题": '"C"'}


def test_every_grade_cell_is_tagged_with_declared_service_items():
    cells = grade_cell_items(exercises_root(), ASSIGNMENT)
    assert len(cells) == 10  # 6 autograded checks, the written answer and 3 more rubric criteria
    assert cells[("dibao-exercise", "q4-check")] == ("dibao_income",)
    assert ("dibao-exercise", "q7-plan") in cells


def test_exercise_has_at_least_five_autograded_points_and_a_rubric():
    nb = nbformat.read(exercises_root() / "source" / ASSIGNMENT / "dibao-exercise.ipynb", as_version=4)
    graded = [
        c.metadata
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task")
    ]
    auto = sum(
        m["nbgrader"]["points"] for m in graded if not m["nbgrader"]["solution"] and not m["nbgrader"].get("task")
    )
    criteria = [m for m in graded if m["nbgrader"]["solution"] or m["nbgrader"].get("task")]
    assert auto >= 5
    # one score box per rubric criterion, each naming what it looks for
    assert [m["nbgrader"]["points"] for m in criteria] == [2, 2, 2, 1]
    assert all(m["trainkit"]["criterion"] and m["trainkit"]["looks_for"] for m in criteria)
    rubric = next(c.source for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q7")
    assert rubric.count("|") > 20 and "评分细则" in rubric


@pytest.mark.parametrize(
    "notebook", sorted((exercises_root() / "source").glob("*/*.ipynb")), ids=lambda p: p.parent.name
)
def test_every_autograded_check_explains_itself_with_a_source(notebook):
    """The feedback page shows each check's explanation and source (trainkit feedback)."""
    nb = nbformat.read(notebook, as_version=4)
    checks = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.metadata.get("nbgrader", {}).get("grade")
        and not c.metadata["nbgrader"].get("solution")
    ]
    assert checks
    for cell in checks:
        meta, gid = cell.metadata.get("trainkit", {}), cell.metadata["nbgrader"]["grade_id"]
        assert len(meta.get("explanation", "")) >= 15, f"{notebook.name} {gid}: 没有解析（explanation）"
        source = meta.get("reference") or meta.get("citation") or meta.get("explanation_source")
        assert source, f"{notebook.name} {gid}: 解析没有出处（reference、citation 或 explanation_source）"


def test_untagged_grade_cell_is_refused(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(exercises_root(), course)
    path = course / "source" / ASSIGNMENT / "dibao-exercise.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("trainkit", None)
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="服务事项"):
        grade_cell_items(course, ASSIGNMENT)


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course with two submissions (all right; all wrong) autograded by nbgrader."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(exercises_root() / "nbgrader_config.py", course)
    shutil.copytree(exercises_root() / "source", course / "source")
    assert nbgrader("generate_assignment", ASSIGNMENT, course=course).returncode == 0
    release = course / "release" / ASSIGNMENT / "dibao-exercise.ipynb"
    for student, answers in (("W001", RIGHT), ("W002", {k: "0" for k in RIGHT})):
        nb = nbformat.read(release, as_version=4)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if gid.endswith("-answer"):
                name = next(k for k in answers if f"{k} =" in cell.source)
                cell.source = f"{name} = {answers[name]}"
            if gid == "q7-plan" and student == "W001":
                cell.source = "王阿姨，您家计入四个人，助学金和抚恤金不算收入，请写书面申请交街道。"
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "dibao-exercise.ipynb")
        (folder / "timestamp.txt").write_text("2026-10-08 09:30:00.000000 UTC")
    result = nbgrader("autograde", ASSIGNMENT, course=course)
    assert result.returncode == 0, result.stderr[-2000:]
    return course


@pytest.mark.slow
def test_release_holds_no_solution_or_hidden_test_or_explanation(graded_course):
    text = (graded_course / "release" / ASSIGNMENT / "dibao-exercise.ipynb").read_text(encoding="utf-8")
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "人数 == 4", "2044", "参考要点", '"explanation"'):
        assert secret not in text
    source = (graded_course / "source" / ASSIGNMENT / "dibao-exercise.ipynb").read_text(encoding="utf-8")
    assert '"explanation"' in source  # the feedback page still finds it there


@pytest.mark.slow
def test_import_turns_grades_into_evidence_once(graded_course, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    first = import_grades(store, graded_course)
    # W001's written answer and each worker's 3 task criteria await the trainer; W002's blank
    # written answer is scored 0 by nbgrader
    assert first.added > 0 and first.awaiting_manual == 1 + 2 * 3
    right = {r.ref.rsplit(":", 1)[1]: r.score for r in store.rows(worker_id="W001")}
    wrong = {r.ref.rsplit(":", 1)[1]: r.score for r in store.rows(worker_id="W002")}
    assert right["q4-check"] == 2 and right["q1-check"] == 2 and right["q6-check"] == 1
    assert set(wrong.values()) == {0.0} and "q7-plan" in wrong and "q7-plan" not in right
    assert all(r.source == "graded_exercise" and r.recorded_at.year == 2026 for r in store.rows())
    again = import_grades(store, graded_course)
    assert again.added == 0 and again.unchanged == first.added


@pytest.mark.slow
def test_a_regrade_adds_a_row_that_supersedes_the_first(graded_course, tmp_path):
    from nbgrader.api import Gradebook

    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    import_grades(store, graded_course)
    db = f"sqlite:///{Path(graded_course) / 'gradebook.db'}"
    with Gradebook(db) as gb:
        grade = gb.find_grade("q7-plan", "dibao-exercise", ASSIGNMENT, "W001")
        grade.manual_score, grade.needs_manual_grade = 2, False  # as the formgrader does
        gb.db.commit()
    summary = import_grades(store, graded_course)
    assert summary.added == 1  # the written answer's first criterion evidences one item
    rows = store.rows(worker_id="W001", ref=f"exercise:{ASSIGNMENT}:dibao-exercise:q7-plan")
    assert [r.score for r in rows] == [2.0]
    with Gradebook(db) as gb:
        grade = gb.find_grade("q7-plan", "dibao-exercise", ASSIGNMENT, "W001")
        grade.manual_score, grade.needs_manual_grade = 1, False
        gb.db.commit()
    import_grades(store, graded_course)
    rows = store.rows(worker_id="W001", ref=f"exercise:{ASSIGNMENT}:dibao-exercise:q7-plan")
    assert [r.score for r in rows] == [2.0, 1.0]
    assert rows[1].supersedes == rows[0].id


@pytest.mark.slow
def test_a_regrade_back_to_an_earlier_score_is_still_recorded(graded_course, tmp_path):
    from nbgrader.api import Gradebook

    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    db = f"sqlite:///{Path(graded_course) / 'gradebook.db'}"
    ref = f"exercise:{ASSIGNMENT}:dibao-exercise:q7-plan"
    for score in (2, 1, 2):
        with Gradebook(db) as gb:
            grade = gb.find_grade("q7-plan", "dibao-exercise", ASSIGNMENT, "W001")
            grade.manual_score, grade.needs_manual_grade = score, False
            gb.db.commit()
        import_grades(store, graded_course)
    rows = store.rows(worker_id="W001", ref=ref)
    assert [r.score for r in rows] == [2.0, 1.0, 2.0]
    assert import_grades(store, graded_course).added == 0


@pytest.mark.slow
@pytest.mark.postgres
def test_the_gradebook_and_the_evidence_store_work_on_postgresql(tmp_path, pg_url):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(exercises_root() / "nbgrader_config.py", course)
    shutil.copytree(exercises_root() / "source", course / "source")
    db = f"--CourseDirectory.db_url={pg_url}"
    assert nbgrader("generate_assignment", ASSIGNMENT, db, course=course).returncode == 0
    release = course / "release" / ASSIGNMENT / "dibao-exercise.ipynb"
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.endswith("-answer"):
            name = next(k for k in RIGHT if f"{k} =" in cell.source)
            cell.source = f"{name} = {RIGHT[name]}"
    folder = course / "submitted" / "W001" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "dibao-exercise.ipynb")
    (folder / "timestamp.txt").write_text("2026-10-08 09:30:00.000000 UTC")
    result = nbgrader("autograde", ASSIGNMENT, db, course=course)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not (course / "gradebook.db").exists()  # the grades went to PostgreSQL
    store = open_store(pg_url)
    summary = import_grades(store, course, db_url=pg_url)
    # 6 autograded cells (q3 evidences two items) and the blank written answer: 8 rows
    assert summary.added == 8 and store.rows(worker_id="W001")[0].source == "graded_exercise"
    assert {r.ref.rsplit(":", 1)[1]: r.score for r in store.rows(worker_id="W001")}["q4-check"] == 2


@pytest.mark.slow
def test_a_key_pre_claimed_by_a_learner_is_a_conflict_and_the_rest_still_lands(graded_course, tmp_path):
    """A learner who wrote the predictable key of a colleague's grade does not make it vanish as 已存在."""
    from click.testing import CliRunner

    from trainkit.cli import main

    db = f"sqlite:///{tmp_path / 'e.db'}"
    store = open_store(db)
    ref = f"exercise:{ASSIGNMENT}:dibao-exercise:q4-check"
    store.record(
        worker_id="W002",
        item_id="dibao_income",
        domain="social_assistance",
        source="self_check",
        ref="quiz:x",
        score=1.0,
        key=f"nbgrader:W001:{ref}:dibao_income:2/2:after:-",
    )
    result = CliRunner().invoke(main, ["evidence", "import-grades", "--course", str(graded_course), "--db", db])
    assert result.exit_code == 1
    assert "证据键冲突" in result.output and "W001" in result.output and "q4-check" in result.output
    landed = {r.ref.rsplit(":", 1)[1] for r in store.rows(worker_id="W001", source="graded_exercise")}
    assert "q1-check" in landed and "q4-check" not in landed
    assert store.rows(worker_id="W002", source="graded_exercise")


@pytest.mark.slow
def test_an_erased_worker_does_not_come_back_with_the_next_import(graded_course, tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    import_grades(store, graded_course)
    count = len(store.rows())
    store.erase_worker("W002", erased_by="S001")
    again = import_grades(store, graded_course)
    assert again.erased == {"W002"} and again.added == 0
    assert store.rows(worker_id="W002") == [] and len(store.rows()) == count


@pytest.mark.slow
def test_students_not_on_the_roster_are_skipped_and_named(graded_course, tmp_path):
    from click.testing import CliRunner

    from trainkit.cli import main

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "worker_id,display_name,street,community,post,supervisor_scope\n"
        "W001,林晓雨（示例）,示例街道,示例一社区,窗口,\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'e.db'}"
    run = CliRunner().invoke
    result = run(
        main, ["evidence", "import-grades", "--course", str(graded_course), "--db", db, "--roster", str(roster)]
    )
    assert result.exit_code == 0 and "跳过 1 名不在花名册上的学员：W002" in result.output
    assert {r.worker_id for r in open_store(db).rows()} == {"W001"}
    everyone = run(
        main,
        [
            "evidence",
            "import-grades",
            "--course",
            str(graded_course),
            "--db",
            db,
            "--roster",
            str(roster),
            "--all-students",
        ],
    )
    assert everyone.exit_code == 0 and {r.worker_id for r in open_store(db).rows()} == {"W001", "W002"}
