"""``trainkit app``: every lesson as a code-free page (Voilà), with the learning map as home page.

How it is put together:

- Voilà serves the ``notebooks/`` folder with ``strip_sources`` on, so a learner sees only
  text and widgets; ``.ipynb`` and ``.py`` files are never served as files.
- The home page (``/``) is the learning map, drawn by the server without a kernel: who the
  learner is, each lesson with its progress, the rating in every domain. Lessons open at
  ``/voila/render/<notebook>``; Voilà's English file tree redirects home.
- The learner is the JupyterHub user, else ``TRAINKIT_WORKER``, else the remembered identity
  (``trainkit whoami``), else chosen once on the home page. The choice is passed to every
  kernel as ``TRAINKIT_WORKER``.
- Every page is ``lang="zh-CN"`` (Chromium then draws Simplified Chinese glyph forms): the home
  page, the lesson pages (our Voilà template) and the error pages (``error.html``, ``404.html``
  beside it, for Voilà's handlers and the server's alike).
- Progressive rendering: the page (the lesson's text) is sent at once and Voilà's page script
  runs the lesson's cells through the kernel, drawing each cell's widgets as they come, so a
  learner sees the first widget without waiting for the last cell (the server no longer runs
  the whole lesson before sending the page).
- Kernels: Voilà starts one per page and runs the whole lesson. Voilà's own ``preheat_kernel``
  runs each lesson *ahead* of the visit, so what the lesson reads from the evidence store
  (progress, earlier answers) would be as old as the pool, and it fills a pool for every
  notebook at start-up (about twenty kernels on a 2-core machine). Here a small shared pool instead
  keeps kernels started with the kit already imported (the slow part), and the lesson itself
  runs when it is opened. Kernels idle past ``idle_minutes`` are culled; closing the tab shuts
  its kernel down (Voilà). The server's kernel client (``lesson_client``) starts a lesson as soon
  as its kernel is idle, without jupyter_client's 0.2 s wait for silence.

Voilà does not refuse to run as root, so no ``--allow-root`` is needed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .evidence import EvidenceStore

__all__ = ["APP_TEMPLATE", "WARM_CODE", "AppError", "app_argv", "home_page", "notebooks_dir", "run_app"]

APP_TEMPLATE = "trainkit"
WARM_CODE = (  # the content every lesson reads: parsed once per kernel, before a learner waits
    "import trainkit.widgets\n"
    "from trainkit.framework import load_framework as _f\n"
    "from trainkit.lessons import load_lessons as _l\n"
    "from trainkit.quiz import load_banks as _b\n"
    "from trainkit.cases import load_cases as _c\n"
    "from trainkit.policy.scenarios import load_scenarios as _s\n"
    "_f(); _l(); _b(); _c(); _s()\n"
    "del _f, _l, _b, _c, _s\n"
)
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_LESSON_TEMPLATE = _TEMPLATES / "jupyter" / "voila" / "templates" / APP_TEMPLATE
_REPO = Path(__file__).resolve().parents[2]
_STATUS = {"done": "已完成", "started": "学习中", "new": "未开始"}


class AppError(RuntimeError):
    """The app cannot start; the message says why and what to do, in Chinese."""


def notebooks_dir(path: Path | None = None) -> Path:
    """The lessons folder: ``path``, else the project's ``notebooks/``, else ``./notebooks``."""
    candidates = [path] if path else [_REPO / "notebooks", Path.cwd() / "notebooks"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.ipynb")):
            return candidate.resolve()
    raise AppError(f"{candidates[0]}: 找不到课程文件夹（应含 .ipynb 课程）；请在项目根目录运行，或用 --notebooks 指定")


def app_argv(
    *,
    port: int | None = None,
    open_browser: bool = True,
    pool_size: int = 1,
    idle_minutes: int = 30,
    extra: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """The Voilà options ``trainkit app`` runs with (``extra`` comes last, so it wins)."""
    from .lesson_pages import NOT_IN_LESSONS

    argv = [
        f"--VoilaConfiguration.template={APP_TEMPLATE}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.preheat_kernel=False",
        "--VoilaConfiguration.progressive_rendering=True",
        "--VoilaConfiguration.multi_kernel_manager_class=trainkit.app.LessonKernelManager",
        f"--LessonKernelManager.pool_size={pool_size}",
        f"--LessonKernelManager.cull_idle_timeout={idle_minutes * 60}",
        f"--LessonKernelManager.cull_interval={max(30, min(300, idle_minutes * 15))}",
        "--LessonKernelManager.cull_connected=True",
        "--ServerKernelManager.client_class=trainkit.lesson_client.LessonKernelClient",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in NOT_IN_LESSONS),
    ]
    if port is not None:
        argv.append(f"--port={port}")
    if not open_browser:
        argv.append("--no-browser")
    return argv + list(extra)


# ---------------------------------------------------------------- the learner and the home page


def _learner():  # noqa: ANN202  (Worker | None)
    from .roster import current_worker

    return current_worker()


def _progress_detail(row) -> str:  # noqa: ANN001  (widgets.learning_map.LessonRow)
    parts = [f"自测 {row.quiz_done}/{row.quiz_total}"] if row.quiz_total else []
    if row.cases_total:
        parts.append(f"案例 {row.cases_done}/{row.cases_total}")
    return " · ".join(parts)


def home_page(
    *,
    base_url: str = "/",
    notebooks: Path | None = None,
    store: EvidenceStore | None = None,
    xsrf_form_html: str = "",
    problem: str = "",
    lessons_url: str | None = None,
    lab_url: str = "",
    query: str = "",
) -> str:
    """The learning map as a complete HTML page, read fresh from the store on every visit.

    Lessons are linked at ``lessons_url`` + notebook (default: Voilà under ``base_url``);
    ``lab_url``, when given, is a link to the same lessons in JupyterLab.

    Progress, ratings and the suggested lesson come from the same ``map_data`` as the learning
    map widget in JupyterLab, so both views always agree. ``query`` (the search box, ``?q=``)
    adds the matching lessons, cases, self-check questions and law articles.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    from .evidence import open_store
    from .framework import load_framework
    from .lessons import load_lessons
    from .roster import load_roster
    from .widgets.learning_map import CONTEST_NOTEBOOK, DUE_WHY, NOTHING_DUE, PRACTICE_NOTEBOOK, map_data
    from .widgets.search_box import PLACEHOLDER

    fw = load_framework()
    worker = _learner()
    data = map_data(worker, store or open_store()) if worker is not None else None
    lessons_url = lessons_url if lessons_url is not None else f"{base_url}voila/render/"

    def row(lesson, status: str = "new", detail: str = "") -> dict:  # noqa: ANN001
        return {
            "id": lesson.id,
            "title": lesson.title,
            "domain": fw.domain(lesson.domain).title,
            "minutes": lesson.minutes,
            "href": f"{lessons_url}{lesson.notebook}",
            "status": status,
            "status_title": _STATUS[status],
            "detail": detail,
        }

    if data is None:
        rows, suggestion, domains = [row(x) for x in load_lessons()], None, []
    else:
        rows = [row(r.lesson, r.status, _progress_detail(r)) for r in data.lessons]
        suggestion = next((x for x in rows if data.suggestion and x["id"] == data.suggestion.lesson.id), None)
        domains = [{"title": d.title, "level": d.level_title, "reason": d.reason} for d in data.domains]
    folder = notebooks or _REPO / "notebooks"
    results = ""
    if query.strip():
        from .search import search
        from .widgets.search_box import LIMIT, results_html

        hits = search(query, limit=LIMIT, notebooks=folder if folder.is_dir() else None)
        results = results_html(query, hits, href=lambda lesson: f"{lessons_url}{lesson.notebook}")
    extra = [
        (title, f"{lessons_url}{name}")
        for title, name in (("每日15分钟", PRACTICE_NOTEBOOK), ("练兵比武（培训师组织）", CONTEST_NOTEBOOK))
        if (folder / name).is_file()
    ]
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("app-home.html.j2").render(
        worker=worker,
        roster=list(load_roster().values()) if worker is None else [],
        lessons=rows,
        suggestion=suggestion,
        why=data.why if data else "",
        due=data.due if data else None,
        due_why=DUE_WHY,
        nothing_due=NOTHING_DUE,
        query=query.strip(),
        results=Markup(results),  # noqa: S704 (built by results_html, every text escaped)
        placeholder=PLACEHOLDER,
        domains=domains,
        extra=extra,
        base_url=base_url,
        problem=problem,
        lab_url=lab_url,
        xsrf_form_html=Markup(xsrf_form_html),  # noqa: S704 (tornado's own hidden input)
    )


# ---------------------------------------------------------------- kernels


def _kernel_manager_class():  # noqa: ANN202
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets import Float, Int, Unicode

    class LessonKernelManager(AsyncMappingKernelManager):
        """Voilà's kernels, with ``pool_size`` kernels started ahead and the kit imported.

        A lesson page takes a pooled kernel when there is one (same kernel name, same folder);
        the pool refills ``fill_delay`` seconds later, so refilling does not compete with the
        page being drawn. Pooled kernels are never culled.
        """

        pool_size = Int(1, config=True, help="预先启动并导入工具包的内核数（2 核机器建议 1）")
        fill_delay = Float(2.0, config=True, help="取走一个预热内核后，隔多少秒再补一个")
        warm_code = Unicode(WARM_CODE, config=True, help="预热时在内核里运行的代码（不涉及学员数据）")
        pool_kernel_name = Unicode("python3", config=True)

        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self._pool: list[asyncio.Task] = []
            self._pooled: set[str] = set()
            self._closing = False

        def fill_pool(self, delay: float = 0.0) -> None:
            """Start kernels until the pool holds ``pool_size`` (ready or warming)."""
            if self._closing:
                return
            self._pool = [t for t in self._pool if not (t.done() and (t.cancelled() or t.exception() is not None))]
            for _ in range(self.pool_size - len(self._pool)):
                self._pool.append(asyncio.ensure_future(self._warm_kernel(delay)))

        async def _warm_kernel(self, delay: float) -> str:
            if delay:
                await asyncio.sleep(delay)
            if self._closing:
                raise asyncio.CancelledError
            kernel_id = await super().start_kernel(kernel_name=self.pool_kernel_name, path="")
            self._pooled.add(kernel_id)
            client = self.get_kernel(kernel_id).client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=120)
                reply = await client.execute_interactive(
                    self.warm_code, silent=True, store_history=False, timeout=120, output_hook=lambda _msg: None
                )
                if reply["content"]["status"] != "ok":
                    self.log.warning("预热代码出错（内核 %s）：%s", kernel_id, reply["content"].get("evalue"))
            finally:
                client.stop_channels()
            self.log.info("预热内核已就绪：%s", kernel_id)
            return kernel_id

        def _take_from_pool(self) -> str | None:
            """A ready pooled kernel; one still warming is left for the next visitor."""
            for task in [t for t in self._pool if t.done()]:
                self._pool.remove(task)
                if task.cancelled() or task.exception() is not None:
                    self.log.warning("预热内核不可用：%s", None if task.cancelled() else task.exception())
                    continue
                kernel_id = task.result()
                self._pooled.discard(kernel_id)
                if kernel_id in self:
                    self.get_kernel(kernel_id).last_activity = datetime.now(UTC)
                    return kernel_id
            return None

        async def start_kernel(
            self,
            *,
            kernel_name: str | None = None,
            kernel_id: str | None = None,
            path: str | None = None,
            **kwargs: Any,
        ) -> str:
            taken = None
            if kernel_id is None and not path and kernel_name in (None, self.pool_kernel_name):
                taken = self._take_from_pool()
            self.fill_pool(delay=self.fill_delay)
            if taken is not None:
                self.log.info("课程使用预热内核 %s", taken)
                return taken
            return await super().start_kernel(kernel_name=kernel_name, kernel_id=kernel_id, path=path, **kwargs)

        async def cull_kernel_if_idle(self, kernel_id: str) -> None:
            if kernel_id in self._pooled:
                return
            await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_all(self, now: bool = False) -> None:
            # A kernel half-started is waited for, then shut down with the others. Voilà calls this
            # from a new event loop once the server's loop has stopped: tasks of that loop cannot
            # be awaited; a kernel they were starting exits with its parent (ipykernel's watch).
            self._closing = True
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(t for t in self._pool if t.get_loop() is loop), return_exceptions=True)
            self._pool = []
            await super().shutdown_all(now=now)

    return LessonKernelManager


def __getattr__(name: str) -> Any:
    # ``trainkit.app.LessonKernelManager`` is built on first use, so importing this module
    # (the CLI, a kernel's warm-up) does not import jupyter_server.
    if name == "LessonKernelManager":
        cls = _kernel_manager_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


# ---------------------------------------------------------------- the Voilà application


def _application_class():  # noqa: ANN202
    import tornado.web
    from jupyter_server.base.handlers import JupyterHandler
    from tornado.ioloop import IOLoop
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler as VoilaHandler

    from . import lesson_pages
    from .content import ContentError
    from .evidence import open_store
    from .roster import set_identity

    lesson_pages.share_compiled_templates()

    class HomeHandler(JupyterHandler):
        """The learning map. Same login as the lesson pages (a token when Voilà is given one);
        the form's _xsrf is checked by jupyter_server before ``post`` runs."""

        @tornado.web.authenticated
        async def get(self) -> None:
            await self._page(query=self.get_query_argument("q", "")[:100])

        @tornado.web.authenticated
        async def post(self) -> None:
            worker_id = self.get_body_argument("worker_id", "").strip()
            try:
                worker = set_identity(worker_id)
            except (KeyError, ContentError) as err:
                await self._page(problem=str(err).strip("'\""))
                return
            os.environ["TRAINKIT_WORKER"] = worker.worker_id
            self.redirect(self.settings["base_url"])

        async def _page(self, problem: str = "", query: str = "") -> None:
            page = partial(
                home_page,
                base_url=self.settings["base_url"],
                store=self.settings["trainkit_store"],
                notebooks=Path(self.settings["trainkit_notebooks"]),
                xsrf_form_html=self.xsrf_form_html(),
                problem=problem,
                query=query,
            )
            html = await IOLoop.current().run_in_executor(None, page)  # reading the store: off the event loop
            self.set_header("Cache-Control", "no-store")
            self.finish(html)

    class LessonHandler(VoilaHandler):
        async def get(self, path: str | None = None) -> None:
            # Voilà's page asks the server to shut its kernel down when the tab closes, sending the
            # _xsrf cookie back; a lesson opened straight from a bookmark has none yet.
            _ = self.xsrf_token
            return await super().get(path)

    class TreeRedirect(JupyterHandler):
        @tornado.web.authenticated
        def get(self, *_args: str) -> None:
            self.redirect(self.settings["base_url"])

    class NotFound(JupyterHandler):
        """Any other address: the Chinese 404 page (tornado's own is a line of English)."""

        def get(self, *_args: str) -> None:
            raise tornado.web.HTTPError(404)

    class TrainkitApp(Voila):
        """Voilà with the learning map as home page and a warm kernel pool."""

        name = "trainkit-app"
        description = "社区工作者“全岗通”学习：以无代码页面打开全部课程"

        def init_settings(self) -> dict:
            import jinja2

            settings = super().init_settings()
            # the server's own pages (home, a wrong address) fail with our Chinese error pages too,
            # not only the lesson pages Voilà renders with its template folder (ours first)
            env = settings["jinja2_env"]
            env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(_LESSON_TEMPLATE)), env.loader])
            settings["static_immutable_cache"] = [
                *settings.get("static_immutable_cache", []),
                *lesson_pages.immutable_lesson_assets(self.server_url, self.labextensions_path),
            ]
            settings["trainkit_notebooks"] = self.root_dir
            settings["trainkit_store"] = open_store()
            fill = getattr(self.kernel_manager, "fill_pool", None)
            if fill is not None:
                IOLoop.current().add_callback(fill)
            return settings

        def init_handlers(self) -> list:
            from jupyter_server.utils import url_path_join

            ours = [
                (self.server_url, HomeHandler),
                (url_path_join(self.server_url, "trainkit/?"), HomeHandler),  # where a lesson's "back" link goes
                (url_path_join(self.server_url, r"/voila/tree(.*)"), TreeRedirect),
            ]
            theirs = [(h[0], LessonHandler, *h[2:]) if h[1] is VoilaHandler else h for h in super().init_handlers()]
            return [*ours, *theirs, (url_path_join(self.server_url, r"/.*"), NotFound)]

    return TrainkitApp


