"""Feedback pages: results, rubric comments, lessons — and never a hidden test (runs kernels)."""

import pytest
from autograde_corpus import ASSIGNMENT, NOTEBOOK, hidden_texts

from trainkit.feedback import write_feedback

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages(corpus):
    course, _, _ = corpus
    return {p.parent.parent.name: p for p in write_feedback(course, ASSIGNMENT, force=True)}


def test_every_recorded_submission_gets_a_page_where_release_feedback_looks(corpus, pages):
    course, _, _ = corpus
    assert "G-right" in pages and "D-gbk" in pages and "D-kills-worker" not in pages
    assert pages["G-right"] == course / "feedback" / "G-right" / ASSIGNMENT / f"{NOTEBOOK}.html"
    assert (pages["G-right"].parent / "timestamp.txt").is_file()
    # submitted 09:30 UTC (STAMP) is 17:30 in Beijing, the time the worker knows
    assert "提交时间：2026-10-08 17:30（北京时间）" in pages["G-right"].read_text(encoding="utf-8")


def test_no_page_shows_hidden_test_text(corpus, pages):
    course, _, _ = corpus
    secrets = hidden_texts(course)
    assert len(secrets) >= 12
    for student, page in pages.items():
        text = page.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, (student, secret)
        assert "HIDDEN" not in text and "assert" not in text


def test_a_page_has_points_messages_repairs_and_lessons(pages):
    wrong = pages["G-wrong"].read_text(encoding="utf-8")
    assert "0 / 2" in wrong and "答案不正确" in wrong and "城市低保：从窗口受理到补差计算" in wrong
    # self-contained: nothing is fetched from the network; sources are plain links
    assert "<script" not in wrong and 'src="http' not in wrong and "url(http" not in wrong and "<link" not in wrong
    assert "婆婆的 600 元优待抚恤金和儿子的 300 元助学金都不算" in wrong  # a missed check's explanation
    assert 'href="https://mzj.xam.gov.cn/' in wrong  # … and its source, a link
    assert "GBK" in pages["D-gbk"].read_text(encoding="utf-8")
    loop = pages["D-loop"].read_text(encoding="utf-8")
    assert "死循环" in loop and "评分时遇到的问题" in loop
    unparseable = pages["D-unparseable"].read_text(encoding="utf-8")
    assert "阿拉伯数字" in unparseable


def test_rubric_scores_and_comments_come_from_the_gradebook(corpus):
    from nbgrader.api import Gradebook

    course, _, _ = corpus
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for gid, score, comment in (("q7-plan", 2, "四个人说得很清楚。"), ("q7-income", 1, "漏了助学金不计入。")):
            grade = gb.find_grade(gid, NOTEBOOK, ASSIGNMENT, "G-right")
            grade.manual_score, grade.needs_manual_grade = score, False
            gb.find_comment(gid, NOTEBOOK, ASSIGNMENT, "G-right").manual_comment = comment
        gb.db.commit()
    [page] = write_feedback(course, ASSIGNMENT, students=("G-right",), force=True)
    text = page.read_text(encoding="utf-8")
    assert "四个人说得很清楚。" in text and "漏了助学金不计入。" in text
    assert "成员认定" in text and "收入核算" in text and "待评分" in text  # two criteria still open
    assert "王阿姨，您家计入四个人" in text  # the learner's own written answer


def test_feedback_also_works_after_plain_nbgrader_autograde(reference):
    pages = {p.parent.parent.name: p for p in write_feedback(reference, ASSIGNMENT, force=True)}
    secrets = hidden_texts(reference)
    wrong = pages["G-wrong"].read_text(encoding="utf-8")
    assert "答案不正确" in wrong and not any(secret in wrong for secret in secrets)
    right = pages["G-right"].read_text(encoding="utf-8")
    assert right.count("通过") >= 6 and "8</strong> / 8" in right


def test_the_closing_line_follows_the_score_not_the_lessons_found():
    """A course whose cells name no service items has no lessons to suggest: a partial score
    must still not read as full marks."""
    from trainkit.feedback import Page, render

    page = Page(
        title="t",
        assignment="a",
        notebook="n",
        student="W001",
        name="",
        submitted="",
        score=1.5,
        max_score=3,
        auto_score=1.5,
        auto_max=3,
        pending_manual=0,
    )
    text = render(page)
    assert "都拿到了满分" not in text and "1.5 / 3" in text
    full = render(
        Page(
            title="t",
            assignment="a",
            notebook="n",
            student="W001",
            name="",
            submitted="",
            score=3,
            max_score=3,
            auto_score=3,
            auto_max=3,
            pending_manual=0,
        )
    )
    assert "都拿到了满分" in full
