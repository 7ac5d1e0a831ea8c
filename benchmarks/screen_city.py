"""Screening a city: about 7.5 million residents, every program, a district at a time.

Prints ``bench: screen_seconds_7_5m_residents X`` (target ≤ 30, issue 17) and
``bench: screen_peak_mb_7_5m_residents X`` (target ≤ 4,000): ``trainkit screen`` is run as a
child process on the synthetic city and its peak resident memory is read from the kernel when
it exits. Synthesising the city takes minutes, so it is made once and kept between runs in the
user's cache folder (``TRAINKIT_BENCH_CACHE`` to choose another), written to a temporary
folder and renamed into place whole. The seconds are scaled to exactly 7.5 million residents.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from trainkit.district.synth import write_city

HOUSEHOLDS = 3_165_000  # 2.37 residents to a household: about 7.5 million residents
SEED = 75
ON = dt.date(2025, 12, 1)
RESIDENTS = 7_500_000


def city() -> Path:
    """The synthetic city, made on the first run and kept."""
    root = Path(os.environ.get("TRAINKIT_BENCH_CACHE") or Path.home() / ".cache" / "trainkit" / "bench")
    folder = root / f"city-{HOUSEHOLDS}-{SEED}-{ON}"
    if (folder / "residents.parquet").is_file():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    building = Path(tempfile.mkdtemp(dir=root, prefix=".city-"))
    try:
        write_city(HOUSEHOLDS, building, seed=SEED, on=ON, progress=lambda m: print(f"({m})", flush=True))
        os.replace(building, folder)  # whole, or not there
    finally:
        shutil.rmtree(building, ignore_errors=True)
    print(f"(synthesised the city once in {time.perf_counter() - started:.0f} s, kept in the cache)")
    return folder


def main() -> None:
    folder = city()
    residents = pq.ParquetFile(folder / "residents.parquet").metadata.num_rows
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "trainkit", "screen", str(folder), "--on", str(ON)]
        command += ["--out", str(Path(out) / "list.parquet")]
        said, told = Path(out) / "stdout", Path(out) / "stderr"  # files, not pipes: nothing can fill up
        with said.open("w") as stdout_file, told.open("w") as stderr_file:
            started = time.perf_counter()
            child = subprocess.Popen(command, stdout=stdout_file, stderr=stderr_file)
            _, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory, from the kernel
            seconds = time.perf_counter() - started
        stdout, stderr = said.read_text(), told.read_text()
    if os.waitstatus_to_exitcode(status):
        print(stderr, file=sys.stderr)
        raise SystemExit(f"trainkit screen failed ({os.waitstatus_to_exitcode(status)})")
    progress = [line for line in stderr.splitlines() if line.startswith("已筛查")]
    print(f"(city: {residents} residents; {progress[-1] if progress else ''} {stdout.strip()})")
    cpu = usage.ru_utime + usage.ru_stime  # on a shared machine the wall clock also counts others' work
    print(f"(wall {seconds:.1f} s, processor time of the screen {cpu:.1f} s)")
    print(f"bench: screen_seconds_7_5m_residents {seconds * RESIDENTS / residents:.1f}")
    print(f"bench: screen_peak_mb_7_5m_residents {usage.ru_maxrss / 1024:.0f}")  # Linux: kilobytes


if __name__ == "__main__":
    main()
