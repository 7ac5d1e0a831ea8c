"""nbgrader's ``Execute`` preprocessor, guarded: a kernel with limits, a time limit for the
whole notebook, and a dead or stuck kernel replaced by a fresh one instead of ending the batch.

Everything else — the per-cell timeout and interrupt, ``allow_errors``, error outputs — is
nbgrader's and nbclient's own code, configured by the course's ``nbgrader_config.py``.
A cell that cannot run gets an error output (ename :data:`STOPPED`) so that nbgrader scores a
test cell that did not run as 0, never as passed (jupyter/nbgrader#427).
"""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from queue import Empty

from jupyter_client.client import KernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Any, Float, Integer, Unicode

__all__ = ["STOPPED", "GuardedExecute", "LimitedKernelManager", "stop_kernel"]

LAUNCHER = Path(__file__).with_name("launcher.py")
MAX_OUTPUTS = 2000  # outputs kept per cell
STOPPED = "评分中止"  # ename of the error output trainkit puts in a cell it could not run
_UNREAPED: list = []  # killed kernel processes not yet collected


class LimitedKernelManager(AsyncKernelManager):
    """Starts the kernel through :mod:`launcher` (memory cap, output cap) over IPC sockets,
    forked from a :class:`~trainkit.autograde.zygote.Zygote` when one is given."""

    memory_mb = Integer(0)
    stdout_chars = Integer(0)
    stderr_chars = Integer(0)
    zygote = Any(None)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        return [
            sys.executable,
            str(LAUNCHER),
            f"--memory-mb={self.memory_mb}",
            f"--stdout-chars={self.stdout_chars}",
            f"--stderr-chars={self.stderr_chars}",
            "--",
            *cmd,
        ]

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:  # noqa: ANN003
        inner = kernel_cmd[kernel_cmd.index("--") + 1 :] if "--" in kernel_cmd else []
        child = None
        if (
            self.zygote is not None
            and self.zygote.alive
            and inner[:1] == [sys.executable]
            and inner[1:3] == ["-m", "ipykernel_launcher"]
        ):
            child = self.zygote.spawn(kernel_cmd, cwd=kw.get("cwd") or os.getcwd(), env=kw.get("env") or os.environ)
        if child is None:
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid = child, child.pid, child.pid  # own session
        provisioner.cwd = kw.get("cwd") or os.getcwd()
        self._reconcile_connection_info(provisioner.connection_info)


def stop_kernel(km: AsyncKernelManager) -> None:
    """Kill the kernel's process group now (no graceful shutdown wait) and free its files."""
    provisioner = km.provisioner
    process = getattr(provisioner, "process", None)
    if process is not None and process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    try:
        run_sync(km.cleanup_resources)()
    except Exception:  # noqa: BLE001  (a half-started kernel has less to clean up)
        pass
    if process is not None:
        _UNREAPED.append(process)
    reap()


def reap(*, wait: bool = False) -> None:
    """Collect killed kernel processes (they exit within milliseconds of SIGKILL)."""
    for process in list(_UNREAPED):
        if wait:
            process.wait()
        if process.poll() is not None:
            _UNREAPED.remove(process)


