"""``trainkit autograde`` against plain ``nbgrader autograde`` on the same cohort.

Builds a course from the kit's own exercise(s), a cohort of distinct submissions with varied
answers (right, wrong, blank, expressions, wrong types, written answers of different
lengths), copies the course twice, runs ``nbgrader autograde`` (the course's own config) in
one copy and ``trainkit autograde`` in the other, each as the command a trainer runs, and
checks that every student's every grade is the same. Prints

    bench: autograde_speedup_vs_nbgrader X
    bench: autograde_seconds_per_notebook X

Usage: ``python benchmarks/autograde.py [--students N] [--jobs N] [--keep DIR]``. Not run in CI.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import shutil
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=64)
    parser.add_argument(
        "--assignment", action="append", default=None, help="exercise(s) to use (default: social-assistance-dibao)"
    )
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the two courses in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="trainkit-bench-autograde-"))
    if args.keep and root.exists():
        shutil.rmtree(root)
    try:
        template = root / "template"
        assignments = args.assignment or ["social-assistance-dibao"]
        build_course(template, assignments)
        notebooks = sum(write_cohort(template, a, args.students) for a in assignments)
        plain, ours = root / "nbgrader", root / "trainkit"
        shutil.copytree(template, plain)
        shutil.copytree(template, ours)
        print(
            f"cohort: {args.students} students, {notebooks} notebooks, assignments {', '.join(assignments)}", flush=True
        )
        plain_s = sum(timed([sys.executable, "-m", "nbgrader", "autograde", a], plain) for a in assignments)
        extra = ["--jobs", str(args.jobs)] if args.jobs else []
        ours_s = sum(
            timed([sys.executable, "-m", "trainkit", "autograde", a, "--course", str(ours), *extra], ours)
            for a in assignments
        )
        for a in assignments:
            want, got = grades(plain, a), grades(ours, a)
            diff = {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}
            if not want or diff:
                sys.exit(f"scores differ from nbgrader's on {len(diff)} grades, e.g. {sorted(diff.items())[:5]}")
        print(
            f"nbgrader autograde: {plain_s:.1f} s; trainkit autograde: {ours_s:.1f} s; "
            f"scores identical for {args.students} students",
            flush=True,
        )
        print(f"bench: autograde_speedup_vs_nbgrader {plain_s / ours_s:.2f}")
        print(f"bench: autograde_seconds_per_notebook {ours_s / notebooks:.3f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
