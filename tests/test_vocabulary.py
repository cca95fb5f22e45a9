"""Typo lookups in memory (RapidFuzz) find exactly what Whoosh's automaton finds."""

from __future__ import annotations

import pytest

from indexer.vocabulary import Vocabulary

WORDS = ["pufferzohne", "selenskij", "soldatn", "ukrain", "nato", "trumpp", "belgorrod", "x"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("edits, prefix", [(1, 1), (2, 1), (1, 0), (2, 2)])
def test_within_equals_whoosh_terms_within(sample_index, word, edits, prefix):
    with sample_index.searcher() as searcher:
        reader = searcher.reader()
        vocabulary = Vocabulary.read(reader)
        if len(word) < prefix:  # Whoosh raises IndexError here
            assert vocabulary.within(word, edits, prefix) == []
            return
        expected = sorted(reader.terms_within("text", word, edits, prefix=prefix))
        assert vocabulary.within(word, edits, prefix) == expected


def test_typo_found_once_the_vocabulary_is_loaded(sample_index):
    with sample_index.searcher() as searcher:
        vocabulary = Vocabulary.read(searcher.reader())
    assert "pufferzon" in vocabulary.within("pufferzohn", 1, prefix=1)
    assert len(vocabulary) > 100
