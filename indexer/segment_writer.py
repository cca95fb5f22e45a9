"""A Whoosh segment writer that sorts and writes postings as arrays.

Whoosh's `SegmentWriter` sends every posting through an external sort as a
5-tuple (`PostingPool`: pickled runs on disk, merged back) and then through its
posting writer one call at a time. On the full Bundestag corpus that was 60 % of
a build (see bench/RESULTS.md). Here a segment's postings stay in flat arrays in
memory, are ordered with one numpy sort, and are written block by block in
Whoosh's own format (`whoosh.codec.whoosh3`): with Whoosh's pickle protocol the
files are byte for byte what Whoosh writes for the same documents
(`tests/test_segment_writer.py`; by default blocks use protocol 5, see
`indexer.postings_format`), so reading, searching and merging stay Whoosh's.

Memory is bounded by ending the segment when its postings reach `limitmb` and
starting the next one: a large build leaves a few segments instead of one.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from whoosh.writing import SegmentWriter

from indexer.analysis.positions import ONE_POSITION_VALUES, GermanPositions, encode_positions
from indexer.postings_format import BLOCK_PROTOCOL, write_field_postings
from indexer.whoosh_speedups import length_array

# Memory a buffer holds, for the segment size limit (`PostingBuffer.nbytes`).
_POSTING_BYTES = 4 + 4 + 4 + 4  # term number, document, weight, value number
_EXTRA_BYTES = 8 + 48  # a list slot and an encoded value of several positions
_TERM_BYTES = 200  # a term's str, key tuple, list slot and dict entry
_NO_VALUE = -1
_MEMO_VALUES = 256  # prepared values kept per field


class PostingBuffer:
    """A segment's postings in arrival order: term numbers, documents, weights, values.

    Stands in for Whoosh's `PostingPool`: `add` takes the same 5-tuples (merges of
    older segments use it). A document's field is first prepared as rows
    (`prepare_items` from `field.index`, `prepare_positions` from the German
    chain's {term: positions}), then added (`add_prepared`). Terms are
    kept as str (binary terms through `surrogateescape`) and encoded once, when
    the segment is written. A value is a number: a posting's only position (most
    postings), or -(i + 1) for the encoded value `extra[i]`.
    """

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []  # number -> (field, term)
        self.numbers: dict[str, _Numbering] = {}  # field -> term -> number
        self.terms = array("I")
        self.docs = array("I")
        self.weights = array("f")
        self.values = array("i")
        self.extra: list[bytes | None] = [None]  # -1 (_NO_VALUE): no value

    @property
    def fieldnames(self) -> set[str]:
        return set(self.numbers)

    def nbytes(self) -> int:
        """Approximate memory held, for the segment size limit."""
        return (len(self.docs) * _POSTING_BYTES + len(self.extra) * _EXTRA_BYTES
                + len(self.keys) * _TERM_BYTES)

    def _numbering(self, fieldname: str) -> _Numbering:
        numbers = self.numbers.get(fieldname)
        if numbers is None:
            numbers = self.numbers[fieldname] = _Numbering(fieldname, self.keys)
        return numbers

    def _keep(self, value: bytes | None) -> int:
        if not value:
            return _NO_VALUE  # Whoosh writes no value for a posting without one
        self.extra.append(value)
        return -len(self.extra)

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, value = item
        self.add_prepared(docnum, self.prepare_items(fieldname, ((tbytes, 0, weight, value),)))

    def prepare_items(self, fieldname: str, items) -> Prepared:
        """A field's (term bytes, frequency, weight, value) items from `field.index`
        as buffer rows."""
        numbers, keep = self._numbering(fieldname), self._keep
        terms, weights, values = array("I"), array("f"), array("i")
        length = 0
        for tbytes, freq, weight, value in items:
            terms.append(numbers[tbytes.decode("utf-8", "surrogateescape")])
            weights.append(weight)
            values.append(keep(value))
            length += freq
        return Prepared(terms, weights, values, length)

    def prepare_positions(self, fieldname: str, found: dict[str, list[int]],
                          boost: float) -> Prepared:
        """A `Positions` field's {term: positions} as buffer rows; the length is
        the number of positions (Whoosh's weight: positions times the boost)."""
        poslists = found.values()
        counts = list(map(len, poslists))
        keep = self._keep
        return Prepared(
            array("I", map(self._numbering(fieldname).__getitem__, found)),
            array("f", counts if boost == 1.0 else [c * boost for c in counts]),
            array("i", [p[0] if len(p) == 1 else keep(encode_positions(p)) for p in poslists]),
            sum(counts),
        )

    def add_prepared(self, docnum: int, rows: Prepared) -> None:
        """Buffer a document's prepared rows (a field's rows can serve many documents)."""
        self.terms.extend(rows.terms)
        self.weights.extend(rows.weights)
        self.values.extend(rows.values)
        self.docs.extend(_repeat(docnum, len(rows.terms)))

    def sorted_postings(self) -> tuple[list[tuple[str, bytes]], np.ndarray, np.ndarray,
                                       np.ndarray, np.ndarray]:
        """Return the terms in index order with each term's posting count, and the
        documents, weights and values ordered by term, then document. The buffer
        is emptied on the way, so its arrays and the sorted ones overlap little."""
        keys = [(f, t.encode("utf-8", "surrogateescape")) for f, t in self.keys]
        self.keys = []
        order_of_keys = np.asarray(sorted(range(len(keys)), key=keys.__getitem__),
                                   dtype=np.int64)
        rank = np.empty(len(keys), dtype=np.uint64)
        rank[order_of_keys] = np.arange(len(keys), dtype=np.uint64)
        ranks = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        del rank
        self.terms = array("I")
        counts = np.bincount(ranks.view(np.int64), minlength=len(keys))
        ranks <<= np.uint64(32)
        ranks |= np.frombuffer(self.docs, dtype=np.uint32)
        order = np.argsort(ranks)
        del ranks
        docs = np.frombuffer(self.docs, dtype=np.uint32)[order]
        self.docs = array("I")
        weights = np.frombuffer(self.weights, dtype=np.float32)[order]
        self.weights = array("f")
        values = np.frombuffer(self.values, dtype=np.int32)[order]
        self.values = array("i")
        return [keys[i] for i in order_of_keys.tolist()], counts, docs, weights, values

    def value_objects(self, values: np.ndarray) -> list[bytes | None]:
        """The encoded values behind value numbers (see the class docstring)."""
        single, extra = ONE_POSITION_VALUES, self.extra
        return [single[v] if 0 <= v < len(single) else extra[-v - 1] if v < 0
                else encode_positions([v]) for v in values.tolist()]

    def cleanup(self) -> None:
        """Nothing is on disk; kept for the `PostingPool` interface."""


class Prepared(NamedTuple):
    """A field's postings in one document, as buffer rows without the document."""

    terms: array
    weights: array
    values: array
    length: int


class _Numbering(dict):
    """term -> number for one field; an unseen term gets the next number."""

    def __init__(self, fieldname: str, keys: list) -> None:
        super().__init__()
        self.fieldname, self.keys = fieldname, keys

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self.keys)
        self.keys.append((self.fieldname, term))
        return number


