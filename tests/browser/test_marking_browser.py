"""The double-marking form (04-double-marking.ipynb) in ``trainkit app``: a trainer sees a written
answer by its number, scores it in a Chinese form and saves; the second marker, on their own
machine, does not see that mark; ``trainkit mark status`` lists it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from trainkit.content import exercises_root
from trainkit.evidence import open_store
from trainkit.marking import criteria, set_plan
from trainkit.roster import roster_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "04-double-marking.ipynb"
ASSIGNMENT = "social-assistance-dibao"
PLANS = {
    "W001": "王阿姨，您家计入四个人，助学金和抚恤金不算收入。请写书面申请交街道，入户调查后公示。",
    "W002": "您家可以申请低保，请准备材料。",
}
COMMENT = "要点基本齐全，未提及公示期"
TRAINERS = (
    "T01,钱培训（示例）,示例街道,,培训师,\nT02,冯培训（示例）,示例街道,,培训师,\nT03,陈培训（示例）,示例街道,,培训师,\n"
)


def _course(folder):  # noqa: ANN001, ANN202
    """The 低保 exercise with two workers' written answers submitted (the form reads ``submitted/``)."""
    folder.mkdir()
    shutil.copy(exercises_root() / "nbgrader_config.py", folder)
    source = folder / "source" / ASSIGNMENT
    shutil.copytree(exercises_root() / "source" / ASSIGNMENT, source)
    for student, text in PLANS.items():
        for path in source.glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "q7-plan":
                    cell.source = text
            target = folder / "submitted" / student / ASSIGNMENT / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
    return folder


@pytest.fixture(scope="module")
def marking(tmp_path_factory, app_factory):
    """Markers T01 and T02, arbiter T03; each marker's ``trainkit app`` on a machine of their own,
    sharing the evidence store (as on the hub) and the course beside the lessons (``../exercises``)."""
    shared = tmp_path_factory.mktemp("shared")
    roster = shared / "roster.csv"
    roster.write_text(roster_path().read_text(encoding="utf-8").rstrip("\n") + "\n" + TRAINERS, encoding="utf-8")
    db = f"sqlite:///{shared / 'evidence.db'}"
    course = _course(shared / "exercises")
    store = open_store(db)
    set_plan(store, assignment=ASSIGNMENT, markers=("T01", "T02"), arbiter="T03", gap=1, created_by="T03")
    store.engine.dispose()
    env = {"TRAINKIT_DB": db, "TRAINKIT_ROSTER": str(roster)}
    servers = {}
    for marker in ("T01", "T02"):
        home = tmp_path_factory.mktemp(f"home-{marker}")
        (home / "exercises").symlink_to(course, target_is_directory=True)
        servers[marker] = app_factory(worker=marker, home=home, env=env)
    return servers, course, env


def _form(page, server):  # noqa: ANN001, ANN202
    from playwright.sync_api import expect

    page.goto(f"{server.base}voila/render/{NOTEBOOK}")
    form = page.locator(".jp-CodeCell", has=page.get_by_role("button", name="保存并评下一份"))
    expect(form).to_be_visible(timeout=120_000)
    return form


def _first_criterion(course):  # noqa: ANN001, ANN202
    return criteria(course, ASSIGNMENT)[0]


def test_a_marker_sees_the_answer_by_number_and_saves_a_mark(marking, page, shoot):
    from playwright.sync_api import expect

    servers, course, _env = marking
    crit = _first_criterion(course)
    form = _form(page, servers["T01"])
    expect(form).to_contain_text("双评 · 城市低保的受理与计算")  # the exercise's title, as the trainer knows it
    expect(form).to_contain_text("独立评分：T01；待评 8 项，已评 0 项")
    expect(form).to_contain_text(f"答卷 01 · 评分项：{crit.title}（满分 {crit.points:g} 分）")
    expect(form).to_contain_text(PLANS["W001"])
    text = form.inner_text()
    assert "W001" not in text and "林晓雨" not in text  # by number, not by name
    assert ASSIGNMENT not in text  # no folder names
    assert "Traceback" not in text and "None" not in text
    shoot(page, "marking-T01")
    form.get_by_role("button", name="保存并评下一份").click()
    expect(form).to_contain_text("请先选择得分")  # nothing chosen: nothing saved
    form.get_by_role("button", name="1.5", exact=True).click()
    form.get_by_placeholder("评语（可选，会随成绩记录保存）").fill(COMMENT)
    form.get_by_role("button", name="保存并评下一份").click()
    expect(form).to_contain_text("已保存。")
    expect(form).to_contain_text("待评 7 项，已评 1 项")
    expect(form).to_contain_text("答卷 02")  # the next one


def test_the_second_marker_does_not_see_the_first_mark(marking, page, shoot):
    from playwright.sync_api import expect

    servers, course, _env = marking
    crit = _first_criterion(course)
    form = _form(page, servers["T02"])
    expect(form).to_contain_text("独立评分：T02；待评 8 项，已评 0 项")
    expect(form).to_contain_text(f"答卷 01 · 评分项：{crit.title}")
    text = form.inner_text()
    assert COMMENT not in text and "T01" not in text and "1.5 分" not in text
    assert not form.locator(".mod-active, .active").count()  # no score chosen in advance
    shoot(page, "marking-T02")


def test_the_saved_mark_is_in_mark_status(marking):
    servers, course, env = marking
    crit = _first_criterion(course)
    result = subprocess.run(
        [sys.executable, "-m", "trainkit", "mark", "status", ASSIGNMENT, "--course", str(course)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [line] = [x for x in result.stdout.splitlines() if x.startswith("答卷 01") and f" {crit.grade_id} " in x]
    # W001's paper, shown by its number as on the form: T01's 1.5, no second mark yet, no arbitration
    assert re.fullmatch(rf"答卷 01\s+{re.escape(crit.grade_id)}\s+待第二评\s+1\.5 / — / —", line), line
    assert "W00" not in result.stdout


def test_the_form_fits_a_phone(marking, browser, shoot):
    servers, _course, _env = marking
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(60_000)
    try:
        tab = context.new_page()
        form = _form(tab, servers["T02"])
        form.scroll_into_view_if_needed()
        shoot(tab, "marking-phone", full_page=True)
        for name in ("保存并评下一份", "0", "2"):
            box = form.get_by_role("button", name=name, exact=True).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"手机上“{name}”按钮超出屏幕：{box}"
    finally:
        context.close()
