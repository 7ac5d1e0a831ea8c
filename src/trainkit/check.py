"""``trainkit check``: validate all content and count it.

Every problem is one line ``file: field: what is wrong``; one bad file never hides the
others. Statute citations anywhere in the content are checked against the shipped texts.
Lessons and case texts are read as the code-free app shows them (:mod:`trainkit.app_text`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .app_text import case_text_problems, notebook_problems
from .content import ContentError, casebank_root, exercises_root, read_yaml, yaml_files
from .figures import stale_figures
from .framework import load_framework
from .law import Citation, check_quote

__all__ = ["Inventory", "run_check"]


@dataclass
class Inventory:
    counts: dict[str, int] = field(default_factory=dict)
    by: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.counts, **self.by, "problems": self.problems}


def _attempt(inv: Inventory, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ContentError as err:
        inv.problems.extend(err.problems)
    except Exception as err:  # noqa: BLE001 — report and go on with the rest
        inv.problems.append(f"{type(err).__name__}: {err}")
    return None


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}.{i}")


def _sources(inv: Inventory, files: list[Path]) -> None:
    """Check every ``{law, article, quote}`` citation and count references ``{title, href|status}``."""
    good, articles, references = 0, set(), 0
    for path in files:
        data = _attempt(inv, lambda p=path: read_yaml(p))
        for where, node in _walk(data):
            if "law" in node and "article" in node:
                try:
                    cite = Citation.model_validate(node)
                except Exception as err:  # noqa: BLE001
                    inv.problems.append(f"{path}: {where}: 引文格式不对（{err.__class__.__name__}）")
                    continue
                if problem := check_quote(cite):
                    inv.problems.append(f"{path}: {where}: {problem}")
                else:
                    good += 1
                    articles.add((cite.law, cite.version, cite.article))
            elif "title" in node and ("href" in node or "status" in node) and "values" not in node:
                references += 1
    inv.counts.update(citations=good, distinct_articles=len(articles), references=references)


def _exercises(inv: Inventory, domains: set[str]) -> None:
    from .grading import grade_cell_items

    root = _attempt(inv, exercises_root)
    assignments = sorted(p for p in (root / "source").iterdir() if p.is_dir()) if root else []
    by_domain: Counter[str] = Counter()
    fw = load_framework()
    for folder in assignments:
        cells = _attempt(inv, lambda f=folder: grade_cell_items(root, f.name))
        if cells:
            main = Counter(fw.domain_of(i) for items in cells.values() for i in items).most_common(1)[0][0]
            by_domain[main] += 1
    inv.counts["exercises"] = len(assignments)
    inv.by["exercises_by_domain"] = {d: by_domain.get(d, 0) for d in sorted(domains)}


def _case_texts(case) -> dict[str, str]:  # noqa: ANN001  (cases.Case)
    """Every text a learner reads in a case, by its place in the file (``steps.0.options.1.feedback``)."""
    return {where: text for where, text in _strings(case.model_dump(exclude={"citations"}))}


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}.{i}")


def _cases(inv: Inventory, fw) -> set[str]:  # noqa: ANN001
    """Each case file on its own: schema, declared area and items, no real-looking personal data.
    Returns the ids of the cases that loaded."""
    from .cases import _load, personal_data_warnings

    areas = {a.id: d.id for d in fw.domains for a in d.areas}
    by_area: Counter[str] = Counter()
    loaded = set()
    for path in yaml_files("cases"):
        inv.problems += [f"{path}: 个人信息: {w}" for w in personal_data_warnings(path.read_text(encoding="utf-8"))]
        case = _attempt(inv, lambda p=path: _load(p))
        if case is None:
            continue
        loaded.add(case.id)
        spoken = tuple(f"parties.{i}.position" for i in range(len(case.parties)))  # shown in quotation marks
        inv.problems += case_text_problems(_case_texts(case), where=str(path), quotes=spoken)
        if case.area not in areas:
            inv.problems.append(f"{path}: area: 未声明的调解领域 {case.area}")
            continue
        for item in case.items:
            if item not in fw.items or fw.domain_of(item) != areas[case.area]:
                inv.problems.append(f"{path}: items: {item} 不是 {areas[case.area]} 领域已声明的服务事项")
        by_area[case.area] += 1
    inv.counts["cases"] = sum(by_area.values())
    inv.by["cases_by_area"] = {a: by_area.get(a, 0) for a in areas}
    return loaded


def _civil(inv: Inventory) -> None:
    """Run the hand-worked 民法典 scenarios in ``casebank/civil/``; a differing outcome is a problem."""
    from .civil import CALCULATORS, load_scenarios
    from .civil.cases import mismatch
    from .content import parse

    inv.by["civil_scenarios_by_calculator"] = {}
    for name, module in CALCULATORS.items():
        path = casebank_root() / "civil" / f"{name}.yaml"
        if not path.is_file():
            inv.by["civil_scenarios_by_calculator"][name] = 0
            continue
        scenarios = _attempt(inv, lambda n=name: load_scenarios(n))
        for i, s in enumerate(scenarios.scenarios if scenarios else ()):
            where = f"{path}: scenarios.{i}"
            found = _attempt(inv, lambda s=s, m=module, w=where: m.evaluate(parse(m.Case, s.case, f"{w}.case")))
            if found is not None and (differs := mismatch(s.expected, found.facts)):
                inv.problems.append(f"{where}: {s.name}：{differs}")
        inv.by["civil_scenarios_by_calculator"][name] = len(scenarios.scenarios) if scenarios else 0


def run_check() -> Inventory:
    """Validate everything under the content root and count it."""
    from .lessons import load_lessons
    from .policy import PROGRAMS, load_parameters
    from .policy.household import vocabulary
    from .policy.scenarios import load_scenarios, mismatch
    from .quiz import load_banks, template_problems
    from .ratings import load_rating_rules

    inv = Inventory()
    fw = _attempt(inv, load_framework)
    if fw is None:
        return inv
    domains, items = {d.id for d in fw.domains}, fw.items
    inv.counts.update(domains=len(domains), service_items=len(items))
    for loader in (vocabulary, load_rating_rules, load_parameters):
        _attempt(inv, loader)
    stale = _attempt(inv, stale_figures) or []  # a corrected figure still stated in its old form somewhere
    inv.problems.extend(stale)

    banks = _attempt(inv, load_banks) or {}
    quiz_by: Counter[str] = Counter()
    quiz_by_item: Counter[str] = Counter()
    for bank in banks.values():
        path = casebank_root() / "quiz" / f"{bank.id}.yaml"
        if bank.domain not in domains:
            inv.problems.append(f"{path}: domain: 未知领域 {bank.domain}")
        for i, item in enumerate(bank.items):
            quiz_by_item.update(set(item.items))
            for service_item in item.items:
                if service_item not in items:
                    inv.problems.append(f"{path}: items.{i}.items: 未声明的服务事项 {service_item}")
            if item.template is not None:
                inv.problems += [f"{path}: items.{i}.template: {p}" for p in template_problems(item)]
        quiz_by[bank.domain] += len(bank.items)
    inv.counts["quiz_items"] = sum(quiz_by.values())
    inv.by["quiz_items_by_domain"] = {d: quiz_by.get(d, 0) for d in sorted(domains)}
    inv.by["quiz_items_by_service_item"] = {i: quiz_by_item.get(i, 0) for i in sorted(items)}

    cases = _cases(inv, fw)
    lessons = _attempt(inv, load_lessons) or ()
    notebooks = casebank_root().parent / "notebooks"
    lessons_by: Counter[str] = Counter()
    for lesson in lessons:
        where = f"{casebank_root() / 'lessons' / (lesson.id + '.yaml')}: "
        if lesson.domain not in domains:
            inv.problems.append(f"{where}domain: 未知领域 {lesson.domain}")
        inv.problems += [f"{where}banks: 未知题库 {b}" for b in lesson.banks if b not in banks]
        inv.problems += [f"{where}items: 未声明的服务事项 {x}" for x in lesson.items if x not in items]
        inv.problems += [
            f"{where}cases: 找不到案例 {c}（casebank/cases/ 里没有这个 id）" for c in lesson.cases if c not in cases
        ]
        if notebooks.is_dir() and not (notebooks / lesson.notebook).is_file():
            inv.problems.append(f"{where}notebook: 找不到 notebooks/{lesson.notebook}")
        lessons_by[lesson.domain] += 1
    inv.counts["lessons"] = len(lessons)
    for notebook in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else ():
        inv.problems += notebook_problems(notebook, label=f"notebooks/{notebook.name}")
    inv.by["lessons_by_domain"] = {d: lessons_by.get(d, 0) for d in sorted(domains)}

    scenario_files = _attempt(inv, load_scenarios) or {}
    inv.counts["programs"] = len(PROGRAMS)
    inv.by["scenarios_by_program"] = {p: 0 for p in PROGRAMS}
    for program, sf in scenario_files.items():
        path = casebank_root() / "scenarios" / f"{program}.yaml"
        if program not in PROGRAMS:
            inv.problems.append(f"{path}: program: 未知项目 {program}")
            continue
        for i, s in enumerate(sf.scenarios):
            rule = PROGRAMS[program]
            outcome = _attempt(inv, lambda s=s, rule=rule: mismatch(s, rule.evaluate(s.household, s.date)))
            if outcome:
                inv.problems.append(f"{path}: scenarios.{i}: {s.name}：{outcome}")
        inv.by["scenarios_by_program"][program] = len(sf.scenarios)
    inv.counts["scenarios"] = sum(inv.by["scenarios_by_program"].values())

    _civil(inv)
    _exercises(inv, domains)
    _sources(inv, [p for p in casebank_root().rglob("*.yaml")])
    return inv
