"""Bad input from real offices, through the real command line: a clear Chinese message naming the
file, row or field, a non-zero exit, never a traceback, and no earlier file damaged.

Each case is one line of data: (name, files to make, arguments, expected exit code, words the
output must contain). ``{tmp}`` in arguments is the case's own folder.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainkit.cli import main
from trainkit.evidence import open_store

HEADER_ZH = "工号,姓名,街道,社区,岗位,督导范围"
ROWS = ["w001,林晓雨（示例）,示例街道,示例一社区,综合受理窗口,", "s001,郑督导（示例）,示例街道,,街道督导,示例街道"]


def roster(encoding: str, *, rows: list[str] = ROWS, header: str = HEADER_ZH, tail: str = "") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n" + tail).encode(encoding)


def evidence_db(path: Path) -> bytes:
    store = open_store(f"sqlite:///{path}")
    store.record(
        worker_id="w001", item_id="dibao_income", domain="social_assistance", source="self_check", ref="q", score=1
    )
    store.engine.dispose()
    return path.read_bytes()


FILES = {  # name → how to make its bytes (given the case folder)
    "roster-gbk": lambda tmp: roster("gb18030", tail=",,,,,\r\n,,,,,\r\n"),
    "roster-utf16": lambda tmp: roster("utf-16"),
    "roster-bom": lambda tmp: roster("utf-8-sig"),
    "roster-nul": lambda tmp: roster("utf-8", rows=["w001,林晓\x00雨,示例街道,示例一社区,,", ROWS[1]]),
    "roster-english-tail": lambda tmp: roster(
        "utf-8", header="worker_id,display_name,street,community,post,supervisor_scope", tail=",,,,,\r\n"
    ),
    "garbage.db": lambda tmp: "这不是数据库".encode() * 100,
    "truncated.db": lambda tmp: evidence_db(tmp / "whole.db")[:300],
    "empty.xlsx": lambda tmp: b"",
    "text.xlsx": lambda tmp: "题目,答案".encode(),
    "no-header.csv": lambda tmp: b"\r\n\r\n",
    "age-true.yaml": lambda tmp: b"property_check: passed\nmembers:\n  - {relation: applicant, age: true}\n",
    "two-applicants.yaml": lambda tmp: (
        b"property_check: passed\nmembers:\n  - {relation: applicant, age: 40}\n  - {relation: applicant, age: 70}\n"
    ),
    "duplicate-key.yaml": lambda tmp: (
        b"property_check: passed\nproperty_check: failed\nmembers:\n  - {relation: applicant, age: 40}\n"
    ),
    "tenth-of-a-fen.yaml": lambda tmp: (
        b"property_check: passed\nmembers:\n  - {relation: applicant, age: 40, incomes: [{kind: wages, monthly: 1010.995}]}\n"
    ),
    "quiz.csv": lambda tmp: (
        "题目,题型,选项,答案,解析,领域,出处\r\n"
        "低保申请向哪里提出？,单选,A. 街道|B. 区民政局,A,向街道提出。,社会救助,社会救助暂行办法第十一条\r\n"
    ).encode("gb18030"),
}

CASES = [
    # name, files, arguments, exit code, words in the output
    *[
        (
            f"household {file}: policy evaluate",
            [file],
            ["policy", "evaluate", "dibao", "--household", "{tmp}/" + file, "--on", "2025-08-01"],
            1,
            words,
        )
        for file, words in [
            ("age-true.yaml", ["age-true.yaml", "members.0.age", "应为整数"]),
            ("two-applicants.yaml", ["two-applicants.yaml", "2 名申请人"]),
            ("duplicate-key.yaml", ["duplicate-key.yaml", "第2行", "property_check", "重复"]),
            ("tenth-of-a-fen.yaml", ["tenth-of-a-fen.yaml", "members.0.incomes.0.monthly", "最多 2 位小数"]),
        ]
    ],
    ("GBK roster with Chinese headers: whoami", ["roster-gbk"], ["whoami", "w001"], 0, ["林晓雨"]),
    ("UTF-16 roster: whoami", ["roster-utf16"], ["whoami", "w001"], 0, ["林晓雨"]),
    ("BOM roster: whoami", ["roster-bom"], ["whoami", "w001"], 0, ["林晓雨"]),
    ("English headers and empty Excel rows", ["roster-english-tail"], ["whoami", "w001"], 0, ["林晓雨"]),
    ("GBK roster: report", ["roster-gbk"], ["report", "--out", "{tmp}/r.html", "--xlsx", "{tmp}/r.xlsx"], 0, ["报告"]),
    (
        "GBK roster: appeal file",
        ["roster-gbk"],
        [
            "appeal",
            "file",
            "--worker",
            "w001",
            "--domain",
            "elderly",
            "--reason",
            "复核",
            "--deadline",
            "2099-01-01",
            "--by",
            "s001",
        ],
        1,
        ["超过 90 天"],
    ),
    ("control character in a name", ["roster-nul"], ["whoami", "w001"], 1, ["roster-nul", "第2行", "控制字符"]),
    ("--out is a folder", ["roster-gbk"], ["report", "--out", "{tmp}"], 1, ["文件夹"]),
    (
        "--xlsx where a file stands for a folder",
        ["roster-gbk", "empty.xlsx"],
        ["report", "--out", "{tmp}/r.html", "--xlsx", "{tmp}/empty.xlsx/r.xlsx"],
        1,
        ["empty.xlsx"],
    ),
    (
        "garbage evidence database",
        ["roster-gbk", "garbage.db"],
        ["report", "--out", "{tmp}/r.html", "--db", "sqlite:///{tmp}/garbage.db"],
        1,
        ["不是有效的数据库"],
    ),
    (
        "truncated evidence database",
        ["roster-gbk", "truncated.db"],
        ["report", "--out", "{tmp}/r.html", "--db", "sqlite:///{tmp}/truncated.db"],
        1,
        ["证据库"],
    ),
    (
        "empty quiz workbook",
        ["empty.xlsx"],
        ["quiz", "import", "{tmp}/empty.xlsx", "--out", "{tmp}/q"],
        1,
        ["empty.xlsx", "不是 Excel"],
    ),
    (
        "a text file named .xlsx",
        ["text.xlsx"],
        ["quiz", "import", "{tmp}/text.xlsx", "--out", "{tmp}/q"],
        1,
        ["text.xlsx", "另存为"],
    ),
    (
        "quiz file with no header",
        ["no-header.csv"],
        ["quiz", "import", "{tmp}/no-header.csv", "--out", "{tmp}/q"],
        1,
        ["no-header.csv", "表头"],
    ),
    ("GBK quiz CSV", ["quiz.csv"], ["quiz", "import", "{tmp}/quiz.csv", "--out", "{tmp}/q"], 0, ["导入 1 题"]),
    (
        "since after until",
        ["roster-gbk"],
        ["report", "--out", "{tmp}/r.html", "--since", "2026-11", "--until", "2026-10"],
        1,
        ["晚于"],
    ),
    (
        "empty review note",
        ["roster-gbk"],
        ["review", "add", "w001", "longevity_allowance", "--score", "1", "--by", "s001", "--note", ""],
        1,
        ["评议意见"],
    ),
    (
        "appeal recorded by someone not on the roster",
        ["roster-gbk"],
        [
            "appeal",
            "file",
            "--worker",
            "w001",
            "--domain",
            "elderly",
            "--reason",
            "复核",
            "--deadline",
            "2026-12-10",
            "--by",
            "x999",
        ],
        1,
        ["x999", "不在花名册"],
    ),
    (
        "import-grades from a missing course folder",
        [],
        ["evidence", "import-grades", "--course", "{tmp}/nowhere"],
        1,
        ["nowhere", "找不到课程目录"],
    ),
    (
        "import-grades from a folder with no gradebook",
        [],
        ["evidence", "import-grades", "--course", "{tmp}"],
        1,
        ["gradebook.db"],
    ),
    (
        "import-grades from a garbage gradebook",
        ["roster-gbk", "garbage.db"],
        ["evidence", "import-grades", "--course", "{tmp}", "--gradebook", "sqlite:///{tmp}/garbage.db"],
        1,
        ["成绩库"],
    ),
    (
        "erase by someone not a supervisor",
        ["roster-gbk"],
        ["evidence", "erase", "w001", "--by", "w001", "--yes"],
        1,
        ["不是花名册中的督导"],
    ),
]


@pytest.mark.parametrize(("name", "files", "args", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_message(tmp_path, name, files, args, code, words):
    for file in files:
        target = tmp_path / ("roster.csv" if file.startswith("roster") else file)
        target.write_bytes(FILES[file](tmp_path))
    env = {
        "TRAINKIT_HOME": str(tmp_path / "home"),
        "TRAINKIT_DB": f"sqlite:///{tmp_path / 'evidence.db'}",
        "TRAINKIT_ROSTER": str(tmp_path / "roster.csv"),
        "TRAINKIT_WORKER": None,
        "TRAINKIT_DEBUG": None,
    }
    for file in files:  # a roster named by its kind, so messages can name it
        if file.startswith("roster") and file != "roster-gbk":
            (tmp_path / "roster.csv").rename(tmp_path / f"{file}.csv")
            env["TRAINKIT_ROSTER"] = str(tmp_path / f"{file}.csv")
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args], env=env)
    said = result.output
    assert "Traceback" not in said and not (result.exception and not isinstance(result.exception, SystemExit)), said
    assert result.exit_code == code, said
    for word in words:
        assert word in said, (word, said)


def test_a_failed_report_leaves_the_earlier_one_intact(tmp_path):
    env = {"TRAINKIT_HOME": str(tmp_path / "home"), "TRAINKIT_DB": f"sqlite:///{tmp_path / 'evidence.db'}"}
    (tmp_path / "roster.csv").write_bytes(FILES["roster-gbk"](tmp_path))
    env["TRAINKIT_ROSTER"] = str(tmp_path / "roster.csv")
    run = CliRunner().invoke
    assert run(main, ["report", "--out", str(tmp_path / "r.html")], env=env).exit_code == 0
    before = (tmp_path / "r.html").read_bytes()
    (tmp_path / "blocker").write_text("a file where a folder should be")
    failed = run(
        main, ["report", "--out", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "blocker" / "r.xlsx")], env=env
    )
    assert failed.exit_code == 1 and (tmp_path / "r.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_second_quiz_import_does_not_replace_a_bank_unless_told(tmp_path):
    (tmp_path / "quiz.csv").write_bytes(FILES["quiz.csv"](tmp_path))
    run = CliRunner().invoke
    args = ["quiz", "import", str(tmp_path / "quiz.csv"), "--out", str(tmp_path / "q")]
    assert run(main, args).exit_code == 0
    [bank] = (tmp_path / "q").glob("*.yaml")
    before = bank.read_text(encoding="utf-8")
    again = run(main, args)
    assert again.exit_code == 1 and "已存在" in again.output and bank.read_text(encoding="utf-8") == before
    replaced = run(main, [*args, "--replace"])
    assert replaced.exit_code == 0 and bank.read_text(encoding="utf-8") == before  # same question, same id


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    from trainkit.atomic import replacing, write_text

    path = write_text(tmp_path / "bank.yaml", "old")
    with pytest.raises(RuntimeError), replacing(path) as tmp:
        tmp.write_text("half of the new", encoding="utf-8")
        raise RuntimeError("killed")
    assert path.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["bank.yaml"]


def test_a_written_file_is_readable_by_others_as_a_plain_write_would_be(tmp_path):
    """A report for colleagues is not left private (0600) by the temporary file it was written through."""
    import os
    import stat

    from trainkit.atomic import write_text

    previous = os.umask(0o022)
    try:
        new = write_text(tmp_path / "报告.html", "<p>新</p>")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "名单.csv"
        kept.write_text("旧", encoding="utf-8")
        kept.chmod(0o640)
        write_text(kept, "新")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text(encoding="utf-8") == "新"
    finally:
        os.umask(previous)


def test_unexpected_errors_print_one_line_and_log_the_traceback(tmp_path, monkeypatch):
    import trainkit.cli

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("一个没有想到的错误")

    monkeypatch.setattr(trainkit.cli, "_roster_and_store", broken)  # stands in for any bug in a command
    env = {"TRAINKIT_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(
        main,
        ["appeal", "file", "--worker", "w", "--domain", "d", "--reason", "r", "--deadline", "2026-12-10", "--by", "b"],
        env=env,
    )
    assert (
        result.exit_code == 1 and "Traceback" not in result.output and "意外错误（ZeroDivisionError）" in result.output
    )
    log = (tmp_path / "home" / "logs" / "trainkit-errors.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log
    debug = CliRunner().invoke(
        main,
        [
            "--debug",
            "appeal",
            "file",
            "--worker",
            "w",
            "--domain",
            "d",
            "--reason",
            "r",
            "--deadline",
            "2026-12-10",
            "--by",
            "b",
        ],
        env=env,
    )
    assert isinstance(debug.exception, ZeroDivisionError)  # --debug lets the traceback through


def test_a_sqlite_file_that_is_not_ours_is_named(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE evidence (x INTEGER)")
    result = CliRunner().invoke(
        main,
        ["report", "--out", str(tmp_path / "r.html"), "--db", f"sqlite:///{other}"],
        env={"TRAINKIT_HOME": str(tmp_path / "home")},
    )
    assert result.exit_code == 1 and "Traceback" not in result.output and "证据库" in result.output
