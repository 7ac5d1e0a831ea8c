"""A trainer's day on one machine, as the README walks it: JupyterLab started by ``trainkit lab``
finds the course in its Formgrader, a worker's Assignments panel lists what was released, and a
collected, autograded submission is there to grade."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ASSIGNMENT = "social-assistance-dibao"
REPO = Path(__file__).resolve().parents[2]


def _project_copy(root: Path) -> Path:
    """The parts of a clone that the trainer's day uses, so the test leaves the repository as it is."""
    for name in ("casebank", "notebooks", "jupyter-config"):
        shutil.copytree(REPO / name, root / name)
    (root / "exercises").mkdir()
    shutil.copy(REPO / "exercises" / "nbgrader_config.py", root / "exercises")
    shutil.copytree(REPO / "exercises" / "source" / ASSIGNMENT, root / "exercises" / "source" / ASSIGNMENT)
    shutil.copy(REPO / "pyproject.toml", root)
    return root


def _nbgrader(env: dict[str, str], cwd: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="module")
def trainer_lab(tmp_path_factory, lab_factory, learner_env):
    """A project copy with the 低保 exercise released, fetched, submitted, collected and autograded,
    and ``trainkit lab`` serving it."""
    project = _project_copy(tmp_path_factory.mktemp("project"))
    home = tmp_path_factory.mktemp("trainer-home")
    env = {
        **learner_env(home),
        "TRAINKIT_CASEBANK": str(project / "casebank"),
        "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg")),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path_factory.mktemp("settings")),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("workspaces")),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    cli = {**env, "JUPYTER_CONFIG_PATH": str(project / "jupyter-config" / "nbgrader")}
    course = project / "exercises"
    _nbgrader(cli, course, "generate_assignment", ASSIGNMENT)
    _nbgrader(cli, course, "release_assignment", ASSIGNMENT)
    _nbgrader(cli, project, "fetch_assignment", ASSIGNMENT)
    fetched = project / "assignments" / ASSIGNMENT / "dibao-exercise.ipynb"
    nb = nbformat.read(fetched, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q7-plan":
            cell.source = "王阿姨，您家计入四个人，助学金和抚恤金不算收入，请写书面申请交街道。"
    nbformat.write(nb, fetched)
    _nbgrader(cli, project / "assignments", "submit", ASSIGNMENT)
    _nbgrader(cli, course, "collect", ASSIGNMENT)
    _nbgrader(cli, course, "autograde", ASSIGNMENT)
    return lab_factory(env), project


def test_the_formgrader_started_by_trainkit_lab_lists_the_course_and_its_submission(trainer_lab, page, shoot):
    from playwright.sync_api import expect

    server, _project = trainer_lab
    page.goto(server.url("formgrader"))
    row = page.locator("tr").filter(has_text=ASSIGNMENT)
    expect(row).to_be_visible(timeout=60_000)
    expect(row).to_contain_text("1")  # one submission collected
    expect(page.locator("body")).not_to_contain_text("No nbgrader_config.py")
    shoot(page, "trainer-formgrader")
    page.goto(server.url("formgrader/gradebook/" + ASSIGNMENT))
    expect(page.locator("body")).to_contain_text("dibao-exercise", timeout=60_000)
    shoot(page, "trainer-formgrader-gradebook")


def test_the_assignments_panel_lists_the_released_exercise(trainer_lab, page):
    from playwright.sync_api import expect

    server, _project = trainer_lab
    page.goto(server.url("lab"))
    expect(page.locator("#jp-MainMenu")).to_contain_text("文件", timeout=120_000)
    listing = page.evaluate(
        """async (token) => {
        const r = await fetch('/assignments?course_id=trainkit&token=' + token);
        return await r.json();
    }""",
        server.token,
    )
    assert listing["success"], listing
    statuses = {a["assignment_id"]: a["status"] for a in listing["value"]}
    assert statuses.get(ASSIGNMENT) == "submitted"


TRAINERS = (
    "T01,钱培训（示例）,示例街道,,培训师,\nT02,冯培训（示例）,示例街道,,培训师,\nT03,陈培训（示例）,示例街道,,培训师,\n"
)


def _trainkit(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "trainkit", *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


def _mark_every_answer(page, server, score: str) -> int:  # noqa: ANN001
    """One marker's whole queue in the double-marking form, ``score`` for every criterion; how many."""
    import re

    from playwright.sync_api import expect

    page.goto(f"{server.base}voila/render/04-double-marking.ipynb")
    form = page.locator(".jp-CodeCell").filter(has_text="独立评分")  # the save button goes when all are marked
    expect(form).to_contain_text("待评", timeout=120_000)
    todo = int(re.search(r"待评 (\d+) 项", form.inner_text()).group(1))
    for done in range(1, todo + 1):
        form.get_by_role("button", name=score, exact=True).click()
        form.get_by_role("button", name="保存并评下一份").click()
        expect(form).to_contain_text(f"已评 {done} 项")
    expect(form).to_contain_text("您的评分都已完成")
    return todo


def test_written_answers_are_double_marked_in_chinese_then_fed_back_and_imported(
    trainer_lab, app_factory, page, tmp_path, shoot
):
    """The rest of the README's day: 双评 in the kit's Chinese form, 定分 into the gradebook, a Chinese
    feedback page, and the grades imported as evidence of the worker who submitted."""
    from playwright.sync_api import expect

    from trainkit.evidence import open_store
    from trainkit.roster import roster_path

    _server, project = trainer_lab
    course = project / "exercises"
    [student] = [p.name for p in (course / "submitted").iterdir()]  # the login name that ran nbgrader submit
    roster = tmp_path / "roster.csv"
    lines = roster_path().read_text(encoding="utf-8").rstrip("\n") + "\n" + TRAINERS
    roster.write_text(lines + f"{student},何晓岚（示例）,示例街道,示例社区,网格员,\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'evidence.db'}"
    shared = {"TRAINKIT_DB": db, "TRAINKIT_ROSTER": str(roster)}
    env = {**os.environ, **shared}
    _trainkit(env, "mark", "plan", ASSIGNMENT, "--markers", "T01,T02", "--arbiter", "T03", "--by", "T03",
              "--course", str(course))  # fmt: skip
    for marker in ("T01", "T02"):
        home = tmp_path / marker
        home.mkdir()
        (home / "exercises").symlink_to(course, target_is_directory=True)
        marked = _mark_every_answer(page, app_factory(worker=marker, home=home, env=shared), "0.5")
        assert marked >= 1
    shoot(page, "trainer-day-marked")
    status = _trainkit(env, "mark", "status", ASSIGNMENT, "--course", str(course))
    assert student not in status and status.count("已定分") == marked, status
    assert f"写入成绩库 {marked} 项" in _trainkit(env, "mark", "apply", ASSIGNMENT, "--course", str(course))
    shown = _trainkit(env, "feedback", ASSIGNMENT, "--course", str(course), "--force")
    [feedback] = [line.removeprefix("反馈：") for line in shown.splitlines() if line.startswith("反馈：")]
    page.goto(Path(feedback).resolve().as_uri())
    expect(page.locator("body")).to_contain_text("城市低保")
    assert "Traceback" not in page.inner_text("body")
    shoot(page, "trainer-day-feedback")
    _trainkit(env, "evidence", "import-grades", "--course", str(course))
    store = open_store(db)
    try:
        written = [
            r for r in store.rows(worker_id=student) if r.source == "graded_exercise" and r.ref.endswith("q7-plan")
        ]
    finally:
        store.engine.dispose()
    assert [r.score for r in written] == [0.5]
