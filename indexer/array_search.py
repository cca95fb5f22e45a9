"""Score a whole query with numpy over decoded posting lists: Whoosh's ranking, at C speed.

Whoosh walks a tree of matchers one posting at a time, several Python calls per
posting; for a word in 60,000 paragraphs that is 140 ms. This module evaluates
the same query tree per segment on whole arrays (`indexer.postings`): a word is
its document numbers and BM25F scores, OR is a union that adds scores, AND an
intersection, AND-MAYBE adds the optional part where it matches, AND-NOT
subtracts, a phrase is an intersection whose positions are then checked. It
computes exactly what Whoosh computes: the same scorer objects (idf, average
length, k1, b), the same lossy length bytes, the same boosts, and the same
coordination bonus `CoordMatcher` gives an OR with `scale` (counted in matching
words per document). Only the order of float additions may differ, in the last
bit. The same pass yields the exact total and the document numbers for facets.

A query with anything else in it (a NOT inside AND, wildcard objects, ranges,
phrases with slop) raises `Unsupported`, and the caller lets Whoosh run it.
"""

from __future__ import annotations

import weakref
from typing import NamedTuple

import numpy as np
from whoosh import query
from whoosh.query import Query
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from indexer.counting import doc_ids
from indexer.postings import PostingsCache
from indexer.whoosh_speedups import length_array

LENGTHS = np.array([byte_to_length(b) for b in range(256)], np.float64)
TOO_MANY_CLAUSES = 1024  # Whoosh's Or switches to another matcher beyond this
_lengths: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class Unsupported(Exception):
    """The query holds a node this module does not evaluate; let Whoosh run it."""


class Matches(NamedTuple):
    """Documents matching a (sub)query in one segment, ascending, with their scores.

    `counts` is how many of the query's words match each document and `terms` how
    many words of the query the segment holds: what Whoosh's coordination uses.
    """

    ids: np.ndarray
    scores: np.ndarray
    counts: np.ndarray
    terms: int


NONE = Matches(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), 0)


class SegmentMatches(NamedTuple):
    """The live, filtered matches of one segment and its first global document number."""

    reader: object
    offset: int
    ids: np.ndarray
    scores: np.ndarray


def search_segments(
    searcher, q: Query, filter_q: Query | None, cache: PostingsCache, generation: str
) -> list[SegmentMatches]:
    """Evaluate `q` (restricted by `filter_q`) in every segment of `searcher`."""
    found = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        key = f"{generation}/{reader.segment().segment_id()}"
        matches = _Evaluator(sub, cache, key).evaluate(q)
        ids, scores = matches.ids, matches.scores
        drop = _unwanted(reader, sub, ids, filter_q)
        if drop is not None:
            ids, scores = ids[~drop], scores[~drop]
        found.append(SegmentMatches(reader, offset, ids, scores))
    return found


def top_documents(segments: list[SegmentMatches], n: int) -> list[tuple[int, float]]:
    """The n best (global document number, score): by score, then lower number first,
    as Whoosh's collector orders ties."""
    if not segments:
        return []
    docnums, scores = _gathered(segments)
    if len(scores) > n:  # only the n best and their ties need sorting
        keep = scores >= np.partition(scores, len(scores) - n)[len(scores) - n]
        docnums, scores = docnums[keep], scores[keep]
    return _first(np.lexsort((docnums, -scores))[:n], docnums, scores)


def latest_documents(
    segments: list[SegmentMatches], n: int, column
) -> list[tuple[int, float]]:
    """The n matches with the greatest value of a sortable field (newest `date_lo`
    first), ties by lower document number, as Whoosh's sorted search returns them;
    with their relevance scores. `column(reader)` gives a segment's FacetColumn."""
    if not segments:
        return []
    columns = [column(s.reader) for s in segments]
    labels = sorted({label for c in columns for label in c.labels}, key=str)
    rank = {label: i for i, label in enumerate(labels)}  # comparable across segments
    keys = np.concatenate([
        np.array([rank[label] for label in c.labels], np.int64)[c.refs[s.ids]]
        for s, c in zip(segments, columns, strict=True)
    ])
    docnums, scores = _gathered(segments)
    return _first(np.lexsort((docnums, -keys))[:n], docnums, scores)


def _gathered(segments: list[SegmentMatches]) -> tuple[np.ndarray, np.ndarray]:
    """Global document numbers and scores of all segments' matches."""
    return (np.concatenate([s.ids + s.offset for s in segments]),
            np.concatenate([s.scores for s in segments]))


def _first(order: np.ndarray, docnums: np.ndarray, scores: np.ndarray) -> list:
    return list(zip(docnums[order].tolist(), scores[order].tolist(), strict=True))


def _unwanted(reader, searcher, ids: np.ndarray, filter_q: Query | None) -> np.ndarray | None:
    """A mask of matches that are deleted or outside the filter (None: keep all)."""
    drop = None
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if deleted and len(ids):
        drop = np.isin(ids, np.fromiter(deleted, np.int64, len(deleted)))
    if filter_q is not None and len(ids):
        allowed = doc_ids(filter_q, searcher)
        outside = ~np.isin(ids, np.fromiter(allowed, np.int64, len(allowed)))
        drop = outside if drop is None else drop | outside
    return drop


