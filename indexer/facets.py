"""Facet counts (sources, months) from the matching document numbers.

Whoosh's grouped search scores every matching paragraph and reads each one's
facet values from disk, one seek per value: hundreds of milliseconds for a word
in 20,000 paragraphs, on every results page. The totals in `indexer.counting`
already give the matching document numbers, so the results page runs an ordinary
top-N search (with block skipping) and counts facets from those numbers. Each
segment's facet column is a list of small integers (Whoosh stores sortable ID
fields as references into a list of distinct values); it is read whole once per
segment reader and kept while that reader lives.
"""

from __future__ import annotations

import struct
import weakref
from array import array
from collections import Counter

import numpy as np
from whoosh.columns import RefBytesColumn

_columns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class FacetColumn:
    """One segment's values of one field: a value index per document, and the values."""

    def __init__(self, refs, labels: list[str]) -> None:
        self.refs = np.asarray(refs, np.int64)
        self.labels = labels

    def count(self, ids) -> Counter:
        """Documents per value among `ids` (a set or an array of document numbers)."""
        if not isinstance(ids, np.ndarray):
            ids = np.fromiter(ids, np.int64, len(ids))
        by_ref = np.bincount(self.refs[ids], minlength=len(self.labels))
        counts: Counter = Counter()
        for ref in np.flatnonzero(by_ref).tolist():
            counts[self.labels[ref]] += int(by_ref[ref])
        return counts


def facet_counts(segments: list[tuple[object, object]], fieldname: str) -> Counter:
    """Matching documents per value of `fieldname`, over all segments."""
    total: Counter = Counter()
    for reader, ids in segments:
        if len(ids):
            total.update(facet_column(reader, fieldname).count(ids))
    return total


def facet_column(reader, fieldname: str) -> FacetColumn:
    """A segment's column of `fieldname`, read once per segment reader."""
    per_reader = _columns.setdefault(reader, {})
    if fieldname not in per_reader:
        per_reader[fieldname] = read_column(reader, fieldname)
    return per_reader[fieldname]


def read_column(reader, fieldname: str) -> FacetColumn:
    """Read a sortable field's column: in one read when it is Whoosh's RefBytes column."""
    if not reader.has_column(fieldname):
        return FacetColumn([0] * reader.doc_count_all(), [""])
    column = reader.column_reader(fieldname)
    raw = column.raw_column() if hasattr(column, "raw_column") else column
    translate = getattr(column, "_translate", lambda v: v)
    if isinstance(raw, RefBytesColumn.Reader):
        size = struct.calcsize("!" + raw._typecode)
        refs = array(raw._typecode, raw._dbfile.get(raw._basepos, raw._doccount * size))
        if size > 1 and struct.pack("=H", 1) != struct.pack("!H", 1):
            refs.byteswap()  # stored big-endian
        return FacetColumn(refs, [translate(v) for v in raw._uniques])
    values = list(column)  # any other column type: one value per document
    labels = sorted(set(values), key=str)
    index = {v: i for i, v in enumerate(labels)}
    return FacetColumn([index[v] for v in values], labels)
