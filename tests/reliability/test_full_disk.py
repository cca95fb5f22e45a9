"""An index build that runs out of disk space fails in one line and keeps the old index.

The index lives on a small tmpfs (root only). A filler file leaves a chosen number of
bytes free, drawn with a fixed seed between nothing and a little more than the update
needs, so the disk runs out at every stage: while postings are written, at the commit,
in the stamp file, in the CURRENT pointer. Each run must either succeed completely or
fail with one line (exit 1, no traceback) and leave the previous index as it was; once
space is freed, the same command completes and equals a clean build.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.reliability.support import (
    assert_one_line_error,
    changed_corpus,
    clean_build,
    expect_index,
    opened,
    repeat,
    run_cli,
    tmpfs,
    write_corpus,
)

DISK = "16m"
RUNS_CI = 2  # per mode: one where the disk is nearly empty, one drawn at random


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> dict:
    root = tmp_path_factory.mktemp("full")
    a = write_corpus(root / "A", speeches[:20])
    b = changed_corpus(root / "B", speeches[:20], speeches[20:80], "Plattenplatz")
    snap_b = clean_build(b, root / "index-B")
    need = sum(f.stat().st_size for f in (root / "index-B").rglob("*") if f.is_file())
    return {"A": a, "B": b, "snap A": clean_build(a, root / "index-A"), "snap B": snap_b,
            "need": need}


def fill(disk: Path, leave: int) -> Path:
    """Write a filler file so that about `leave` bytes stay free on the disk."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        remaining = max(0, free - leave)
        while remaining:
            chunk = min(remaining, 1 << 20)
            fh.write(b"\0" * chunk)
            remaining -= chunk
    return filler


def free_space_plan(need: int, runs: int, seed: int) -> list[int]:
    """Bytes to leave free: none at all first, then random amounts up to 1.2x the need."""
    rng = random.Random(seed)
    return [0] + [rng.randrange(0, int(need * 1.2)) for _ in range(runs - 1)]


@pytest.mark.parametrize("mode", ["incremental", "rebuild"])
def test_full_disk(mode: str, corpora: dict, tally, tmp_path: Path) -> None:
    fault = f"disk full during {mode}"
    extra = ("--rebuild",) if mode == "rebuild" else ()
    outcomes = []
    for number, leave in enumerate(free_space_plan(corpora["need"], repeat(RUNS_CI), 7)):
        disk = tmp_path / f"disk-{number}"
        with tmpfs(disk, DISK), tally.inject(fault, f"{leave} bytes free") as run:
            index = disk / "index"
            built = run_cli("index", corpora["A"], "--index", index)
            assert built.returncode == 0, built.stderr[-2000:]
            filler = fill(disk, leave)
            result = run_cli("index", corpora["B"], "--index", index, *extra)
            if result.returncode == 0:
                outcomes.append("fit")
                expect_index(index, corpora["snap B"])
            else:
                outcomes.append("full")
                expect_index(index, corpora["snap A"], what="the previous index")
                with opened(index) as searched:
                    assert searched.search("Bundestag").total > 0
                with run.soft():
                    line = assert_one_line_error(result, str(index))
                    assert "No space left on device" in line, line
            filler.unlink()
            again = run_cli("index", corpora["B"], "--index", index, *extra)
            assert again.returncode == 0, again.stderr[-2000:]
            expect_index(index, corpora["snap B"], what="the index after space was freed")
    assert outcomes[0] == "full"  # with no space at all the update cannot have fitted
    tally.check(fault)
