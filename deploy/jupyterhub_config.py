"""JupyterHub configuration for a trainkit district deployment.

deploy/setup.py installs this file as ``{{ prefix }}/etc/jupyterhub/jupyterhub_config.py``;
everything site-specific comes from ``{{ prefix }}/etc/site.json`` (``TRAINKIT_SITE``), which
setup.py writes from site.toml and the roster. Nothing here names a path of the machine it
was written on.

- Proxy: configurable-http-proxy (npm), started by the hub.
- Users: every worker on the roster, the trainers and the admins; Unix accounts of the same
  name; single-user servers run as those accounts (LocalProcessSpawner, the hub runs as root).
- nbgrader multi-course setup (nbgrader docs: jupyterhub_config.rst, demos/demo_multiple_classes):
  per course, groups ``formgrade-<id>`` (trainers + grader account) and ``nbgrader-<id>``
  (trainers + workers), and a hub service ``<id>`` — JupyterLab with the formgrader, run as
  ``grader-<id>`` — that only the formgrade group may open.
- The formgrader opens in its own browser tab (``/services/<id>/formgrader``: the service's
  default page, the hub's Services menu and the trainers' home page link to it): since
  JupyterHub 4.1 every single-user server sends ``Content-Security-Policy: frame-ancestors 'none'``,
  which blanks nbgrader's Formgrader panel (an iframe) in JupyterLab (jupyter/nbgrader#1870).
- Idle servers are stopped by jupyterhub-idle-culler; idle kernels by each server.
- Lessons reach each worker's home with nbgitpuller on every start; a worker's edits are kept.
- A server opens at the learning map (``/user/<name>/trainkit/``, trainkit.server_extension): lessons
  as code-free Voilà pages under the hub's sign-in, JupyterLab one link away.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlencode

c = get_config()  # noqa: F821

site = json.loads(
    Path(os.environ.get("TRAINKIT_SITE") or Path(__file__).resolve().parents[1] / "site.json").read_text(
        encoding="utf-8"
    )
)
hub = site["hub"]
venv, etc, state = site["venv"], site["etc"], site["state"]
courses = site["courses"]

# ---------------------------------------------------------------- network, proxy, state
c.JupyterHub.ip = hub["ip"]
c.JupyterHub.port = int(hub["port"])
if hub.get("public_url"):
    c.JupyterHub.public_url = hub["public_url"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(hub["hub_port"])
c.JupyterHub.proxy_class = "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [f"{venv}/bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = f"{state}/jupyterhub-proxy.pid"
c.JupyterHub.db_url = f"sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{state}/jupyterhub_cookie_secret"
c.JupyterHub.cleanup_servers = False  # restarting the hub (new roster) leaves workers' servers running
c.JupyterHub.active_server_limit = int(hub["active_server_limit"])
c.JupyterHub.template_paths = [f"{etc}/jupyterhub/templates"]
c.JupyterHub.template_vars = {"trainkit_courses": {course["id"]: course["title"] for course in courses}}

# ---------------------------------------------------------------- who may log in
if hub["authenticator"] == "shared-password":  # trials only: anyone with the password is anyone
    c.JupyterHub.authenticator_class = "shared-password"
    if not os.environ.get(hub["password_env"]):
        raise SystemExit(f"共用口令未设置：请在环境变量 {hub['password_env']} 中给出（至少 8 位），见 deploy/README.md")
    c.SharedPasswordAuthenticator.user_password = os.environ[hub["password_env"]]
    if os.environ.get(f"{hub['password_env']}_ADMIN"):
        c.SharedPasswordAuthenticator.admin_password = os.environ[f"{hub['password_env']}_ADMIN"]
else:  # the Unix accounts' own passwords
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(site["workers"]) | set(site["trainers"]) | set(site["admins"])
c.Authenticator.admin_users = set(site["admins"])
c.Authenticator.allow_existing_users = False  # grader accounts exist on the hub but never log in

# ---------------------------------------------------------------- nbgrader: groups, roles, services
groups, roles = {}, []
services = []
path = f"{venv}/bin:/usr/local/bin:/usr/bin:/bin"
common_env = {
    "PATH": path,  # nbgrader runs `alembic` and `jupyter` from PATH
    "LANG": "C.UTF-8",
    "TRAINKIT_DB": site["evidence_url"],
    "TRAINKIT_ROSTER": site["roster"],
}
for course in courses:
    cid = course["id"]
    groups[f"formgrade-{cid}"] = {"users": sorted(set(course["trainers"]) | {course["grader"]})}
    groups[f"nbgrader-{cid}"] = {"users": sorted(set(course["trainers"]) | set(course["workers"]))}
    roles.append(
        {
            "name": f"formgrade-{cid}",
            "description": f"Trainers of {cid}: open its formgrader service",
            "groups": [f"formgrade-{cid}"],
            "scopes": [f"access:services!service={cid}", "list:services", f"read:services!service={cid}"],
        }
    )
    roles.append(
        {
            "name": f"grader-service-{cid}",
            "description": f"The {cid} formgrader: look up students, enrol them in nbgrader-{cid}",
            "services": [cid],
            "scopes": [
                "list:users",
                "read:users:name",
                "read:users:groups",
                "list:groups",
                "read:groups",
                f"groups!group=nbgrader-{cid}",
            ],
        }
    )
    services.append(
        {
            "name": cid,
            "display": True,
            "url": f"http://127.0.0.1:{course['service_port']}",
            "user": course["grader"],
            "cwd": course["home"],
            "command": [f"{venv}/bin/jupyterhub-singleuser"],
            "oauth_no_confirm": True,
            "environment": {
                **common_env,
                "JUPYTERHUB_DEFAULT_URL": "/formgrader",  # the service's front page is the formgrader, full tab
                "JUPYTER_CONFIG_PATH": f"{etc}/jupyter-grader:{etc}/jupyter",
            },
        }
    )

c.JupyterHub.load_groups = groups

# Stop servers nobody has used for a while (kernels inside are culled by each server).
services.append(
    {
        "name": "idle-culler",
        "command": [
            f"{venv}/bin/python",
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(hub['server_idle_timeout'])}",
            f"--cull-every={max(60, min(600, int(hub['server_idle_timeout']) // 6))}",
        ],
    }
)
roles.append(
    {
        "name": "idle-culler",
        "description": "Stop idle single-user servers",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    }
)
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

# ---------------------------------------------------------------- single-user servers
c.Spawner.cmd = [f"{venv}/bin/jupyterhub-singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
# nbgrader asks the hub which courses the user is in (their groups) with the server's own token.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
    "list:services",
    "read:services",
]

lessons = site["lessons"]
repo = lessons["repo"]
if repo.startswith("/"):
    repo = f"file://{repo}"
c.Spawner.default_url = "/git-pull?" + urlencode(
    {
        "repo": repo,
        "branch": lessons["branch"],
        "targetpath": lessons["folder"],
        "urlpath": "trainkit/",  # the learning map (trainkit.server_extension); JupyterLab is one link away
    }
)


def _environment(spawner):
    """Workers and trainers alike: their own servers hide the trainer tools (grading is in the service)."""
    spawner.environment = {
        **common_env,
        "JUPYTER_CONFIG_PATH": f"{etc}/jupyter-learner:{etc}/jupyter",
        "JUPYTER_PATH": site["kit_templates"],  # Voilà finds the kit's lesson template there
        "TRAINKIT_LESSONS": lessons["folder"],
    }


c.Spawner.pre_spawn_hook = _environment
