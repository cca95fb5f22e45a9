"""Looking at child processes from tests (Linux /proc): servers' workers, indexers' helpers."""

from __future__ import annotations


def children(pid: int) -> set[int]:
    """The process's children at this moment (empty once it has gone)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return {int(p) for p in fh.read().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    """True while the process runs; a zombie has exited."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False
