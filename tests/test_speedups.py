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
    build_index(root / "corpus", root / "index", processes=1)  # one segment
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


def test_term_lookups_answer_as_whoosh(many_postings: Path, monkeypatch):
    from indexer import whoosh_speedups

    monkeypatch.setattr(whoosh_speedups, "TERM_MEMO", 50)  # the memo is emptied on the way
    _gen, ix = open_generation(many_postings)
    with ix.reader() as reader:
        terms = [("text", t) for t in list(reader.lexicon("text"))[:150]]
        terms += [("text", b"gibtesnicht"), ("nofield", b"haushalt"), ("title", b"meldung")]
        for segment, _offset in reader.leaf_readers():
            for fieldname, tbytes in terms * 2:
                expected = _original(segment._terms, fieldname, tbytes)
                assert _patched(segment._terms, fieldname, tbytes) == expected, tbytes
            assert len(segment._terms._term_memo) <= 50


def _lookups(reader, fieldname, tbytes, methods) -> tuple:
    found = [methods["__contains__"](reader, (fieldname, tbytes))]
    for name in ("frequency", "doc_frequency"):
        try:
            found.append(methods[name](reader, fieldname, tbytes))
        except KeyError:
            found.append("KeyError")
    try:
        info = methods["term_info"](reader, fieldname, tbytes)
        found.append((info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                      info.max_weight(), info.min_id(), info.max_id(), info.extent()))
    except Exception as exc:  # TermNotFound for a missing term
        found.append(type(exc).__name__)
    return tuple(found)


def _original(reader, fieldname, tbytes) -> tuple:
    from indexer.whoosh_speedups import ORIGINAL_TERMS_READER

    return _lookups(reader, fieldname, tbytes, ORIGINAL_TERMS_READER)


def _patched(reader, fieldname, tbytes) -> tuple:
    from indexer import whoosh_speedups as ws

    return _lookups(reader, fieldname, tbytes, {
        "__contains__": ws.term_contains, "term_info": ws.term_info,
        "frequency": ws.term_frequency, "doc_frequency": ws.term_doc_frequency})
