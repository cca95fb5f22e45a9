"""Write a segment's sorted postings in Whoosh 3's posting and term-index format.

This is `W3PostingsWriter` and `W3FieldWriter` (whoosh.codec.whoosh3) for whole
arrays: a term's postings go out in blocks of `blocklimit`, each block the
pickled tuple (delta-coded documents, weights or None or the one weight, values)
behind its pickled info tuple (count, last document, top weight, compression,
shortest and longest field length byte), and each term's `W3TermInfo` goes into
the ordered hash file. Per-block figures are computed with numpy for all blocks
of a chunk of terms at once; only the pickling is left per block.
`tests/test_segment_writer.py` compares the files with Whoosh's own writer.
"""

from __future__ import annotations

import struct
import zlib
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort

# Whoosh pickles blocks with protocol 2, where every encoded position list becomes
# a call to `_codecs.encode`; protocol 5 stores bytes as they are. Whoosh reads any
# protocol, and the full corpus builds faster and 20 % smaller (bench/RESULTS.md).
BLOCK_PROTOCOL = 5
_NO_LENGTH = 256  # above any length byte: "no length" while taking minimums
_FLUSH_BYTES = 1 << 22
_CHUNK_POSTINGS = 1 << 19  # postings turned into Python objects at a time
_CHUNK_BLOCKS = 1 << 16  # blocks whose figures are Python objects at a time
_lengths = struct.Struct("!ii")  # a hash file record's key and value lengths


def write_field_postings(fieldwriter, schema, keys, counts, docs, weights, values,
                         value_objects, lengths: dict[str, np.ndarray], codec,
                         protocol: int = BLOCK_PROTOCOL) -> None:
    """Write every term of `keys` (sorted (field, term bytes)) with its postings.

    `counts[i]` postings of term i follow those of term i - 1 in `docs`,
    `weights` and `values` (value numbers, turned into encoded values by
    `value_objects`); `lengths` maps a field to its length byte per document.
    Terms are written in chunks, so the Python objects of one chunk exist at a time.
    """
    if not keys:
        return
    ends = np.cumsum(counts)
    starts = ends - counts
    nblocks = (counts + codec._blocklimit - 1) // codec._blocklimit
    lenbytes = _posting_length_bytes(keys, starts, ends, docs, lengths)
    fixed = {name: schema[name].format.fixed_value_size() for name in {k[0] for k in keys}}
    out = _PostingsOut(fieldwriter._postfile)
    fieldmap = fieldwriter._fieldmap
    for lo, hi in _chunks(ends, np.cumsum(nblocks)):
        base, end = int(starts[lo]), int(ends[hi - 1])
        chunk = _Chunk(starts[lo:hi] - base, counts[lo:hi], nblocks[lo:hi], docs[base:end],
                       weights[base:end], lenbytes[base:end],
                       value_objects(values[base:end]), codec._blocklimit)
        rows = []
        for t in range(hi - lo):
            fieldname, btext = keys[lo + t]
            if fieldname not in fieldmap:
                fieldmap[fieldname] = len(fieldmap)
            offset = out.tell()
            out.write(WHOOSH3_HEADER_MAGIC)
            first, last = chunk.first[t], chunk.first[t] + chunk.count[t] - 1
            for b in range(first, last + 1):
                out.write(chunk.block_bytes(b, b == last, fixed[fieldname], codec._compression,
                                            protocol))
            rows.append((pack_ushort(fieldmap[fieldname]) + btext,
                         chunk.info_bytes(t, offset, out.tell() - offset)))
        _add_sorted(fieldwriter._tindex, rows)
    out.flush()


def _chunks(posting_ends, block_ends):
    """Ranges of whole terms with at most about `_CHUNK_POSTINGS` postings and
    `_CHUNK_BLOCKS` blocks each (one term may exceed them alone)."""
    n, lo = len(posting_ends), 0
    while lo < n:
        done_postings = posting_ends[lo - 1] if lo else 0
        done_blocks = block_ends[lo - 1] if lo else 0
        hi = min(np.searchsorted(posting_ends, done_postings + _CHUNK_POSTINGS, side="right"),
                 np.searchsorted(block_ends, done_blocks + _CHUNK_BLOCKS, side="right"))
        hi = max(int(hi), lo + 1)
        yield lo, hi
        lo = hi


def _posting_length_bytes(keys, starts, ends, docs, lengths) -> np.ndarray:
    """Each posting's field length byte in its document (fields are contiguous)."""
    out = np.zeros(len(docs), dtype=np.uint8)
    first = 0
    while first < len(keys):
        fieldname = keys[first][0]
        last = first
        while last + 1 < len(keys) and keys[last + 1][0] == fieldname:
            last += 1
        lo, hi = int(starts[first]), int(ends[last])
        column = lengths.get(fieldname)
        if column is not None and len(column):
            out[lo:hi] = column[docs[lo:hi]]
        first = last + 1
    return out


