"""Starts one learner's kernel with limits: run by path (``python launcher.py ... -- KERNEL_CMD``).

It is a script, not an import of :mod:`trainkit`, so the kernel loads nothing of the kit.
Before the kernel starts it caps the address space (``RLIMIT_AS``; a memory bomb raises
``MemoryError``) and disables core dumps. When the kernel command is this interpreter's
``-m ipykernel_launcher``, the kernel runs in this process exactly as ``ipykernel_launcher``
runs it, and each cell's stdout and stderr are capped (what is cut is replaced by a note);
any other kernel command is exec'd with the limits only. The kernel's debugger is not
loaded (grading never debugs; it is a third of the start-up time).

``launcher.py --zygote`` imports ipykernel once and then forks a kernel per request
(:mod:`trainkit.autograde.zygote`): each kernel is still a new process that has run no
learner's code, without paying for the imports again.
"""

import os
import resource
import sys

NOTE = "\n[trainkit] 本格输出过多，超出 {limit} 个字符的部分没有保存。\n"


__all__ = ["main"]


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        size = megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            size = min(size, hard)
        resource.setrlimit(resource.RLIMIT_AS, (size, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _cap_streams(shell, limits: dict) -> None:  # noqa: ANN001
    """Each cell may write at most ``limits[name]`` characters to sys.stdout / sys.stderr."""
    used = dict.fromkeys(limits, 0)

    def new_cell(*_args: object) -> None:
        for name in used:
            used[name] = 0

    shell.events.register("pre_run_cell", new_cell)
    for name, limit in limits.items():
        stream = getattr(sys, name)
        original = stream.write

        def write(text, _write=original, _name=name, _limit=limit):  # noqa: ANN001, ANN202
            before = used[_name]
            used[_name] = before + len(text)
            if before >= _limit:
                return len(text)
            if used[_name] > _limit:
                _write(text[: _limit - before])
                _write(NOTE.format(limit=_limit))
            else:
                _write(text)
            return len(text)

        stream.write = write


def _is_this_ipykernel(cmd: list[str]) -> bool:
    try:
        same = os.path.samefile(cmd[0], sys.executable)
    except OSError:
        same = False
    return same and cmd[1:3] == ["-m", "ipykernel_launcher"]


def _parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    split = argv.index("--")
    return dict(arg.lstrip("-").split("=", 1) for arg in argv[:split]), argv[split + 1 :]


def _import_kernel():  # noqa: ANN202
    """``IPKernelApp``, imported as ``ipykernel_launcher`` imports it — except that ipykernel's
    debugger (debugpy, half of a kernel's start-up time; grading never debugs) is hidden while
    ipykernel and its debugger module load, so the debugger stays off. Learner code can
    still import debugpy afterwards."""
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # the launcher's own folder must not be importable by learner code
    hidden = "debugpy" not in sys.modules
    if hidden:
        sys.modules["debugpy"] = None
    import ipykernel.debugger  # noqa: F401  (the kernel imports it while it starts)
    from ipykernel.kernelapp import IPKernelApp

    if hidden and sys.modules.get("debugpy", 0) is None:
        del sys.modules["debugpy"]
    return IPKernelApp


def _run_kernel(options: dict[str, str], cmd: list[str]) -> None:
    import importlib.util

    _limit_memory(int(options.get("memory-mb", "0")))
    spec = importlib.util.find_spec(cmd[2])
    sys.argv = [spec.origin if spec and spec.origin else cmd[2], *cmd[3:]]  # as `python -m` sets it
    app = _import_kernel().instance()
    # two defaults ipykernel reads from the environment when it is imported — in a zygote that
    # was before this kernel's environment existed: read them as a fresh import would
    app.parent_handle = int(os.environ.get("JPY_PARENT_PID") or 0)
    app.interrupt = int(os.environ.get("JPY_INTERRUPT_EVENT") or 0)
    app.initialize()
    limits = {"stdout": int(options.get("stdout-chars", "0")), "stderr": int(options.get("stderr-chars", "0"))}
    limits = {k: v for k, v in limits.items() if v > 0}
    if limits and app.shell is not None:
        _cap_streams(app.shell, limits)
    app.start()


def main(argv: list[str]) -> None:
    if argv[:1] == ["--zygote"]:
        _zygote()
        return
    options, cmd = _parse(argv)
    if not _is_this_ipykernel(cmd):
        _limit_memory(int(options.get("memory-mb", "0")))
        os.execv(cmd[0], cmd)
    _run_kernel(options, cmd)


# -- zygote: kernels forked from a process that has imported ipykernel and run nothing else ------
# Modules a kernel imports while it starts (measured with ipykernel 7 / IPython 9): imported
# once in the zygote, a forked kernel starts in a fraction of the time. Imports only — no
# kernel, shell or socket exists before the fork.
PRELOAD = (
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "IPython.utils.wildcard",
    "code",
    "faulthandler",
    "pdb",
    "sqlite3",
    "tornado.platform.asyncio",
    "unicodedata",
)


def _zygote() -> None:
    """Serve one worker over stdin/stdout, one JSON line per request:
    ``{"spawn": [argv], "cwd": …, "env": {…}}`` → ``{"pid": n}``;
    ``{"status": pid}`` → ``{"code": None | exit code | -signal}``. Ends when stdin closes."""
    import importlib
    import json
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the grading run
    _import_kernel()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    codes: dict[int, int] = {}
    for line in requests:
        request = json.loads(line)
        if "spawn" in request:
            pid = os.fork()
            if pid == 0:
                _child(request)
            reply = {"pid": pid}
        else:
            pid = int(request["status"])
            if pid not in codes:
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    done, status = pid, 0
                if done:
                    codes[pid] = os.waitstatus_to_exitcode(status)
            reply = {"code": codes.get(pid)}
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()
    # stdin closed: the run is over and every reply is flushed. Skip the interpreter's teardown of
    # what ipykernel imported (0.1–0.25 s the worker, and so the trainer, would wait for)
    sys.stderr.flush()
    os._exit(0)


def _child(request: dict) -> None:
    """In the forked kernel: a session of its own, the worker's environment and folder, then
    the kernel exactly as :func:`main` runs it. Never returns."""
    import signal
    import traceback

    code = 0
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(2, 1)  # the zygote's stdout is its pipe to the worker; stderr is the kernel log
        os.close(null)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # ipykernel's parent poller: JPY_PARENT_PID is the worker, not this process's parent
        # (the zygote), so the kernel outlives a zygote killed by other learner code (it is then
        # adopted by the worker, a subreaper) and exits when the worker is gone (adopted by init).
        os.environ["JPY_PARENT_PID"] = str(request["worker"])
        options, cmd = _parse(request["spawn"][2:])
        _run_kernel(options, cmd)
    except BaseException:  # noqa: BLE001  (report, never fall back into the zygote's loop)
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