def exit_reason(km: AsyncKernelManager | None) -> str:
    """Why a kernel process ended, in words a trainer understands."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return "内核没有响应"
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if name == "SIGKILL":
            return "内核进程被强制终止（SIGKILL：代码终止了进程，或内存耗尽被系统终止）"
        if name == "SIGSEGV":
            return "内核进程崩溃（SIGSEGV）"
        return f"内核进程被信号 {name} 终止"
    return f"内核进程自行退出（退出码 {code}：代码调用了 os._exit()、exit() 或 quit()）"


class GuardedExecute(Execute):
    """``Execute`` that survives what learner code does to its kernel.

    ``notebook_timeout`` bounds the whole notebook: each cell's timeout is the smaller of
    ``Execute.timeout`` and the time left, and once it is used up the remaining code cells are
    marked as not run. A kernel that dies or stops responding is replaced by a fresh kernel
    (at most ``max_restarts`` times) and execution continues with the next cell. Every such
    event is passed to ``on_incident`` as a Chinese sentence.
    """

    notebook_timeout = Float(0.0, help="whole-notebook time limit in seconds (0: none)")
    max_restarts = Integer(2)
    memory_mb = Integer(0)
    stdout_chars = Integer(200_000)
    stderr_chars = Integer(8_000)
    runtime_dir = Unicode("")

    def __init__(
        self,
        *args,
        on_incident: Callable[[str], None] | None = None,  # noqa: ANN002
        where: Callable[[NotebookNode, int], str] | None = None,
        **kwargs,
    ) -> None:  # noqa: ANN003
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)
        self.on_incident = on_incident or (lambda text: None)
        self.where = where or (lambda cell, index: f"第 {index + 1} 格")
        self.zygote = None  # the worker's Zygote, if any
        self._kernel_stderr = None  # where kernels' own stderr goes (the run's log)
        self.deadline: float | None = None
        self.restarts = 0
        self.restarted_because: str | None = None  # why the kernel was last replaced
        self.gave_up: str | None = None

    # -- kernels ------------------------------------------------------------------------
    def create_kernel_manager(self) -> AsyncKernelManager:
        km = super().create_kernel_manager()
        if isinstance(km, LimitedKernelManager):
            km.memory_mb, km.stdout_chars, km.stderr_chars = self.memory_mb, self.stdout_chars, self.stderr_chars
            km.zygote = self.zygote
        if self.runtime_dir and sys.platform != "win32":
            km.transport = "ipc"  # no TCP port races between kernels started at the same moment
            km.connection_file = os.path.join(self.runtime_dir, f"k-{uuid.uuid4().hex[:12]}.json")
        return km

    def prestart(self, nb: NotebookNode, resources: dict, *, stderr) -> AsyncKernelManager:  # noqa: ANN001
        """Launch this notebook's kernel now, as nbclient would; it boots while other work runs."""
        self.nb, self.resources = nb, resources
        self.km = self.create_kernel_manager()
        self._kernel_stderr = stderr
        self.start_new_kernel(stdout=stderr, stderr=stderr)
        return self.km

    async def async_start_new_kernel_client(self) -> KernelClient:
        """nbclient's, with jupyter_client's ``wait_for_ready`` replaced by the same handshake
        without its closing 0.2 s "flush" of IOPub (paid by every notebook, and not needed:
        nbclient ignores IOPub messages that are not about the cell it runs)."""
        self.kc = self.km.client()
        await ensure_async(self.kc.start_channels())
        try:
            await self._until_ready(self.startup_timeout)
        except Exception:
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)  # nbclient's sync name, rebound

    async def _until_ready(self, timeout: float) -> None:
        """Ready = the kernel answered ``kernel_info`` and IOPub delivered a message the kernel
        published about that request (so the subscription is live: no output can be missed)."""
        deadline = time.monotonic() + timeout
        kc = self.kc
        while True:
            msg_id = kc.kernel_info()
            reply = await self._message(kc.shell_channel, msg_id, 1.0)
            if reply is not None and await self._message(kc.iopub_channel, msg_id, 0.2) is not None:
                kc._handle_kernel_info_reply(reply)  # protocol adaptation, as wait_for_ready does
                return
            if not await ensure_async(self.km.is_alive()):
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    @staticmethod
    async def _message(channel, parent_id: str, timeout: float) -> dict | None:  # noqa: ANN001
        """The next message on ``channel`` about request ``parent_id``; None after ``timeout`` s."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await ensure_async(channel.get_msg(timeout=left))
            except Empty:
                return None
            if msg["parent_header"].get("msg_id") == parent_id:
                return msg
        return None

    def _replace_kernel(self, why: str) -> bool:
        """Throw the current kernel away and continue in a fresh one; False once out of restarts."""
        if self.km is not None:
            stop_kernel(self.km)
        if self.kc is not None:
            self.kc.stop_channels()
        self.kc = None
        if self.restarts >= self.max_restarts:
            self.km = None
            self.gave_up = f"{why}；已换过 {self.restarts} 次新内核，其余格子不再运行"
            self.on_incident(self.gave_up)
            return False
        self.restarts += 1
        self.restarted_because = why
        self.km = self.create_kernel_manager()
        self.start_new_kernel(stdout=self._kernel_stderr, stderr=self._kernel_stderr)
        self.start_new_kernel_client()
        return True

    # -- execution ----------------------------------------------------------------------
    def preprocess(self, nb: NotebookNode, resources: dict | None = None, km: AsyncKernelManager | None = None):  # noqa: ANN201
        self.deadline = time.monotonic() + self.notebook_timeout if self.notebook_timeout > 0 else None
        self.timeout_func = self._cell_timeout
        return super().preprocess(nb, resources, km=km)

    def _cell_timeout(self, cell: NotebookNode) -> int | None:
        limit = self.timeout if self.timeout and self.timeout > 0 else None
        if self.deadline is None:
            return limit
        left = max(1, int(self.deadline - time.monotonic() + 0.999))
        return left if limit is None else min(limit, left)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):  # noqa: ANN201
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self.gave_up:
            return self._not_run(cell, resources, self.gave_up)
        if self.deadline is not None and time.monotonic() >= self.deadline:
            why = f"整本作业运行超过 {self.notebook_timeout:g} 秒的时间限制"
            self.on_incident(f"{why}：从{self.where(cell, index)}起没有运行，相应的题目不得分")
            self.gave_up = why
            return self._not_run(cell, resources, f"{why}，这一格没有运行")
        if self.km is None or not run_sync(self.km.is_alive)():
            why = f"上一格运行后{exit_reason(self.km)}"
            self.on_incident(f"{self.where(cell, index)}运行前发现{why}，已换用新内核继续")
            if not self._replace_kernel(why):
                return self._not_run(cell, resources, self.gave_up)
        if self.restarted_because:  # a fresh kernel: what earlier cells defined is gone
            cell.metadata.setdefault("trainkit", {})["after_restart"] = self.restarted_because
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            why = exit_reason(self.km)
            self.on_incident(f"{self.where(cell, index)}运行时{why}，这一格记为出错，已换用新内核运行后面的格子")
        except CellTimeoutError:
            why = "内核对中断没有响应"
            self.on_incident(f"{self.where(cell, index)}运行超时且{why}，这一格记为出错，已换用新内核运行后面的格子")
        cell.outputs.append(_stopped(f"本格运行时{why}"))
        self._replace_kernel(why)
        return cell, resources

    def _not_run(self, cell: NotebookNode, resources: dict, why: str):  # noqa: ANN202
        cell.outputs = [_stopped(why)]
        return cell, resources

    # -- output cap (the kernel caps its own streams; this guards the grader's memory) -----
    def output(self, outs, msg, display_id, cell_index):  # noqa: ANN001, ANN201
        if msg["msg_type"] in ("stream", "display_data") and len(outs) >= MAX_OUTPUTS:
            if len(outs) == MAX_OUTPUTS:
                outs.append(
                    NotebookNode(
                        output_type="stream", name="stdout", text="[trainkit] 本格输出条目过多，其余输出没有保存。\n"
                    )
                )
            return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None and out.get("output_type") == "stream" and out.get("name") == "stderr":
            if len(out.text) > self.stderr_chars > 0:
                out.text = out.text[: self.stderr_chars] + "\n[trainkit] 错误输出过长，已截断。\n"
        return out


def _stopped(why: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=STOPPED, evalue=why, traceback=[f"{STOPPED}：{why}"])