def _repeat(docnum: int, count: int) -> array:
    return array("I", [docnum]) * count


class ArraySegmentWriter(SegmentWriter):
    """`SegmentWriter` with postings buffered in arrays (see the module docstring)."""

    def __init__(self, ix, limitmb: int = 128, block_protocol: int = BLOCK_PROTOCOL,
                 **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self._ix, self.block_protocol = ix, block_protocol
        self.pool.cleanup()
        # Prepared rows of a field's recent values: paragraphs repeat their
        # article's title, ids and dates, and paragraph numbers recur.
        self._memo: dict[str, dict[tuple[type, Any], Prepared]] = {}
        self._new_buffer()
        self._limit = limitmb * 1024 * 1024
        self._ended: list = []  # segments ended at the memory limit, not yet committed
        self._positions = {name: _positions_function(field) for name, field in self.schema.items()}
        self._plain = frozenset(name for name, field in self.schema.items()
                                if not field.vector and not field.separate_spelling())
        # Segments written elsewhere (helper processes) to commit with this writer's.
        self.extra_segments: Callable[[], list] = list

    @classmethod
    def for_helper(cls, writer: ArraySegmentWriter, limitmb: int) -> ArraySegmentWriter:
        """A writer of more segments for the same commit, in a helper process
        (`indexer.shared_writer`): no lock (the parent holds it), no commit."""
        return cls(writer._ix, limitmb=limitmb, block_protocol=writer.block_protocol, _lk=False)

    def finish_segments(self) -> list:
        """Write the last segment and return all of this writer's segments, for the
        parent's commit; the temporary folder is the parent's to remove."""
        if self._added:
            self._ended.append(self._finalize_segment())
        else:
            self._close_segment()
        return self._ended

    def add_document(self, **fields: Any) -> None:
        """Whoosh's `add_document` for plain fields, with the postings of a field
        buffered in one call; anything else (boosts, vectors, spelling, custom
        stored values) goes through Whoosh's own method."""
        if not self._plain.issuperset(fields):
            super().add_document(**fields)  # also the error for an unknown field
            return
        schema = self.schema
        self._check_state()
        pdw, docnum = self.perdocwriter, self.docnum
        pdw.start_doc(docnum)
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = self._index_field(fieldname, field, value) if field.indexed else 0
                pdw.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    pdw.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        except ValueError:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1
        if self.pool.nbytes() >= self._limit:
            self._end_segment()

    def _index_field(self, fieldname: str, field, value: Any) -> int:
        """Buffer a field's postings; return its length if the field is scored."""
        memo = self._memo.setdefault(fieldname, {})
        key = (type(value), value)
        rows = memo.get(key)
        if rows is None:
            positions_of = self._positions[fieldname]
            if positions_of is not None and isinstance(value, str):
                rows = self.pool.prepare_positions(fieldname, positions_of(value),
                                                   field.format.field_boost)
            else:
                rows = self.pool.prepare_items(fieldname, field.index(value))
            if len(memo) >= _MEMO_VALUES:
                memo.clear()
            memo[key] = rows
        self.pool.add_prepared(self.docnum, rows)
        return rows.length if field.scorable else 0

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        try:
            lengths = {name: length_array(pdr, name) for name in self.pool.fieldnames}
        finally:
            pdr.close()
        keys, counts, docs, weights, values = self.pool.sorted_postings()
        write_field_postings(self.fieldwriter, self.schema, keys, counts, docs, weights, values,
                             self.pool.value_objects, lengths, self.codec, self.block_protocol)
        self.fieldwriter.close()
        self._new_buffer()

    def _end_segment(self) -> None:
        """Write the segment being built and start a new one (the memory limit)."""
        self._ended.append(self._finalize_segment())
        self.newsegment = self.codec.new_segment(self.storage, self.indexname)
        self._new_buffer()
        self.perdocwriter = self.codec.per_document_writer(self.storage, self.newsegment)
        self.fieldwriter = self.codec.field_writer(self.storage, self.newsegment)
        self.docnum = self.docbase = 0
        self._added = False

    def _commit_toc(self, segments) -> None:
        super()._commit_toc(segments + self.extra_segments())

    def _merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge) + self._ended

    def _close_segment(self) -> None:
        super()._close_segment()
        self._new_buffer()

    def _new_buffer(self) -> None:
        self.pool = PostingBuffer()
        self._memo.clear()  # prepared rows hold the old buffer's term numbers


def _positions_function(field):
    """text -> {term: positions} for a `GermanPositions` field, else None."""
    if isinstance(field.format, GermanPositions):
        return field.format.positions_function(field.analyzer)
    return None
