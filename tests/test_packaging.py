"""One source of dependencies, and content found after a plain (non-editable) install."""

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

import trainkit

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_installs_the_kit_from_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == f">={python.split('=')[1]}"
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip == ['-e ".[test]"'] and "test" in project["optional-dependencies"]
    names = [d for d in env["dependencies"] if isinstance(d, str)]
    assert names == [python, "pip"], "dependencies belong in pyproject.toml, not environment.yml"


def _public(module) -> set[str]:
    """Names a module defines or imports for its users: not private, not submodules, not typing aids."""
    import types

    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }


def _modules():
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(trainkit.__path__, "trainkit."):
        if ".templates" in info.name or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def test_public_api_matches_all_both_ways():
    """What the package offers is exactly its ``__all__``: nothing listed is missing, nothing public unlisted."""
    for name in trainkit.__all__:
        getattr(trainkit, name)  # the package loads each name's module on first use
    assert set(trainkit.__all__) == _public(trainkit)


def test_the_command_starts_without_the_data_libraries():
    """``trainkit --help`` and the small commands do not wait for pandas, SQLAlchemy or the rules."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, trainkit.cli; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "trainkit.cli" in loaded
    assert not {"pandas", "sqlalchemy", "trainkit.policy", "trainkit.evidence"} & set(loaded)


def test_every_name_a_module_lists_in_all_exists():
    for module in _modules():
        for name in getattr(module, "__all__", ()):
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_every_module_says_what_it_offers():
    """Each module lists its public names in ``__all__``, and lists only names it has."""
    silent = [
        m.__name__
        for m in _modules()
        if not hasattr(m, "__all__") and not m.__name__.rsplit(".", 1)[-1].startswith("_")
    ]
    assert silent == [], f"modules without __all__: {silent}"


# The lesson screens build on the core, never the other way: a report, a review schedule or a
# command must not need ipywidgets. Only the app's server (it lists lesson widgets) may. Read
# from the source, so an import inside a function counts too.
SRC = ROOT / "src" / "trainkit"
UI = ("widgets", "app.py")


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the trainkit modules a source file imports, at any depth of its code."""
    import ast

    package = ["trainkit", *path.relative_to(SRC).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names |= {module} | {f"{module}.{a.name}" for a in node.names}
    return {n for n in names if n.startswith("trainkit")}


def test_no_core_module_imports_the_lesson_widgets():
    core = [p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in UI]
    offenders = {
        str(p.relative_to(SRC)): sorted(n for n in _imported_modules(p) if n.startswith("trainkit.widgets"))
        for p in core
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_reader_sees_imports_inside_functions():
    names = _imported_modules(SRC / "review.py")
    assert {"trainkit.quiz.question_key", "trainkit.ratings.current_evidence"} <= names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("trainkit-*.whl"))


@pytest.mark.slow
def test_wheel_ships_content_law_texts_exercises_and_the_chinese_default(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "trainkit/_casebank/framework.yaml",
        "trainkit/_casebank/quiz/social-assistance-dibao.yaml",
        "trainkit/law/civil_code.json",
        "trainkit/law/README.md",
        "trainkit/law/superseded/urban_residents_committee_law_2018.json",
        "trainkit/_exercises/nbgrader_config.py",
        "trainkit/templates/report.html.j2",
    ):
        assert needed in names, needed
    assert any(n.endswith("data/share/jupyter/lab/settings/overrides.json") for n in names)


@pytest.mark.slow
def test_a_plain_install_finds_all_its_content(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    script = (
        "import trainkit, trainkit.content as c, trainkit.check as k\n"
        "from trainkit.quiz import load_bank\nfrom trainkit.law import article\n"
        "print(trainkit.__file__); print(c.casebank_root()); print(c.exercises_root())\n"
        "print(len(load_bank('social-assistance-dibao').items)); print(article('民法典', 1067).label)\n"
        "inv = k.run_check(); print(inv.problems); print(inv.counts['scenarios'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINKIT_CASEBANK")}
    env["PYTHONPATH"] = str(target)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert all(line.startswith(str(target)) for line in out[:3]), out
    assert int(out[3]) >= 8 and out[4] == "第一千零六十七条"
    assert out[5] == "[]" and int(out[6]) >= 10
