"""The patched posting skip (indexer.whoosh_speedups) lands where Whoosh's own does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from indexer import build_index
from indexer.store import open_generation
from indexer.whoosh_speedups import ORIGINAL_SKIP_TO, skip_to
from tests.conftest import write_article


@pytest.fixture(scope="module")
def many_postings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 short articles, so common words span several posting blocks of 128."""
    root = tmp_path_factory.mktemp("speedups")
    for i in range(600):
        words = ["Haushalt"] + (["Rente"] if i % 3 == 0 else []) + (["Pflege"] if i % 7 else [])
        write_article(root / "corpus", f"a{i:03}.txt", f"Meldung {i}\n\n{' '.join(words)} {i}.\n")
    build_index(root / "corpus", root / "index")
    return root / "index"


def positions(matcher, targets: list[int], skip) -> list[int | None]:
    landed = []
    for target in targets:
        if not matcher.is_active():
            landed.append(None)
            continue
        skip(matcher, target)
        landed.append(matcher.id() if matcher.is_active() else None)
    return landed


@pytest.mark.parametrize("word", ["haushalt", "rent", "pfleg"])
def test_skip_to_matches_whoosh(many_postings: Path, word: str):
    _gen, ix = open_generation(many_postings)
    rng = random.Random(word)
    with ix.reader() as reader:
        for _ in range(30):
            targets = sorted(rng.sample(range(700), rng.randint(1, 40)))
            assert type(reader.postings("text", word)).__name__ == "W3LeafMatcher"
            ours = positions(reader.postings("text", word), targets, skip_to)
            theirs = positions(reader.postings("text", word), targets, ORIGINAL_SKIP_TO)
            assert ours == theirs


def test_lengths_held_in_memory_equal_whoosh(many_postings: Path):
    from whoosh.codec.whoosh3 import W3PerDocReader

    from indexer.whoosh_speedups import ORIGINAL_CACHED_READER, cached_reader

    _gen, ix = open_generation(many_postings)
    seen = {}
    for name, method in [("ours", cached_reader), ("whoosh", ORIGINAL_CACHED_READER)]:
        W3PerDocReader._cached_reader = method
        try:
            with ix.reader() as reader:
                seen[name] = [
                    [reader.doc_field_length(n, f) for n in range(reader.doc_count_all())]
                    for f in ("text", "title", "section")
                ] + [reader.min_field_length("text"), reader.max_field_length("text")]
        finally:
            W3PerDocReader._cached_reader = cached_reader
    assert seen["ours"] == seen["whoosh"]
    assert any(length for length in seen["ours"][0])


def test_batched_runs_sort_like_whoosh(tmp_path: Path):
    from whoosh.externalsort import SortingPool

    from indexer.whoosh_speedups import ORIGINAL_READ_RUN, ORIGINAL_WRITE_RUN, read_run, write_run

    rng = random.Random(7)
    items = [("text", f"wort{rng.randint(0, 500)}".encode(), rng.randint(0, 10**6), 1.0, None)
             for _ in range(20_000)]
    results = {}
    for name, (write, read) in {"ours": (write_run, read_run),
                                "whoosh": (ORIGINAL_WRITE_RUN, ORIGINAL_READ_RUN)}.items():
        SortingPool._write_run, SortingPool._read_run = write, read
        try:
            pool = SortingPool(maxsize=997, tempdir=str(tmp_path))
            for item in items:
                pool.add(item)
            results[name] = list(pool.items(maxfiles=4))  # forces merges of merged runs
        finally:
            SortingPool._write_run, SortingPool._read_run = write_run, read_run
    assert results["ours"] == results["whoosh"] == sorted(items)
    assert not list(tmp_path.iterdir())  # every run file removed
