"""Common-terms rewrite for OR queries, as Lucene's CommonTermsQuery does it.

With OR as the default, a question such as "wie viele Bundesländer gibt es" would
match every paragraph containing "es": the exact total would count nearly the
whole archive and every search would decode the longest posting lists there are.
Words in more than `COMMON_FRACTION` of all paragraphs carry almost no weight
under Lucene's idf anyway (`indexer.ranking`), so they stop deciding *which*
paragraphs match and only add to the score of paragraphs the distinctive words
found: ``AndMaybe(Or(distinctive), Or(common))``. A query of common words only is
left alone, so "Wer ist es" still finds something, and so is a small collection,
where no word is frequent enough (`MIN_COMMON_DF`) for its postings to cost much.
"""

from __future__ import annotations

from whoosh import query
from whoosh.query import Query

from indexer.schema import SEARCH_FIELDS

COMMON_FRACTION = 0.01
MIN_COMMON_DF = 100


def common_limit(reader, fraction: float = COMMON_FRACTION) -> float:
    """The paragraph count above which a word is common in this index."""
    return max(fraction * reader.doc_count_all(), MIN_COMMON_DF)


def split_common_terms(q: Query, reader, fraction: float = COMMON_FRACTION) -> Query:
    """Rewrite a top-level OR so that only its distinctive clauses decide matching."""
    if not isinstance(q, query.Or) or len(q.subqueries) < 2:
        return q
    limit = common_limit(reader, fraction)
    common, distinctive = [], []
    for sub in q.subqueries:
        df = _doc_frequency(sub, reader)
        if df is None or 0 < df <= limit:
            distinctive.append(sub)
        elif df > limit:
            common.append(sub)
    if not common or not distinctive:
        return q
    scale = getattr(q, "scale", None)
    rare = distinctive[0] if len(distinctive) == 1 else query.Or(distinctive, scale=scale)
    return query.AndMaybe(rare, query.Or(common))


def _doc_frequency(sub: Query, reader) -> int | None:
    """The word's paragraph count, or None for a clause that is not a plain word.

    An OR of words none of which the index holds (a word's typo or part variants
    in a field that lacks them all) counts as 0: it matches nothing, so it must not
    be the clause that decides matching.
    """
    if isinstance(sub, query.Term) and sub.fieldname in SEARCH_FIELDS:
        return reader.doc_frequency(sub.fieldname, sub.text)
    if isinstance(sub, query.Or):
        leaves = list(sub.leaves())
        if all(isinstance(leaf, query.Term) for leaf in leaves) and not any(
            reader.doc_frequency(leaf.fieldname, leaf.text) for leaf in leaves
        ):
            return 0
    return None  # phrases, expansions and field queries always decide matching
