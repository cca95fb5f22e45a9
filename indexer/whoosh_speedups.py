"""Targeted speed-ups of Whoosh internals, installed when `indexer` is imported.

Each was a large item in a profile (see bench/RESULTS.md), and each returns
exactly what the original code returns; `tests/test_speedups.py` checks each
against the original on real postings, lengths and runs.

- `W3LeafMatcher.skip_to` steps through a block of up to 128 postings one at a
  time, three Python calls per step. Queries with a frequent optional word
  (`AndMaybe`, see `indexer.common_terms`) and phrases skip constantly. A block's
  document numbers are sorted, so one `bisect` lands on the same posting.
- BM25 needs each scored document's field length, and Whoosh reads it from the
  length column with one file seek and read per document (index files are not
  memory-mapped, see `indexer.store`). The column is one byte per document, so
  the whole column of a segment is read once per searcher instead.
- Every query looks its words up in every segment (document frequencies,
  existence checks for compounds and typos, term infos); a lookup probes the
  segment's on-disk hash table with several seeks and reads. A segment never
  changes, so each segment's terms reader keeps the term-info bytes it found (or
  that a term is missing) for up to `TERM_MEMO` terms.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3LeafMatcher,
    W3PerDocReader,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.matching import ReadTooFar
from whoosh.reading import TermNotFound

ORIGINAL_SKIP_TO = W3LeafMatcher.skip_to
ORIGINAL_CACHED_READER = W3PerDocReader._cached_reader
ORIGINAL_TERMS_READER = {name: getattr(W3TermsReader, name)
                         for name in ("__contains__", "term_info", "frequency", "doc_frequency")}
TERM_MEMO = 20_000  # terms per segment


def skip_to(self: W3LeafMatcher, targetid: int) -> None:
    """Move to the first posting whose document number is >= targetid."""
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self.block_max_id():
        self._skip_to_block(lambda: targetid > self.block_max_id())
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    self._i = bisect_left(self._ids, targetid, self._i)
    if self._i >= self._blocklength:
        self._next_block()


class LengthBytes:
    """A segment's field-length column held in memory: one byte per document."""

    def __init__(self, data: bytes, doccount: int) -> None:
        self._data = data
        self._doccount = doccount

    def __getitem__(self, docnum: int) -> int:
        return self._data[docnum] if docnum < len(self._data) else 0

    def __iter__(self):
        yield from self._data
        yield from (0 for _ in range(self._doccount - len(self._data)))


def length_array(perdoc: W3PerDocReader, fieldname: str) -> np.ndarray:
    """A field's length byte for every document of a segment (0: no length), as one
    array: read whole from the column `cached_reader` keeps, value by value from
    any other column object."""
    doccount = perdoc.doc_count_all()
    out = np.zeros(doccount, dtype=np.uint8)
    column = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if isinstance(column, LengthBytes):
        data = np.frombuffer(bytes(column._data), dtype=np.uint8)[:doccount]
        out[: len(data)] = data
    elif column is not None:
        out[:] = [column[d] for d in range(doccount)]
    return out


def cached_reader(self: W3PerDocReader, fieldname: str, column):
    """Whoosh's per-field column cache, with length columns read whole."""
    if fieldname in self._readers or column is not LENGTHS_COLUMN:
        return ORIGINAL_CACHED_READER(self, fieldname, column)
    if not self.has_column(fieldname):
        return None
    if fieldname not in self._colfiles:
        self._colfiles[fieldname] = self._get_column_file(fieldname)
    colfile, offset, length = self._colfiles[fieldname]
    reader = LengthBytes(bytes(colfile.get(offset, length)), self._doccount)
    self._readers[fieldname] = reader
    return reader


_MISSING = b""  # memo value of a term the segment does not have


def _term_bytes(self: W3TermsReader, fieldname: str, tbytes: bytes) -> bytes:
    """The term's info bytes in this segment, or `_MISSING`, memoised per reader."""
    memo = self.__dict__.setdefault("_term_memo", {})
    key = (fieldname, tbytes)
    found = memo.get(key)
    if found is None:
        found = bytes(self._tindex.get(self._keycoder(fieldname, tbytes), _MISSING))
        if len(memo) >= TERM_MEMO:
            memo.clear()
        memo[key] = found
    return found


def term_contains(self: W3TermsReader, term: tuple[str, bytes]) -> bool:
    return _term_bytes(self, *term) is not _MISSING


def term_info(self: W3TermsReader, fieldname: str, tbytes: bytes) -> W3TermInfo:
    found = _term_bytes(self, fieldname, tbytes)
    if found is _MISSING:
        raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
    return W3TermInfo.from_bytes(found)


def term_frequency(self: W3TermsReader, fieldname: str, tbytes: bytes) -> float:
    return _term_field(self, fieldname, tbytes, 1)


def term_doc_frequency(self: W3TermsReader, fieldname: str, tbytes: bytes) -> int:
    return _term_field(self, fieldname, tbytes, 2)


def _term_field(self: W3TermsReader, fieldname: str, tbytes: bytes, index: int):
    found = _term_bytes(self, fieldname, tbytes)
    if found is _MISSING:
        raise KeyError((fieldname, tbytes))  # as the hash table's own lookup
    return W3TermInfo._struct.unpack_from(found)[index]


def install() -> None:
    W3LeafMatcher.skip_to = skip_to
    W3PerDocReader._cached_reader = cached_reader
    W3TermsReader.__contains__ = term_contains
    W3TermsReader.term_info = term_info
    W3TermsReader.frequency = term_frequency
    W3TermsReader.doc_frequency = term_doc_frequency
