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
