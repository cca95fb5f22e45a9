"""Common-terms rewrite for OR queries, as Lucene's CommonTermsQuery does it.

With OR as the default, a question such as "wie viele Bundesländer gibt es" would
match every paragraph containing "es": the exact total would count nearly the
whole archive and every search would decode the longest posting lists there are.
Words in more than `COMMON_FRACTION` of all paragraphs carry almost no weight
under Lucene's idf anyway (`indexer.ranking`), so they stop deciding *which*
paragraphs match and only add to the score of paragraphs the distinctive words
found: ``AndMaybe(Or(distinctive), Or(common))``. A query of common words only is
left alone, so "Wer ist es" still finds something.
"""

from __future__ import annotations

from whoosh import query
from whoosh.query import Query

from indexer.schema import SEARCH_FIELDS

COMMON_FRACTION = 0.01


def split_common_terms(q: Query, reader, fraction: float = COMMON_FRACTION) -> Query:
    """Rewrite a top-level OR so that only its distinctive clauses decide matching."""
    if not isinstance(q, query.Or) or len(q.subqueries) < 2:
        return q
    limit = fraction * reader.doc_count_all()
    common, distinctive = [], []
    for sub in q.subqueries:
        (common if _is_common(sub, reader, limit) else distinctive).append(sub)
    if not common or not distinctive:
        return q
    scale = getattr(q, "scale", None)
    rare = distinctive[0] if len(distinctive) == 1 else query.Or(distinctive, scale=scale)
    return query.AndMaybe(rare, query.Or(common))


def _is_common(sub: Query, reader, limit: float) -> bool:
    if not (isinstance(sub, query.Term) and sub.fieldname in SEARCH_FIELDS):
        return False  # phrases, expansions and field queries always decide matching
    return reader.doc_frequency("text", sub.text) > limit
