"""What the kit's servers do once for every lesson page: extension scripts served as immutable,
templates compiled once (src/trainkit/lesson_pages.py). The browser-side check is in
tests/browser/test_app_browser.py and, on the hub, tests/hub/test_district_hub.py."""

from __future__ import annotations

import asyncio

import jinja2
import pytest

from trainkit.lesson_pages import CompiledTemplates, immutable_lesson_assets, share_compiled_templates


def test_every_extensions_static_folder_is_immutable_and_nothing_else(tmp_path):
    first, second = tmp_path / "share" / "labextensions", tmp_path / "voila" / "labextensions"
    for folder in (
        first / "@jupyter-widgets" / "jupyterlab-manager" / "static",
        first / "jupyterlab_pygments" / "static",
        first / "jupyterlab_pygments" / "schemas",
        second / "@voila-dashboards" / "widgets-manager8" / "static",
    ):
        folder.mkdir(parents=True)
    assert immutable_lesson_assets("/user/w1/", [str(first), str(second), str(tmp_path / "missing")]) == [
        "/user/w1/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/",
        "/user/w1/voila/labextensions/@voila-dashboards/widgets-manager8/static/",
        "/user/w1/voila/labextensions/jupyterlab_pygments/static/",
    ]
    assert (
        immutable_lesson_assets("/", [str(first)])[0]
        == "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/"
    )


class CountingEnvironment(jinja2.Environment):
    compiled: list[str] = []

    def compile(self, source, name=None, filename=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        CountingEnvironment.compiled.append(name)
        return super().compile(source, name, filename, *args, **kwargs)


def _render(cache, templates: dict[str, str], *, is_async: bool = False) -> str:
    env = CountingEnvironment(loader=jinja2.DictLoader(templates), bytecode_cache=cache, enable_async=is_async)
    template = env.get_template("page.html")
    if is_async:
        return asyncio.run(template.render_async(who="王秀兰"))
    return template.render(who="王秀兰")


def test_a_template_is_compiled_once_for_all_environments_and_again_when_it_changes():
    CountingEnvironment.compiled = []
    cache = CompiledTemplates()
    page = {
        "page.html": "{% extends 'base.html' %}{% block body %}你好，{{ who }}{% endblock %}",
        "base.html": "<p>{% block body %}{% endblock %}</p>",
    }
    assert _render(cache, page) == "<p>你好，王秀兰</p>"
    assert sorted(CountingEnvironment.compiled) == ["base.html", "page.html"]
    assert _render(cache, page) == "<p>你好，王秀兰</p>"  # a new environment, as Voilà makes per page
    assert sorted(CountingEnvironment.compiled) == ["base.html", "page.html"]

    changed = {**page, "page.html": page["page.html"].replace("你好", "欢迎")}
    assert _render(cache, changed) == "<p>欢迎，王秀兰</p>"
    assert sorted(CountingEnvironment.compiled) == ["base.html", "page.html", "page.html"]

    assert _render(cache, page, is_async=True) == "<p>你好，王秀兰</p>"  # async code is other code
    assert len(CountingEnvironment.compiled) == 5


def test_voila_pages_get_the_shared_cache_once(monkeypatch):
    renderer = pytest.importorskip("voila.notebook_renderer")
    monkeypatch.setattr(renderer, "VoilaExporter", renderer.VoilaExporter)  # put back after the test
    original = renderer.VoilaExporter
    share_compiled_templates()
    share_compiled_templates()
    exporter_class = renderer.VoilaExporter
    assert exporter_class.__mro__[1] is original  # one subclass, not one per call
    first, second = exporter_class(), exporter_class()
    assert first.environment is not second.environment
    assert first.environment.bytecode_cache is second.environment.bytecode_cache
    assert isinstance(first.environment.bytecode_cache, CompiledTemplates)


def test_the_placeholder_browser_tests_wait_on_is_voilas(lesson_run):
    """``lesson_run`` (tests/conftest.py) waits until no cell placeholder is left: the class must be
    the one Voilà's page script adds to each cell and removes when the cell has run."""
    import sys
    from pathlib import Path

    scripts = Path(sys.prefix, "share", "jupyter", "voila", "templates", "base", "static").glob("*.voila.js")
    made = lesson_run.placeholder.rsplit(".", 1)[1]
    assert any(f'className="{made}"' in script.read_text(encoding="utf-8") for script in scripts), made
