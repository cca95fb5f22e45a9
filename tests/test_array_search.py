"""numpy scoring over decoded postings ranks exactly as Whoosh's own exhaustive search.

The index holds 800 real Bundestag speeches (read from ../shared), updated once so
that it has two segments and deleted documents, like a live archive.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from whoosh import query

from indexer import SearchIndex, build_index
from indexer.array_search import Unsupported, search_segments, top_documents
from indexer.postings import PostingsCache, read_positions, read_postings
from tests.paths import SHARED

SPEECHES = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"
QUERIES = [
    "Kollege", "Herr Präsident", "Bundesregierung Haushalt", "Klimaschutz Kohleausstieg",
    "Steuern AND Entlastung", "Rente -Grundrente", '"meine Damen und Herren"',
    '"sehr geehrte"', "Digitalisierung Schulen Lehrer", "Gesundheitsminister Spahn",
    "Bundeswehr Auslandseinsätze", "Mietpreisbremse", "Europäische Union Zusammenarbeit",
    "Wohnungsbau", "Arbeitsmarkt Langzeitarbeitslose", "titel:Haushalt", "Pflegekräfte",
    "Digitalisirung", "Bürgerinnen und Bürger", "AfD-Fraktion", "Sicherheitspolitik",
    "Gesetzentwurf der Bundesregierung", "Flüchtlinge Integration Sprache",
    "wie viele Bundesländer gibt es", "nichtvorhandenwort",
]
FILTERS = [None, query.TermRange("date_lo", None, "2018-02")]


def _write_speeches(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def speeches(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """800 speeches in two files; then 20 speeches dropped and one changed."""
    root = tmp_path_factory.mktemp("speeches")
    with gzip.open(SPEECHES, "rt", encoding="utf-8") as fh:
        records = [json.loads(next(fh)) for _ in range(800)]
    corpus = root / "corpus"
    corpus.mkdir()
    _write_speeches(corpus / "a.jsonl", records[:400])
    _write_speeches(corpus / "b.jsonl", records[400:])
    # One process: the segment layout (and Whoosh's answers on it) is the same every run.
    build_index(corpus, root / "index", processes=1)
    changed = dict(records[400], paragraphs=[{"text": "Die Kollegin sprach über Haushalt."}])
    _write_speeches(corpus / "b.jsonl", [changed, *records[420:]])
    build_index(corpus, root / "index", processes=1)
    return SearchIndex.open(root / "index")


def _whoosh_best(searcher, parsed, filter_q, n=20):
    """Whoosh's exhaustive ranking (limit=None scores every match, no block skipping)."""
    results = searcher.search(parsed, filter=filter_q, limit=None)
    return [(h.docnum, h.score) for h in results][:n], results.scored_length()


def test_the_index_has_segments_and_deletions(speeches: SearchIndex):
    with speeches.searcher() as searcher:
        assert len(searcher.leaf_searchers()) >= 2
        assert searcher.reader().has_deletions()


@pytest.mark.parametrize("q", QUERIES)
def test_ranking_and_total_equal_whoosh(speeches: SearchIndex, q: str):
    cache = PostingsCache()
    with speeches.searcher() as searcher:
        parsed = speeches._parse(q, searcher, "or")
        for filter_q in FILTERS:
            expected, total = _whoosh_best(searcher, parsed, filter_q)
            segments = search_segments(searcher, parsed, filter_q, cache, "test")
            ours = top_documents(segments, 20)
            assert [d for d, _ in ours] == [d for d, _ in expected], (q, filter_q)
            assert [s for _, s in ours] == pytest.approx([s for _, s in expected], rel=1e-12)
            assert sum(len(s.ids) for s in segments) == total


def test_frequent_words_have_many_hits(speeches: SearchIndex):
    """The comparison above covers long posting lists of many compressed blocks."""
    assert speeches.search("Kollege").total > 6 * 128
    assert speeches.search('"meine Damen und Herren"').total > 128


def test_search_api_returns_whoosh_order(speeches: SearchIndex):
    result = speeches.search("Klimaschutz Kohleausstieg", limit=10, page=2)
    with speeches.searcher() as searcher:
        parsed = speeches._parse("Klimaschutz Kohleausstieg", searcher, "or")
        expected, total = _whoosh_best(searcher, parsed, None)
        ids = [searcher.stored_fields(d)["id"] for d, _ in expected[10:20]]
    assert [h.id for h in result.hits] == ids
    assert result.total == total


def test_a_phrase_with_slop_is_left_to_whoosh(speeches: SearchIndex):
    with speeches.searcher() as searcher:
        parsed = speeches._parse('"Damen Herren"~3', searcher, "or")
        with pytest.raises(Unsupported):
            search_segments(searcher, parsed, None, PostingsCache(), "test")
        expected, total = _whoosh_best(searcher, parsed, None, 10)
        ids = [searcher.stored_fields(d)["id"] for d, _ in expected]
    result = speeches.search('"Damen Herren"~3')
    assert result.total == total > 0
    assert [h.id for h in result.hits] == ids


