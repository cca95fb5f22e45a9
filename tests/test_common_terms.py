"""Frequent words rank but do not decide matching; clauses that match nothing never decide."""

from __future__ import annotations

import pytest
from whoosh import query

from indexer import SearchIndex, build_index
from indexer.common_terms import split_common_terms
from tests.conftest import write_article


@pytest.fixture(scope="module")
def frequent_word_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """150 articles that all say "Haushalt" (common: over 100 paragraphs); 3 say "Rente"."""
    root = tmp_path_factory.mktemp("common")
    for i in range(150):
        extra = " Rente" if i < 3 else ""
        write_article(root / "corpus", f"a{i:03}.txt", f"Meldung {i}\n\nHaushalt {i}{extra}.\n")
    build_index(root / "corpus", root / "index")
    return SearchIndex.open(root / "index")


def test_a_frequent_word_only_ranks(frequent_word_index: SearchIndex):
    assert frequent_word_index.search("Haushalt").total == 150
    assert frequent_word_index.search("Haushalt Rente").total == 3


def test_an_or_matching_nothing_does_not_decide(frequent_word_index: SearchIndex):
    nothing = query.Or([query.Term("section", "nichtda"), query.Term("section", "garnicht")])
    q = query.Or([query.Term("text", "haushalt"), nothing])
    with frequent_word_index.searcher() as searcher:
        rewritten = split_common_terms(q, searcher.reader())
        assert rewritten == q  # nothing distinctive is left, so the frequent word decides
        assert len(searcher.search(rewritten, limit=None)) == 150


