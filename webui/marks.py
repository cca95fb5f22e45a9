"""Mark a query's matches in whole texts, the way the indexer marks them in snippets."""

from __future__ import annotations

from markupsafe import Markup

from indexer import SearchIndex
from indexer.snippets import matched_spans, render


def query_terms(index: SearchIndex, q: str) -> set[str]:
    """Return the index terms a match for `q` may contain (none for an empty query)."""
    return index.query_terms(q) if q.strip() else set()


def mark(index: SearchIndex, text: str, terms: set[str]) -> Markup:
    """Return `text` escaped, with every word matching `terms` in <mark> (safe to insert)."""
    spans = matched_spans(text, terms, index.analyzer) if terms else []
    return Markup(render(text, spans))