class _Chunk:
    """A run of whole terms: every block's and term's figures computed at once."""

    def __init__(self, starts, counts, nblocks, docs, weights, lenbytes, values,
                 blocklimit: int) -> None:
        first = np.cumsum(nblocks) - nblocks
        term_of = np.repeat(np.arange(len(counts)), nblocks)
        start = starts[term_of] + (np.arange(int(nblocks.sum())) - first[term_of]) * blocklimit
        end = np.minimum(start + blocklimit, (starts + counts)[term_of])
        top = np.maximum.reduceat(weights, start)
        low = np.minimum.reduceat(weights, start)
        positive = np.where(lenbytes == 0, _NO_LENGTH, lenbytes).astype(np.uint16)
        short = np.minimum.reduceat(positive, start)
        long = np.maximum.reduceat(lenbytes, start)
        delta = np.diff(docs.astype(np.int64), prepend=0)
        delta[start] = docs[start]
        # Per block
        self.first, self.count = first.tolist(), nblocks.tolist()
        self.start, self.end, self.n = start.tolist(), end.tolist(), (end - start).tolist()
        self.top, self.last_doc = top.tolist(), docs[end - 1].tolist()
        self.all_one = ((low == 1.0) & (top == 1.0)).tolist()
        self.all_same = (low == top).tolist()
        self.short = np.where(short == _NO_LENGTH, 0, short).tolist()
        self.long = long.tolist()
        self.deltas, self.weights, self.values = delta.tolist(), weights.tolist(), values
        # Per term
        self.term_weight = np.add.reduceat(weights.astype(np.float64), starts).tolist()
        self.df = counts.tolist()
        term_short = np.minimum.reduceat(short, first)
        self.term_short = np.where(term_short == _NO_LENGTH, 0, term_short).tolist()
        self.term_long = np.maximum.reduceat(long, first).tolist()
        self.term_top = np.maximum.reduceat(top, first).tolist()
        self.min_id = docs[starts].tolist()
        self.max_id = docs[starts + counts - 1].tolist()

    def block_bytes(self, b: int, last: bool, fixed, compression: int, protocol: int) -> bytes:
        """One block as `W3PostingsWriter._write_block` writes it (which uses protocol 2)."""
        s, e = self.start[b], self.end[b]
        if self.all_one[b]:
            w = None
        elif self.all_same[b]:
            w = self.weights[s]
        else:
            w = tuple(self.weights[s:e])
        if fixed is None or fixed < 0:
            vs = tuple(filter(None, self.values[s:e]))
        elif fixed == 0:
            vs = None
        else:
            vs = b"".join(filter(None, self.values[s:e]))
        data = dumps((tuple(self.deltas[s:e]), w, vs), protocol)
        comp = compression if len(data) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((self.n[b], self.last_doc[b], self.top[b], comp,
                      self.short[b], self.long[b]), 2)
        size = len(info) + len(data)
        return pack_int(-size if last else size) + info + data

    def info_bytes(self, t: int, offset: int, length: int) -> bytes:
        """The term's `W3TermInfo.to_bytes()` for postings at offset..offset+length."""
        return W3TermInfo._struct.pack(
            0, self.term_weight[t], self.df[t], self.term_short[t], self.term_long[t],
            self.term_top[t], self.min_id[t], self.max_id[t],
        ) + pack_long(offset) + pack_int(length)


class _PostingsOut:
    """The postings file, written in large pieces with the offset kept here."""

    def __init__(self, postfile) -> None:
        self._file = postfile
        self._pos = postfile.tell()
        self._pieces: list[bytes] = []
        self._pending = 0

    def tell(self) -> int:
        return self._pos

    def write(self, data: bytes) -> None:
        self._pieces.append(data)
        self._pos += len(data)
        self._pending += len(data)
        if self._pending >= _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        self._file.write(b"".join(self._pieces))
        self._pieces, self._pending = [], 0


def _add_sorted(tindex, rows: list[tuple[bytes, bytes]]) -> None:
    """`OrderedHashWriter.add` for many keys already in order, written at once."""
    dbfile, hashfn, buckets = tindex.dbfile, tindex.hashfn, tindex.buckets
    pos = dbfile.tell()
    pieces, positions = [], []
    for key, value in rows:
        positions.append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        pieces.append(_lengths.pack(len(key), len(value)))
        pieces.append(key)
        pieces.append(value)
        pos += 8 + len(key) + len(value)
    if rows and rows[0][0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{rows[0][0]!r}")
    dbfile.write(b"".join(pieces))
    tindex.index.extend(positions)
    if rows:
        tindex.lastkey = rows[-1][0]