@pytest.mark.parametrize(("field", "word"), [
    ("text", "kolleg"),  # thousands of postings: many compressed blocks
    ("text", "kohleausstieg"),
    ("title", "haushalt"),
])
def test_postings_and_positions_equal_whoosh_matcher(speeches: SearchIndex, field, word):
    with speeches.searcher() as searcher:
        for sub, _offset in searcher.leaf_searchers():
            reader = sub.reader()
            btext = word.encode()
            if (field, btext) not in reader:
                continue
            matcher = reader.postings(field, btext)
            matcher = getattr(matcher, "child", matcher)  # with deleted documents
            ids, weights, positions = [], [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                positions.append(matcher.value_as("positions"))
                matcher.next()
            postings = read_postings(reader, field, btext)
            assert postings.ids.tolist() == ids
            assert postings.weights.tolist() == weights
            found = read_positions(reader, field, btext)
            assert [found.flat[a:b].tolist() for a, b in zip(
                found.starts[:-1], found.starts[1:], strict=True)] == positions


def test_a_rare_word_inlined_in_the_term_info(speeches: SearchIndex):
    with speeches.searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        word = next(t for t in reader.lexicon("text") if reader.doc_frequency("text", t) == 1)
        postings = read_postings(reader, "text", word)
        assert len(postings.ids) == 1
        assert postings.ids[0] == next(iter(reader.postings("text", word).all_ids()))
        assert len(read_positions(reader, "text", word).flat) >= 1


def test_the_cache_stays_within_its_bound(speeches: SearchIndex):
    with speeches.searcher() as searcher:
        reader = searcher.leaf_searchers()[0][0].reader()
        largest = read_postings(reader, "text", b"kolleg").nbytes
        cache = PostingsCache(max_bytes=largest - 1)
        for word in (b"haushalt", b"regier", b"kolleg", b"rent", b"steu"):
            postings = cache.postings("seg", reader, "text", word)
            assert len(postings.ids) == reader.doc_frequency("text", word)
            assert 0 < cache.bytes <= cache.max_bytes
    assert ("seg", "text", b"kolleg", "ids") not in cache._entries  # larger than the bound
    assert ("seg", "text", b"steu", "ids") in cache._entries  # the most recent is kept


def test_position_values_of_another_shape_are_decoded_one_by_one():
    from whoosh.formats import Positions

    from indexer.postings import _position_deltas

    fmt = Positions()
    usual = (fmt.encode([1, 5]), fmt.encode([7]))
    assert _position_deltas(usual, fmt.decode_positions) == [[1, 4], [7]]
    odd = (fmt.encode([1, 5]), fmt.encode([2])[:-1])  # one without its STOP byte
    assert _position_deltas(odd, fmt.decode_positions) == [[1, 4], [2]]


def _whoosh_by_date(searcher, parsed, filter_q, n=20):
    from whoosh import sorting

    results = searcher.search(parsed, filter=filter_q, limit=n,
                              sortedby=sorting.FieldFacet("date_lo", reverse=True))
    return [h.docnum for h in results]


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The sample articles (dated), one undated article and one dated 2024, in two segments."""
    import shutil

    from tests.conftest import write_article
    from tests.paths import SAMPLE_CORPUS

    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    write_article(corpus, "ohne.txt", "Ohne Datum\n\nTrump und die Ukraine, ohne Datum.\n")
    build_index(corpus, root / "index")
    write_article(corpus, "alt.txt", "Alt\n\n3. März 2024\n\nTrump sprach über die Ukraine.\n")
    build_index(corpus, root / "index")
    return SearchIndex.open(root / "index")


@pytest.mark.parametrize("q", ["Trump", "Ukraine", "Ukraine -Trump", '"seltene Erden"'])
def test_date_order_equals_whoosh_sorted_search(dated: SearchIndex, speeches: SearchIndex, q):
    from indexer.array_search import latest_documents
    from indexer.facets import facet_column

    def by_date(reader):
        return facet_column(reader, "date_lo")

    for index in (dated, speeches):
        with index.searcher() as searcher:
            parsed = index._parse(q, searcher, "or")
            for filter_q in [None, query.Term("source", "dpa")]:
                segments = search_segments(searcher, parsed, filter_q, PostingsCache(), "t")
                ours = [d for d, _ in latest_documents(segments, 20, by_date)]
                assert ours == _whoosh_by_date(searcher, parsed, filter_q), (q, filter_q)


def test_date_order_through_the_search_api(dated: SearchIndex):
    hits = dated.search("Trump", sort="date", limit=50).hits
    dates = [h.date for h in hits]
    assert dates[0].startswith("2025-02") and dates[-1] == ""  # undated last
    assert "2024-03-03" in dates
