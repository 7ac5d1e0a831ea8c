"""Starts one learner's kernel with limits: run by path (``python launcher.py ... -- KERNEL_CMD``).

It is a script, not an import of :mod:`trainkit`, so the kernel loads nothing of the kit.
Before the kernel starts it caps the address space (``RLIMIT_AS``; a memory bomb raises
``MemoryError``) and disables core dumps. When the kernel command is this interpreter's
``-m ipykernel_launcher``, the kernel runs in this process exactly as ``ipykernel_launcher``
runs it, and each cell's stdout and stderr are capped (what is cut is replaced by a note);
any other kernel command is exec'd with the limits only.
"""

import os
import resource
import sys

NOTE = "\n[trainkit] 本格输出过多，超出 {limit} 个字符的部分没有保存。\n"


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


def main(argv: list[str]) -> None:
    split = argv.index("--")
    options = dict(arg.lstrip("-").split("=", 1) for arg in argv[:split])
    cmd = argv[split + 1:]
    _limit_memory(int(options.get("memory-mb", "0")))
    if not _is_this_ipykernel(cmd):
        os.execv(cmd[0], cmd)
    # as ipykernel_launcher: the launcher's own folder must not be importable by learner code
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    sys.argv = [cmd[2], *cmd[3:]]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()
    limits = {"stdout": int(options.get("stdout-chars", "0")), "stderr": int(options.get("stderr-chars", "0"))}
    limits = {k: v for k, v in limits.items() if v > 0}
    if limits and app.shell is not None:
        _cap_streams(app.shell, limits)
    app.start()


if __name__ == "__main__":
    main(sys.argv[1:])
