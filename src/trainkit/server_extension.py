"""The learning map inside a Jupyter server: on the district hub, each worker's own server
serves it at ``<base_url>trainkit/`` (the server's default URL), signed in by the hub.

Lessons open through Voilà's server extension at ``<base_url>voila/render/<folder>/<notebook>``
with the kit's Voilà template and sources stripped (deploy/setup.py writes that configuration),
and JupyterLab is one link away. The learner is the hub user (``JUPYTERHUB_USER``), so there is
no roster picker; a hub user not on the roster (a trainer) is sent to JupyterLab.
``TRAINKIT_LESSONS`` names the lessons folder under the server's root.
Enabled only in the hub's learner configuration; ``trainkit app`` serves the same page itself.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

__all__ = ["PATH"]

PATH = "trainkit"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "trainkit.server_extension"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    import tornado.web
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado.ioloop import IOLoop
    from voila.utils import get_voila_labextensions_path

    from . import lesson_pages
    from .app import home_page
    from .evidence import open_store
    from .labapp import LEARNING_MAP

    folder = os.environ.get("TRAINKIT_LESSONS", "notebooks").strip("/")
    notebooks = Path(server_app.root_dir).expanduser() / folder
    base_url = server_app.base_url
    store = open_store()

    class LearningMapHandler(JupyterHandler):
        """The learning map of the signed-in worker, drawn without a kernel."""

        @tornado.web.authenticated
        async def get(self) -> None:
            lab_url = url_path_join(base_url, "lab/tree", folder, LEARNING_MAP)
            page = partial(
                home_page,
                base_url=base_url,
                lessons_url=url_path_join(base_url, "voila/render", folder) + "/",
                lab_url=lab_url,
                notebooks=notebooks,
                store=store,
                query=self.get_query_argument("q", "")[:100],
            )
            try:
                html = await IOLoop.current().run_in_executor(None, page)  # reading the store: off the event loop
            except KeyError:  # not on the roster (a trainer, an admin): JupyterLab, where their tools are
                self.redirect(lab_url)
                return
            self.set_header("Cache-Control", "no-store")
            self.finish(html)

    # the lessons that Voilà's server extension renders in this server: see lesson_pages
    lesson_pages.share_compiled_templates()
    settings = server_app.web_app.settings
    settings["static_immutable_cache"] = [
        *settings.get("static_immutable_cache", []),
        *lesson_pages.immutable_lesson_assets(base_url, get_voila_labextensions_path()),
    ]
    server_app.web_app.add_handlers(".*$", [(url_path_join(base_url, PATH, "?"), LearningMapHandler)])
    server_app.log.info("trainkit：学习地图在 %s", url_path_join(base_url, PATH) + "/")
