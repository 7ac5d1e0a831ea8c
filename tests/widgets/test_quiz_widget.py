"""Drive the self-check widget as a learner would and check the evidence it writes."""

import pytest

from trainkit.evidence import open_store
from trainkit.roster import load_roster
from trainkit.widgets import quiz
from trainkit.widgets._models import model_ids
from trainkit.widgets.quiz import ItemCard


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'e.db'}")


@pytest.fixture
def worker():
    return load_roster()["W003"]


def _card(widget, kind):
    return next(c for c in widget.cards if c.item.type == kind)


def _right(card):
    item = card.item
    if item.type == "multiple":
        for opt, box in zip(item.options, card.input.children, strict=True):
            box.value = opt.key in item.answer
    elif item.type == "numeric":
        card.input.value = f"{item.answer}元"
    else:
        card.input.value = item.answer


def test_correct_answer_shows_feedback_and_records_one_row_per_service_item(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = _card(widget, "single")
    _right(card)
    card.submit.click()
    assert "回答正确" in card.feedback.value
    assert "来源" in card.feedback.value
    rows = store.rows(worker_id="W003")
    assert len(rows) == len(card.item.items)
    assert {r.item_id for r in rows} == set(card.item.items)
    assert all(r.source == "self_check" and r.score == 1.0 for r in rows)
    assert rows[0].ref == f"quiz:social-assistance-dibao:{card.item.id}"
    assert rows[0].domain == "social_assistance"


def test_wrong_answer_scores_zero_and_explains(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = _card(widget, "single")
    card.input.value = next(o.key for o in card.item.options if o.key != card.item.answer)
    card.submit.click()
    assert "不对" in card.feedback.value
    assert card.item.explanation[:10] in card.feedback.value.replace("&quot;", '"')
    assert {r.score for r in store.rows(worker_id="W003")} == {0.0}


def test_numeric_item_accepts_what_an_input_method_types(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = _card(widget, "numeric")
    card.input.value = str(card.item.answer).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "元"
    card.submit.click()
    assert "回答正确" in card.feedback.value


def test_unanswered_or_unreadable_input_is_not_recorded(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = _card(widget, "numeric")
    card.submit.click()
    assert "还没有作答" in card.feedback.value
    card.input.value = "六百"
    card.submit.click()
    assert "不是一个数字" in card.feedback.value
    assert store.rows() == []


def test_repeated_attempts_are_all_kept(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = _card(widget, "true_false")
    card.input.value = not card.item.answer
    card.submit.click()
    _right(card)
    card.submit.click()
    rows = store.rows(worker_id="W003")
    per_attempt = len(card.item.items)
    assert [r.score for r in rows] == [0.0] * per_attempt + [1.0] * per_attempt
    assert [r.answer["attempt"] for r in rows][-1] == 2


def test_without_a_known_learner_nothing_is_recorded_and_the_learner_is_told(store, monkeypatch):
    monkeypatch.delenv("TRAINKIT_WORKER", raising=False)
    monkeypatch.setenv("TRAINKIT_HOME", str(store.url).removeprefix("sqlite:///").rsplit("/", 1)[0])
    widget = quiz("social-assistance-dibao", store=store)
    card = widget.cards[0]
    _right(card)
    card.submit.click()
    assert "工号" in card.feedback.value
    assert store.rows() == []


def test_every_item_of_the_bank_gets_a_card():
    widget = quiz("social-assistance-dibao", store=open_store("sqlite://"))
    assert isinstance(widget.cards[0], ItemCard)
    assert len(widget.cards) >= 8


def test_a_long_bank_shows_five_questions_at_a_time_and_pages_on(store, worker):
    from trainkit.quiz import load_bank

    bank = load_bank("elderly")
    assert len(bank.items) > 20  # a bank long enough for five pages
    first = bank.items[12]
    store.record(
        worker_id=worker.worker_id, item_id=first.items[0], domain="elderly", source="self_check",
        ref=f"quiz:{bank.id}:{first.id}", score=1.0, max_score=1.0, assessor=worker.worker_id,
        answer={"value": first.answer},
    )  # fmt: skip
    widget = quiz(bank.id, worker=worker, store=store)
    shown = lambda: [c.number for c in widget.body.children]  # noqa: E731
    assert shown() == [1, 2, 3, 4, 5] and widget.previous.disabled and not widget.next.disabled
    assert f"第 1–5 题（共 {len(bank.items)} 题" in widget.where.value
    assert len(widget._built) == 5  # the other pages' cards are not built (nor sent to the browser) yet
    widget.next.click()
    widget.next.click()
    assert shown() == [11, 12, 13, 14, 15] and not widget.previous.disabled
    assert "上次作答" in widget.body.children[2].feedback.value  # question 13, answered before, restored
    for _ in range(widget.pages):
        widget.next.click()
    assert shown()[-1] == len(bank.items) and widget.next.disabled
    assert sorted(c.number for page in range(widget.pages) for c in _page(widget, page)) == list(
        range(1, len(bank.items) + 1)
    )  # paging through, the learner meets every question of the bank once
    widget.previous.click()
    assert shown()[0] == (widget.pages - 2) * 5 + 1


def _page(widget, page: int) -> list:
    widget.show_page(page)
    return list(widget.body.children)


def test_only_template_items_carry_a_fresh_variant_button():
    widget = quiz("social-assistance-dibao", store=open_store("sqlite://"))
    fixed = next(c for c in widget.cards if c.item.template is None)
    templated = next(c for c in widget.cards if c.item.template is not None)
    assert fixed.another is None and templated.another is not None
    assert templated.another in templated.children[2].children  # beside 提交


def test_a_wrong_answer_on_a_template_item_offers_a_fresh_variant_with_new_figures(store, worker):
    widget = quiz("social-assistance-dibao", worker=worker, store=store)
    card = next(c for c in widget.cards if c.item.template is not None)
    first_prompt, first_answer = card.item.prompt, card.item.answer
    assert card.another.layout.display == "none"
    card.input.value = str(first_answer + 1)
    card.submit.click()
    assert card.another.layout.display is None
    card.another.click()
    assert card.item.prompt != first_prompt and card.feedback.value == ""
    # the variant's answer is the rule's answer for the new figures, worked here by hand
    income = int(card.item.prompt.split("月可计收入合计 ")[1].split(" 元")[0])
    assert card.item.answer == 2 * 1011 - income
    card.input.value = str(card.item.answer)
    card.submit.click()
    assert "回答正确" in card.feedback.value and card.another.layout.display == "none"
    rows = store.rows(worker_id="W003", ref=f"quiz:social-assistance-dibao:{card.item.id}")
    assert [r.score for r in rows] == [0.0, 1.0]


def test_cards_share_their_looks_so_a_page_of_questions_is_fewmodel_ids():
    widget = quiz("social-assistance-dibao", store=open_store("sqlite://"))
    first, second = widget.cards[0], widget.cards[1]
    assert first.prompt.layout is second.feedback.layout and first.prompt.style is second.prompt.style
    shown = widget.body.children
    own = [len(model_ids(card)) for card in shown]
    together = len(set().union(*(model_ids(card) for card in shown)))
    assert together < 0.7 * sum(own), (together, own)  # counted alone, each card would repeat the looks


def test_hiding_one_cards_variant_button_hides_nothing_else(store, worker):
    widget, again = (quiz("social-assistance-dibao", worker=worker, store=store) for _ in range(2))
    card, other = (next(c for c in w.cards if c.item.template is not None) for w in (widget, again))
    card.input.value = str(card.item.answer + 1)
    card.submit.click()
    assert card.another.layout.display is None  # offered on this card only
    assert other.another.layout.display == "none"
    assert all(c.submit.layout.display is None and c.prompt.layout.display is None for c in widget.cards + again.cards)
