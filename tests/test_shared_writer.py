"""Builds with helper processes index exactly what one process indexes.

Real speeches (read from ../shared) in four files, enough paragraphs for the
build to fork a helper; each test checks the index on disk.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import ArtikelsucheError, SearchIndex, build_index
from indexer.shared_writer import START_AFTER
from indexer.store import current_generation
from tests.index_contents import postings_by_id
from tests.paths import SHARED
from tests.processes import children

SPEECHES = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"
QUERIES = ["Haushalt", "Kollege Rente", '"meine Damen und Herren"', "Bundeswehr -Mandat"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared") / "corpus"
    root.mkdir()
    with gzip.open(SPEECHES, "rt", encoding="utf-8") as fh:
        records = [json.loads(next(fh)) for _ in range(240)]
    for part in range(4):
        (root / f"teil-{part}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[part::4]),
            encoding="utf-8")
    return root


def _open(index_dir: Path) -> whoosh_index.Index:
    return whoosh_index.open_dir(str(current_generation(index_dir)))


def test_two_processes_index_what_one_does(corpus: Path, tmp_path: Path):
    one = build_index(corpus, tmp_path / "one", processes=1)
    two = build_index(corpus, tmp_path / "two", processes=2)
    assert one.paragraphs == two.paragraphs > START_AFTER
    assert len(_open(tmp_path / "one")._segments()) == 1
    assert len(_open(tmp_path / "two")._segments()) == 2  # one of them the helper's
    assert postings_by_id(_open(tmp_path / "two")) == postings_by_id(_open(tmp_path / "one"))
    first, second = SearchIndex.open(tmp_path / "one"), SearchIndex.open(tmp_path / "two")
    for q in QUERIES:
        a, b = first.search(q, limit=20), second.search(q, limit=20)
        assert a.total == b.total
        assert _scores(a) == _scores(b)


def _scores(results) -> dict[str, float]:
    return {hit.id: round(hit.score, 9) for hit in results.hits}


def test_an_update_with_helpers_equals_a_rebuild(corpus: Path, tmp_path: Path):
    build_index(corpus, tmp_path / "index", processes=2)
    changed = corpus.parent / "changed"
    changed.mkdir(exist_ok=True)
    for path in corpus.iterdir():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (changed / path.name).write_text("".join(lines[::2]), encoding="utf-8")  # drop half
    update = build_index(changed, tmp_path / "index", processes=2)
    assert update.removed > 0
    build_index(changed, tmp_path / "clean", processes=1)
    assert postings_by_id(_open(tmp_path / "index")) == postings_by_id(_open(tmp_path / "clean"))


def test_a_killed_helper_fails_the_build_and_keeps_the_index(corpus: Path, tmp_path: Path):
    build_index(corpus, tmp_path / "index", processes=1, rebuild=True)
    before = postings_by_id(_open(tmp_path / "index"))
    killed: list[int] = []

    def kill_helpers(done: int, total: int, paragraphs: int) -> None:
        for pid in children(os.getpid()):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with pytest.raises(ArtikelsucheError, match="ended unexpectedly; the previous index"):
        build_index(corpus, tmp_path / "index", processes=2, rebuild=True,
                    progress=kill_helpers)
    assert killed
    assert postings_by_id(_open(tmp_path / "index")) == before
    assert not children(os.getpid())  # every helper reaped


def test_a_threaded_program_builds_in_one_process(corpus: Path, tmp_path: Path):
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        build_index(corpus, tmp_path / "index", processes=2)
    finally:
        stop.set()
        other.join()
    assert len(_open(tmp_path / "index")._segments()) == 1
