"""The district deployment end to end, as its users meet it: a trainer and two workers log in
to JupyterHub, each works in their own single-user server (their own Unix account) with their
own API token, and the kit's graded exercise ``social-assistance-dibao`` goes round the whole
nbgrader multi-course loop into a PostgreSQL evidence store and a competency report.
The deployment is real, on loopback, and set up by the deployment guide's own scripts.

``TRAINKIT_HUB_PREFIX`` names a prefix where ``deploy/install.sh`` has installed the software
(.ci/run does this and sets it); ``TRAINKIT_TEST_PG_URL`` names the PostgreSQL server
(.ci/postgres.sh). Without them, or not as root, the hub test skips with the reason — under
CI (``CI=true``) that is a failure (the service_url rule of tests/conftest.py).

The fixture then does what deploy/README.md tells an operator to do: write a site file and
a roster, run ``deploy/setup.py --site`` (Unix accounts, PostgreSQL roles and databases,
nbgrader course, lessons repository, hub configuration) and start ``{{ prefix }}/bin/trainkit-hub``.
Everything it made — accounts and their homes, database roles and databases, the state
folder, the git safe.directory entry, setup.py's groups when empty — is removed afterwards.
"""

from __future__ import annotations

import asyncio
import grp
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
import requests

pytestmark = [pytest.mark.hub, pytest.mark.slow]

KIT = Path(__file__).resolve().parents[2]
COURSE = "tkci"
TRAINER = "tkci-t1"
WORKERS = {"tkci-w1": "测试学员甲（虚构）", "tkci-w2": "测试学员乙（虚构）"}
GRADER = f"grader-{COURSE}"
ACCOUNTS = [TRAINER, *WORKERS, GRADER]
PASSWORD = "hub-test-" + uuid.uuid4().hex[:12]

ASSIGNMENT = "social-assistance-dibao"
NOTEBOOK = "dibao-exercise"
W1, W2 = WORKERS
# w1 answers every autograded question right; w2 gets question 1 (2 points) wrong.
ANSWERS = {
    W1: {
        "q1-answer": "人数 = 4",
        "q2-answer": "月收入 = 2000",
        "q3-answer": '第3题 = "A"',
        "q4-answer": "月补差 = 2044",
        "q5-answer": '第5题 = "B"',
        "q6-answer": '第6题 = "C"',
    },
    W2: {
        "q1-answer": "人数 = 5",
        "q2-answer": "月收入 = 2000",
        "q3-answer": '第3题 = "A"',
        "q4-answer": "月补差 = 2044",
        "q5-answer": '第5题 = "B"',
        "q6-answer": '第6题 = "C"',
    },
}
EXPECTED_AUTO = {W1: 8.0, W2: 6.0}


# ---------------------------------------------------------------- the deployment


_TAKEN: set[int] = set()


