"""The command line's own words (用法, 选项, errors) come in Chinese from a translation catalogue."""

import ast
from importlib import resources
from pathlib import Path

import click
import polib
from click.testing import CliRunner

from trainkit.cli import main


def _click_messages() -> set[str]:
    """Every text Click marks for translation, read from Click's own source."""
    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found | {"required"}  # passed to _() through a variable


def test_every_translated_text_is_one_click_really_uses():
    catalogue = polib.pofile(str(resources.files("trainkit") / "locale" / "zh_CN" / "LC_MESSAGES" / "click.po"))
    unknown = [e.msgid for e in catalogue if e.msgid not in _click_messages()]
    assert unknown == [], "Click 的原文已改变，请更新 click.po"
    assert all(e.msgstr or e.msgstr_plural for e in catalogue)


def test_help_and_errors_are_chinese():
    run = CliRunner().invoke
    shown = run(main, ["report", "--help"])
    assert "用法：" in shown.output and "选项" in shown.output and "显示本帮助并退出" in shown.output
    assert "Usage:" not in shown.output and "Show this message" not in shown.output
    wrong = run(main, ["report", "--bogus"])
    assert wrong.exit_code == 2 and "没有选项 '--bogus'" in wrong.output and "查看用法" in wrong.output
    typo = run(main, ["repor"])
    assert "没有子命令 'repor'" in typo.output and "report" in typo.output
