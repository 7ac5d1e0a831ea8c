"""第 2 步：按站点配置和花名册布置服务器（以 root 运行，可重复运行，从不删除学员的文件）。

    {{ prefix }}/venv/bin/python deploy/setup.py --site /etc/trainkit/site.toml [--systemd]

它做的事（deploy/README.md 逐条解释）：

1. 校验站点配置和花名册（工号即登录名，须是合法的 Unix 账户名）。
2. 建 Unix 账户：每位学员、每位培训师、每门课一个评分账户 ``grader-<课程>``；家目录 0700。
3. 建 nbgrader 交换目录（1777）和每门课的课程目录（评分账户家目录下，源作业从工具包复制，已有文件不覆盖）。
4. PostgreSQL：证据库和每门课的成绩库；每个账户一个同名角色（peer 登录，不存口令）；
   学员只能读写自己的证据（行级安全），培训师和评分账户可以读写全部。
5. 课程 notebook 的 git 仓库（nbgitpuller 从这里拉到每位学员家目录）。
6. 把每门课的学员按花名册上的姓名登记进成绩库（评分界面显示“姓名, 工号”）。
7. 写出 Hub 配置、单用户服务器配置（内核回收、学员看不到培训师工具）、启动脚本和 systemd 单元。

Hub 用户在 Hub 启动时由 ``{{ prefix }}/etc/site.json`` 建立（允许名单和组），所以花名册变了：
重新运行本脚本，再重启 Hub（学员正在运行的服务器不受影响）。
"""

from __future__ import annotations

import argparse
import csv
import grp
import io
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
KIT = HERE.parent
UNIX_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
COURSE_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
LEARNER_GROUP = "trainkit-learners"
TRAINER_GROUP = "trainkit-trainers"
# Trainer tools that workers never see: nbgrader's formgrader, assignment creation and course list.
LEARNER_HIDDEN_LAB = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
LEARNER_HIDDEN_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
# In the grader service the Formgrader *panel* is an iframe that JupyterHub >= 4.1 blocks
# (Content-Security-Policy frame-ancestors 'none'); the formgrader opens in its own tab instead.
GRADER_HIDDEN_LAB = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
)


class SiteError(Exception):
    pass


def say(msg: str) -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------- configuration


def render(value, names: dict[str, str]):
    """``{{ prefix }}`` and ``{{ env.NAME }}`` in every string of the site configuration."""
    if isinstance(value, dict):
        return {k: render(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, names) for v in value]
    if not isinstance(value, str):
        return value

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key.startswith("env."):
            var = key[4:]
            if var not in os.environ:
                raise SiteError(f"站点配置引用了环境变量 {var}，但它没有设置")
            return os.environ[var]
        if key not in names:
            raise SiteError(f"站点配置里的 {{{{ {key} }}}} 不认识（只能用 prefix 或 env.变量名）")
        return names[key]

    return re.sub(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}", sub, value)