def _free_port() -> int:
    """A free port below the kernel's ephemeral range: a port from ``bind(0)`` is released before
    the hub binds it, and any socket opened meanwhile (a kernel's ZMQ channels) may be handed the
    same one. Ports outside that range are never given out on their own."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(low - 8000, low)
        if port in _TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _TAKEN.add(port)
        return port
    raise RuntimeError(f"no free port found below {low}")


def psql(port: int, sql: str, db: str = "postgres") -> str:
    """Run SQL as the postgres superuser (peer login over the Unix socket)."""
    done = subprocess.run(
        [
            "runuser",
            "-u",
            "postgres",
            "--",
            "psql",
            "-X",
            "-q",
            "-tA",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "/var/run/postgresql",
            "-p",
            str(port),
            "-d",
            db,
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"psql: {done.stderr.strip()}")
    return done.stdout.strip()


def _pids_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


def _remove_accounts() -> None:
    for name in ACCOUNTS:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        for pid in _pids_of(uid):  # processes of this test's own accounts, each by its id
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    for group in ("trainkit-learners", "trainkit-trainers"):  # setup.py's groups, unless a deployment uses them
        try:
            members = grp.getgrnam(group).gr_mem
        except KeyError:
            continue
        if not members:
            subprocess.run(["groupdel", group], capture_output=True)


def _drop_databases(pg_port: int) -> None:
    for db in psql(pg_port, "SELECT datname FROM pg_database WHERE datname LIKE 'tkci\\_%'").split():
        psql(pg_port, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    roles = psql(
        pg_port,
        "SELECT rolname FROM pg_roles WHERE rolname LIKE 'tkci\\_%' "
        f"OR rolname IN ({', '.join(repr(a) for a in ACCOUNTS)})",
    ).split()
    for role in roles:
        psql(pg_port, f'DROP ROLE IF EXISTS "{role}"')


class Hub:
    """The running deployment: its URL, site, and the helpers the test drives it with."""

    def __init__(self, url: str, prefix: Path, venv: Path, site_file: Path, pg_port: int, log: Path):
        self.url, self.prefix, self.venv, self.site_file, self.pg_port, self.log = (
            url,
            prefix,
            venv,
            site_file,
            pg_port,
            log,
        )
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "TRAINKIT_HUB_PASSWORD": PASSWORD}
        for var in (
            "TRAINKIT_DB",
            "TRAINKIT_HOME",
            "TRAINKIT_ROSTER",
            "TRAINKIT_WORKER",
            "JUPYTER_CONFIG_DIR",
            "JUPYTER_CONFIG_PATH",
            "JUPYTER_PATH",
            "VIRTUAL_ENV",
            "PYTHONPATH",
        ):
            env.pop(var, None)
        self.proc = subprocess.Popen(
            [str(self.prefix / "bin" / "trainkit-hub")],
            env=env,
            cwd="/",
            start_new_session=True,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            # a hub started from a background job inherits an ignored SIGINT: give it the default back
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if (
                    requests.get(f"{self.url}/hub/api/", timeout=2).ok
                    and b"JupyterHub is now running" in self.log.read_bytes()
                ):
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not start in 120 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        children = [
            int(p)
            for p in subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        ]
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pid in children:  # the proxy and the services, if the hub left any behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def log_tail(self, n: int = 60) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


@pytest.fixture(scope="module")
def hub(service):
    guide = "deploy/README.md“自动测试”"
    install_prefix = Path(service("TRAINKIT_HUB_PREFIX", " JupyterHub 部署软件（deploy/install.sh）", guide))
    pg_url = service("TRAINKIT_TEST_PG_URL", " PostgreSQL", guide)
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("CI 中 hub 测试须以 root 运行（要建 Unix 账户）")
        pytest.skip("hub 测试须以 root 运行（要建 Unix 账户和数据库角色）")
    venv = install_prefix / "venv"
    if not (venv / "bin" / "jupyterhub").exists():
        pytest.fail(f"{install_prefix} 里没有 JupyterHub：先运行 bash deploy/install.sh {install_prefix}")
    pg_port = urlparse(pg_url).port or 5432

    # Leftovers of an interrupted run go first.
    _remove_accounts()
    _drop_databases(pg_port)

    prefix = Path(tempfile.mkdtemp(prefix="trainkit-hub-", dir="/var/tmp"))
    os.chmod(prefix, 0o755)
    roster = prefix / "roster.csv"
    roster.write_text(
        "worker_id,display_name,street,community,post,supervisor_scope\n"
        + "".join(f"{w},{name},测试街道,测试社区,综合受理窗口,\n" for w, name in WORKERS.items()),
        encoding="utf-8",
    )
    db = f"tkci_{uuid.uuid4().hex[:8]}"
    hub_port = _free_port()
    site_file = prefix / "site.toml"
    site_file.write_text(
        f"""\
prefix = "{prefix}"
venv = "{venv}"
roster = "{roster}"

[hub]
ip = "127.0.0.1"
port = {hub_port}
hub_port = {_free_port()}
proxy_api_port = {_free_port()}
authenticator = "shared-password"
password_env = "TRAINKIT_HUB_PASSWORD"
server_idle_timeout = 3600
kernel_idle_timeout = 600

[paths]
home_root = "/home"

[postgres]
port = {pg_port}
database = "{db}"

