"""Exact hit totals computed from posting blocks, not by walking Whoosh's matchers.

Whoosh finds the top hits while skipping blocks that cannot compete, so its exact
total needs a second pass that steps through every matching document in Python,
one method call per posting: up to half of a search's time when a word is
frequent. A total needs no scores, only document numbers, and Whoosh stores those
in blocks of up to 128; taking them a block at a time into C-level `set`
operations (union for OR, intersection for AND, difference for NOT) gives the
same number at a fraction of the cost. Anything but words, ORs, ANDs and NOTs
(phrases, for instance) is counted by Whoosh's own matcher, so the total is
always exact.
"""

from __future__ import annotations

from whoosh import query
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Query


def count_matches(searcher, q: Query, filter_q: Query | None = None) -> int:
    """The number of live documents matching `q` (and `filter_q`, when given)."""
    return sum(len(ids) for _reader, ids in matching_ids(searcher, q, filter_q))


def matching_ids(searcher, q: Query, filter_q: Query | None = None) -> list[tuple[object, set]]:
    """Per segment: its reader and the live document numbers matching (segment-local)."""
    found = []
    for sub, _offset in searcher.leaf_searchers():
        ids = doc_ids(q, sub)
        if ids and filter_q is not None:
            ids &= doc_ids(filter_q, sub)
        deleted = sub.reader().deleted_docs_set
        found.append((sub.reader(), ids - deleted if deleted else ids))
    return found


def doc_ids(q: Query, searcher) -> set[int]:
    """Segment-local document numbers matching `q` (deleted ones may be included)."""
    if isinstance(q, query.Term):
        return _term_ids(searcher.reader(), q.fieldname, q.text)
    if isinstance(q, query.Every) and not q.fieldname:
        return set(range(searcher.reader().doc_count_all()))
    if isinstance(q, query.Or):
        found: set[int] = set()
        for sub in q.subqueries:
            found |= doc_ids(sub, searcher)
        return found
    if isinstance(q, query.And):
        return _intersection(q.subqueries, searcher)
    if isinstance(q, query.AndMaybe):
        return doc_ids(q.a, searcher)
    if isinstance(q, query.AndNot):
        found = doc_ids(q.a, searcher)
        return found - doc_ids(q.b, searcher) if found else found
    if isinstance(q, query.MultiTerm) and not isinstance(q, query.Variations):
        reader = searcher.reader()
        found = set()
        for btext in q._btexts(reader):
            found |= _term_ids(reader, q.fieldname, btext)
        return found
    return set(q.docs(searcher))


def _intersection(subqueries, searcher) -> set[int]:
    found: set[int] | None = None
    for sub in subqueries:
        ids = doc_ids(sub, searcher)
        found = ids if found is None else found & ids
        if not found:
            return set()
    return found or set()


def _term_ids(reader, fieldname: str, text) -> set[int]:
    if (fieldname, text) not in reader:
        return set()
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are subtracted once, per segment
    if not hasattr(matcher, "_read_ids"):
        return set(matcher.all_ids())
    found: set[int] = set()
    while matcher.is_active():  # whoosh3's block reader: take each block's ids at once
        if matcher._ids is None:
            matcher._read_ids()
        found.update(matcher._ids)
        matcher._next_block()
    return found
