"""Self-check banks: item schema, marking, and the shipped 低保 bank."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from trainkit.content import ContentError
from trainkit.framework import load_framework
from trainkit.law import Citation, check_quote
from trainkit.quiz import Item, as_number, check_answer, load_bank, load_banks

CASEBANK = Path(__file__).resolve().parents[1] / "casebank"
SOURCE = [{"title": "最低生活保障审核确认办法（民发〔2021〕57号）", "status": "S"}]


@pytest.fixture(autouse=True)
def _repo_casebank(monkeypatch):
    monkeypatch.setenv("TRAINKIT_CASEBANK", str(CASEBANK))


def _options(*keys: str) -> list[dict]:
    return [{"key": k, "text": f"选项{k}"} for k in keys]


def item_data(**kw) -> dict:
    data = {
        "id": "test-item",
        "type": "single",
        "items": ["dibao_household"],
        "prompt": "题干",
        "options": _options("A", "B", "C"),
        "answer": "B",
        "explanation": "解析",
        "sources": SOURCE,
    }
    data.update(kw)
    return data


def make(**kw) -> Item:
    return Item.model_validate(item_data(**kw))


SINGLE = make()
MULTIPLE = make(type="multiple", options=_options("A", "B", "C", "D", "E"), answer=["A", "C", "E"])
TRUE = make(type="true_false", options=[], answer=True)
FALSE = make(type="true_false", options=[], answer=False)
NUMERIC = make(type="numeric", options=[], answer=633, unit="元")


# ── marking ─────────────────────────────────────────────────────────────────


def test_single_choice():
    right = check_answer(SINGLE, "B")
    assert (right.correct, right.score, right.answered) == (True, 1.0, True)
    wrong = check_answer(SINGLE, "A")
    assert (wrong.correct, wrong.score, wrong.answered) == (False, 0.0, True)
    assert "正确答案是 B" in wrong.message


def test_multiple_choice_full_answer_in_any_order():
    m = check_answer(MULTIPLE, ["E", "A", "C"])
    assert (m.correct, m.score) == (True, 1.0)


@pytest.mark.parametrize(("chosen", "score"), [(["A"], 1 / 6), (["A", "C"], 1 / 3), (["C", "E"], 1 / 3)])
def test_multiple_choice_partial_subset_gets_partial_score(chosen, score):
    m = check_answer(MULTIPLE, chosen)
    assert m.correct is False
    assert m.answered is True
    assert 0 < m.score < 1
    assert m.score == pytest.approx(score)
    assert "选得不全" in m.message
    assert "A、C、E" in m.message


@pytest.mark.parametrize("chosen", [["A", "B"], ["A", "C", "E", "B"], ["D"], ["B", "D"]])
def test_multiple_choice_with_a_wrong_key_scores_zero(chosen):
    m = check_answer(MULTIPLE, chosen)
    assert (m.correct, m.score, m.answered) == (False, 0.0, True)
    assert "不对" in m.message


def test_true_false():
    assert check_answer(TRUE, True).correct is True
    wrong = check_answer(TRUE, False)
    assert (wrong.correct, wrong.score, wrong.answered) == (False, 0.0, True)
    assert "正确的" in wrong.message
    # False is an answer, not "nothing chosen"
    m = check_answer(FALSE, False)
    assert (m.correct, m.score, m.answered) == (True, 1.0, True)
    assert check_answer(FALSE, True).correct is False


@pytest.mark.parametrize("typed", [633, "633", "６３３", "633元", " 633 ", "633.00", "633元/人/月"])
def test_numeric_reads_what_a_learner_types(typed):
    m = check_answer(NUMERIC, typed)
    assert (m.correct, m.score, m.answered) == (True, 1.0, True)


def test_numeric_with_thousands_separator():
    item = make(type="numeric", options=[], answer=1011)
    assert check_answer(item, "1,011").correct is True
    assert check_answer(item, "１，０１１元").correct is True


def test_numeric_wrong_value_gives_the_answer_with_unit():
    m = check_answer(NUMERIC, "1533")
    assert (m.correct, m.score, m.answered) == (False, 0.0, True)
    assert m.message == "不对，正确答案是 633元。"


def test_numeric_tolerance():
    item = make(type="numeric", options=[], answer=0.01, tolerance=0.005)  # as YAML floats
    assert check_answer(item, "0.014").correct is True
    assert check_answer(item, "0.016").correct is False


@pytest.mark.parametrize("typed", ["六百三十三", "abc", "633 或 634", "元"])
def test_numeric_non_number_is_not_answered(typed):
    m = check_answer(NUMERIC, typed)
    assert (m.correct, m.score, m.answered) == (False, 0.0, False)
    assert "不是一个数字" in m.message


@pytest.mark.parametrize("item", [SINGLE, MULTIPLE, TRUE, NUMERIC], ids=lambda i: i.type)
@pytest.mark.parametrize("empty", [None, "", [], ()])
def test_empty_answer_is_not_answered(item, empty):
    m = check_answer(item, empty)
    assert (m.correct, m.score, m.answered) == (False, 0.0, False)
    assert "还没有作答" in m.message


@pytest.mark.parametrize("typed", ["nan", "NaN", "sNaN", "Infinity"])
def test_numeric_nan_is_not_answered(typed):
    m = check_answer(NUMERIC, typed)
    assert m.answered is False


@pytest.mark.parametrize("typed", ["false", "错误", 0])
def test_true_false_needs_a_real_choice(typed):
    m = check_answer(TRUE, typed)
    assert m.answered is False and m.score == 0.0


def test_as_number():
    assert as_number("１，２３４.５") == Decimal("1234.5")
    assert as_number("18岁") == Decimal(18)
    assert as_number("三") is None


# ── item schema ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "bad",
    [
        {"answer": "D"},  # not among options
        {"type": "multiple", "answer": ["A", "D"]},  # not among options
        {"type": "single", "answer": ["A"]},  # single with a list
        {"type": "multiple", "answer": "A"},  # multiple with one letter
        {"type": "true_false", "options": [], "answer": "是"},  # non-bool
        {"type": "true_false", "options": [], "answer": 1},  # non-bool
        {"type": "numeric", "options": [], "answer": "六百"},  # not a number
        {"options": [{"key": "A", "text": "x"}, {"key": "A", "text": "y"}], "answer": "A"},
        {"options": _options("A"), "answer": "A"},  # one option only
        {"options": [{"key": "a", "text": "x"}, {"key": "b", "text": "y"}], "answer": "a"},
        {"id": "Dibao_01"},  # not kebab-case
        {"items": []},  # evidences nothing
        {"sources": []},  # no source
        {"sources": [{"law": "民法典", "article": 1067, "quote": "父母"}]},  # quote too short
        {"hint": "多余字段"},  # unknown field
    ],
)
def test_item_validation_rejects(bad):
    with pytest.raises(ValidationError):
        Item.model_validate(item_data(**bad))


def test_item_sources_are_citations_or_references():
    item = make(
        sources=[
            {"law": "社会救助暂行办法", "article": 12, "quote": "按月发给最低生活保障金"},
            {"title": "大连市 2025 年城乡低保等社会救助标准调整", "status": "V"},
        ]
    )
    assert isinstance(item.sources[0], Citation)
    assert item.sources[1].status == "V"


def test_numeric_answer_is_a_decimal():
    assert NUMERIC.answer == Decimal(633)
    assert isinstance(NUMERIC.answer, Decimal)


# ── banks on disk ───────────────────────────────────────────────────────────


def _bank(bank_id: str, *items: dict) -> dict:
    return {
        "schema_version": 1,
        "id": bank_id,
        "title": "测试题库",
        "domain": "social_assistance",
        "items": list(items),
    }


def _write(root: Path, name: str, data: dict) -> Path:
    path = root / "quiz" / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_tmp_bank_loads(casebank):
    _write(casebank, "tmp-bank", _bank("tmp-bank", item_data(id="q1"), item_data(id="q2")))
    bank = load_bank("tmp-bank")
    assert [i.id for i in bank.items] == ["q1", "q2"]


def test_bank_id_must_equal_file_name(casebank):
    path = _write(casebank, "tmp-bank", _bank("other-name", item_data()))
    with pytest.raises(ContentError) as err:
        load_banks()
    assert str(err.value) == f"{path}: id: 应与文件名一致（tmp-bank）"


def test_duplicate_item_ids_rejected(casebank):
    path = _write(casebank, "dupes", _bank("dupes", item_data(id="q1"), item_data(id="q2"), item_data(id="q1")))
    with pytest.raises(ContentError) as err:
        load_bank("dupes")
    assert str(err.value) == f"{path}: items: 题目 id 重复：q1"


def test_bad_item_in_file_names_file_and_field(casebank):
    path = _write(casebank, "bad-answer", _bank("bad-answer", item_data(id="q1"), item_data(id="q2", answer="Z")))
    with pytest.raises(ContentError) as err:
        load_bank("bad-answer")
    assert err.value.problems[0].startswith(f"{path}: items.1: ")


def test_unknown_bank():
    with pytest.raises(ContentError, match="未知自测题库 no-such-bank"):
        load_bank("no-such-bank")


# ── the shipped 低保 bank (content check) ────────────────────────────────────


def test_shipped_dibao_bank():
    bank = load_bank("social-assistance-dibao")
    assert bank.domain == "social_assistance"
    assert len(bank.items) >= 8
    declared = {i.id for i in load_framework().domain("social_assistance").items}
    for item in bank.items:
        assert item.items, item.id
        assert set(item.items) <= declared, f"{item.id}: {set(item.items) - declared}"


def test_shipped_dibao_bank_quotes_are_exact():
    bank = load_bank("social-assistance-dibao")
    problems = [
        f"{item.id}: {src.label}: {check_quote(src)}"
        for item in bank.items
        for src in item.sources
        if isinstance(src, Citation) and check_quote(src)
    ]
    assert problems == []


def test_a_learner_who_always_picks_one_letter_gets_no_more_than_a_third_of_a_banks_single_choice_items():
    """Answer keys spread over the positions: guessing B everywhere once passed half the questions."""
    for bank in load_banks().values():
        keys = [item.answer for item in bank.items if item.type == "single"]
        if len(keys) < 8:
            continue
        most = max(keys.count(letter) for letter in set(keys))
        assert most / len(keys) <= 1 / 3 + 1e-9, (
            f"{bank.id}: {most} of {len(keys)} single-choice answers are one letter"
        )
