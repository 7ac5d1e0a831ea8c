"""The roster screen: check a roster file row by row, see who is who by 街道 and 社区, find the
ids in the evidence that the roster does not know, and make a checked file this machine's roster."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import ipywidgets as w

from ..atomic import write_bytes
from ..content import ContentError
from ..erasure import ERASED_PREFIX
from ..evidence import EvidenceStore, open_store
from ..markup import STYLE, e
from ..roster import Worker, load_roster, roster_path, trainkit_home

__all__ = ["RosterScreen", "roster_screen"]


class RosterScreen:
    """Upload → checked roster (or its row errors) → optionally saved as ``~/.trainkit/roster.csv``."""

    def __init__(self, *, store: EvidenceStore | None = None):
        self.store = store
        self.upload = w.FileUpload(accept=".csv", multiple=False, description="选择花名册文件")
        self.save = w.Button(description="设为本机花名册", button_style="primary", disabled=True)
        self.view, self.message = w.HTML(), w.HTML()
        self.pending: bytes | None = None
        self.upload.observe(self._uploaded, names="value")
        self.save.on_click(self._save)
        try:
            self.view.value = self.render(load_roster(), title=f"当前花名册：{roster_path()}")
        except ContentError as err:
            self.view.value = _problems(err)
        self.widget = w.VBox([self.upload, self.view, self.save, self.message])

    def load(self, name: str, data: bytes) -> dict[str, Worker] | None:
        """Check an uploaded file; show its workers or its row errors. Returns the roster when valid."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            try:
                roster = load_roster(path)
            except ContentError as err:
                self.pending, self.save.disabled = None, True
                # the supervisor chose a file by its name; where the kit copied it to check it is no concern of theirs
                self.view.value = _problems(ContentError([p.replace(str(path), path.name) for p in err.problems]))
                return None
        self.pending = data
        managed = bool(os.environ.get("TRAINKIT_ROSTER"))
        self.save.disabled = managed
        self.message.value = (
            (
                f"{STYLE}<div class='tk tk-muted'>本机的花名册由部署设置（TRAINKIT_ROSTER），"
                "请把检查无误的文件交给系统管理员替换。</div>"
            )
            if managed
            else ""
        )
        self.view.value = self.render(roster, title=f"{Path(name).name}：检查通过")
        return roster

    def render(self, roster: dict[str, Worker], *, title: str) -> str:
        """Workers grouped by (区县·)街道 and 社区 (in the roster's order), then the ids in the evidence that the roster lacks."""
        groups: dict[tuple[str, str], list[Worker]] = {}
        for worker in roster.values():
            street = f"{worker.district}·{worker.street}" if worker.district else worker.street  # 区县 on city rosters
            groups.setdefault((street, worker.community or "（街道）"), []).append(worker)
        rows = "".join(
            f"<tr><td>{e(street)}</td><td>{e(community)}</td><td>{len(people)}</td><td>"
            + "、".join(
                f"{e(p.display_name)}（{e(p.worker_id)}{'，' + e(p.post) if p.post else ''}"
                f"{'，督导：' + e(p.supervisor_scope) if p.supervisor_scope else ''}）"
                for p in people
            )
            + "</td></tr>"
            for (street, community), people in sorted(groups.items(), key=lambda group: group[0][0])
        )
        unknown = self.unknown_ids(roster)
        missing = (
            f"<p class='tk-wait'>证据库中有 {len(unknown)} 个工号不在这份花名册上：{e('、'.join(unknown))}。"
            "他们的记录不会出现在报告中；如是新同事请加入花名册，如是测试账号可以不管。</p>"
            if unknown
            else "<p class='tk-ok'>证据库中的工号都在花名册上。</p>"
        )
        return (
            f"{STYLE}<div class='tk'><b>{e(title)}</b>，共 {len(roster)} 人。<div style='overflow-x:auto'>"
            f"<table><tr><th>街道</th><th>社区</th><th>人数</th><th>人员</th></tr>{rows}</table></div>{missing}</div>"
        )

    def unknown_ids(self, roster: dict[str, Worker]) -> list[str]:
        """Ids with evidence but not on ``roster`` (erased people's pseudonyms left out)."""
        store = self.store or open_store()
        ids = set(store.frame(columns=("worker_id",))["worker_id"])
        return sorted(i for i in ids - set(roster) if not i.startswith(ERASED_PREFIX))

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if files:
            upload = files[0]
            self.load(upload["name"], bytes(upload["content"]))

    def _save(self, _button=None) -> None:  # noqa: ANN001
        if self.pending is None:
            return
        target = write_bytes(trainkit_home() / "roster.csv", self.pending)
        self.message.value = f"{STYLE}<div class='tk tk-ok'>已设为本机花名册：{e(target)}</div>"


def roster_screen(*, store: EvidenceStore | None = None) -> w.VBox:
    """The roster screen for the supervisor notebook."""
    return RosterScreen(store=store).widget


def _problems(err: ContentError) -> str:
    lines = "".join(f"<li>{e(p)}</li>" for p in err.problems)
    return (
        f"{STYLE}<div class='tk'><p class='tk-bad'>花名册有 {len(err.problems)} 处问题，没有采用：</p>"
        f"<ul>{lines}</ul><p class='tk-muted'>按提示改好后重新选择文件。</p></div>"
    )