def run_app(
    *,
    notebooks: Path | None = None,
    worker_id: str | None = None,
    port: int | None = None,
    open_browser: bool = True,
    pool_size: int = 1,
    idle_minutes: int = 30,
    extra: tuple[str, ...] = (),
) -> None:
    """Serve the lessons until interrupted (Ctrl+C)."""
    from .content import ContentError
    from .framework import load_framework
    from .lessons import load_lessons
    from .quiz import load_banks
    from .roster import current_worker, load_roster

    folder = notebooks_dir(notebooks)
    try:
        # read the content once now: a broken file is reported before any page is served
        load_framework()
        load_banks()
        missing = [x.notebook for x in load_lessons() if not (folder / x.notebook).is_file()]
        if missing:
            raise AppError(f"{folder}: 课程目录中缺少这些课程文件：{'、'.join(missing)}（见 casebank/lessons/）")
        if worker_id is not None and worker_id not in load_roster():
            raise AppError(f"花名册中没有工号 {worker_id}，请核对花名册或去掉 --worker")
        if worker_id is not None:
            os.environ["TRAINKIT_WORKER"] = worker_id
        worker = current_worker()
    except (KeyError, ContentError) as err:
        raise AppError(str(err).strip("'\"")) from err
    if worker is not None:
        os.environ["TRAINKIT_WORKER"] = worker.worker_id
        print(f"学员：{worker.display_name}（工号 {worker.worker_id}）", file=sys.stderr)
    else:
        print("还不知道学员是谁：打开学习地图后先选择工号（或运行 trainkit whoami 工号）。", file=sys.stderr)
    # Voilà finds templates in the Jupyter data path; ours is shipped inside the package.
    jupyter_path = str(_TEMPLATES / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (jupyter_path, os.environ.get("JUPYTER_PATH")) if p)
    argv = [
        *app_argv(port=port, open_browser=open_browser, pool_size=pool_size, idle_minutes=idle_minutes, extra=extra),
        str(folder),
    ]
    _application_class().launch_instance(argv=argv)