class _Evaluator:
    """Evaluates a query tree in one segment (see the module docstring)."""

    def __init__(self, searcher, cache: PostingsCache, segment_key: str) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.cache = cache
        self.key = segment_key

    def evaluate(self, q: Query, within: np.ndarray | None = None) -> Matches:
        """Evaluate `q`; with `within` (ascending document numbers), only those
        documents are needed: the optional and excluded parts of a query are
        evaluated within the documents its required part found."""
        if q is query.NullQuery:
            return NONE
        kind = type(q)
        if kind is query.Term:
            return self._term(q.fieldname, q.text, q.boost, within)
        if kind is query.Or:
            return self._or(q, within)
        if kind is query.And:
            return self._and(q, within)
        if kind is query.AndMaybe:
            a = self.evaluate(q.a, within)
            return _and_maybe(a, self.evaluate(q.b, a.ids))
        if kind is query.AndNot:
            a = self.evaluate(q.a, within)
            return _and_not(a, self.evaluate(q.b, a.ids))
        if kind is query.Phrase:
            return self._phrase(q)
        raise Unsupported(kind.__name__)

    # -- words ---------------------------------------------------------------

    def _btext(self, fieldname: str, text) -> bytes | None:
        """The word as the index stores it, or None when this segment lacks it."""
        if fieldname not in self.schema:
            return None
        try:
            btext = self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return btext if (fieldname, btext) in self.reader else None

    def _term(self, fieldname: str, text, boost: float = 1.0, within=None) -> Matches:
        btext = self._btext(fieldname, text)
        if btext is None:
            return NONE
        postings = self.cache.postings(self.key, self.reader, fieldname, btext)
        ids, weights = postings.ids, postings.weights
        if within is not None and len(within) * 4 < len(ids):  # score only what is needed
            at = _locate(within, ids)[1]
            ids, weights = ids[at], weights[at]
        ids = ids.astype(np.int64)
        scores = self._bm25(fieldname, btext, ids, weights.astype(np.float64))
        if boost != 1.0:
            scores = scores * boost
        return Matches(ids, scores, np.ones(len(ids)), 1)

    def _bm25(self, fieldname: str, btext: bytes, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Whoosh's `bm25()` term for term, with the scorer Whoosh itself would make."""
        scorer = self.searcher.weighting.scorer(self.searcher, fieldname, btext)
        if not isinstance(scorer, BM25FScorer):
            raise Unsupported(f"scorer {type(scorer).__name__}")
        fl = LENGTHS[self._length_bytes(fieldname)[ids]]
        k1, b = scorer.K1, scorer.B
        return scorer.idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / scorer.avgfl)))

    def _length_bytes(self, fieldname: str) -> np.ndarray:
        """The segment's field-length bytes as an array (one per document), kept per reader."""
        per_reader = _lengths.setdefault(self.reader, {})
        if fieldname not in per_reader:
            per_reader[fieldname] = length_array(self.reader._perdoc, fieldname)
        return per_reader[fieldname]

    # -- compounds -----------------------------------------------------------

    def _or(self, q: query.Or, within: np.ndarray | None) -> Matches:
        subs = q.subqueries
        if not subs:
            return NONE
        if len(subs) == 1:
            return self.evaluate(subs[0], within)  # Whoosh ignores boost and scale here too
        if len(subs) >= TOO_MANY_CLAUSES:
            raise Unsupported("Or with too many clauses")
        found = _union([self.evaluate(sub, within) for sub in subs], self.reader.doc_count_all())
        scores = found.scores * q.boost if q.boost != 1.0 else found.scores
        if q.scale and found.terms:
            scores = _coordinate(scores, found.counts, found.terms, q.scale)
        return found._replace(scores=scores)

    def _and(self, q: query.And, within: np.ndarray | None) -> Matches:
        subs = q.subqueries
        if not subs:
            return NONE
        if any(isinstance(sub, query.Not) for sub in subs):
            raise Unsupported("Not inside And")
        if len(subs) == 1:
            return self.evaluate(subs[0], within)
        found = _intersection([self.evaluate(sub, within) for sub in subs])
        return found._replace(scores=found.scores * q.boost) if q.boost != 1.0 else found

    def _phrase(self, q: query.Phrase) -> Matches:
        """Words at consecutive positions (Whoosh's SpanNear2 with slop 1, ordered),
        scored as the sum of the words' scores."""
        if q.slop != 1 or len(q.words) < 2:
            raise Unsupported("phrase with slop or of one word")
        if q.fieldname not in self.schema:
            return NONE
        field = self.schema[q.fieldname]
        if not field.format or not field.format.supports("positions"):
            raise Unsupported("phrase in a field without positions")
        btexts = [self._btext(q.fieldname, word) for word in q.words]
        if any(btext is None for btext in btexts):
            return NONE
        lists = [self.cache.postings(self.key, self.reader, q.fieldname, b) for b in btexts]
        ids, where = _common_documents([p.ids for p in lists])
        keep = self._in_sequence(q.fieldname, btexts, where)
        ids, where = ids[keep], [w[keep] for w in where]
        scores = np.zeros(len(ids))
        for btext, postings, at in zip(btexts, lists, where, strict=True):
            tf = postings.weights[at].astype(np.float64)
            scores += self._bm25(q.fieldname, btext, ids, tf)
        if q.boost != 1.0:
            scores = scores * q.boost
        return Matches(ids, scores, np.full(len(ids), float(len(btexts))), len(btexts))

    def _in_sequence(self, fieldname: str, btexts: list[bytes], where: list) -> np.ndarray:
        """Which common documents hold the words one right after another.

        Each word's positions in the common documents become keys
        (document index << 32 | position - word index); a document is kept when
        one key is shared by every word.
        """
        shared = None
        for offset, (btext, at) in enumerate(zip(btexts, where, strict=True)):
            positions = self.cache.positions(self.key, self.reader, fieldname, btext)
            lengths = positions.starts[at + 1] - positions.starts[at]
            owner = np.repeat(np.arange(len(at), dtype=np.int64), lengths)
            first = np.repeat(positions.starts[at] - np.cumsum(lengths) + lengths, lengths)
            flat = positions.flat[np.arange(len(owner)) + first].astype(np.int64)
            keys = (owner << 32) | (flat - offset + 2**31)
            shared = np.unique(keys) if shared is None else np.intersect1d(shared, keys)
        keep = np.zeros(len(where[0]), bool)
        keep[np.unique(shared >> 32)] = True
        return keep


