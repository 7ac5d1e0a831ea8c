"""``trainkit autograde`` against plain ``nbgrader autograde`` on the same cohort.

Builds a course from the kit's own exercise(s), a cohort of distinct submissions with varied
answers (right, wrong, blank, expressions, wrong types, written answers of different
lengths), copies the course twice, runs ``nbgrader autograde`` (the course's own config) in
one copy and ``trainkit autograde`` in the other, each as the command a trainer runs, and
checks that every student's every grade is the same. Then the case of a trainer grading one
late submission: a course with only the first student's submission, graded by both commands
in turn (which goes first alternates), ``--repeat`` times, each time in a fresh copy. Prints

    bench: autograde_speedup_vs_nbgrader X              (cohort: nbgrader seconds ÷ kit seconds)
    bench: autograde_seconds_per_notebook X
    bench: autograde_one_submission_ratio_vs_nbgrader X (median of kit seconds ÷ nbgrader seconds)

Usage: ``python benchmarks/autograde.py [--students N] [--repeat N] [--jobs N] [--keep DIR]``
(``--students 0``: only the one-submission case). Not run in CI.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from trainkit.content import exercises_root
from trainkit.grading import nbgrader

WRITTEN = [
    "王阿姨，您家算进来的是您、老李、读本科的儿子和同住的婆婆。",
    "不知道。",
    "婆婆的抚恤金、儿子的助学金不算收入。请写书面申请交街道，街道入户调查、公示后报区民政局审批。",
]
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", re.S)


def build_course(folder: Path, assignments: list[str]) -> None:
    """A fresh nbgrader course from the kit's exercises, the chosen assignments generated."""
    folder.mkdir(parents=True)
    shutil.copy(exercises_root() / "nbgrader_config.py", folder)
    for assignment in assignments:
        shutil.copytree(exercises_root() / "source" / assignment, folder / "source" / assignment)
        result = nbgrader("generate_assignment", assignment, course=folder)
        if result.returncode != 0:
            sys.exit(f"nbgrader generate_assignment {assignment} failed:\n{result.stderr[-2000:]}")


def variants(line: str) -> tuple[str, list[str | None]]:
    """A solution line ``名称 = 值`` → the name and answers a cohort might give (right first;
    None is a blank answer)."""
    name, _, expr = line.partition("=")
    name, expr = name.strip(), expr.strip()
    try:
        value = ast.literal_eval(expr)
    except (ValueError, SyntaxError):
        value = None
    if isinstance(value, str) and len(value) == 1 and value.isalpha():
        others = [f'"{x}"' for x in "ABCD" if x != value]
        return name, [expr, *others, f'"{value.lower()}"', None]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return name, [
            expr,
            repr(value + 1),
            repr(value * 2),
            f"{float(value)!r}",
            f"{value - 1} + 1",
            f'"{value}"',
            None,
        ]
    return name, [expr, "0", f"({expr}) + 1", "None", None]


def answer_plan(source: Path) -> list[tuple[str, str, list[str | None]]]:
    """(grade id, name, variants) for every autograded answer cell of a source notebook."""
    plan = []
    for cell in nbformat.read(source, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        match = SOLUTION.search(cell.source) if cell.cell_type == "code" and meta.get("solution") else None
        if match and "=" in match.group(1) and "\n" not in match.group(1).strip():
            plan.append((meta["grade_id"], *variants(match.group(1).strip())))
    return plan


def write_cohort(course: Path, assignment: str, n: int, seed: int = 2026) -> int:
    """``n`` students with distinct combinations of answers (and written answers)."""
    rng = random.Random(seed)
    count = 0
    for path in sorted((course / "release" / assignment).glob("*.ipynb")):
        plan = answer_plan(course / "source" / assignment / path.name)
        combos: set[tuple] = set()
        while len(combos) < n:
            combos.add((*(rng.randrange(len(v)) for _, _, v in plan), rng.randrange(len(WRITTEN) + 1)))
        for i, combo in enumerate(sorted(combos)):
            chosen = {gid: (name, v[k]) for (gid, name, v), k in zip(plan, combo, strict=False)}
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                gid = meta.get("grade_id")
                if gid in chosen and chosen[gid][1] is not None:
                    cell.source = f"{cell.source}\n{chosen[gid][0]} = {chosen[gid][1]}"
                elif meta.get("solution") and cell.cell_type == "markdown" and combo[-1] < len(WRITTEN):
                    cell.source = WRITTEN[combo[-1]]
            folder = course / "submitted" / f"B{i:03d}" / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / path.name)
            (folder / "timestamp.txt").write_text(f"2026-10-{1 + i % 28:02d} 09:{i % 60:02d}:00.000000 UTC")
            count += 1
    return count


