"""The lesson kernel client: ready when the kernel is idle after our request, not after 0.2 s of silence."""

from __future__ import annotations

import asyncio
from queue import Empty

import pytest
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager

from trainkit.app import app_argv
from trainkit.lesson_client import LessonKernelClient


def _status(state: str, parent: str) -> dict:
    return {"msg_type": "status", "content": {"execution_state": state}, "parent_header": {"msg_id": parent}}


def _info_reply(parent: str) -> dict:
    return {
        "msg_type": "kernel_info_reply",
        "content": {"protocol_version": "5.3"},
        "parent_header": {"msg_id": parent},
    }


class _Channel:
    """Messages a fake kernel has sent, in order; ``Empty`` when none is left (a timeout)."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.reads_after_empty = 0

    async def get_msg(self, timeout: float | None = None) -> dict:
        if not self.messages:
            self.reads_after_empty += 1
            raise Empty
        return self.messages.pop(0)


class _FakeKernelClient(LessonKernelClient):
    """The client under test, talking to scripted channels instead of a kernel process."""

    shell_channel = None  # instance attributes below replace the real channel properties
    iopub_channel = None

    def __init__(self, script, *, alive: bool = True) -> None:  # noqa: ANN001
        super().__init__()
        self.shell_channel = _Channel()
        self.iopub_channel = _Channel()
        self.sent: list[str] = []
        self._script = script
        self._alive = alive

    def kernel_info(self) -> str:
        msg_id = f"info-{len(self.sent) + 1}"
        self.sent.append(msg_id)
        self._script(self, msg_id)
        return msg_id

    async def _async_is_alive(self) -> bool:
        return self._alive


def test_ready_once_the_kernel_is_idle_after_our_request_without_waiting_for_silence():
    def kernel(client, msg_id):  # noqa: ANN001, ANN202
        client.shell_channel.messages.append(_info_reply(msg_id))
        client.iopub_channel.messages += [_status("busy", msg_id), _status("idle", msg_id)]

    client = _FakeKernelClient(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.sent == ["info-1"]
    assert client.iopub_channel.reads_after_empty == 0  # jupyter_client's own wait reads until a 0.2 s timeout


def test_an_idle_status_of_another_request_does_not_count():
    def kernel(client, msg_id):  # noqa: ANN001, ANN202
        client.shell_channel.messages.append(_info_reply(msg_id))
        client.iopub_channel.messages += [_status("idle", "someone-else"), _status("busy", msg_id)]
        if msg_id == "info-2":
            client.iopub_channel.messages.append(_status("idle", msg_id))

    client = _FakeKernelClient(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.sent == ["info-1", "info-2"]


def test_asks_again_when_the_broadcast_was_missed():
    """A subscription not yet connected misses the kernel's status: the request is sent again."""

    def kernel(client, msg_id):  # noqa: ANN001, ANN202
        client.shell_channel.messages.append(_info_reply(msg_id))
        if msg_id != "info-1":
            client.iopub_channel.messages += [_status("busy", msg_id), _status("idle", msg_id)]

    client = _FakeKernelClient(kernel)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.sent == ["info-1", "info-2"]


def test_a_dead_kernel_is_reported():
    client = _FakeKernelClient(lambda *_: None, alive=False)
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(client.wait_for_ready(timeout=5))


def test_the_app_gives_lesson_kernels_this_client():
    assert "--ServerKernelManager.client_class=trainkit.lesson_client.LessonKernelClient" in app_argv()
    assert issubclass(LessonKernelClient, AsyncKernelClient)


def test_a_real_kernel_is_ready_and_runs_code():
    async def scenario() -> str:
        km = AsyncKernelManager(kernel_name="python3", client_class="trainkit.lesson_client.LessonKernelClient")
        await km.start_kernel()
        client = km.client()
        assert isinstance(client, LessonKernelClient)
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("x = 6 * 7", timeout=60, output_hook=lambda _m: None)
            return reply["content"]["status"]
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)

    assert asyncio.run(scenario()) == "ok"
