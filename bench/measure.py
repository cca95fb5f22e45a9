"""Run a benchmark step in a child process and measure its wall time and peak memory.

Peak resident memory is taken two ways and the larger is reported: psutil samples the
RSS of the child and all its descendants (summed) every 100 ms, and the child reports
its own high-water mark (plus the ru_maxrss of any children it waited for) when it
finishes. The child's own mark is VmHWM from /proc/self/status, not ru_maxrss: Linux
carries ru_maxrss over from the parent across fork and exec, so a child of a large
parent would report the parent's size.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import psutil

RESULT_PREFIX = "BENCH-RESULT "


@dataclass
class ChildRun:
    """What one measured child process did."""

    wall_s: float
    peak_rss: int  # bytes, process tree
    result: dict = field(default_factory=dict)
    output: str = ""


def tree_rss(proc: psutil.Process) -> int:
    """Sum the RSS of a process and all its descendants (0 once it is gone)."""
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def _sample(proc: psutil.Process, stop: threading.Event, peak: list[int]) -> None:
    """Keep the largest tree RSS seen until `stop` is set."""
    while not stop.is_set():
        peak[0] = max(peak[0], tree_rss(proc))
        stop.wait(0.1)


def run_child(cmd: list[str], timeout: float | None = None) -> ChildRun:
    """Run cmd, sample its memory, and parse the JSON line it prints with report()."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_sample, args=(psutil.Process(child.pid), stop, peak))
    sampler.start()
    try:
        output, _ = child.communicate(timeout=timeout)
    finally:
        stop.set()
        sampler.join()
        if child.poll() is None:
            child.kill()
            child.wait()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({child.returncode}):\n{output[-3000:]}")
    result = {}
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX):])
    own = max(result.get("maxrss_self", 0), result.get("maxrss_children", 0))
    return ChildRun(wall_s=wall, peak_rss=max(peak[0], own), result=result, output=output)


def report(**values) -> None:
    """Print a child's result line, adding its peak RSS (bytes) and CPU seconds (getrusage)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    values["maxrss_self"] = _high_water_mark() or own.ru_maxrss * 1024
    values["maxrss_children"] = kids.ru_maxrss * 1024
    values["cpu_s"] = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    print(RESULT_PREFIX + json.dumps(values), flush=True)
    sys.stdout.flush()


def _high_water_mark() -> int:
    """This process's peak RSS in bytes since its exec (VmHWM), or 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def load_line() -> str:
    """The machine's load averages: other processes on the 2 cores skew wall times."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"
