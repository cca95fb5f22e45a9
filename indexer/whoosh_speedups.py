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
- Building sorts postings externally: runs of postings go to temporary files and
  are merged. Whoosh pickles each posting with its own `pickle.dump` call and
  reads it back with its own `pickle.load`, 16% of a build's time; the runs are
  written and read in batches of `RUN_BATCH` postings instead. The run files live
  only inside one build, so their format is private to these two functions.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from itertools import islice

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader
from whoosh.externalsort import SortingPool
from whoosh.matching import ReadTooFar

ORIGINAL_SKIP_TO = W3LeafMatcher.skip_to
ORIGINAL_CACHED_READER = W3PerDocReader._cached_reader
ORIGINAL_WRITE_RUN = SortingPool._write_run
ORIGINAL_READ_RUN = SortingPool._read_run
RUN_BATCH = 4096


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


def write_run(self: SortingPool, f, items) -> None:
    """Write sorted items to a run file as pickled lists of up to RUN_BATCH items."""
    items = iter(items)
    while batch := list(islice(items, RUN_BATCH)):
        pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def read_run(self: SortingPool, path: str):
    """Yield the items of a run file written by `write_run`, then remove the file."""
    f = self._open_run(path)
    try:
        while True:
            try:
                batch = pickle.load(f)
            except EOFError:
                return
            yield from batch
    finally:
        f.close()
        self._remove_run(path)


def install() -> None:
    W3LeafMatcher.skip_to = skip_to
    W3PerDocReader._cached_reader = cached_reader
    SortingPool._write_run = write_run
    SortingPool._read_run = read_run
