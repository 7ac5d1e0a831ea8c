"""`make lab` / `trainkit lab`: JupyterLab in Chinese, at the learning map, also as root."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from trainkit.labapp import LEARNING_MAP, lab_command


def test_root_gets_allow_root_and_others_do_not():
    assert "--allow-root" in lab_command([], uid=0)
    assert "--allow-root" not in lab_command([], uid=1000)
    assert lab_command(["--allow-root"], uid=0).count("--allow-root") == 1


def test_options_pass_through_and_the_learning_map_opens_first():
    argv = lab_command(["--no-browser", "--port", "8890"], uid=1000)
    assert argv[-3:] == ["--no-browser", "--port", "8890"]
    assert f"--LabApp.default_url=/lab/tree/notebooks/{LEARNING_MAP}" in argv
    assert (Path(__file__).parents[1] / "notebooks" / LEARNING_MAP).is_file()


def test_chinese_is_the_default_language_of_this_environment():
    overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    # community centres are often offline: no pop-up asking to fetch Jupyter news
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    import jupyterlab_language_pack_zh_CN  # noqa: F401  (the language pack is installed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 (loopback only)
        return resp.status, resp.read().decode("utf-8")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    port, token = _free_port(), "trainkit-test"
    log = (tmp_path_factory.mktemp("lab") / "lab.log").open("w")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("cfg")),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path_factory.mktemp("settings")),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainkit",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
        ],
        stdout=log,
        stderr=log,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _get(f"{base}/api/status?token={token}")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: see {log.name}")
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not answer within 120 s")
    yield base, token
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.slow
def test_lab_serves_in_chinese_with_nbgrader(lab_server):
    base, token = lab_server
    status, page = _get(f"{base}/lab?token={token}")
    assert status == 200 and "JupyterLab" in page
    _, setting = _get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}")
    # overrides.json changes the default the browser uses when the user has not chosen
    assert json.loads(setting)["schema"]["properties"]["locale"]["default"] == "zh_CN"
    _, translations = _get(f"{base}/lab/api/translations/zh_CN?token={token}")
    assert "文件" in json.dumps(json.loads(translations)["data"]["jupyterlab"], ensure_ascii=False)
    status, _ = _get(f"{base}/formgrader?token={token}")
    assert status == 200
    _, tree = _get(f"{base}/api/contents/notebooks/{LEARNING_MAP}?token={token}&content=0")
    assert json.loads(tree)["name"] == LEARNING_MAP
