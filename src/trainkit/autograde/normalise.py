"""Answers typed with a Chinese input method, made into the Python the learner meant.

An answer cell holds lines like ``月补差 = 2044``. A Chinese IME easily produces
``月补差 ＝ ２０４４元`` or ``第3题 = “A”``: a syntax error that nbgrader scores 0 although the
answer is right. :func:`normalise_answer` touches only a cell that is not valid Python, and
in it only the lines that are not valid Python themselves; it rewrites only what is
unambiguous — full-width quotes, ``＝``, full-width digits, letters and ASCII punctuation
outside strings, a unit after a number (``633元`` → ``633``), a thousands separator
(``2，000``), a trailing ``。``, an option letter typed full-width (``第3题 ＝ Ａ`` → ``"A"``) —
and reports each change. A cell that parses is never changed, whatever it means: ``m = n``,
``y = e`` and ``t = 1,000`` are Python as written and are graded as written. A cell that is
still not valid Python gets a Chinese sentence saying which line and what to fix.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

__all__ = ["Normalised", "normalise_answer"]

_QUOTES = dict.fromkeys(map(ord, "“”‘’＂＇「」『』〝〞"), '"')
_FULLWIDTH = {0xFF01 + i: chr(0x21 + i) for i in range(94)} | {0x3000: " ", ord("×"): "*", ord("÷"): "/"}
_NAME = r"[^\W\d]\w*"
_ASSIGN = re.compile(rf"^(\s*)({_NAME})(\s*)[=＝](\s*)(.*?)\s*$")
_NUMBER_UNIT = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*([^\x00-\x7f\d][^\x00-\x7f]*(?:/[^\x00-\x7f]+)*)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_MULTIPLIERS = set("十百千万亿")
_LETTER = re.compile(r"^[A-Za-z]$")
_FULLWIDTH_TOKEN = re.compile(r"^[０-９Ａ-Ｚａ-ｚ．]+$")
_HINT = '请写成“名称 = 值”：数字不带单位，选项字母放在英文引号里，例如 第3题 = "A"、月补差 = 633'


@dataclass
class Normalised:
    source: str
    changes: list[str] = field(default_factory=list)
    problem: str | None = None  # still not valid Python: what to fix, in Chinese


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def normalise_answer(source: str, *, defined: frozenset[str] = frozenset()) -> Normalised:
    """Normalise one answer cell; ``defined`` are names assigned anywhere in the notebook
    (a bare letter that is such a name is a variable, not an option)."""
    result = Normalised(source)
    if _parses(source):
        return result  # what the learner wrote is Python: it is graded as written
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#") or _parses(line.strip()):
            continue
        lines[i] = _fix_line(line, result.changes, defined=defined)
    candidate = "\n".join(lines)
    if _parses(candidate):
        result.source = candidate
        return result
    result.changes.clear()
    result.problem = _problem(source)
    return result


def _fix_line(line: str, changes: list[str], *, defined: frozenset[str]) -> str:
    new = _outside_strings(line.translate(_QUOTES))
    if new.rstrip().endswith("。"):
        new = new.rstrip()[:-1]
    if new != line:
        changes.append(f"{line.strip()} → {new.strip()}（中文引号、全角字符或句号改为英文符号）")
    line = new
    match = _ASSIGN.match(line)
    if not match:
        return line
    indent, name, left, right, value = match.groups()
    new_value = _fix_value(name, value, changes, defined=defined)
    if new_value is None:
        return line
    return f"{indent}{name}{left}={right}{new_value}"


def _fix_value(name: str, value: str, changes: list[str], *, defined: frozenset[str]) -> str | None:
    if len(value) >= 2 and value[0] == value[-1] == '"' and _FULLWIDTH_TOKEN.match(value[1:-1]):
        inner = value[1:-1].translate(_FULLWIDTH)
        changes.append(f'{name} = {value} → {name} = "{inner}"（全角字母或数字改为半角）')
        return f'"{inner}"'
    letter = value.translate(_FULLWIDTH)
    if _LETTER.match(letter) and value not in defined and letter not in defined:
        changes.append(f'{name} = {value} → {name} = "{letter}"（选项字母要放在英文引号里）')
        return f'"{letter}"'
    if _THOUSANDS.match(value):
        changes.append(f"{name} = {value} → {name} = {value.replace(',', '')}（去掉了千位分隔符）")
        return value.replace(",", "")
    unit = _NUMBER_UNIT.match(value)
    if unit:
        number, word = unit.groups()
        if word[0] in _MULTIPLIERS or word in ("%", "％"):
            return None  # 2万 is not 2: leave it for the learner to write out
        number = number.replace(",", "") if _THOUSANDS.match(number) else number
        changes.append(f"{name} = {value} → {name} = {number}（去掉了单位“{word}”）")
        return number
    return None


def _outside_strings(line: str) -> str:
    """Full-width ASCII forms become ASCII except inside ASCII-quoted strings (a Chinese
    sentence in quotes keeps its own punctuation)."""
    out, quote = [], None
    for ch in line:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
            out.append(ch)
            continue
        if ch == "#":
            out.append(line[len(out) :])
            break
        out.append(ch.translate(_FULLWIDTH))
    return "".join(out)


def _problem(source: str) -> str:
    try:
        ast.parse(source)
    except SyntaxError as err:
        lineno = err.lineno or 1
        text = source.split("\n")[lineno - 1].strip() if lineno <= source.count("\n") + 1 else ""
        return f"第 {lineno} 行“{text}”不是有效的答案（{_why(text, err.msg)}）。{_HINT}"
    except ValueError:
        pass
    return f"答案格无法运行。{_HINT}"


def _why(text: str, message: str) -> str:
    match = _ASSIGN.match(text)
    value = match.group(5) if match else text
    if value.count('"') % 2 or value.count("'") % 2 or "unterminated string" in message:
        return "引号没有配对"
    if match and value and value[0].isdigit() and any(ch in _MULTIPLIERS for ch in value):
        return f"“{value}”请写成阿拉伯数字，不要用“万”“千”等字"
    if match and value.endswith(("%", "％")):
        return "百分数请写成小数，例如 0.05"
    if not match and "=" not in text and "＝" not in text:
        return "缺少等号"
    if match and not value:
        return "等号后面没有填值"
    return "格式不对"
