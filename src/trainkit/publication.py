"""The 公示: names, levels and 全岗通 only, with the notice period and how to appeal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from .atomic import write_text
from .evidence import EvidenceStore
from .report import assess
from .report_format import date_text
from .roster import Worker

__all__ = ["PUBLICATION_IDS", "build_publication"]

PUBLICATION_IDS = {"post": "岗位", "id": "工号"}


def build_publication(
    store: EvidenceStore,
    roster: dict[str, Worker],
    *,
    out_html: Path,
    appeal_days: int,
    as_of: datetime | None = None,
    since: datetime | None = None,
    title: str = "社区工作者能力评定结果公示",
    identify: str = "post",
    include_supervisors: bool = False,
) -> Path:
    """The 公示: names, levels and 全岗通 only, with the notice period and how to appeal.

    Each row names the person beside their 街道/社区 and, as the bureau decides, their post
    (``identify="post"``) or their 工号 (``"id"``); where name, unit and post still match two
    people, the 工号 is added. Supervisors (a 督导范围 on the roster) are left out unless
    ``include_supervisors``: the notice is about the workers being rated.
    """
    if appeal_days < 1:
        raise ValueError("公示期（--appeal-days）至少 1 天")
    if identify not in PUBLICATION_IDS:
        raise ValueError(f"--identify 应为 {' 或 '.join(PUBLICATION_IDS)}（{'、'.join(PUBLICATION_IDS.values())}）")
    listed = {k: w for k, w in roster.items() if include_supervisors or not w.supervises}
    if not listed:
        raise ValueError("花名册中没有需要公示的工作人员（督导不列入公示；确要列入请加 --include-supervisors）")
    view, _ = assess(store, listed, as_of=as_of, since=since, domains=None)
    start = datetime.now(UTC).date()
    seen: dict[tuple[str, str, str, str], int] = {}
    for w in listed.values():
        key = (w.display_name, w.street, w.community, w.post)
        seen[key] = seen.get(key, 0) + 1

    def who(w: Worker) -> str:
        if identify == "id":
            return w.worker_id
        twin = seen[(w.display_name, w.street, w.community, w.post)] > 1
        return f"{w.post or '—'}（工号 {w.worker_id}）" if twin else (w.post or "—")

    rows = [
        {
            "name": w["worker"].display_name,
            "unit": f"{w['worker'].street} {w['worker'].community}".strip(),
            "who": who(w["worker"]),
            "levels": [c["level_title"] for c in w["cells"]],
            "full_post": w["full_post"],
        }
        for w in view.worker_rows
    ]
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    source = resources.files("trainkit").joinpath("templates").joinpath("publication.html.j2")
    html = env.from_string(source.read_text(encoding="utf-8")).render(
        title=title,
        as_of=date_text(view.as_of),
        start=start.isoformat(),
        deadline=(start + timedelta(days=appeal_days)).isoformat(),
        days=appeal_days,
        domains=view.framework.domains,
        rows=rows,
        explanation=view.rules.explanation_text(),
        who_title=PUBLICATION_IDS[identify],
    )
    return write_text(Path(out_html), html)
