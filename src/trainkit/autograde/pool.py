"""Worker processes, fed over pipes; a worker that dies or hangs is replaced.

Each worker holds a few jobs (``WorkerSetup.ahead``): the one it runs and the next ones,
whose kernels boot meanwhile. A worker reports ``begin`` before running a job, so when it dies the parent knows
which job was running (that one fails with a reason) and which were only waiting (those go
back in the queue).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from .jobs import Job, Outcome, WorkerSetup
from .worker import worker_main

__all__ = ["WorkerPool", "default_jobs"]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    conn: object
    held: deque = field(default_factory=deque)
    running: tuple | None = None
    began: float = 0.0


class WorkerPool:
    def __init__(self, setup: WorkerSetup, jobs: int, *, stall_after: float) -> None:
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self.setup, self.stall_after = setup, stall_after
        self.workers = [self._start() for _ in range(jobs)]
        self.suspects: dict[tuple, int] = {}  # job → workers that died holding it before it ran

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(
            target=worker_main, args=(child, self.setup), daemon=True, name="trainkit-autograde-worker"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, jobs: list[Job], on_outcome: Callable[[Outcome], None], tick: Callable[[], None]) -> None:
        queue = deque(jobs)
        by_key = {job.key: job for job in jobs}
        while queue or any(w.held for w in self.workers):
            for w in self.workers:
                while queue and len(w.held) < self.setup.ahead and w.process.is_alive():
                    job = queue.popleft()
                    w.held.append(job.key)
                    try:
                        w.conn.send(job)
                    except OSError:  # it died a moment ago: noticed below
                        break
            busy = [w for w in self.workers if w.held]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
            for w in self.workers:
                alive = w.process.is_alive()
                readable = (w.conn in ready or not alive) and self._read(w, on_outcome)
                if not alive or (w.conn in ready and not readable):
                    self._replace(w, queue, by_key, on_outcome, "评分进程意外退出（可能是学员代码终止了评分进程）")
                elif w.running is not None and time.monotonic() - w.began > self.stall_after:
                    self._kill(w)
                    self._replace(
                        w, queue, by_key, on_outcome, f"评分超过 {self.stall_after:.0f} 秒仍未完成，已强制结束"
                    )
            tick()

    def _read(self, w: _Worker, on_outcome: Callable[[Outcome], None]) -> bool:
        """Handle every message waiting from ``w``; False if its pipe is closed."""
        try:
            while w.conn.poll():
                kind, payload = w.conn.recv()
                if kind == "begin":
                    w.running, w.began = payload, time.monotonic()
                else:
                    w.held.remove(payload.key)
                    w.running = None
                    on_outcome(payload)
        except (EOFError, OSError):
            return False
        return True

    def _replace(self, w: _Worker, queue: deque, by_key: dict, on_outcome: Callable[[Outcome], None], why: str) -> None:
        w.conn.close()
        w.process.join(timeout=1)
        for key in reversed(w.held):
            self.suspects[key] = self.suspects.get(key, 0) + (key != w.running)
            if key == w.running:
                on_outcome(Outcome(key[0], key[1], "error", problems=[f"{why}，成绩未记录"]))
            elif self.suspects[key] >= 2:  # it kills its worker before it even runs
                on_outcome(
                    Outcome(
                        key[0], key[1], "error", problems=["评分进程两次在读取这份作业时退出，成绩未记录；详见评分日志"]
                    )
                )
            else:
                queue.appendleft(by_key[key])
        fresh = self._start()
        w.process, w.conn, w.held, w.running = fresh.process, fresh.conn, deque(), None

    @staticmethod
    def _kill(w: _Worker) -> None:
        if w.process.is_alive() and w.process.pid:
            os.kill(w.process.pid, signal.SIGKILL)
        w.process.join(timeout=5)

    def close(self, *, now: bool = False) -> None:
        """Stop the workers: politely (they finish and kill their kernels) or at once."""
        for w in self.workers:
            try:
                if now:
                    w.process.terminate()
                else:
                    w.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 10
        for w in self.workers:
            w.process.join(timeout=max(0.1, deadline - time.monotonic()))
            if w.process.is_alive():
                self._kill(w)
            w.conn.close()
