"""Describe the machine and software a benchmark ran on, for the head of RESULTS.md.

Run: python bench/machine.py
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import time
from importlib.metadata import PackageNotFoundError, version

import psutil

PACKAGES = ("whoosh3", "tantivy", "PyStemmer", "waitress", "flask", "psutil", "py-spy")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def package_versions() -> str:
    """Installed versions of the packages the benchmarks depend on."""
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def wrk_version() -> str:
    """wrk's version line, or 'not installed'."""
    try:
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "not installed"
    return out.splitlines()[0].strip() if out else "unknown"


def main() -> None:
    """Print one line per fact."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    print(f"date        {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"nproc       {os.cpu_count()}")
    print(f"CPU         {cpu_model()}")
    print(f"RAM         {psutil.virtual_memory().total / 2**30:.1f} GiB")
    print(f"OS          {platform.platform()}")
    print(f"Python      {platform.python_version()} ({platform.python_implementation()})")
    print(f"packages    {package_versions()}")
    print(f"wrk         {wrk_version()}")
    one, five, fifteen = os.getloadavg()
    print(f"load        {one:.2f} {five:.2f} {fifteen:.2f}")


if __name__ == "__main__":
    main()
