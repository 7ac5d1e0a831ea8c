"""A worker process: grades the notebooks the parent sends, one at a time, and sends back
each outcome. It holds a few jobs at once (``WorkerSetup.ahead``) so that the next
notebooks' kernels boot while the current one runs; it never writes the gradebook.
"""

from __future__ import annotations

import logging
import os
import signal
import warnings
from collections import deque

from .execute import reap
from .jobs import Job, Outcome, WorkerSetup
from .pipeline import Grader, crashed
from .snapshot import serve_gradebook_reads
from .zygote import adopt_orphans

__all__ = ["worker_main"]


def worker_main(conn, setup: WorkerSetup) -> None:  # noqa: ANN001
    """Serve jobs from ``conn`` until it sends ``None``; the next jobs' kernels boot meanwhile."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    warnings.simplefilter("ignore")
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    logger = logging.getLogger("trainkit.autograde")
    logger.handlers[:] = [logging.FileHandler(setup.log_path, encoding="utf-8")]
    logger.propagate = False
    adopt_orphans()
    grader = Grader(setup)
    os.chdir(grader.course.root)
    serve_gradebook_reads(setup.snapshot)
    pending: deque = deque()
    stopping = False

    def receive(limit: int, *, block: bool) -> None:
        nonlocal stopping
        while not stopping and len(pending) < limit and (block and not pending or conn.poll()):
            try:
                job = conn.recv()
            except EOFError:  # the parent is gone
                job = None
            if job is None:
                stopping = True
            else:
                pending.append(_safe_prepare(grader, job))  # its kernel starts booting now

    try:
        while True:
            receive(setup.ahead, block=True)
            if not pending:
                return
            prep = pending.popleft()
            receive(setup.ahead - 1, block=False)  # the next kernels boot while this one runs
            conn.send(("begin", prep.key))
            if not isinstance(prep, Outcome):
                try:
                    prep = grader.run(prep)
                except Exception as err:  # noqa: BLE001
                    prep = crashed(prep.job, err, prep)
            conn.send(("done", prep))
    finally:
        for prep in pending:
            if not isinstance(prep, Outcome):
                grader.discard(prep)
        reap(wait=True)
        grader.close()


def _exit_on_sigterm(*_args: object) -> None:
    raise SystemExit(0)  # unwinds through worker_main's cleanup: its kernels are killed


def _safe_prepare(grader: Grader, job: Job):  # noqa: ANN202
    try:
        return grader.prepare(job)
    except Exception as err:  # noqa: BLE001
        return crashed(job, err, None)
