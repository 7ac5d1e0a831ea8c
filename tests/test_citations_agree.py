"""trainkit check and the bureau's citation checker (../shared/tools/check_citations.py) agree
on the whole repository: both find every statute quote exact, and both catch a broken one."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainkit.check import run_check

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "check_citations.py"


def _tool() -> Path:
    import os

    if not TOOL.is_file():
        message = f"找不到引文检查工具 {TOOL}（应在仓库旁的 ../shared/tools）"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}；CI 中必须提供该目录")
        pytest.skip(message)
    return TOOL


def _run_tool(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(_tool()), *map(str, paths)], capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_both_checkers_pass_the_whole_repository():
    result = _run_tool(ROOT / "casebank", ROOT / "notebooks", ROOT / "exercises" / "source", ROOT / "src")
    assert result.returncode == 0, result.stdout[-3000:]
    ok = int(re.search(r"(\d+) ok", result.stdout).group(1))
    inventory = run_check()
    assert inventory.problems == []
    assert ok >= inventory.counts["citations"] >= 100


def test_both_checkers_catch_the_same_broken_quote(casebank):
    _tool()
    case = next((casebank / "cases").rglob("*.yaml"))
    text = case.read_text(encoding="utf-8")
    quote = re.search(r"quote: (.+)", text).group(1).strip().strip('"')
    broken = quote[:2] + "不" + quote[2:]
    case.write_text(text.replace(quote, broken, 1), encoding="utf-8")
    result = _run_tool(casebank)
    assert result.returncode == 1 and case.name in result.stdout + result.stderr
    assert any(str(case) in p for p in run_check().problems)
    shutil.rmtree(casebank)
