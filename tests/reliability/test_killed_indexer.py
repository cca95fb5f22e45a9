"""SIGKILL the `index` command at random moments: nothing of the previous index is lost.

Three runs are killed: a first build, a `--rebuild` and an incremental update (files
removed, changed and added). The kill points are drawn with a fixed seed, one in each
equal slice of the measured duration of the same run left alone, so they cover start-up,
reading, writing and the commit. After each kill the index must be exactly what it was
before (or, if the kill came after the commit, exactly the new one), open and answer
queries; the next `index` run must complete and equal a clean build of the corpus. The
corpora are large enough for the indexer to fork helper processes; they must die with it.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from indexer import IndexMissing
from tests.processes import alive, children
from tests.reliability.support import (
    DataLost,
    changed_corpus,
    clean_build,
    expect_index,
    opened,
    repeat,
    run_cli,
    snapshot,
    start_cli,
    stratified_delays,
    write_corpus,
    write_jsonl,
)

SCENARIOS = {
    # name: (index before the run: None or "A", corpus of the run, extra arguments)
    "first build": (None, "A", ()),
    "rebuild": ("A", "B", ("--rebuild",)),
    "incremental update": ("A", "B", ()),
}
KILLS_CI = 2  # per scenario; RELIABILITY_REPEAT=20 makes it 20 each (60 kill points)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> dict:
    """Corpus A (150 speeches in 4 files), its changed version B, and clean builds of both."""
    root = tmp_path_factory.mktemp("killed")
    a = write_corpus(root / "A", speeches[:150])
    b = changed_corpus(root / "B", speeches[:150], speeches[150:200], "Killerwal")
    return {
        "root": root,
        "A": a,
        "B": b,
        "index A": root / "index-A",
        "snap A": clean_build(a, root / "index-A"),
        "snap B": clean_build(b, root / "index-B"),
    }


def prepare(corpora: dict, before: str | None, target: Path) -> list | None:
    """Put the index the run starts from at `target`; return its snapshot (None: no index)."""
    if before is None:
        return None
    shutil.copytree(corpora["index A"], target)
    return corpora["snap A"]


def check_helpers_gone(pids: set[int], timeout: float = 10) -> None:
    """Helpers die with a killed indexer instead of writing on into its index."""
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            raise DataLost(f"helper processes outlived the killed indexer: {sorted(pids)}")
        time.sleep(0.05)


def check_survivor(target: Path, old: list | None, new: list) -> str:
    """The index after a kill is the old one or the new one, whole, and answers queries."""
    try:
        now = snapshot(target)
    except IndexMissing:
        if old is not None:
            raise DataLost("the previous index is gone") from None
        return "none"
    except Exception as exc:
        raise DataLost(f"the index after the kill cannot be read: {exc}") from exc
    state = "old" if now == old else "new" if now == new else None
    if state is None:
        raise DataLost(
            f"the index after the kill is neither the old ({len(old or [])} docs) nor the new "
            f"({len(new)}) one: {len(now)} docs"
        )
    with opened(target) as index:
        assert index.search("", limit=1).total == len(now)
        assert index.search("Bundestag").total > 0
    return state


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_killed_indexer_loses_nothing(scenario: str, corpora: dict, tally, tmp_path) -> None:
    before, corpus_name, extra = SCENARIOS[scenario]
    corpus, expected = corpora[corpus_name], corpora[f"snap {corpus_name}"]
    command = ("index", corpus, "--index", None, *extra)

    # The same run left alone: how long it takes is the range of the kill points.
    reference = tmp_path / "reference"
    prepare(corpora, before, reference)
    started = time.monotonic()
    result = run_cli(*[reference if a is None else a for a in command])
    duration = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    assert snapshot(reference) == expected

    fault = f"SIGKILL during {scenario}"
    seed = sorted(SCENARIOS).index(scenario) + 1
    for number, delay in enumerate(stratified_delays(seed, repeat(KILLS_CI), duration)):
        target = tmp_path / f"run-{number}"
        args = [target if a is None else a for a in command]
        with tally.inject(fault, f"kill after {delay:.2f} s of {duration:.2f} s"):
            old = prepare(corpora, before, target)
            proc = start_cli(*args, log=tmp_path / f"run-{number}.log")
            try:
                time.sleep(delay)
                helpers = children(proc.pid)
                proc.kill()
            finally:
                proc.wait()
            check_helpers_gone(helpers)
            check_survivor(target, old, expected)
            again = run_cli(*args)
            assert again.returncode == 0, again.stderr[-2000:]
            expect_index(target, expected, what="the index after the next run")
            generations = sorted(p.name for p in target.glob("gen-*"))
            assert len(generations) == 1, f"stale generations left: {generations}"
        shutil.rmtree(target, ignore_errors=True)
    tally.check(fault)


# The kill tests compare an interrupted update with a clean build; so must a plain one.
RESHAPES = {
    "file renamed": lambda s: {"neu.jsonl": s[:4], "z.jsonl": s[4:8]},
    "articles moved to another file": lambda s: {"z.jsonl": s[:8]},
    "file split in two": lambda s: {"alt.jsonl": s[:2], "b.jsonl": s[2:4], "z.jsonl": s[4:8]},
    "files merged, one renamed": lambda s: {"m.jsonl": s[:8]},
}


@pytest.mark.fault("incremental update after a corpus reshape")
@pytest.mark.parametrize("reshape", list(RESHAPES))
def test_update_after_reshape_equals_clean_build(reshape, speeches, tmp_path) -> None:
    """Articles that change files (rename, move, split, merge) are neither lost nor doubled."""
    before = tmp_path / "before"
    for name, records in {"alt.jsonl": speeches[:4], "z.jsonl": speeches[4:8]}.items():
        write_jsonl(before / name, records)
    after = tmp_path / "after"
    for name, records in RESHAPES[reshape](speeches).items():
        write_jsonl(after / name, records)
    index = tmp_path / "index"
    assert run_cli("index", before, "--index", index).returncode == 0
    updated = run_cli("index", after, "--index", index)
    assert updated.returncode == 0, updated.stderr[-2000:]
    expected = clean_build(after, tmp_path / "clean")
    expect_index(index, expected, what=f"the updated index ({updated.stdout[-1500:]})")
