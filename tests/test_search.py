"""Offline search by words in Chinese: lessons, cases, self-check questions and law articles."""

import os

from trainkit.cases import load_cases
from trainkit.law import article
from trainkit.lessons import load_lessons
from trainkit.quiz import load_banks
from trainkit.search import _index, search, tokens
from trainkit.widgets.search_box import results_html


def _lesson_of_bank(bank_id):
    return next(lesson for lesson in load_lessons() if bank_id in lesson.banks)


def test_chinese_is_cut_into_bigrams_and_latin_words_kept_whole():
    assert tokens("低保申请") == {"低保", "保申", "申请"}
    assert tokens("民法典 第1067条") == {"民法", "法典", "第", "1067", "条"}
    assert tokens("ＡＢ，１０６７") == tokens("ab,1067") == {"ab", "1067"}  # full-width input, as an IME types it


def test_a_lesson_is_found_by_words_of_its_title_in_any_order():
    lesson = next(x for x in load_lessons() if len(x.title) >= 8)
    words = [lesson.title[:4], lesson.title[4:8]]
    for query in (" ".join(words), " ".join(reversed(words))):
        hits = search(query)
        assert any(h.kind == "lesson" and h.lesson == lesson for h in hits[:5]), query


def test_a_case_is_found_by_a_phrase_of_its_facts_and_leads_to_its_lesson():
    case = next(c for c in load_cases().values() if any(c.id in x.cases for x in load_lessons()))
    lesson = next(x for x in load_lessons() if case.id in x.cases)
    phrase = case.facts.split("，")[0][:12]
    hits = [h for h in search(phrase) if h.kind == "case" and h.title == case.title]
    assert hits and hits[0].lesson == lesson


def test_a_self_check_question_is_found_and_leads_to_the_lesson_with_its_bank():
    bank = next(b for b in load_banks().values() if any(b.id in x.banks for x in load_lessons()))
    item = bank.items[0]
    hits = [h for h in search(item.prompt[:16]) if h.kind == "item" and h.title == item.prompt]
    assert hits and hits[0].lesson == _lesson_of_bank(bank.id)


def test_a_law_article_is_found_by_law_and_number_with_its_text():
    for query in ("民法典 1067", "民法典 １０６７", "1067 民法典"):
        first = search(query)[0]
        assert first.kind == "law" and first.title == "《民法典》第一千零六十七条", query
        assert first.body == article("民法典", 1067).text


def test_words_found_nowhere_give_no_results_and_an_empty_query_none():
    assert search("qqqzzzxx") == []
    assert search("   ") == []


def test_the_snippet_marks_the_words_searched_for():
    hit = search("赡养费")[0]
    marked = [text for text, on in hit.snippet("赡养费") if on]
    assert marked and all(set(text) <= set("赡养费") for text in marked)
    assert "赡养费" in "".join(text for text, _on in hit.snippet("赡养费"))


def test_results_link_to_the_lesson_and_escape_what_was_typed():
    bank = next(b for b in load_banks().values() if any(b.id in x.banks for x in load_lessons()))
    item = bank.items[0]
    hits = search(item.prompt[:16])
    html = results_html(item.prompt[:16], hits, href=lambda lesson: f"/app/{lesson.id}")
    assert f"href='/app/{_lesson_of_bank(bank.id).id}'" in html
    none = results_html("<script>", [], href=lambda lesson: "")
    assert "&lt;script&gt;" in none and "<script>" not in none and "没有找到" in none


def test_the_index_is_kept_until_a_content_file_changes(casebank, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    before = _index(notebooks)
    assert _index(notebooks) is before  # unchanged files: the same index, not built again
    word = "鲸落星图"
    assert search(word, notebooks=notebooks) == []
    assert _index(notebooks) is before
    bank = sorted((casebank / "quiz").glob("*.yaml"))[0]
    text = bank.read_text(encoding="utf-8")
    first_prompt = text.index("prompt:")
    bank.write_text(text[: first_prompt + 7] + f" {word}" + text[first_prompt + 7 :], encoding="utf-8")
    stat = bank.stat()
    os.utime(bank, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later time, whatever the clock's grain
    assert [h.kind for h in search(word, notebooks=notebooks)] == ["item"]
    assert _index(notebooks) is not before
