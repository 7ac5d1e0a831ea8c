"""How the widget tests answer an item: the right or a wrong answer, typed or clicked in."""


def right_answer(item) -> object:
    """What a learner enters to answer ``item`` right (numbers as typed text)."""
    return f"{item.answer}" if item.type == "numeric" else item.answer


def wrong_answer(item) -> object:
    if item.type == "numeric":
        return f"{item.answer + 1}"
    if item.type == "true_false":
        return not item.answer
    keys = [o.key for o in item.options]
    if item.type == "single":
        return next(k for k in keys if k != item.answer)
    return [k for k in keys if k not in item.answer][:1]


def fill(card, value) -> None:
    """Put ``value`` into an ItemCard's input, as clicking or typing would."""
    if card.item.type == "multiple":
        for option, box in zip(card.item.options, card.input.children, strict=True):
            box.value = option.key in value
    else:
        card.input.value = value


def answer(card, value) -> None:
    """Fill and click 提交 (a number box has already submitted on its change: the click is a no-op)."""
    fill(card, value)
    card.submit.click()
