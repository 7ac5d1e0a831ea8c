"""练兵比武's rules without a screen: the points, the two rounds, and how questions are drawn."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..quiz import Item, as_number, load_banks

__all__ = [
    "RIGHT",
    "ROUND_TITLES",
    "WRONG_BUZZ",
    "ContestQuestion",
    "ContestSetupError",
    "draw_questions",
    "whole_number",
]

RIGHT, WRONG_BUZZ = 10, -5
ROUND_TITLES = {"required": "必答", "buzz": "抢答"}


class ContestSetupError(ValueError):
    """A contest cannot be set up as asked; the message says what to change, in Chinese."""


@dataclass
class ContestQuestion:
    number: int
    kind: Literal["required", "buzz"]
    bank_id: str
    item: Item
    player: str | None = None  # 必答: whose question it is
    buzzed: list[str] = field(default_factory=list)  # 抢答: who buzzed, in order
    winner: str | None = None
    closed: bool = False

    @property
    def round_title(self) -> str:
        return ROUND_TITLES[self.kind]


def whole_number(text: object, title: str, low: int, high: int) -> int:
    number = as_number(text)
    if number is None or number != int(number) or not low <= number <= high:
        raise ContestSetupError(f"{title}“{text}”不对：请填写 {low} 到 {high} 之间的整数。")
    return int(number)


def draw_questions(
    *, players: Sequence[str], banks: Iterable[str], per_player: int, buzz: int, rng: random.Random
) -> list[ContestQuestion]:
    """必答 questions (players in turn), then 抢答 ones, drawn without repeats from ``banks``."""
    all_banks = load_banks()
    pool = [(b, item) for b in dict.fromkeys(banks) for item in all_banks[b].items]
    need = per_player * len(players) + buzz
    if need == 0:
        raise ContestSetupError("必答和抢答的题数都是 0：请至少安排一题。")
    if need > len(pool):
        raise ContestSetupError(f"所选题库一共 {len(pool)} 题，不够本场需要的 {need} 题：请多选题库，或减少题数。")
    drawn = rng.sample(pool, need)
    questions = []
    for i, (bank_id, item) in enumerate(drawn, start=1):
        required = i <= per_player * len(players)
        questions.append(
            ContestQuestion(
                number=i,
                kind="required" if required else "buzz",
                bank_id=bank_id,
                item=item,
                player=players[(i - 1) % len(players)] if required else None,
            )
        )
    return questions
