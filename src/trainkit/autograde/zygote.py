"""Fresh kernels without paying for their imports: forked from a zygote process.

Each worker keeps one zygote: ``launcher.py --zygote``, a Python that has imported ipykernel
and run nothing else. Asked for a kernel, it forks; the child gets its own session, the
environment and folder jupyter_client would have given it, and starts the kernel exactly as
``launcher.py`` does. So every notebook still runs in a new process that has run no other
learner's code — only the imports (two thirds of a kernel's start-up) are shared.

:class:`LimitedKernelManager` launches through :meth:`Zygote.spawn` (jupyter_client's
``_async_launch_kernel`` is meant to be overridden for this) and manages the child through
:class:`ZygoteChild`, which behaves like the ``Popen`` jupyter_client expects. If the zygote
is gone (learner code may kill its own parent), kernels are launched the ordinary way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["Zygote", "ZygoteChild", "adopt_orphans"]

LAUNCHER = Path(__file__).with_name("launcher.py")


class Zygote:
    def __init__(self, *, stderr) -> None:  # noqa: ANN001
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "--zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            close_fds=True,
        )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _ask(self, request: dict) -> dict | None:
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (OSError, ValueError):
            return None
        return json.loads(line) if line else None

    def spawn(self, argv: list[str], *, cwd: str, env: dict[str, str]) -> ZygoteChild | None:
        """A kernel forked with ``argv`` (a launcher command); None if the zygote cannot."""
        reply = self._ask({"spawn": argv, "cwd": str(cwd), "env": dict(env), "worker": os.getpid()})
        return ZygoteChild(self, reply["pid"]) if reply and "pid" in reply else None

    def code(self, pid: int) -> int | None:
        """The child's exit code (negative: killed by that signal), None while it runs."""
        reply = self._ask({"status": pid}) if self.alive else None
        if reply is not None:
            return reply["code"]
        try:  # the zygote is gone: its kernels are now this worker's children (see adopt_orphans)
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # adopted by someone else, or already reaped
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return -signal.SIGKILL
            return None
        return os.waitstatus_to_exitcode(status) if done else None

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def adopt_orphans() -> None:
    """Make this process the one that adopts its descendants' orphans (Linux): kernels whose
    zygote was killed keep running as this worker's children instead of being cut loose."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


class ZygoteChild:
    """The part of ``subprocess.Popen`` that jupyter_client's local provisioner uses."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid, self.returncode = zygote, pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote.code(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)