def grades(course: Path, assignment: str) -> dict:
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            for nb in sub.notebooks:
                for g in nb.grades:
                    found[(sub.student.id, nb.name, g.name)] = (g.auto_score, g.manual_score, g.needs_manual_grade)
                found[(sub.student.id, nb.name, "(late penalty)")] = nb.late_submission_penalty
    return found


def timed(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return seconds


def same_grades(plain: Path, ours: Path, assignments: list[str], students: int) -> None:
    for a in assignments:
        want, got = grades(plain, a), grades(ours, a)
        diff = {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
        if not want or diff:
            sys.exit(f"scores differ from nbgrader's on {len(diff)} grades, e.g. {sorted(diff.items())[:5]}")
        if len({k[0] for k in want}) != students:
            sys.exit(f"nbgrader graded {len({k[0] for k in want})} students, not {students}")


def grade_both(template: Path, root: Path, assignments: list[str], extra: list[str], *, kit_first: bool) -> tuple:
    """Copy ``template`` twice, grade one copy with each command; (nbgrader s, kit s)."""
    plain, ours = root / "nbgrader", root / "trainkit"
    for folder in (plain, ours):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)

    def run_plain() -> float:
        return sum(timed([sys.executable, "-m", "nbgrader", "autograde", a], plain) for a in assignments)

    def run_ours() -> float:
        return sum(
            timed([sys.executable, "-m", "trainkit", "autograde", a, "--course", str(ours), *extra], ours)
            for a in assignments
        )

    if kit_first:
        ours_s = run_ours()
        plain_s = run_plain()
    else:
        plain_s = run_plain()
        ours_s = run_ours()
    return plain_s, ours_s


def one_submission(template: Path, folder: Path) -> None:
    """``template`` with only its first student's submission: one late submission."""
    shutil.copytree(template, folder)
    for student in sorted((folder / "submitted").iterdir())[1:]:
        shutil.rmtree(student)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=64, help="cohort size (0: only the one-submission case)")
    parser.add_argument("--repeat", type=int, default=5, help="one-submission runs (each command; median reported)")
    parser.add_argument(
        "--assignment", action="append", default=None, help="exercise(s) to use (default: social-assistance-dibao)"
    )
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the courses in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="trainkit-bench-autograde-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    try:
        template = root / "template"
        assignments = args.assignment or ["social-assistance-dibao"]
        build_course(template, assignments)
        notebooks = sum(write_cohort(template, a, max(1, args.students)) for a in assignments)
        extra = ["--jobs", str(args.jobs)] if args.jobs else []
        if args.students > 0:
            print(
                f"cohort: {args.students} students, {notebooks} notebooks, assignments {', '.join(assignments)}",
                flush=True,
            )
            plain_s, ours_s = grade_both(template, root / "cohort", assignments, extra, kit_first=False)
            same_grades(root / "cohort" / "nbgrader", root / "cohort" / "trainkit", assignments, args.students)
            print(
                f"nbgrader autograde: {plain_s:.1f} s; trainkit autograde: {ours_s:.1f} s; "
                f"scores identical for {args.students} students",
                flush=True,
            )
            print(f"bench: autograde_speedup_vs_nbgrader {plain_s / ours_s:.2f}", flush=True)
            print(f"bench: autograde_seconds_per_notebook {ours_s / notebooks:.3f}", flush=True)
        one = root / "one-template"
        one_submission(template, one)
        ratios = []
        for i in range(max(1, args.repeat)):
            plain_s, ours_s = grade_both(one, root / "one", assignments, extra, kit_first=i % 2 == 0)
            same_grades(root / "one" / "nbgrader", root / "one" / "trainkit", assignments, 1)
            ratios.append(ours_s / plain_s)
            print(
                f"one submission, run {i + 1}: nbgrader autograde {plain_s:.2f} s; trainkit autograde {ours_s:.2f} s; "
                f"ratio {ours_s / plain_s:.2f}; scores identical",
                flush=True,
            )
        print(f"bench: autograde_one_submission_ratio_vs_nbgrader {statistics.median(ratios):.2f}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
