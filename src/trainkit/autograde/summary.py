"""The end-of-run summary a trainer reads: 已评分 / 已评分（有修复，列出修复）/ 失败（原因）, in a plain-text table."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..console_table import table as _table

__all__ = ["GRADED", "FAILED", "REPAIRED", "NotebookResult", "RunSummary", "render_summary"]

GRADED, REPAIRED, FAILED = "已评分", "已修复", "失败"
TITLES = {GRADED: "已评分", REPAIRED: "已评分（有修复）", FAILED: "失败"}


@dataclass
class NotebookResult:
    student: str
    notebook: str
    status: str  # GRADED | REPAIRED | FAILED
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    score: float | None = None  # autograded points recorded (None: nothing recorded)
    max_score: float | None = None


@dataclass
class RunSummary:
    assignment: str
    results: list[NotebookResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # students already autograded
    unknown: list[str] = field(default_factory=list)  # --student ids without a submission
    seconds: float = 0.0
    jobs: int = 1
    interrupted: bool = False
    log: str = ""

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.interrupted and self.count(FAILED) == 0


def _points(r: NotebookResult) -> str:
    return f"{r.score:g}/{r.max_score:g}" if r.score is not None and r.max_score is not None else "—"


def render_summary(s: RunSummary) -> str:
    graded = len(s.results)
    lines = [
        f"自动评分汇总：{s.assignment}" + ("（已中断，以下为中断前的结果）" if s.interrupted else ""),
        f"  本次评分 {graded} 份 notebook，用时 {s.seconds:.1f} 秒，{s.jobs} 个并行进程"
        + (f"，平均每份 {s.seconds / graded:.2f} 秒" if graded else ""),
        "",
    ]
    rows = [[TITLES[status], str(s.count(status))] for status in (GRADED, REPAIRED, FAILED)] + [
        ["已跳过", f"{len(s.skipped)}" + ("（此前已评分且没有重新提交；加 --force 重新评分）" if s.skipped else "")]
    ]
    lines += _table(["状态", "份数"], rows)
    for status, title, field_name in (
        (REPAIRED, "已评分（有修复）：评分前自动修复或需要说明的情况", "repairs"),
        (FAILED, "失败（原因）", "problems"),
    ):
        chosen = [r for r in s.results if r.status == status]
        if not chosen:
            continue
        lines += ["", f"{title}："]
        rows = []
        for r in chosen:
            texts = getattr(r, field_name) or ["—"]
            if status == FAILED and r.repairs:
                texts = [*texts, *(f"（另已修复：{t}）" for t in r.repairs)]
            rows.append([r.student, r.notebook, _points(r), texts[0]])
            rows += [["", "", "", t] for t in texts[1:]]
        lines += _table(["学员", "notebook", "自动评分", "说明"], rows)
    if s.unknown:
        lines += ["", f"没有找到这些学员的提交：{'、'.join(s.unknown)}"]
    if s.log:
        lines += ["", f"详细日志：{s.log}"]
    if s.count(FAILED):
        lines += [
            "",
            f"有 {s.count(FAILED)} 份没有评完：按上面的原因处理后，再运行一次本命令只评这些（已评的会跳过）。",
        ]
    return "\n".join(lines)