[[course]]
id = "{COURSE}"
title = "测试课程"
trainers = ["{TRAINER}"]
service_port = {_free_port()}
""",
        encoding="utf-8",
    )
    log = prefix / "jupyterhub.log"
    the_hub = Hub(f"http://127.0.0.1:{hub_port}", prefix, venv, site_file, pg_port, log)
    try:
        # deploy/README.md 第 3 步，原样：
        started = time.monotonic()
        done = subprocess.run(
            [str(venv / "bin" / "python"), str(KIT / "deploy" / "setup.py"), "--site", str(site_file)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"setup.py failed:\n{done.stdout}\n{done.stderr}"
        print(done.stdout, f"setup.py: {time.monotonic() - started:.1f} s", file=sys.stderr)
        started = time.monotonic()
        the_hub.start()  # deploy/README.md 第 4 步（systemd 的 ExecStart 就是这个脚本）
        print(f"hub start: {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield the_hub
    finally:
        if log.exists():  # shown by pytest when the test failed
            print(f"--- JupyterHub log (last lines) ---\n{the_hub.log_tail(120)}", file=sys.stderr)
        the_hub.stop()
        _remove_accounts()
        _drop_databases(pg_port)
        lessons = prefix / "share" / "lessons.git"
        subprocess.run(
            ["git", "config", "--system", "--unset-all", "safe.directory", f"^{lessons}$"], capture_output=True
        )
        shutil.rmtree(prefix, ignore_errors=True)


# ---------------------------------------------------------------- clients


class User:
    """One person: logged in through the hub's login form, with their own API token."""

    def __init__(self, hub, name: str):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        r = self.session.get(f"{hub.url}/hub/login", timeout=30)
        r.raise_for_status()
        r = self.session.post(
            f"{hub.url}/hub/login",
            allow_redirects=False,
            timeout=30,
            data={"username": name, "password": PASSWORD, "_xsrf": self.session.cookies.get("_xsrf")},
        )
        assert r.status_code == 302, f"{name} 登录失败：{r.status_code}"
        r = self.session.post(
            f"{hub.url}/hub/api/users/{name}/tokens",
            timeout=30,
            headers={"X-XSRFToken": self.session.cookies.get("_xsrf")},
            json={"note": "hub test", "expires_in": 3600},
        )
        assert r.status_code == 201, r.text
        self.token = r.json()["token"]
        self.headers = {"Authorization": f"token {self.token}"}

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(f"{self.hub.url}{path}", headers=self.headers, timeout=kw.pop("timeout", 60), **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return requests.post(f"{self.hub.url}{path}", headers=self.headers, timeout=kw.pop("timeout", 120), **kw)

    def put(self, path: str, **kw) -> requests.Response:
        return requests.put(f"{self.hub.url}{path}", headers=self.headers, timeout=60, **kw)

    def delete(self, path: str) -> requests.Response:
        return requests.delete(f"{self.hub.url}{path}", headers=self.headers, timeout=60)

    @property
    def server(self) -> str:
        return f"/user/{self.name}"

    def start_server(self) -> None:
        r = self.post(f"/hub/api/users/{self.name}/server")
        assert r.status_code in (201, 202), f"{self.name}: {r.status_code} {r.text}"

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.get(f"/hub/api/users/{self.name}").json()
            if model.get("servers", {}).get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name} 的服务器 {timeout} 秒内没有启动")

    def run_python(self, base: str, code: str, timeout: float = 180) -> str:
        """Execute code in a new kernel of a server (``/user/x`` or ``/services/x``); return its stdout."""
        r = self.post(f"{base}/api/kernels", json={"name": "python3"})
        assert r.status_code == 201, r.text
        kernel = r.json()["id"]
        try:
            ws = f"{self.hub.url.replace('http', 'ws', 1)}{base}/api/kernels/{kernel}/channels"
            return asyncio.run(_execute(ws, self.token, code, timeout))
        finally:
            self.delete(f"{base}/api/kernels/{kernel}")


async def _execute(ws_url: str, token: str, code: str, timeout: float) -> str:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}))
    msg_id = uuid.uuid4().hex
    conn.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "",
                    "session": uuid.uuid4().hex,
                    "date": "",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "buffers": [],
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    out, replied, idle = [], None, False
    try:
        while replied is None or not idle:
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            assert raw is not None, "kernel websocket closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                raise AssertionError("kernel error:\n" + "\n".join(content["traceback"]) + "\n" + "".join(out))
            elif kind == "execute_reply":
                replied = content["status"]
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
    finally:
        conn.close()
    return "".join(out)


def _pull_lessons(user: User, site: dict) -> None:
    """What the worker's browser does at login: nbgitpuller's git-pull, through its event stream."""
    lessons = site["lessons"]
    r = user.get(
        f"{user.server}/git-pull/api",
        stream=True,
        params={"repo": f"file://{lessons['repo']}", "branch": lessons["branch"], "targetpath": lessons["folder"]},
    )
    assert r.ok, r.text
    events = [json.loads(line[5:]) for line in r.iter_lines(decode_unicode=True) if line.startswith("data:")]
    assert events and events[-1].get("phase") == "finished", events[-3:]


