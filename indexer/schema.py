"""The Whoosh schema: one document per paragraph, carrying its article's metadata."""

from __future__ import annotations

from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import AnalysisOptions, german_analyzer
from indexer.analysis.positions import GermanPositions

# Fields a query may search without naming them, with their BM25F boosts: a word
# in the title or a live-blog heading says more about a paragraph than one in its
# body. Measured in bench/relevance.py.
SEARCH_FIELDS = ("text", "title", "section")
FIELD_BOOSTS = {"text": 1.0, "title": 2.0, "section": 1.5}


def build_schema(options: AnalysisOptions | None = None) -> Schema:
    """Return the paragraph schema with the German chain on every text field."""
    analyzer = german_analyzer(options)
    return Schema(
        id=ID(stored=True, unique=True),
        article_id=ID(stored=True, sortable=True),
        paragraph=NUMERIC(int, stored=True, sortable=True),
        text=_text(analyzer),
        title=_text(analyzer),
        section=_text(analyzer),
        kicker=_text(analyzer),
        # Filters and facets: `source` is the case-folded filter key, `source_label`
        # keeps the spelling for display; dates keep the precision the text gave in
        # `date`, and the earliest/latest instant it can mean in `date_lo`/`date_hi`.
        source=ID(stored=True, analyzer=IDTokenizer() | LowercaseFilter()),
        source_label=ID(sortable=True),
        date=STORED(),
        date_lo=ID(sortable=True),
        date_hi=ID(sortable=True),
        month=ID(sortable=True),
        url=STORED(),
        # Book-keeping for the incremental indexer (lexicon scans, deletions).
        origin=ID(),
        asig=ID(),
    )


def _text(analyzer) -> TEXT:
    """A stored text field with positions (for phrases), written by GermanPositions."""
    field = TEXT(analyzer=analyzer, stored=True, phrase=True)
    field.format = GermanPositions(field_boost=field.format.field_boost)
    return field
