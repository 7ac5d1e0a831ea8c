"""The deployment guide, its scripts and its configuration agree (runs everywhere, no hub needed).

The full deployment is exercised by test_district_hub.py (marked ``hub``); these checks keep
deploy/README.md from drifting from what the scripts and pins actually are, and load the hub
configuration against a site rendered from the shipped example.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest
from traitlets.config import Config

KIT = Path(__file__).resolve().parents[2]
DEPLOY = KIT / "deploy"
GUIDE = (DEPLOY / "README.md").read_text(encoding="utf-8")


def _setup_module():
    spec = importlib.util.spec_from_file_location("trainkit_deploy_setup", DEPLOY / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example_site(tmp_path):
    """site.example.toml with a valid two-worker roster in a temporary place."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "worker_id,display_name,street,community,post,supervisor_scope\n"
        "jd01-001,甲（虚构）,示例街道,一社区,网格员,\njd01-002,乙（虚构）,另一街道,二社区,网格员,\n",
        encoding="utf-8",
    )
    text = (DEPLOY / "site.example.toml").read_text(encoding="utf-8")
    text = text.replace('roster = "/etc/trainkit/roster.csv"', f'roster = "{roster}"')
    site = tmp_path / "site.toml"
    site.write_text(text, encoding="utf-8")
    return site


def test_every_script_the_guide_names_exists():
    named = set(re.findall(r"deploy/[A-Za-z0-9_./-]+\.(?:sh|py|toml|md|service)", GUIDE))
    assert named, "the guide names no scripts"
    for rel in named:
        assert (KIT / rel).is_file(), f"deploy/README.md 提到的 {rel} 不存在"
    # the steps the hub test runs are the guide's own
    for command in (
        "bash deploy/install.sh",
        "deploy/setup.py --site",
        "bin/trainkit-hub",
        "deploy/backup.sh",
        "make hub",
        "pg_dump",
        "pg_restore",
    ):
        assert command in GUIDE, command


def test_guide_versions_are_the_pins():
    pins = tomllib.loads((KIT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"][
        "hub"
    ]
    versions = dict(re.match(r"([A-Za-z0-9_-]+)==([0-9.]+)", p).groups() for p in pins if "==" in p)
    table = {
        "jupyterhub": "JupyterHub",
        "jupyterhub-idle-culler": "jupyterhub-idle-culler",
        "nbgitpuller": "nbgitpuller",
    }
    for package, title in table.items():
        assert re.search(rf"\| {re.escape(title)} \| {re.escape(versions[package])} \|", GUIDE), package
    chp = re.search(r"^CHP_VERSION=([0-9.]+)$", (DEPLOY / "install.sh").read_text(), re.M).group(1)
    assert f"| configurable-http-proxy（npm） | {chp} |" in GUIDE


def test_example_site_and_trial_site_are_valid(example_site, monkeypatch):
    setup = _setup_module()
    site = setup.load_site(example_site)
    assert site["prefix"] == "/opt/trainkit"
    assert site["exchange"] == "/opt/trainkit/var/exchange"
    assert [c["id"] for c in site["courses"]] == ["dibao2026"]
    assert site["courses"][0]["workers"] == ["jd01-001", "jd01-002"]
    assert site["evidence_url"] == "postgresql+psycopg:///trainkit?host=/var/run/postgresql&port=5432"
    for var, value in {
        "TRAINKIT_TRIAL_PREFIX": "/opt/trainkit-trial",
        "TRAINKIT_TRIAL_ROSTER": str(DEPLOY / "trial" / "roster.csv"),
        "TRAINKIT_TRIAL_PG_PORT": "5432",
        "TRAINKIT_TRIAL_PORT": "8000",
    }.items():
        monkeypatch.setenv(var, value)
    trial = setup.load_site(DEPLOY / "trial" / "site.toml")
    assert trial["hub"]["ip"] == "127.0.0.1" and trial["hub"]["authenticator"] == "shared-password"


def test_roster_ids_must_be_unix_names(example_site):
    setup = _setup_module()
    roster = Path(re.search(r'roster = "(.*)"', example_site.read_text(encoding="utf-8")).group(1))
    roster.write_text(
        roster.read_text(encoding="utf-8") + "W003,丙（虚构）,示例街道,一社区,网格员,\n", encoding="utf-8"
    )
    with pytest.raises(setup.SiteError) as err:
        setup.load_site(example_site)
    assert "工号 W003" in str(err.value) and "小写字母" in str(err.value) and "改为 w003" in str(err.value)


def test_systemd_flag_without_systemd_stops_before_changing_anything(example_site, monkeypatch, capsys):
    setup = _setup_module()
    monkeypatch.setattr(setup.os, "geteuid", lambda: 0)
    monkeypatch.setattr(setup, "Path", _without_systemd(setup.Path))
    monkeypatch.setattr(setup, "setup", lambda *a, **k: pytest.fail("setup ran on a machine without systemd"))
    assert setup.main(["--site", str(example_site), "--systemd"]) == 1
    assert "没有运行 systemd：去掉 --systemd" in capsys.readouterr().err


def _without_systemd(path_class):  # noqa: ANN001, ANN202
    """``Path`` as seen on a machine where systemd is not running (no /run/systemd/system)."""

    class NoSystemd(type(path_class())):
        def is_dir(self) -> bool:
            return False if str(self) == "/run/systemd/system" else super().is_dir()

    return NoSystemd


def test_hub_config_loads_against_the_site(example_site, tmp_path, monkeypatch):
    setup = _setup_module()
    site = setup.load_site(example_site)
    site_json = tmp_path / "site.json"
    site_json.write_text(json.dumps(site, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRAINKIT_SITE", str(site_json))
    c = Config()
    exec(
        compile((DEPLOY / "jupyterhub_config.py").read_text(encoding="utf-8"), "jupyterhub_config.py", "exec"),
        {"get_config": lambda: c, "__file__": str(DEPLOY / "jupyterhub_config.py")},
    )
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.Authenticator.allowed_users == {"jd01-001", "jd01-002", "px01"}
    assert c.Authenticator.allow_existing_users is False
    assert c.JupyterHub.load_groups["formgrade-dibao2026"]["users"] == ["grader-dibao2026", "px01"]
    assert c.JupyterHub.load_groups["nbgrader-dibao2026"]["users"] == ["jd01-001", "jd01-002", "px01"]
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert services["dibao2026"]["user"] == "grader-dibao2026"
    assert services["dibao2026"]["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert "jupyterhub_idle_culler" in services["idle-culler"]["command"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert "access:services!service=dibao2026" in roles["formgrade-dibao2026"]["scopes"]
    assert set(roles["idle-culler"]["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }
    assert "read:users:groups!user" in c.Spawner.server_token_scopes
    assert c.Spawner.default_url.startswith("/git-pull?repo=file%3A%2F%2F%2Fopt%2Ftrainkit%2Fshare%2Flessons.git")
    assert c.Spawner.cmd == ["/opt/trainkit/venv/bin/jupyterhub-singleuser"]


def test_no_path_of_this_machine_in_the_deployment_files():
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".sh", ".toml", ".service", ".html", ".csv"}:
            text = path.read_text(encoding="utf-8")
            for local in (str(KIT.parent) + "/", "/root/", "/tmp/", str(KIT)):  # the checkout and its folder
                assert local not in text, f"{path.relative_to(KIT)} 含本机路径 {local}"
