"""Two targeted speed-ups of Whoosh's whoosh3 codec, installed by `indexer.search`.

Both were the largest items in the search profile (see bench/RESULTS.md), and both
return exactly what the original code returns; `tests/test_speedups.py` checks
each against the original on real postings and lengths.

- `W3LeafMatcher.skip_to` steps through a block of up to 128 postings one at a
  time, three Python calls per step. Queries with a frequent optional word
  (`AndMaybe`, see `indexer.common_terms`) and phrases skip constantly. A block's
  document numbers are sorted, so one `bisect` lands on the same posting.
- BM25 needs each scored document's field length, and Whoosh reads it from the
  length column with one file seek and read per document (index files are not
  memory-mapped, see `indexer.store`). The column is one byte per document, so
  the whole column of a segment is read once per searcher instead.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader
from whoosh.matching import ReadTooFar

ORIGINAL_SKIP_TO = W3LeafMatcher.skip_to
ORIGINAL_CACHED_READER = W3PerDocReader._cached_reader


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


def install() -> None:
    W3LeafMatcher.skip_to = skip_to
    W3PerDocReader._cached_reader = cached_reader


install()
