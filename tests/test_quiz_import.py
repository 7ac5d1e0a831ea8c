"""`trainkit quiz import`: a bureau's Excel 题库 becomes banks; bad rows are named, the rest go in."""

import subprocess
import sys

import openpyxl
import yaml

from trainkit.quiz import load_banks

HEADER = ["题目", "题型", "选项", "答案", "解析", "领域", "出处"]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _run(*args, env_bank):
    import os

    return subprocess.run(
        [sys.executable, "-m", "trainkit", "quiz", "import", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TRAINKIT_CASEBANK": str(env_bank)},
        check=False,
    )


def test_valid_rows_become_banks_and_each_bad_row_is_rejected_with_its_reason(tmp_path, casebank):
    book = _workbook(
        tmp_path / "题库.xlsx",
        [
            [
                "低保标准由谁确定？",
                "单选",
                "A. 居委会\nB. 省或设区的市人民政府",
                "B",
                "暂行办法第十条",
                "社会救助",
                "社会救助暂行办法第十条",
            ],
            [
                "低保申请必须书面提出。",
                "判断",
                None,
                "正确",
                "第十一条",
                "social_assistance",
                "社会救助暂行办法第十一条",
            ],
            ["两人户收入1389元，补差多少元？", "计算", None, "633元", "1011×2−1389", "社会救助", "大连市2025年标准"],
            [
                "哪些收入不计入？",
                "多选",
                "A. 优待抚恤金；B. 工资；C. 助学金",
                "AC",
                "见办法",
                "社会救助",
                "审核确认办法",
            ],
            ["题型写错的题", "问答", None, "x", "", "社会救助", "某文件"],
            ["领域写错的题", "单选", "A. 一\nB. 二", "A", "", "不存在的领域", "某文件"],
            ["答案不在选项里", "单选", "A. 一\nB. 二", "D", "", "社会救助", "某文件"],
            ["没有出处", "判断", None, "错误", "", "社会救助", None],
        ],
    )
    result = _run(str(book), env_bank=casebank)
    assert result.returncode == 0, result.stderr
    rejected = [line for line in result.stderr.splitlines() if line.startswith("拒绝")]
    assert len(rejected) == 4
    assert "第6行" in rejected[0] and "题型" in rejected[0]
    assert "第7行" in rejected[1] and "领域" in rejected[1]
    assert "第8行" in rejected[2] and "answer" in rejected[2]
    assert "第9行" in rejected[3] and "出处" in rejected[3]
    bank = load_banks()["imported-social-assistance"]
    assert [i.type for i in bank.items] == ["single", "true_false", "numeric", "multiple"]
    assert bank.items[2].answer == 633 and bank.items[3].answer == ["A", "C"]
    assert all(s.status == "U" for i in bank.items for s in i.sources)
    data = yaml.safe_load((casebank / "quiz" / "imported-social-assistance.yaml").read_text(encoding="utf-8"))
    assert data["id"] == "imported-social-assistance"


def test_a_workbook_without_the_required_columns_is_refused(tmp_path, casebank):
    book = openpyxl.Workbook()
    book.active.append(["题目", "答案"])
    book.save(tmp_path / "bad.xlsx")
    result = _run(str(tmp_path / "bad.xlsx"), env_bank=casebank)
    assert "缺少列" in result.stderr and "题型" in result.stderr
    assert not list((casebank / "quiz").glob("imported-*"))
