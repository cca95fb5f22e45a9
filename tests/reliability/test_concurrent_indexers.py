"""Two `index` processes on one index: the second says so and stops, or waits with --wait.

The index is never corrupted: after both, it opens and equals a clean build.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.reliability.support import (
    assert_one_line_error,
    changed_corpus,
    clean_build,
    expect_index,
    repeat,
    run_cli,
    start_cli,
    write_corpus,
)

BUSY = "another indexer is writing"


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> dict:
    root = tmp_path_factory.mktemp("two")
    a = write_corpus(root / "A", speeches[:150])
    b = changed_corpus(root / "B", speeches[:150], speeches[150:180], "Doppelgänger")
    return {"A": a, "B": b, "index A": root / "index-A",
            "snap A": clean_build(a, root / "index-A"), "snap B": clean_build(b, root / "ix-B")}


def lock_is_held(index_dir: Path) -> bool:
    """True while some process holds BUILD.lock (probed without taking it for long)."""
    try:
        fd = os.open(index_dir / "BUILD.lock", os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def start_first(corpora: dict, target: Path, log: Path):
    """Start a --rebuild of B over a copy of index A and wait until it holds the lock."""
    shutil.copytree(corpora["index A"], target)
    first = start_cli("index", corpora["B"], "--index", target, "--rebuild", log=log)
    deadline = time.monotonic() + 60
    while not lock_is_held(target):
        assert first.poll() is None, f"the first indexer ended early: {log.read_text()}"
        assert time.monotonic() < deadline, "the first indexer never took the lock"
        time.sleep(0.02)
    return first


@pytest.mark.parametrize("mode", ["second fails", "second waits"])
def test_second_indexer(mode: str, corpora: dict, tally, tmp_path: Path) -> None:
    fault = f"two indexers at once ({mode})"
    for number in range(repeat(1)):
        target = tmp_path / f"run-{number}"
        with tally.inject(fault, f"run {number}") as run:
            first = start_first(corpora, target, tmp_path / f"first-{number}.log")
            try:
                # While the first one writes, the index still answers with the old content.
                expect_index(target, corpora["snap A"])
                if mode == "second fails":
                    second = run_cli("index", corpora["A"], "--index", target)
                    with run.soft():
                        assert_one_line_error(second, BUSY, str(target))
                    assert first.poll() is None, "the first indexer finished too early"
                else:
                    second = run_cli("index", corpora["A"], "--index", target, "--wait", "300")
                    assert second.returncode == 0, second.stderr[-2000:]
                assert first.wait(300) == 0
            finally:
                if first.poll() is None:
                    first.kill()
                first.wait()
            # "fails": only the first ran (B). "waits": the second updated to A afterwards.
            expected = corpora["snap B"] if mode == "second fails" else corpora["snap A"]
            expect_index(target, expected)
        shutil.rmtree(target, ignore_errors=True)
    tally.check(fault)


def test_two_indexers_started_together(corpora: dict, tally, tmp_path: Path) -> None:
    """Started in the same instant: exactly one builds, the other stops with the message."""
    fault = "two indexers started together"
    for number in range(repeat(1)):
        target = tmp_path / f"run-{number}"
        with tally.inject(fault, f"run {number}"):
            logs = [tmp_path / f"p{number}-{n}.log" for n in range(2)]
            procs = [start_cli("index", corpora["B"], "--index", target, "--rebuild", log=log)
                     for log in logs]
            try:
                codes = sorted(p.wait(300) for p in procs)
            finally:
                for p in procs:
                    if p.poll() is None:
                        p.kill()
                    p.wait()
            outputs = [log.read_text(encoding="utf-8") for log in logs]
            assert codes == [0, 1], (codes, outputs)
            assert sum(BUSY in out for out in outputs) == 1, outputs
            assert not any("Traceback" in out for out in outputs), outputs
            expect_index(target, corpora["snap B"])
        shutil.rmtree(target, ignore_errors=True)
    tally.check(fault)
