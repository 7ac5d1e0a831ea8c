"""The closing table and the progress bar (no kernels)."""

import io

from trainkit.autograde.progress import Progress
from trainkit.autograde.summary import FAILED, GRADED, REPAIRED, NotebookResult, RunSummary, render_summary
from trainkit.console_table import width


def test_the_table_lists_counts_repairs_and_reasons_aligned():
    summary = RunSummary(
        "social-assistance-dibao",
        [
            NotebookResult("W001", "dibao-exercise", GRADED, score=8, max_score=8),
            NotebookResult(
                "W002",
                "dibao-exercise",
                REPAIRED,
                repairs=["文件编码是 GBK，已转换为 UTF-8", "另一处修复"],
                score=6,
                max_score=8,
            ),
            NotebookResult("W0003", "dibao-exercise", FAILED, problems=["提交的文件是空的"], score=0, max_score=8),
            NotebookResult("W004", "dibao-exercise", FAILED, problems=["评分进程意外退出"]),
        ],
        skipped=["W009"],
        unknown=["W404"],
        seconds=12.5,
        jobs=2,
    )
    text = render_summary(summary)
    lines = text.splitlines()
    assert "已评分            1" in text and "已评分（有修复）  1" in text and "失败              2" in text
    assert "已跳过            1（" in text and "没有评完" in text
    assert "失败（原因）：" in text and "W404" in text and "平均每份 3.12 秒" in text
    row = next(line for line in lines if line.strip().startswith("W002"))
    follow = lines[lines.index(row) + 1]
    assert width(row[: row.index("文件编码")]) == width(follow[: follow.index("另一处修复")])
    assert "—" in next(line for line in lines if "W004" in line)  # nothing recorded
    assert not summary.ok


def test_progress_on_a_pipe_writes_a_line_per_tenth_with_time_left():
    out = io.StringIO()
    progress = Progress(20, stream=out)
    for _ in range(20):
        progress.advance()
    progress.draw(final=True)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and lines[-1].startswith("自动评分 [") and "20/20" in lines[-1]
    assert "预计还需 0:00" in lines[-1]
