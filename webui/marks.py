"""Mark a query's matches in whole texts, the way the indexer marks them in snippets."""

from __future__ import annotations

from markupsafe import Markup

from indexer import SearchIndex
from indexer.query import positive_terms
from indexer.snippets import matched_spans, render


def query_terms(index: SearchIndex, q: str) -> set[str]:
    """Return the index terms a match for `q` may contain.

    A local wrapper over SearchIndex internals until the indexer offers a public
    `SearchIndex.query_terms(q: str) -> set[str]`.
    """
    if not q.strip():
        return set()
    parsed = index._parse(q, index.searcher())
    return positive_terms(parsed) if parsed is not None else set()


def mark(index: SearchIndex, text: str, terms: set[str]) -> Markup:
    """Return `text` escaped, with every word matching `terms` in <mark> (safe to insert)."""
    spans = matched_spans(text, terms, index.analyzer) if terms else []
    return Markup(render(text, spans))