def _owner(path: Path) -> str:
    return pwd.getpwuid(path.stat().st_uid).pw_name


def _timed(timings: dict, key: str, started: float) -> None:
    timings[key] = round(time.monotonic() - started, 1)


# ---------------------------------------------------------------- the test


def test_trainer_and_workers_on_the_district_hub(hub):
    timings: dict[str, float] = {}
    site = json.loads((hub.prefix / "etc" / "site.json").read_text(encoding="utf-8"))
    t0 = time.monotonic()

    # 1. Everyone logs in through the hub's login form (in Chinese) and gets their own API token and server.
    form = requests.get(f"{hub.url}/hub/login", timeout=30).content.decode("utf-8")
    assert "工号：" in form and "口令：" in form and 'value="登录"' in form
    trainer, w1, w2 = User(hub, TRAINER), User(hub, W1), User(hub, W2)
    for u in (trainer, w1, w2):
        u.start_server()
    for u in (trainer, w1, w2):
        u.wait_ready()
    _timed(timings, "login + 3 servers", t0)
    for u in (trainer, w1, w2):
        r = u.get(f"{u.server}/api/status")
        assert r.ok
        procs = subprocess.run(["pgrep", "-u", u.name, "-f", "jupyterhub-singleuser"], capture_output=True, text=True)
        assert procs.stdout.split(), f"{u.name} 的服务器不是以 {u.name} 的 Unix 账户运行的"
    assert w1.get(f"{w2.server}/api/status").status_code in (403, 404), "学员不能进入别人的服务器"

    # 2. Trainer tools are hidden from workers; the formgrader is the course service's, in its own tab.
    page = w1.get(f"{w1.server}/lab").text
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    for ext in ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"):
        assert ext in config["disabledExtensions"] and ext in config["lockedExtensions"], ext
    assert "@jupyter/nbgrader:assignment-list" not in config["disabledExtensions"]
    assert w1.get(f"{w1.server}/formgrader").status_code == 404  # server extension off for workers
    assert w1.get(f"/services/{COURSE}/formgrader").status_code == 403
    front = trainer.get(f"/services/{COURSE}/", allow_redirects=False)
    assert front.status_code == 302 and front.headers["Location"].split("?")[0].endswith("/formgrader"), front.headers
    fg = trainer.get(f"/services/{COURSE}/formgrader/manage_assignments")
    assert fg.status_code == 200 and "<title>nbgrader formgrade</title>" in fg.text
    # JupyterHub >= 4.1 forbids framing: the Formgrader *panel* in JupyterLab would stay blank.
    assert "frame-ancestors 'none'" in fg.headers.get("Content-Security-Policy", "")
    home_t = trainer.session.get(f"{hub.url}/hub/home").text
    home_w = w1.session.get(f"{hub.url}/hub/home").text
    assert f'/services/{COURSE}/formgrader" target="_blank"' in home_t
    assert "/formgrader" not in home_w

    # 3. Lessons arrive with nbgitpuller, owned by the worker; their edits survive an update.
    t = time.monotonic()
    _pull_lessons(w1, site)
    folder = site["lessons"]["folder"]
    start_nb = f"{folder}/{site['lessons']['start']}"
    r = w1.get(f"{w1.server}/api/contents/{start_nb}")
    assert r.ok, f"学习地图没有拉到学员家目录：{r.status_code}"
    home1 = Path(pwd.getpwnam(W1).pw_dir)
    assert _owner(home1 / start_nb) == W1
    nb = r.json()["content"]
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "我的学习笔记：先看收入核算。"})
    assert w1.put(f"{w1.server}/api/contents/{start_nb}", json={"type": "notebook", "format": "json", "content": nb}).ok
    _update_lessons(Path(site["lessons"]["repo"]), "99-updated-lesson.md", "# 新课程说明\n")
    _pull_lessons(w1, site)
    kept = w1.get(f"{w1.server}/api/contents/{start_nb}").json()["content"]
    assert kept["cells"][-1]["source"] == "我的学习笔记：先看收入核算。", "更新课程覆盖了学员的修改"
    assert w1.get(f"{w1.server}/api/contents/{folder}/99-updated-lesson.md").ok, "课程更新没有到达学员"
    _timed(timings, "lessons (nbgitpuller)", t)

    # 4. The trainer generates and releases the assignment through the formgrader (as the grader account).
    t = time.monotonic()
    fg_api = f"/services/{COURSE}/formgrader/api"
    for action in ("assign", "release"):
        r = trainer.post(f"{fg_api}/assignment/{ASSIGNMENT}/{action}")
        assert r.ok and r.json()["success"], f"{action}: {r.text[:2000]}"
    released = Path(site["exchange"]) / COURSE / "outbound" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert _owner(released) == GRADER
    assert '"explanation"' not in released.read_text(encoding="utf-8")  # they name the right answers
    _timed(timings, "generate + release", t)

    # 5. Each worker fetches, answers and submits in their own server (nbgrader's assignment list API).
    t = time.monotonic()
    for u in (w1, w2):
        listing = u.get(f"{u.server}/assignments", params={"course_id": COURSE}).json()
        assert listing["success"] and [a["assignment_id"] for a in listing["value"]] == [ASSIGNMENT], listing
        r = u.post(f"{u.server}/assignments/fetch", data={"course_id": COURSE, "assignment_id": ASSIGNMENT})
        assert r.ok and r.json()["success"], r.text
        path = f"{COURSE}/{ASSIGNMENT}/{NOTEBOOK}.ipynb"
        fetched = Path(pwd.getpwnam(u.name).pw_dir) / path
        assert _owner(fetched) == u.name
        nb = u.get(f"{u.server}/api/contents/{path}").json()["content"]
        answered = 0
        for cell in nb["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in ANSWERS[u.name]:
                cell["source"] = f"{cell['source']}\n{ANSWERS[u.name][grade_id]}\n"
                answered += 1
            elif grade_id == "q7-plan":
                cell["source"] = "王阿姨，您家算进来的是四个人……（书面作答，由培训师评分）"
        assert answered == 6
        assert u.put(f"{u.server}/api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb}).ok
        r = u.post(f"{u.server}/assignments/submit", data={"course_id": COURSE, "assignment_id": ASSIGNMENT})
        assert r.ok and r.json()["success"], r.text
    inbound = list((Path(site["exchange"]) / COURSE / "inbound").iterdir())
    assert sorted(p.name.split("+")[0] for p in inbound) == sorted(WORKERS)
    assert {_owner(p) for p in inbound} == set(WORKERS)
    _timed(timings, "fetch + answer + submit (2 workers)", t)

    # 6. The trainer collects and autogrades through the formgrader; the gradebook is in PostgreSQL.
    t = time.monotonic()
    r = trainer.post(f"{fg_api}/assignment/{ASSIGNMENT}/collect")
    assert r.ok and r.json()["success"], r.text[:2000]
    for name in WORKERS:
        r = trainer.post(f"{fg_api}/submission/{ASSIGNMENT}/{name}/autograde", timeout=300)
        assert r.ok and r.json()["success"], r.text[:3000]
    subs = {s["student"]: s for s in trainer.get(f"{fg_api}/submissions/{ASSIGNMENT}").json()}
    for name, expected in EXPECTED_AUTO.items():
        assert subs[name]["autograded"] and subs[name]["code_score"] == expected, subs[name]
        # setup.py entered the roster's names: the formgrader lists "测试学员甲（虚构）, tkci-w1"
        assert (subs[name]["last_name"], subs[name]["first_name"]) == (WORKERS[name], name), subs[name]
    course = next(c for c in site["courses"] if c["id"] == COURSE)
    assert psql(hub.pg_port, "SELECT count(*) FROM submitted_assignment", db=course["gradebook_db"]) == "2"
    _timed(timings, "collect + autograde (2 workers)", t)

    # 7. Grades → the PostgreSQL evidence store → the competency report, run in the course service.
    t = time.monotonic()
    evidence_url = site["evidence_url"]
    gradebook_url = site["gradebook_url"].format(db=course["gradebook_db"])
    assert evidence_url.startswith("postgresql+psycopg://")
    out = trainer.run_python(
        f"/services/{COURSE}",
        f"""
import subprocess
for args in (["trainkit", "evidence", "import-grades", "--course", {course["root"]!r}, "--gradebook", {gradebook_url!r},
              "--db", {evidence_url!r}],
             ["trainkit", "report", "--db", {evidence_url!r}, "--out", "report.html", "--xlsx", "report.xlsx"]):
    done = subprocess.run(args, capture_output=True, text=True)
    print(done.returncode, done.stdout.strip(), done.stderr.strip()[-1500:])
""",
    )
    lines = out.strip().splitlines()
    assert lines[0].startswith("0 新增") and lines[1].startswith("0 报告"), out
    rows = psql(
        hub.pg_port,
        "SELECT worker_id, sum(score), sum(max_score) FROM evidence "
        "WHERE source = 'graded_exercise' GROUP BY worker_id ORDER BY worker_id",
        db=site["postgres"]["database"],
    ).splitlines()
    totals = {r.split("|")[0]: float(r.split("|")[1]) for r in rows}
    assert set(totals) == set(WORKERS), rows
    assert totals[W1] > totals[W2], rows  # w1's right answer to question 1 shows in the evidence
    report = trainer.get(f"/services/{COURSE}/files/report.html")
    assert report.ok
    html = report.content.decode("utf-8")
    for worker, display_name in WORKERS.items():
        assert f'<tr><td>{worker}</td><th scope="row">{display_name}</th>' in html
    assert _owner(Path(course["home"]) / "report.html") == GRADER
    _timed(timings, "import grades + report (PostgreSQL)", t)

    # 8. Row-level security: a worker's kernel records their own self-check, never someone else's.
    t = time.monotonic()
    out = w1.run_python(
        w1.server,
        f"""
from trainkit.evidence import open_store
store = open_store()
print(store.url)
store.record(worker_id={W1!r}, item_id="dibao_income", domain="social_assistance", source="self_check",
             ref="hub-test", score=1)
for forged in (dict(worker_id={W2!r}, source="self_check"), dict(worker_id={W1!r}, source="graded_exercise")):
    try:
        store.record(item_id="dibao_income", domain="social_assistance", ref="hub-test-forged", score=1, **forged)
        print("FORGED", forged)
    except Exception as err:
        print("REFUSED", type(err).__name__)
print(sorted({{row.worker_id for row in store.rows()}}))
""",
    )
    lines = out.strip().splitlines()
    assert lines[0] == evidence_url, out
    assert lines[1:3] == ["REFUSED ProgrammingError", "REFUSED ProgrammingError"], out
    assert lines[3] == repr([W1]), out
    _timed(timings, "row-level security", t)

    # 9. The idle culler runs as a hub service and talks to the hub API.
    assert b"(idle-culler@127.0.0.1)" in hub.log.read_bytes()

    # 10. Backups as the guide says; every dump is readable by pg_restore.
    t = time.monotonic()
    backups = hub.prefix / "backups"
    done = subprocess.run(
        ["bash", str(KIT / "deploy" / "backup.sh"), str(hub.prefix), str(backups)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    dest = Path(done.stdout.strip().splitlines()[-1])
    dumps = sorted(p.name for p in dest.glob("*.dump"))
    assert dumps == sorted([f"{site['postgres']['database']}.dump", f"{course['gradebook_db']}.dump"])
    for dump in dest.glob("*.dump"):
        listed = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
        assert listed.returncode == 0 and "TABLE DATA" in listed.stdout
    assert (dest / f"course-{COURSE}.tar.gz").stat().st_size > 0
    _timed(timings, "backup", t)

    # Everyone's server stops on request (the culler uses the same API).
    t = time.monotonic()
    for u in (trainer, w1, w2):
        assert u.delete(f"/hub/api/users/{u.name}/server").status_code in (202, 204)
    for u in (trainer, w1, w2):
        deadline = time.monotonic() + 60
        while u.get(f"/hub/api/users/{u.name}").json().get("servers") and time.monotonic() < deadline:
            time.sleep(0.5)
    _timed(timings, "stop 3 servers", t)
    _timed(timings, "total", t0)
    print("hub test timings (s):", json.dumps(timings, ensure_ascii=False))
    Path(os.environ.get("TRAINKIT_HUB_TIMINGS", "/dev/null")).write_text(json.dumps(timings, ensure_ascii=False))


def _sign_in(hub, browser, name: str, ready: str, **device):  # noqa: ANN001, ANN003, ANN202
    """A new browser context signed in through the hub's Chinese form, once ``ready`` is drawn
    (the server started, nbgitpuller ran, the first page is there)."""
    context = browser.new_context(locale="zh-CN", **(device or {"viewport": {"width": 1280, "height": 900}}))
    context.set_default_timeout(120_000)
    tab = context.new_page()
    tab.goto(f"{hub.url}/")
    tab.fill("#username_input", name)
    tab.fill("#password_input", PASSWORD)
    tab.click("#login_submit")
    tab.wait_for_selector(ready)
    return context, tab


def test_in_chromium_a_worker_reaches_the_learning_map_and_a_trainer_the_formgrader(hub, browser, shoot):
    """The guide's promise in a real browser: through the Chinese sign-in form, a worker lands on
    the code-free learning map that greets them by their roster name (no roster picker: the hub
    says who they are), opens a lesson without code, and reaches JupyterLab in one click; the hub's
    home page is Chinese; a trainer opens the formgrader from it in a new tab, where the roster's
    names stand beside the ids."""
    from playwright.sync_api import expect

    site = json.loads((hub.prefix / "etc" / "site.json").read_text(encoding="utf-8"))
    folder = site["lessons"]["folder"]

    context, tab = _sign_in(hub, browser, W1, "#tk-lessons")
    scripts: list[str] = []
    tab.on("requestfinished", lambda request: scripts.append(request.url) if "/labextensions/" in request.url else None)
    assert tab.url.endswith(f"/user/{W1}/trainkit/"), tab.url
    expect(tab.locator("#tk-learner")).to_contain_text(WORKERS[W1])
    assert tab.locator("#tk-pick").count() == 0  # no roster picker on the hub
    assert tab.evaluate("document.documentElement.lang") == "zh-CN"
    shoot(tab, "hub-worker-learning-map")
    tab.locator("#tk-search input").fill("低保")
    tab.locator("#tk-search input").press("Enter")
    tab.wait_for_url(re.compile(r"/trainkit/\?q="))  # searching stays on the learning map
    expect(tab.locator("#tk-lessons")).to_be_visible()
    tab.locator("#tk-lessons a").first.click()
    expect(tab.get_by_role("link", name="← 返回学习地图")).to_be_visible(timeout=60_000)
    assert f"/user/{W1}/voila/render/{folder}/" in tab.url, tab.url
    expect(tab.locator(".jupyter-widgets").first).to_be_visible(timeout=120_000)  # the lesson runs first
    assert tab.locator(".jp-InputArea-editor").count() == 0  # no code in the code-free view
    shoot(tab, "hub-worker-lesson")
    voila_scripts = [url for url in scripts if "/voila/labextensions/" in url]
    assert voila_scripts, scripts
    assert not [url for url in voila_scripts if "nbgrader" in url or "jupyter-notebook" in url], voila_scripts
    for url in voila_scripts:  # content-hashed: the next lesson takes them from the cache (trainkit.lesson_pages)
        assert "immutable" in tab.request.get(url).headers.get("cache-control", ""), url
    tab.get_by_role("link", name="← 返回学习地图").click()
    tab.get_by_role("link", name="在 JupyterLab 中打开").click()
    tab.wait_for_selector(".jp-Notebook")
    assert tab.url.endswith(f"/user/{W1}/lab/tree/{folder}/{site['lessons']['start']}"), tab.url
    assert "文件" in tab.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    tab.goto(f"{hub.url}/hub/home")
    expect(tab.locator("#start")).to_contain_text("进入我的学习页面")
    body = tab.inner_text("body")
    assert "My Server" not in body and "Logout" not in body and "退出登录" in body
    shoot(tab, "hub-home")
    context.close()

    context, tab = _sign_in(hub, browser, TRAINER, ".jp-Notebook")  # not on the roster: straight to JupyterLab
    tab.goto(f"{hub.url}/hub/home")
    with context.expect_page() as opened:
        tab.get_by_role("link", name=re.compile("：评分")).click()
    formgrader = opened.value
    formgrader.get_by_text("Manage Assignments").first.wait_for()
    assert f"/services/{COURSE}/formgrader" in formgrader.url, formgrader.url
    formgrader.goto(f"{hub.url}/services/{COURSE}/formgrader/manage_students")
    formgrader.get_by_text(f"{WORKERS[W1]}, {W1}").wait_for()
    shoot(formgrader, "hub-trainer-formgrader")
    context.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAB_ONLY_WORDS = re.compile(r"运行下[一面]|Shift\s*\+\s*Enter|按 Shift|改成.{0,6}再运行")


def _readable_on_a_phone(tab, what: str) -> None:  # noqa: ANN001
    """No cut-off button text, no page wider than the phone, no run-the-cell instruction, zh-CN glyphs."""
    cut = tab.evaluate(
        """() => [...document.querySelectorAll('button, .widget-radio-box label, .widget-checkbox label')]
        .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map(el => el.innerText.slice(0, 40))"""
    )
    assert cut == [], f"{what}：按钮或选项文字被截断：{cut}"
    wide = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 1, f"{what}：页面比手机屏幕宽 {wide} 像素"
    found = LAB_ONLY_WORDS.search(tab.inner_text("body"))
    assert found is None, f"{what}：页面上有无代码页面做不到的说明：{found and found.group(0)}"
    assert tab.evaluate("document.documentElement.lang") == "zh-CN", what


def test_on_a_phone_a_worker_studies_from_the_hub(hub, browser, shoot, lesson_run):
    """Issue 20's walk at phone width: hub sign-in → learning map → a lesson → a self-check answer →
    a case walk-through step → 每日15分钟, every page readable on the phone."""
    from playwright.sync_api import expect

    context, tab = _sign_in(hub, browser, W2, "#tk-lessons", **PHONE)
    expect(tab.locator("#tk-learner")).to_contain_text(WORKERS[W2])
    _readable_on_a_phone(tab, "学习地图")
    shoot(tab, "hub-phone-map")

    tab.locator("#tk-lessons a", has_text="相邻关系").first.tap()
    item = tab.locator(".tk-item").first
    expect(item).to_be_visible(timeout=120_000)
    lesson_run(tab)
    _readable_on_a_phone(tab, "课程页")
    item.scroll_into_view_if_needed()
    item.locator(".widget-radio-box label:visible, .widget-checkbox label:visible").first.tap()
    item.get_by_role("button", name="提交").tap()
    expect(item.locator(".tk-feedback .tk-ok, .tk-feedback .tk-bad")).to_be_visible()
    walk = tab.locator(".tk-case").first
    walk.scroll_into_view_if_needed()
    walk.locator(".tk-option").first.tap()
    expect(walk.locator(".tk-case-history")).to_contain_text("你的选择")
    _readable_on_a_phone(tab, "案例演练")
    shoot(tab, "hub-phone-lesson")

    tab.get_by_role("link", name="← 返回学习地图").tap()
    tab.get_by_role("link", name="每日15分钟").first.tap()
    start = tab.locator(".tk-practice .tk-start")
    expect(start).to_be_visible(timeout=120_000)
    start.tap()
    expect(tab.locator(".tk-practice-items .tk-item").first).to_be_visible()
    _readable_on_a_phone(tab, "每日15分钟")
    shoot(tab, "hub-phone-daily")
    context.close()


def test_the_servers_settings_are_in_force(hub, tmp_path):
    """jupyter_server reads only extension switches from a ``jupyter_server_config.d`` file and
    ignores any other setting there: kernel culling and the lessons' Voilà template must be read."""
    etc = hub.prefix / "etc"
    shown = subprocess.run(
        [str(hub.venv / "bin" / "jupyter"), "server", "--show-config"],
        env={
            **os.environ,
            "JUPYTER_CONFIG_PATH": f"{etc}/jupyter-learner:{etc}/jupyter",
            "JUPYTER_CONFIG_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert re.search(r"MappingKernelManager.*?\.cull_idle_timeout = 600\b", shown, re.S), shown
    assert re.search(r"VoilaConfiguration.*?\.template = 'trainkit'", shown, re.S), shown
    assert re.search(r"\.strip_sources = True", shown), shown
    assert re.search(r"\.progressive_rendering = True", shown), shown
    assert re.search(
        r"ServerKernelManager.*?\.client_class = 'trainkit\.lesson_client\.LessonKernelClient'", shown, re.S
    ), shown


def _update_lessons(bare: Path, name: str, text: str) -> None:
    """A new lesson file upstream (what setup.py does when the kit's notebooks change)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", f"safe.directory={bare}"]
        subprocess.run([*git, "clone", "-q", str(bare), tmp + "/w"], check=True)
        Path(tmp, "w", name).write_text(text, encoding="utf-8")
        subprocess.run([*git, "-C", tmp + "/w", "add", name], check=True)
        subprocess.run([*git, "-C", tmp + "/w", "commit", "-q", "-m", "update"], check=True)
        subprocess.run([*git, "-C", tmp + "/w", "push", "-q", "origin", "HEAD"], check=True)
    for p in [bare, *bare.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def test_notebook_answers_match_the_source():
    """The answers the hub test types are the source notebook's own solutions (w1) — kept in step."""
    nb = nbformat.read(KIT / "exercises" / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    solutions = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            body = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0].strip()
            solutions[grade_id] = body
    assert solutions == ANSWERS[W1]
