""""Meinten Sie …?": a corrected query when the typed one finds little or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import query

from indexer.expand import RARE_DF, TypedWord, max_edits, typed_words
from indexer.snippets import matched_spans

FEW_RESULTS = 3


def suggest(
    text: str, searcher, reader, analyzer, count: Callable[[str], int]
) -> str | None:
    """Return the query with rare words replaced by frequent neighbours, if that finds more.

    `reader` looks up the neighbours (a fast TypoReader when one is ready); `count`
    gives the exact (unexpanded) number of hits of a query string.
    """
    corrected = text
    for word in typed_words(text, analyzer).values():
        if not word.surface.isalpha() or reader.doc_frequency("text", word.term) >= RARE_DF:
            continue
        better = _best_neighbour(reader, word)
        if better is None:
            continue
        surface = surface_form(searcher, analyzer, better)
        if surface is None:
            continue
        if word.surface.islower():
            surface = surface.lower()
        corrected = re.sub(rf"(?<!\w){re.escape(word.surface)}(?!\w)", surface, corrected)
    if corrected == text:
        return None
    before = count(text)
    if before >= FEW_RESULTS or count(corrected) <= before:
        return None
    return corrected


def _best_neighbour(reader, word: TypedWord) -> str | None:
    """The most frequent common term within the word's typo distance (at least one)."""
    edits = max(1, max_edits(word.surface))
    best, best_df = None, reader.doc_frequency("text", word.term)
    for term in reader.terms_within("text", word.term, edits, prefix=1):
        df = reader.doc_frequency("text", term)
        if term != word.term and df > best_df:
            best, best_df = term, df
    return best


def surface_form(searcher, analyzer, term: str) -> str | None:
    """Find how the articles spell a word whose index term is `term`."""
    results = searcher.search(query.Term("text", term), limit=1)
    for hit in results:
        text = hit.get("text", "")
        for start, end in matched_spans(text, {term}, analyzer):
            return text[start:end]
    return None