def _common_documents(id_lists: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Documents in every list, and where each of them sits in each list."""
    ids = id_lists[0].astype(np.int64)
    where = [np.arange(len(ids))]
    for other in id_lists[1:]:
        ia, ib = _locate(ids, other)
        ids, where = ids[ia], [w[ia] for w in where] + [ib]
    return ids, where


# -- combining matches --------------------------------------------------------


def _union(parts: list[Matches], doccount: int) -> Matches:
    """Documents in any part; scores and matching words added up."""
    terms = sum(p.terms for p in parts)  # words without matches count, as in Whoosh
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return NONE._replace(terms=terms)
    if sum(len(p.ids) for p in parts) * 8 > doccount:  # large: add into dense arrays
        scores, counts = np.zeros(doccount), np.zeros(doccount)
        present = np.zeros(doccount, bool)
        for part in parts:
            scores[part.ids] += part.scores
            counts[part.ids] += part.counts
            present[part.ids] = True
        ids = np.flatnonzero(present)
        return Matches(ids, scores[ids], counts[ids], terms)
    ids, where = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
    scores = np.bincount(where, np.concatenate([p.scores for p in parts]), len(ids))
    counts = np.bincount(where, np.concatenate([p.counts for p in parts]), len(ids))
    return Matches(ids, scores, counts, terms)


def _locate(wanted: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of `wanted` are in the ascending `ids`, and where: binary search of the
    (usually short) wanted list, instead of sorting both lists together."""
    at = np.searchsorted(ids, wanted)
    found = at < len(ids)
    found[found] = ids[at[found]] == wanted[found]
    return np.flatnonzero(found), at[found]


def _intersection(parts: list[Matches]) -> Matches:
    found = parts[0]
    for part in parts[1:]:
        if len(found.ids) <= len(part.ids):
            ia, ib = _locate(found.ids, part.ids)
        else:
            ib, ia = _locate(part.ids, found.ids)
        found = Matches(
            found.ids[ia],
            found.scores[ia] + part.scores[ib],
            found.counts[ia] + part.counts[ib],
            found.terms + part.terms,
        )
    return found


def _and_maybe(a: Matches, b: Matches) -> Matches:
    """All of a; b's score and matching words added where b matches too."""
    ia, ib = _locate(a.ids, b.ids)
    scores, counts = a.scores.copy(), a.counts.copy()
    scores[ia] += b.scores[ib]
    counts[ia] += b.counts[ib]
    return Matches(a.ids, scores, counts, a.terms + b.terms)


def _and_not(a: Matches, b: Matches) -> Matches:
    """a without b's documents; b's words still count towards coordination (as in Whoosh)."""
    keep = np.ones(len(a.ids), bool)
    keep[_locate(a.ids, b.ids)[0]] = False
    return Matches(a.ids[keep], a.scores[keep], a.counts[keep], a.terms + b.terms)


def _coordinate(scores: np.ndarray, counts: np.ndarray, terms: int, scale: float) -> np.ndarray:
    """Whoosh's CoordMatcher (V-Twin's short-query ranking): reward matching more words."""
    if terms <= 1 or terms == scale:
        return scores
    return (scores + ((counts - 1) / (terms - scale) ** 2)) * ((terms - 1) / terms)
