"""The kernel client the app's server talks to a lesson's kernel with: ready as soon as the kernel is.

Before running a lesson, Voilà (through nbclient) waits for its kernel to be ready. jupyter_client's
own wait ends by listening to the kernel's broadcast channel (IOPub) until 0.2 s pass in silence,
so every lesson page waited 0.2 s for nothing before its first cell. Here the wait ends when the
kernel says it is idle again after our kernel-info request: the kernel answers, and its broadcasts
reach us. If that broadcast does not come (the channel was not yet connected when the kernel sent
it), the request is sent again, as jupyter_client does.

Used by the server only (``trainkit app`` sets it as the kernels' ``client_class``).
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient

__all__ = ["LessonKernelClient"]

_REPLY_WAIT = 1.0  # seconds for the kernel-info reply before asking again (as jupyter_client)
_IOPUB_WAIT = 0.2  # seconds for each broadcast before asking again (as jupyter_client)


class LessonKernelClient(AsyncKernelClient):
    """An asynchronous kernel client whose ``wait_for_ready`` returns once the kernel is idle."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Until the kernel has answered a kernel-info request and said so on IOPub.

        Raises ``RuntimeError`` when the kernel dies or ``timeout`` seconds pass first.
        """
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id)
            if reply is not None and await self._idle_after(msg_id):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    async def _reply_to(self, msg_id: str) -> dict[str, Any] | None:
        """The kernel-info reply to ``msg_id``; None when none comes in time."""
        while True:
            try:
                msg = await self.shell_channel.get_msg(timeout=_REPLY_WAIT)
            except Empty:
                return None
            if msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") == msg_id:
                return msg

    async def _idle_after(self, msg_id: str) -> bool:
        """Whether IOPub brings the kernel's idle status for ``msg_id`` (earlier messages are read
        and dropped)."""
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=_IOPUB_WAIT)
            except Empty:
                return False
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return True
