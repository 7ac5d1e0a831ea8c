"""Two things Voilà does on every lesson page that the kit's servers (``trainkit app`` and the
hub's learner servers) do once instead, so that a lesson reaches its first widget sooner
(``benchmarks/app.py``):

- **Scripts.** Voilà serves the JupyterLab extensions' scripts ``no-cache``, so every visit asked
  the server again for some twenty of them. Their names carry a content hash, and JupyterLab
  itself serves the same ``static/`` folders (at ``lab/extensions/``) as immutable: same rule
  here, through jupyter_server's ``static_immutable_cache`` setting.
- **Extensions.** A lesson page loads the JupyterLab extensions installed beside Voilà; nbgrader's
  panels and Jupyter Notebook's menus have no place in it (``NOT_IN_LESSONS``, Voilà's
  ``extension_denylist``): fewer scripts for a phone to run.
- **Templates.** Voilà builds a new Jinja environment for every page, and so compiled the lesson
  template and the nbconvert templates beneath it again each time (about 0.1 s of the server's
  time per page). One bytecode cache in memory, shared by those environments, compiles each
  template once; a template whose source changed is compiled again (Jinja keys it by checksum).

Used by the server process only, never in a kernel; the hub's learner configuration
(deploy/setup.py) takes ``NOT_IN_LESSONS`` too.
"""

from __future__ import annotations

import os
from glob import escape, glob
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

__all__ = ["NOT_IN_LESSONS", "CompiledTemplates", "immutable_lesson_assets", "share_compiled_templates"]

NOT_IN_LESSONS = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")


def immutable_lesson_assets(base_url: str, labextensions_path: list[str]) -> list[str]:
    """The addresses of the extensions' ``static/`` folders under ``voila/labextensions/``."""
    prefix = base_url.rstrip("/") + "/voila/labextensions/"
    return sorted(
        {
            prefix + os.path.relpath(static, root).replace(os.sep, "/") + "/"
            for root in labextensions_path
            for static in glob(os.path.join(escape(root), "**", "static"), recursive=True)
        }
    )


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, by name, source checksum and async-ness."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str, bool], Any] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._code.get((bucket.key, bucket.checksum, bucket.environment.is_async))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[(bucket.key, bucket.checksum, bucket.environment.is_async)] = bucket.code


def share_compiled_templates() -> None:
    """Give every Voilà page's Jinja environment in this process one shared bytecode cache.

    Voilà makes its exporter inside each page request (``voila.notebook_renderer``) and offers
    no setting for the Jinja environment, so the exporter class it uses there is replaced by a
    subclass that adds the cache; nothing else changes. Calling this twice changes nothing.
    """
    import voila.notebook_renderer as renderer

    if getattr(renderer.VoilaExporter, "trainkit_templates", None) is not None:
        return
    templates = CompiledTemplates()

    class LessonExporter(renderer.VoilaExporter):
        trainkit_templates = templates

        def _create_environment(self):  # noqa: ANN202
            environment = super()._create_environment()
            environment.bytecode_cache = self.trainkit_templates
            return environment

    renderer.VoilaExporter = LessonExporter