def load_site(path: Path) -> dict:
    """Read site.toml, fill defaults, resolve templates and the roster; every problem in one error."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    prefix = render(raw.get("prefix", ""), {})
    if not prefix or not str(prefix).startswith("/"):
        raise SiteError(f"{path}: prefix: 须是绝对路径（安装目录，例如 /opt/trainkit）")
    site = render(raw, {"prefix": str(prefix).rstrip("/")})
    prefix = Path(site["prefix"])
    hub = {
        "ip": "0.0.0.0",
        "port": 8000,
        "authenticator": "pam",
        "password_env": "TRAINKIT_HUB_PASSWORD",
        "admins": [],
        "server_idle_timeout": 3600,
        "kernel_idle_timeout": 1200,
        "active_server_limit": 0,
        "hub_port": 8081,
        "proxy_api_port": 8001,
        "public_url": "",
        **site.get("hub", {}),
    }
    paths = {
        "state": f"{prefix}/var/hub",
        "exchange": f"{prefix}/var/exchange",
        "home_root": "/home",
        **site.get("paths", {}),
    }
    pg = {"socket_dir": "/var/run/postgresql", "port": 5432, "database": "trainkit", **site.get("postgres", {})}
    lessons = {
        "repo": f"{prefix}/share/lessons.git",
        "branch": "main",
        "folder": "trainkit-lessons",
        "start": "00-learning-map.ipynb",
        **site.get("lessons", {}),
    }
    problems: list[str] = []
    try:
        for key in (
            "port",
            "hub_port",
            "proxy_api_port",
            "server_idle_timeout",
            "kernel_idle_timeout",
            "active_server_limit",
        ):
            hub[key] = int(hub[key])
        pg["port"] = int(pg["port"])
    except ValueError as err:
        problems.append(f"{path}: 端口和时间须是整数：{err}")
    if hub["authenticator"] not in ("pam", "shared-password"):
        problems.append(f"{path}: hub.authenticator: 只能是 pam 或 shared-password")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", pg["database"]):
        problems.append(f"{path}: postgres.database: 只能用小写字母、数字、_")

    from trainkit.content import ContentError
    from trainkit.roster import load_roster

    roster_file = Path(site.get("roster", ""))
    try:
        roster = load_roster(roster_file)
    except ContentError as err:
        raise SiteError(err.args[0] if err.args and isinstance(err.args[0], list) else [str(err)]) from err
    for wid in roster:
        if not UNIX_NAME.fullmatch(wid):
            hint = f"，例如改为 {wid.lower()}" if UNIX_NAME.fullmatch(wid.lower()) else ""
            problems.append(
                f"{roster_file}: 工号 {wid}: 在服务器上工号就是登录名和 Unix 账户名，"
                f"须以小写字母开头，只含小写字母、数字、_、-，不超过 32 个字符{hint}"
            )

    courses = []
    seen_ports = {hub["port"], hub["hub_port"], hub["proxy_api_port"]}
    for n, course in enumerate(site.get("course", []), start=1):
        cid = course.get("id", "")
        where = f"{path}: course[{n}]"
        if not COURSE_ID.fullmatch(cid):
            problems.append(f"{where}: id: 须以小写字母开头，只含小写字母、数字、_，不超过 24 个字符")
            continue
        port = int(course.get("service_port", 0))
        if not port or port in seen_ports:
            problems.append(f"{where}: service_port: 每门课须有自己的端口，且不与 Hub 的端口相同")
        seen_ports.add(port)
        trainers = list(course.get("trainers", []))
        if not trainers:
            problems.append(f"{where}: trainers: 至少一位培训师")
        streets = list(course.get("streets", []))
        workers = sorted(w for w, row in roster.items() if not streets or row.street in streets)
        grader = f"grader-{cid}"
        home = f"{paths['home_root']}/{grader}"
        courses.append(
            {
                "id": cid,
                "title": course.get("title", cid),
                "trainers": trainers,
                "workers": workers,
                "grader": grader,
                "service_port": port,
                "home": home,
                "root": f"{home}/{cid}",
                "gradebook_db": f"{pg['database']}_gb_{cid}",
            }
        )
    if not courses:
        problems.append(f"{path}: 至少配置一门 [[course]]")
    trainers = sorted({t for c in courses for t in c["trainers"]})
    for name in trainers + list(hub["admins"]):
        if not UNIX_NAME.fullmatch(name):
            problems.append(f"{path}: {name}: 不是合法的 Unix 账户名")
    if problems:
        raise SiteError(problems)

    socket = f"host={pg['socket_dir']}&port={pg['port']}"
    return {
        "prefix": str(prefix),
        "venv": site.get("venv") or f"{prefix}/venv",  # deploy/install.sh puts it there
        "etc": f"{prefix}/etc",
        "state": paths["state"],
        "exchange": paths["exchange"],
        "home_root": paths["home_root"],
        "roster": f"{prefix}/etc/roster.csv",
        "roster_source": str(roster_file),
        "hub": hub,
        "postgres": pg,
        # Every account reaches PostgreSQL over its Unix socket as the role of the same name (peer):
        # no password in anyone's environment; row-level security keeps each worker to their own rows.
        "evidence_url": site.get("evidence_url") or f"postgresql+psycopg:///{pg['database']}?{socket}",
        "gradebook_url": site.get("gradebook_url") or f"postgresql+psycopg:///{{db}}?{socket}",
        "lessons": lessons,
        "courses": courses,
        "workers": sorted(roster),
        "trainers": trainers,
        "admins": list(hub["admins"]),
    }


# ---------------------------------------------------------------- accounts and files


def run(
    *cmd: str,
    input: str | None = None,
    user: str | None = None,
    check: bool = True,
    env: dict | None = None,
    cwd: str | None = None,
) -> str:
    if user:
        cmd = ("runuser", "-u", user, "--", *cmd)
    done = subprocess.run(cmd, input=input, text=True, capture_output=True, env=env, cwd=cwd)
    if check and done.returncode != 0:
        raise SiteError(f"命令失败（{done.returncode}）：{' '.join(cmd)}\n{done.stderr.strip()}")
    return done.stdout


def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        run("groupadd", "--system", name)


def ensure_account(name: str, home: str, groups: list[str]) -> bool:
    """Create the Unix account if missing; always home 0700 and the listed groups. True if created."""
    created = False
    try:
        pwd.getpwnam(name)
    except KeyError:
        run("useradd", "--create-home", "--home-dir", home, "--shell", "/bin/bash", "--comment", "trainkit", name)
        created = True
    for g in groups:
        if name not in grp.getgrnam(g).gr_mem:
            run("usermod", "--append", "--groups", g, name)
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    return created


def write(path: Path, text: str, mode: int = 0o644, owner: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def copy_missing(src: Path, dst: Path, owner: str) -> int:
    """Copy a tree, never overwriting what is there (trainers may have edited the sources)."""
    entry = pwd.getpwnam(owner)
    copied = 0
    for item in sorted(src.rglob("*")):
        if "__pycache__" in item.parts or ".ipynb_checkpoints" in item.parts:
            continue
        target = dst / item.relative_to(src)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            os.chown(target, entry.pw_uid, entry.pw_gid)
        elif not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item, target)
            os.chown(target, entry.pw_uid, entry.pw_gid)
            copied += 1
    return copied


def chown_tree(path: Path, owner: str) -> None:
    entry = pwd.getpwnam(owner)
    for p in [path, *path.rglob("*")]:
        os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


# ---------------------------------------------------------------- PostgreSQL


def psql(site: dict, sql: str, db: str = "postgres", query: bool = False) -> str:
    pg = site["postgres"]
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg["socket_dir"], "-p", str(pg["port"]), "-d", db]
    if query:
        args += ["-tA", "-c", sql]
        return run(*args, user="postgres").strip()
    return run(*args, input=sql, user="postgres")


def ident(name: str) -> str:
    """A role or database name as a quoted SQL identifier; anything unusual stops the setup."""
    if not re.fullmatch(r"[a-z_][a-z0-9_-]*", name):
        raise SiteError(
            f"名称 {name!r} 不能用作数据库角色或库名：只允许小写字母、数字、下划线和连字符，以字母或下划线开头"
        )
    return f'"{name}"'


def setup_postgres(site: dict) -> None:
    pg = site["postgres"]
    if subprocess.run(["pg_isready", "-q", "-h", pg["socket_dir"], "-p", str(pg["port"])]).returncode != 0:
        raise SiteError(
            f"PostgreSQL 没有在 {pg['socket_dir']} 端口 {pg['port']} 上运行：先启动它"
            "（systemctl start postgresql；没有 systemd 的机器用 pg_ctlcluster 15 main start），再重新运行本脚本"
        )
    db = pg["database"]
    learner, staff = f"{db}_learner", f"{db}_staff"
    logins = {**{w: learner for w in site["workers"]}}
    for name in site["trainers"] + [c["grader"] for c in site["courses"]]:
        logins[name] = staff  # a trainer on the roster is staff in the database
    sql = []
    for role in (learner, staff):
        sql.append(
            f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {ident(role)} NOLOGIN; END IF; END$$;"
        )
    for name, group in logins.items():
        sql.append(
            f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') "
            f"THEN CREATE ROLE {ident(name)} LOGIN; END IF; END$$;"
        )
        sql.append(f"GRANT {ident(group)} TO {ident(name)};")
    psql(site, "\n".join(sql))

    for name, owner in [(db, "postgres")] + [(c["gradebook_db"], c["grader"]) for c in site["courses"]]:
        if not psql(site, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", query=True):
            psql(site, f"CREATE DATABASE {ident(name)} OWNER {ident(owner)};")
        psql(site, f"REVOKE CONNECT ON DATABASE {ident(name)} FROM PUBLIC;")
    for c in site["courses"]:  # the gradebook: its grader owns it; the course's trainers read it
        psql(site, f"GRANT CONNECT ON DATABASE {ident(c['gradebook_db'])} TO {ident(c['grader'])};")

    # The evidence tables, their append-only guards and the two groups' rights are the kit's own
    # code (trainkit.pg_integrity), run as postgres, the tables' owner.
    url = f"postgresql+psycopg:///{db}?host={site['postgres']['socket_dir']}&port={site['postgres']['port']}"
    psql(site, f"GRANT CONNECT ON DATABASE {ident(db)} TO {ident(learner)}, {ident(staff)};")
    run(
        f"{site['venv']}/bin/python",
        "-c",
        "import sys; from trainkit.pg_integrity import secure; secure(sys.argv[1], learner=sys.argv[2], staff=sys.argv[3])",
        url,
        learner,
        staff,
        user="postgres",
    )


# ---------------------------------------------------------------- lessons (nbgitpuller)


def setup_lessons(site: dict, notebooks: Path) -> None:
    """A local bare repository holding the kit's lesson notebooks; each run commits what changed."""
    repo = site["lessons"]["repo"]
    if "://" in repo or ":" in repo.split("/")[0]:
        say(f"  课程仓库：使用外部仓库 {repo}（不由本脚本更新）")
        return
    bare = Path(repo)
    branch = site["lessons"]["branch"]
    if not (bare / "HEAD").exists():
        bare.parent.mkdir(parents=True, exist_ok=True)
        run("git", "init", "--quiet", "--bare", f"--initial-branch={branch}", str(bare))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "w"
        git = (
            "git",
            "-c",
            "user.name=trainkit setup",
            "-c",
            "user.email=setup@trainkit.invalid",
            "-c",
            f"safe.directory={bare}",
        )
        run(*git, "clone", "--quiet", str(bare), str(work))
        run(*git, "-C", str(work), "checkout", "--quiet", "-B", branch)
        for old in work.iterdir():
            if old.name != ".git":
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        for item in sorted(notebooks.rglob("*")):  # the lessons and anything they link to
            rel = item.relative_to(notebooks)
            if item.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(item, work / rel)
        run(*git, "-C", str(work), "add", "--all")
        if run(*git, "-C", str(work), "status", "--porcelain"):
            run(*git, "-C", str(work), "commit", "--quiet", "-m", "trainkit lessons")
            run(*git, "-C", str(work), "push", "--quiet", "origin", f"HEAD:{branch}")
            say(f"  课程仓库：已更新 {bare}")
    for p in [bare, *bare.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    # Workers clone a repository that root owns: tell git (system-wide) that this one is safe.
    safe = run("git", "config", "--system", "--get-all", "safe.directory", check=False).split()
    if str(bare) not in safe:
        run("git", "config", "--system", "--add", "safe.directory", str(bare))


# ---------------------------------------------------------------- Jupyter configuration


def jupyter_configs(site: dict, kit_pkg: Path) -> None:
    etc = Path(site["etc"])
    shared = etc / "jupyter"
    write(
        shared / "nbgrader_config.py",
        f"""\
# Written by deploy/setup.py: nbgrader on this hub, for every account (multi-course setup).
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821
c.Exchange.root = {site["exchange"]!r}
c.Exchange.path_includes_course = True
c.Authenticator.plugin_class = JupyterHubAuthPlugin
""",
    )
    kernel_idle = int(site["hub"]["kernel_idle_timeout"])
    # A config file, not jupyter_server_config.d/: jupyter_server reads only extension switches
    # (jpserver_extensions) from the .d folder and ignores every other setting there.
    write(
        shared / "jupyter_server_config.json",
        json.dumps(
            {
                # Stop at once on SIGINT (the hub's stop, the idle culler) instead of asking on a terminal nobody reads.
                "ServerApp": {"answer_yes": True},
                "MappingKernelManager": {
                    "cull_idle_timeout": kernel_idle,
                    "cull_interval": max(30, min(300, kernel_idle // 4)),
                    "cull_connected": False,
                    "cull_busy": False,
                },
                "TerminalManager": {
                    "cull_inactive_timeout": kernel_idle,
                    "cull_interval": max(30, min(300, kernel_idle // 4)),
                },
            },
            indent=2,
        ),
    )
    for role, lab_hidden, server_hidden in (
        ("learner", LEARNER_HIDDEN_LAB, LEARNER_HIDDEN_SERVER),
        ("grader", GRADER_HIDDEN_LAB, ()),
    ):
        base = etc / f"jupyter-{role}"
        hidden = {name: True for name in lab_hidden}
        write(
            base / "labconfig" / "page_config.json",
            json.dumps({"disabledExtensions": hidden, "lockedExtensions": hidden}, indent=2),
        )
        extensions = {name: False for name in server_hidden}
        if role == "learner":  # the learning map and code-free lessons (trainkit.server_extension)
            extensions["trainkit.server_extension"] = True
            from trainkit.lesson_pages import NOT_IN_LESSONS

            voila = {
                "template": "trainkit",
                "strip_sources": True,
                "show_tracebacks": False,
                "progressive_rendering": True,  # the lesson's text at once, each widget as its cell ends
                "extension_denylist": list(NOT_IN_LESSONS),
            }
            # as `trainkit app`: a lesson starts once its kernel is idle, not after 0.2 s of silence
            client = {"client_class": "trainkit.lesson_client.LessonKernelClient"}
            write(
                base / "jupyter_server_config.json",
                json.dumps({"VoilaConfiguration": voila, "ServerKernelManager": client}, indent=2),
            )
        write(
            base / "jupyter_server_config.d" / f"trainkit-{role}.json",
            json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=2),
        )
    kit_config = kit_pkg / "_exercises" / "nbgrader_config.py"
    for c in site["courses"]:
        dot = Path(c["home"]) / ".jupyter"
        dot.mkdir(exist_ok=True)
        chown_tree(dot, c["grader"])
        write(
            dot / "nbgrader_config.py",
            f"""\
# Written by deploy/setup.py: the course {c["id"]} run by {c["grader"]} (its formgrader hub service).
c = get_config()  # noqa: F821
load_subconfig({str(kit_config)!r})  # the kit's grading settings: time limits, ignored warnings, stubs
c.CourseDirectory.root = {c["root"]!r}
c.CourseDirectory.course_id = {c["id"]!r}
c.CourseDirectory.db_url = {site["gradebook_url"].format(db=c["gradebook_db"])!r}
""",
            owner=c["grader"],
        )


def enrol_students(site: dict) -> None:
    """Each course's workers in its gradebook under their roster names: the formgrader lists
    "林晓雨（示例）, sq01" (nbgrader shows "last name, first name") instead of "None, None"."""
    from trainkit.roster import load_roster

    roster = load_roster(Path(site["roster"]))
    for c in site["courses"]:
        listing = io.StringIO()
        table = csv.writer(listing, lineterminator="\n")
        table.writerow(["id", "first_name", "last_name"])
        table.writerows([w, w, roster[w].display_name] for w in c["workers"])
        students = Path(c["home"]) / ".trainkit-students.csv"
        write(students, listing.getvalue(), mode=0o600, owner=c["grader"])
        run(
            f"{site['venv']}/bin/nbgrader",
            "db",
            "student",
            "import",
            str(students),
            user=c["grader"],
            cwd=c["root"],
            env={**os.environ, "PATH": f"{site['venv']}/bin:{os.environ.get('PATH', '/usr/bin:/bin')}"},
        )
        say(f"  成绩库 {c['gradebook_db']}：学员 {len(c['workers'])} 人按花名册姓名登记")


def hub_files(site: dict, systemd: bool) -> None:
    etc = Path(site["etc"])
    hub_dir = etc / "jupyterhub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "jupyterhub_config.py", hub_dir / "jupyterhub_config.py")
    shutil.copytree(HERE / "templates", hub_dir / "templates", dirs_exist_ok=True)
    write(etc / "site.json", json.dumps(site, ensure_ascii=False, indent=2), mode=0o600)
    write(
        Path(site["prefix"]) / "bin" / "trainkit-hub",
        f'''\
#!/bin/sh
# Written by deploy/setup.py: start JupyterHub for this site (systemd runs this; so does a trial).
export PATH="{site["venv"]}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export TRAINKIT_SITE="{etc}/site.json"
cd "{site["state"]}" || exit 1
exec "{site["venv"]}/bin/jupyterhub" -f "{hub_dir}/jupyterhub_config.py" "$@"
''',
        mode=0o755,
    )
    unit = (HERE / "trainkit-hub.service").read_text(encoding="utf-8").replace("{{ prefix }}", site["prefix"])
    write(etc / "trainkit-hub.service", unit)
    if systemd:
        write(Path("/etc/systemd/system/trainkit-hub.service"), unit)
        run("systemctl", "daemon-reload")


# ---------------------------------------------------------------- main


def setup(site: dict, *, systemd: bool = False) -> None:
    import trainkit

    kit_pkg = Path(trainkit.__file__).resolve().parent
    prefix = Path(site["prefix"])
    say(
        f"布置 {prefix}：学员 {len(site['workers'])} 人，培训师 {len(site['trainers'])} 人，课程 {len(site['courses'])} 门"
    )

    for d, mode in (
        (prefix, 0o755),
        (Path(site["etc"]), 0o755),
        (Path(site["state"]), 0o700),
        (Path(site["exchange"]), 0o1777),
    ):
        d.mkdir(parents=True, exist_ok=True)
        os.chmod(d, mode)
    if Path(site["roster_source"]).resolve() != Path(site["roster"]).resolve():
        shutil.copyfile(site["roster_source"], site["roster"])
    os.chmod(site["roster"], 0o644)

    ensure_group(LEARNER_GROUP)
    ensure_group(TRAINER_GROUP)
    new = 0
    for w in site["workers"]:
        new += ensure_account(w, f"{site['home_root']}/{w}", [LEARNER_GROUP])
    for t in site["trainers"]:
        new += ensure_account(t, f"{site['home_root']}/{t}", [TRAINER_GROUP])
    for a in site["admins"]:
        new += ensure_account(a, f"{site['home_root']}/{a}", [])
    for c in site["courses"]:
        new += ensure_account(c["grader"], c["home"], [TRAINER_GROUP])
        root = Path(c["root"])
        root.mkdir(parents=True, exist_ok=True)
        copied = copy_missing(kit_pkg / "_exercises" / "source", root / "source", c["grader"])
        chown_tree(root, c["grader"])
        say(f"  课程 {c['id']}：{root}（新复制源文件 {copied} 个），学员 {len(c['workers'])} 人")
    say(f"  Unix 账户：新建 {new} 个")
    gone = sorted(
        u.pw_name
        for u in pwd.getpwall()
        if u.pw_gecos == "trainkit"
        and u.pw_name
        not in set(site["workers"])
        | set(site["trainers"])
        | set(site["admins"])
        | {c["grader"] for c in site["courses"]}
    )
    if gone:
        say(f"  不在花名册上的账户（未删除，见 README“人员变动”）：{', '.join(gone)}")

    setup_postgres(site)
    say(
        f"  PostgreSQL：证据库 {site['postgres']['database']}，成绩库 "
        f"{', '.join(c['gradebook_db'] for c in site['courses'])}"
    )
    setup_lessons(site, KIT / "notebooks")
    jupyter_configs(site, kit_pkg)
    site["kit_templates"] = str(kit_pkg / "templates" / "jupyter")  # the lessons' Voilà template (JUPYTER_PATH)
    enrol_students(site)
    hub_files(site, systemd)
    say(f"完成。启动：{prefix}/bin/trainkit-hub（或 systemctl enable --now trainkit-hub）")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按站点配置和花名册布置 trainkit 的 JupyterHub 服务器（以 root 运行）")
    parser.add_argument("--site", type=Path, required=True, help="站点配置（见 deploy/site.example.toml）")
    parser.add_argument("--systemd", action="store_true", help="同时安装 systemd 单元 trainkit-hub.service")
    parser.add_argument("--check", action="store_true", help="只校验配置和花名册，不做任何改动")
    args = parser.parse_args(argv)
    try:
        site = load_site(args.site)
        if args.check:
            say(
                f"配置无误：学员 {len(site['workers'])} 人，培训师 {len(site['trainers'])} 人，课程 {len(site['courses'])} 门"
            )
            return 0
        if os.geteuid() != 0:
            raise SiteError("须以 root 运行（要建 Unix 账户和数据库角色）")
        if args.systemd and not Path("/run/systemd/system").is_dir():
            raise SiteError(
                f"这台机器没有运行 systemd：去掉 --systemd 重新运行，第 4 步直接启动 "
                f"{site['prefix']}/bin/trainkit-hub（见 deploy/README.md 第 4 步）"
            )
        setup(site, systemd=args.systemd)
    except SiteError as err:
        problems = err.args[0] if isinstance(err.args[0], list) else [str(err)]
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
