"""Exact totals from posting blocks equal Whoosh's own full count, deletions included."""

from __future__ import annotations

import shutil

import pytest
from whoosh import query

from indexer import SearchIndex, build_index
from indexer.counting import count_matches
from tests.conftest import write_article
from tests.paths import SAMPLE_CORPUS

QUERIES = [
    "Ukraine", "Trump Selenskyj", "Trump AND Selenskyj", "Trump -Selenskyj",
    '"seltene Erden"', "Sicherheits*", "Kursk OR Belgorod", "NOT Trump", "titel:Kursk",
    "Soldaten Nordkorea Kursk", "Pufferzohne", "quelle:dpa Nato", "nichtda",
]
FILTERS = [None, query.Term("source", "dpa"), query.TermRange("date_lo", None, "2025-02-03")]


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """An index with two segments and deleted documents (an incremental update)."""
    root = tmp_path_factory.mktemp("counting")
    corpus = root / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    build_index(corpus, root / "index")
    liveblog = next(corpus.glob("000_*.txt"))
    liveblog.write_text(liveblog.read_text(encoding="utf-8") + "\n\nTrump sprach mit Selenskyj.\n")
    write_article(corpus, "neu.txt", "Neue Meldung\n\nSelenskyj traf Soldaten in Kursk.\n")
    build_index(corpus, root / "index")
    return SearchIndex.open(root / "index")


@pytest.mark.parametrize("q", QUERIES)
def test_count_equals_whoosh_full_count(updated_index: SearchIndex, q: str):
    with updated_index.searcher() as searcher:
        assert searcher.reader().has_deletions()
        parsed = updated_index._parse(q, searcher, "or")
        for filter_q in FILTERS:
            full = searcher.search(parsed, filter=filter_q, limit=None)
            expected = full.scored_length()
            assert count_matches(searcher, parsed, filter_q) == expected, (q, filter_q)


def test_search_total_is_exact_on_an_updated_index(updated_index: SearchIndex):
    assert updated_index.search("Selenskyj").total == len(
        updated_index.search("Selenskyj", limit=100).hits
    )


@pytest.mark.parametrize("q", ["", *QUERIES])
def test_facet_counts_equal_whoosh_grouped_search(updated_index: SearchIndex, q: str):
    from whoosh import sorting

    from indexer.counting import matching_ids
    from indexer.facets import facet_counts

    with updated_index.searcher() as searcher:
        parsed = updated_index._parse(q, searcher, "or") or query.Every()
        grouped = searcher.search(
            parsed, limit=None, maptype=sorting.Count,
            groupedby={f: sorting.FieldFacet(f) for f in ("source_label", "month")},
        )
        segments = matching_ids(searcher, parsed)
        for field in ("source_label", "month"):
            ours = {k or None: n for k, n in facet_counts(segments, field).items()}
            theirs = {k or None: n for k, n in grouped.groups(field).items()}
            assert ours == theirs, (q, field)  # "" and None both mean "no value"
