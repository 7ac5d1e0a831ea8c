"""Who the learner is: the roster of workers, and the identity of this session.

The roster is a CSV (UTF-8, GBK or UTF-16, as Excel and WPS save it) with the columns
``worker_id, display_name, street, community, post, supervisor_scope`` and, where a city or
province keeps one roster, ``district``; or their Chinese titles ``工号, 姓名, 街道, 社区, 岗位,
督导范围, 区县`` (``TRAINKIT_ROSTER``; else ``roster.csv`` in ``TRAINKIT_HOME``;
else the synthetic example shipped in ``casebank/``). The learner is the JupyterHub user
when there is one, else ``TRAINKIT_WORKER``, else the worker chosen once and remembered
in ``TRAINKIT_HOME/identity.json``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import atomic
from .content import ContentError, casebank_root
from .textfiles import CONTROL, read_text

__all__ = [
    "COLUMNS",
    "Worker",
    "current_worker",
    "forget_identity",
    "load_roster",
    "roster_path",
    "set_identity",
    "trainkit_home",
]

COLUMNS = ("worker_id", "display_name", "street", "community", "post", "supervisor_scope", "district")
COLUMN_TITLES = {
    "worker_id": "工号",
    "display_name": "姓名",
    "street": "街道",
    "community": "社区",
    "post": "岗位",
    "supervisor_scope": "督导范围",
    "district": "区县",
}
TITLE_ALIASES = {"区/县": "district", "区": "district", "县区": "district"}  # as office rosters head it


class Worker(BaseModel):
    """One row of the roster."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    worker_id: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    display_name: str = Field(min_length=1, max_length=40)
    street: str = Field(min_length=1)
    community: str = ""
    post: str = ""
    supervisor_scope: str = ""
    district: str = ""  # 区/县: blank in a single district's roster

    @property
    def supervises(self) -> bool:
        """A supervisor (督导范围 filled): looks at others' ratings and is not rated with them."""
        return bool(self.supervisor_scope.strip())

    def in_scope(self, scope: str, *, within: str = "") -> bool:
        """Whether a supervisor's scope or a report's ``--scope`` covers this worker.

        ``scope`` names a 区县, 街道 or 社区, or ``区县·街道`` where two 区县 have a street of
        the same name; ``within`` is the supervisor's own 区县, which a scope never reaches past.
        """
        district, _, place = scope.strip().rpartition("·")
        if any(required and self.district != required for required in (district, within)):
            return False
        return bool(place) and place in (self.district, self.street, self.community)

    @field_validator("worker_id")
    @classmethod
    def _not_a_pseudonym(cls, value: str) -> str:
        if value.startswith("erased-"):  # how erasure names the people it removed (trainkit.erasure)
            raise ValueError("以 erased- 开头的是已清除人员的化名，不能用作工号")
        return value


def trainkit_home() -> Path:
    home = Path(os.environ.get("TRAINKIT_HOME", Path.home() / ".trainkit"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def roster_path() -> Path:
    if env := os.environ.get("TRAINKIT_ROSTER"):
        return Path(env)
    local = trainkit_home() / "roster.csv"
    return local if local.is_file() else casebank_root() / "roster-example.csv"


def load_roster(path: Path | None = None) -> dict[str, Worker]:
    """Read and validate the roster; every bad row is reported as ``file: 第N行: field: …``.

    UTF-8 (with or without BOM), GBK/GB18030 and UTF-16 files are read (:mod:`trainkit.textfiles`);
    headers may be the English column names or their Chinese titles (工号, 姓名, …); empty rows,
    as Excel leaves at the end, are skipped; control characters are refused.
    """
    path = path or roster_path()
    if not path.exists():
        raise ContentError(f"{path}: 找不到花名册文件；请设置 TRAINKIT_ROSTER 或放置 roster.csv")
    text, _encoding = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    by_title = {title: name for name, title in COLUMN_TITLES.items()} | TITLE_ALIASES
    names = [by_title.get(h, h) for h in header]
    missing = [COLUMN_TITLES[c] + f"（{c}）" for c in COLUMNS[:4] if c not in names]
    if missing:
        raise ContentError(
            f"{path}: 表头: 缺少列 {', '.join(missing)}"
            f"（第一行应是 {', '.join(list(COLUMN_TITLES.values())[:6])}，多区花名册再加 区县；"
            f"或对应的英文列名 {', '.join(COLUMNS)}）"
        )
    workers: dict[str, Worker] = {}
    problems: list[str] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # an empty row, as Excel leaves at the end
        row = dict(zip(names, cells, strict=False))
        data = {k: (row.get(k) or "") for k in COLUMNS}
        bad = [COLUMN_TITLES[k] for k, v in data.items() if CONTROL.search(v)]
        if bad:
            problems.append(f"{path}: 第{line}行: {'、'.join(bad)}: 含有不可见的控制字符，请在 Excel 中删去后重新保存")
            continue
        try:
            worker = Worker(**data)
        except ValidationError as err:
            problems += [
                f"{path}: 第{line}行: {COLUMN_TITLES.get(str(e['loc'][0]), e['loc'][0])}: {_plain(e)}"
                for e in err.errors()
            ]
            continue
        if worker.worker_id in workers:
            problems.append(f"{path}: 第{line}行: 工号: {worker.worker_id} 重复")
            continue
        workers[worker.worker_id] = worker
    if problems:
        raise ContentError(problems)
    return workers


def _plain(error: Any) -> str:
    """A pydantic complaint about one roster field, in Chinese."""
    kind = error.get("type", "")
    if kind == "string_pattern_mismatch":
        return f"“{error.get('input', '')}”只能由英文字母、数字、下划线、点和连字符组成（例如 w003），不能有空格或汉字"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return "太长了（姓名最多 40 个字）"
    return str(error.get("msg", "")).removeprefix("Value error, ")


def _identity_file() -> Path:
    return trainkit_home() / "identity.json"


def set_identity(worker_id: str) -> Worker:
    """Remember who uses this machine, once; the worker must be on the roster."""
    roster = load_roster()
    if worker_id not in roster:
        raise KeyError(f"花名册中没有工号 {worker_id}，请联系培训师核对花名册")
    atomic.write_text(_identity_file(), json.dumps({"worker_id": worker_id}))
    return roster[worker_id]


def forget_identity() -> None:
    _identity_file().unlink(missing_ok=True)


def current_worker() -> Worker | None:
    """The learner of this session, or ``None`` when not yet chosen."""
    roster = load_roster()
    for candidate in (os.environ.get("JUPYTERHUB_USER"), os.environ.get("TRAINKIT_WORKER")):
        if candidate:
            if candidate not in roster:
                raise KeyError(f"花名册中没有工号 {candidate}，请联系培训师把您加入花名册")
            return roster[candidate]
    try:
        remembered = json.loads(_identity_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: asked again, as on a first visit
        return None
    worker_id = remembered.get("worker_id") if isinstance(remembered, dict) else None
    return roster.get(worker_id) if isinstance(worker_id, str) else None
