"""练兵比武's setup form: players, banks, how many questions and how long each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from ..framework import load_framework
from ..markup import STYLE, e
from ..roster import Worker
from .contest_rules import RIGHT, WRONG_BUZZ, whole_number

__all__ = ["ContestSetup"]


class ContestSetup(w.VBox):
    """The form a trainer fills before the contest; ``settings()`` reads it, checked."""

    def __init__(self, roster: dict[str, Worker], banks_all: dict, *, per_player: int, buzz: int, seconds: int):
        self.roster = roster
        fw = load_framework()
        self.player_picker = w.SelectMultiple(
            options=[
                (f"{x.worker_id} {x.display_name}（{x.community or x.street}）", x.worker_id)
                for x in self.roster.values()
            ],
            description="选手",
            rows=min(8, max(3, len(self.roster))),
            layout=w.Layout(width="480px"),
        )
        self.player_picker.add_class("tk-players")
        self.bank_picker = w.SelectMultiple(
            options=[
                (f"{b.title}（{fw.domain(b.domain).title}，{len(b.items)} 题）", b.id)
                for b in sorted(banks_all.values(), key=lambda b: b.id)
            ],
            description="题库",
            rows=8,
            layout=w.Layout(width="640px"),
        )
        self.bank_picker.add_class("tk-banks")
        style = {"description_width": "initial"}
        self.per_player_box = w.Text(
            value=str(per_player),
            description="必答每人题数",
            style=style,
            continuous_update=False,
            layout=w.Layout(width="200px"),
        )
        self.per_player_box.add_class("tk-per-player")
        self.buzz_box = w.Text(
            value=str(buzz),
            description="抢答题数",
            style=style,
            continuous_update=False,
            layout=w.Layout(width="200px"),
        )
        self.buzz_box.add_class("tk-buzz-count")
        self.seconds_box = w.Text(
            value=str(seconds),
            description="每题限时（秒）",
            style=style,
            continuous_update=False,
            layout=w.Layout(width="220px"),
        )
        self.seconds_box.add_class("tk-seconds")
        self.start_button = w.Button(
            description="开始比赛", button_style="primary", icon="flag", tooltip="按所选选手和题库出题"
        )
        self.start_button.add_class("tk-start")
        self.message = w.HTML()
        self.message.add_class("tk-message")
        intro = w.HTML(
            f"{STYLE}<div class='tk'><h3>练兵比武 · 设置</h3><div class='tk-muted'>选择选手（可多选："
            "按住 Ctrl 或 Shift 点选）和题库，填写题数与限时，点“开始比赛”。第一轮必答：选手轮流答自己的题，"
            f"答对 +{RIGHT} 分；第二轮抢答：先抢先答，答对 +{RIGHT} 分，答错 {WRONG_BUZZ} 分、其他选手可继续抢答。"
            "每个作答都记入该选手的学习记录（自测题）。</div></div>"
        )
        super().__init__(
            [
                intro,
                self.player_picker,
                self.bank_picker,
                w.HBox([self.per_player_box, self.buzz_box, self.seconds_box]),
                self.start_button,
                self.message,
            ]
        )
        self.add_class("tk-contest-setup")

    def choose(self, *, players: Sequence[str] | None, banks: Sequence[str] | None) -> None:
        """Preselect players and banks (those the roster and the bank list know)."""
        if players:
            self.player_picker.value = tuple(p for p in players if p in self.roster)
        if banks:
            known = {value for _, value in self.bank_picker.options}
            self.bank_picker.value = tuple(b for b in banks if b in known)

    def settings(self) -> dict[str, Any]:
        """The form's choices as ``configure`` takes them; a wrong number raises ContestSetupError."""
        return {
            "players": list(self.player_picker.value),
            "banks": list(self.bank_picker.value),
            "per_player": whole_number(self.per_player_box.value, "必答每人题数", 0, 20),
            "buzz": whole_number(self.buzz_box.value, "抢答题数", 0, 50),
            "seconds": whole_number(self.seconds_box.value, "每题限时（秒）", 5, 600),
        }

    def say(self, problem: object) -> None:
        """Show what to change on the form (empty: clear)."""
        self.message.value = f"{STYLE}<div class='tk tk-wait'>{e(problem)}</div>" if str(problem) else ""
