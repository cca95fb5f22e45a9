"""A damaged, missing or foreign index: one-line CLI errors, 503 pages, and --rebuild repairs.

For each kind of damage, on a copy of a good index: `search`, `stats` and an update
print one line that says what to do and exit 1 (never a traceback); a server started
on it answers 503 as an HTML page and as JSON and keeps running; `index --rebuild`
repairs the index, and the same server then answers 200 without a restart.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.reliability.support import (
    assert_one_line_error,
    clean_build,
    expect_index,
    immutable,
    read_only_bind,
    repeat,
    run_cli,
    running_server,
    snapshot,
    write_corpus,
)

REBUILD = "--rebuild"
BUILD = "artikelsuche index"


def _segments(index: Path) -> list[Path]:
    return sorted(index.glob("gen-*/*.seg"))


def truncate_segment(index: Path, rng: random.Random) -> None:
    segment = rng.choice(_segments(index))
    size = segment.stat().st_size
    with open(segment, "r+b") as fh:
        fh.truncate(rng.randrange(0, size))


def delete_segment(index: Path, rng: random.Random) -> None:
    rng.choice(_segments(index)).unlink()


def truncate_toc(index: Path, rng: random.Random) -> None:
    [toc] = index.glob("gen-*/_MAIN_*.toc")
    with open(toc, "r+b") as fh:
        fh.truncate(rng.randrange(0, toc.stat().st_size))


def remove_directory(index: Path, rng: random.Random) -> None:
    shutil.rmtree(index)


def foreign_directory(index: Path, rng: random.Random) -> None:
    shutil.rmtree(index)
    (index / "fotos").mkdir(parents=True)
    (index / "notizen.txt").write_text("Einkaufsliste: Brot, Käse\n", encoding="utf-8")
    (index / "fotos" / "urlaub.jpg").write_bytes(rng.randbytes(2048))


def current_names_missing_generation(index: Path, rng: random.Random) -> None:
    (index / "CURRENT").write_text("gen-20000101-000000-1\n", encoding="utf-8")


def current_is_garbage(index: Path, rng: random.Random) -> None:
    (index / "CURRENT").write_bytes(rng.randbytes(64))


def current_is_empty(index: Path, rng: random.Random) -> None:
    (index / "CURRENT").write_bytes(b"")


# damage -> what the one-line message must name
DAMAGE = {
    "truncated segment file": (truncate_segment, REBUILD),
    "deleted segment file": (delete_segment, REBUILD),
    "truncated TOC file": (truncate_toc, REBUILD),
    "missing index directory": (remove_directory, BUILD),
    "directory that is not an index": (foreign_directory, BUILD),
    "CURRENT names a missing generation": (current_names_missing_generation, REBUILD),
    "CURRENT holds random bytes": (current_is_garbage, REBUILD),
    "CURRENT is empty": (current_is_empty, REBUILD),
}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> dict:
    """A small good index (30 speeches, two commits so it has two segments)."""
    root = tmp_path_factory.mktemp("damaged")
    corpus = write_corpus(root / "corpus", speeches[:30], files=2)
    index = root / "index"
    half = write_corpus(root / "half", speeches[:15], files=1)
    assert run_cli("index", half, "--index", index).returncode == 0
    snap = clean_build(corpus, root / "clean")
    update = run_cli("index", corpus, "--index", index)  # incremental: a second segment
    assert update.returncode == 0, update.stderr
    assert snapshot(index) == snap and len(_segments(index)) >= 2
    return {"corpus": corpus, "index": index, "snap": snap}


def check_cli(index: Path, corpus: Path, needle: str) -> None:
    """search, stats and a plain update fail in one line that says what to do."""
    assert_one_line_error(run_cli("search", "Bundestag", "--index", index, "--json"), needle)
    assert_one_line_error(run_cli("stats", "--index", index), needle)
    if needle == REBUILD:  # a missing or foreign folder is simply built by `index`
        assert_one_line_error(run_cli("index", corpus, "--index", index), needle)


def check_unavailable(server, needle: str) -> None:
    """Every route answers 503 with the message, as JSON under /api/ and HTML elsewhere."""
    for path in ("/api/search", "/api/stats", "/api/article/x"):
        answer = server.get(path, q="Bundestag")
        assert answer.status == 503, (path, answer.status, answer.body[:500])
        assert answer.content_type.startswith("application/json")
        error = json.loads(answer.body)["error"]
        assert error["status"] == 503 and needle in error["message"], error
    for path in ("/", "/search", "/article/x"):
        answer = server.get(path, q="Bundestag")
        assert answer.status == 503, (path, answer.status, answer.body[:500])
        assert answer.content_type.startswith("text/html")
        page = BeautifulSoup(answer.body, "html.parser")
        assert needle in page.get_text(), page.get_text()[:1000]
        assert "Traceback" not in answer.body
    assert server.alive(), server.output()


def check_repaired(server, index: Path, corpus: Path, expected: list) -> None:
    """`index --rebuild` repairs; the running server serves it within a few seconds."""
    repaired = run_cli("index", corpus, "--index", index, "--rebuild")
    assert repaired.returncode == 0, repaired.stderr[-2000:]
    expect_index(index, expected, what="the repaired index")
    deadline = time.monotonic() + 30
    while True:
        answer = server.get("/api/search", q="Bundestag")
        if answer.status == 200:
            break
        assert time.monotonic() < deadline, f"still {answer.status} after the repair"
        time.sleep(0.2)
    assert json.loads(answer.body)["total"] > 0
    assert server.get("/search", q="Bundestag").status == 200
    assert server.alive(), server.output()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_index(kind: str, good: dict, tally, tmp_path: Path) -> None:
    damage, needle = DAMAGE[kind]
    fault = f"damaged index: {kind}"
    for number in range(repeat(1)):
        index = tmp_path / f"index-{number}"
        with tally.inject(fault, f"run {number}") as run:
            shutil.copytree(good["index"], index)
            damage(index, random.Random(f"{kind}-{number}"))
            with run.soft():
                check_cli(index, good["corpus"], needle)
            with running_server(index, tmp_path) as server:
                with run.soft():
                    check_unavailable(server, needle)
                check_repaired(server, index, good["corpus"], good["snap"])
        shutil.rmtree(index, ignore_errors=True)
    tally.check(fault)


def test_read_only_index_directory(good: dict, tally, tmp_path: Path) -> None:
    """A read-only index (bind mount) still serves; updates fail in one line, nothing lost."""
    fault = "read-only index directory"
    for number in range(repeat(1)):
        index = tmp_path / f"index-{number}"
        shutil.copytree(good["index"], index)
        with tally.inject(fault, f"run {number}") as run, read_only_bind(index):
            found = run_cli("search", "Bundestag", "--index", index, "--json")
            assert found.returncode == 0, found.stderr[-2000:]
            assert json.loads(found.stdout)["total"] > 0
            for extra in ((), ("--rebuild",)):
                result = run_cli("index", good["corpus"], "--index", index, *extra)
                expect_index(index, good["snap"])
                with run.soft():
                    assert_one_line_error(result, str(index))
            with running_server(index, tmp_path) as server:
                assert server.get("/api/search", q="Bundestag").status == 200
                assert server.get("/search", q="Bundestag").status == 200
        shutil.rmtree(index, ignore_errors=True)
    tally.check(fault)


@pytest.mark.parametrize("target", ["CURRENT", "generation directory"])
def test_read_only_files(target: str, good: dict, tally, tmp_path: Path) -> None:
    """An immutable CURRENT or generation (chattr +i, which binds root too): an update or a
    rebuild fails in one line and leaves the index as it was; it works once writable."""
    fault = f"read-only {target} (chattr +i)"
    for number in range(repeat(1)):
        index = tmp_path / f"index-{number}"
        shutil.copytree(good["index"], index)
        [gen] = index.glob("gen-*")
        with tally.inject(fault, f"run {number}") as run:
            with immutable(index / "CURRENT" if target == "CURRENT" else gen):
                for extra in ((), ("--rebuild",)):
                    result = run_cli("index", good["corpus"], "--index", index, *extra)
                    expect_index(index, good["snap"])
                    # Succeeding is fine where nothing needs the immutable file; else one line.
                    if result.returncode != 0 or (target == "CURRENT" and extra):
                        with run.soft():
                            assert_one_line_error(result, str(index))
            rebuilt = run_cli("index", good["corpus"], "--index", index, "--rebuild")
            assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
            expect_index(index, good["snap"])
        shutil.rmtree(index, ignore_errors=True)
    tally.check(fault)


# Damage done under a running server that has already served the index.
LIVE_DAMAGE = {
    "truncated segment file": truncate_segment,
    "deleted segment file": delete_segment,
    "CURRENT names a missing generation": current_names_missing_generation,
    "CURRENT holds random bytes": current_is_garbage,
    "missing index directory": remove_directory,
}
LIVE_QUERIES = ["Bundestag", "Haushalt", "Rente", "Europa", "Klimaschutz", "Bildung", "Steuer*"]


KNOWN_DEFECTS: dict[str, str] = {}  # kind -> reason, for a damage the server cannot survive yet


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, marks=pytest.mark.xfail(reason=KNOWN_DEFECTS[k], strict=False))
        if k in KNOWN_DEFECTS else k
        for k in LIVE_DAMAGE
    ],
)
def test_damage_under_a_running_server(kind: str, good: dict, tally, tmp_path: Path) -> None:
    """The server keeps answering (the index it has open, or 503), never 500, never dies;
    `index --rebuild` brings it back without a restart."""
    fault = f"damaged while serving: {kind}"
    for number in range(repeat(1)):
        index = tmp_path / f"index-{number}"
        shutil.copytree(good["index"], index)
        with tally.inject(fault, f"run {number}") as run, \
                running_server(index, tmp_path) as server:
            for q in LIVE_QUERIES[:2]:
                assert server.get("/api/search", q=q).status == 200
            LIVE_DAMAGE[kind](index, random.Random(f"{kind}-{number}"))
            time.sleep(0.6)  # past the index's refresh interval
            for q in LIVE_QUERIES:
                for path in ("/api/search", "/search", "/article/x", "/api/stats"):
                    answer = server.get(path, q=q, page=2)
                    with run.soft():
                        assert answer.status in (200, 404, 503), (path, q, answer.status,
                                                                   answer.body[:300])
                    if answer.status == 503 and path.startswith("/api/"):
                        assert REBUILD in json.loads(answer.body)["error"]["message"]
            assert server.alive(), f"the server died: {server.output()}"
            check_repaired(server, index, good["corpus"], good["snap"])
        shutil.rmtree(index, ignore_errors=True)
    tally.check(fault)
