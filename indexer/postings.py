"""A word's whole posting list as numpy arrays, decoded once and kept while it is hot.

Whoosh reads postings one call per posting (`id()`, `weight()`, `score()`): about
5 µs each in Python, so a frequent word such as "Kollege" (63,000 paragraphs)
costs 140 ms however few hits are wanted, because block-max skipping never skips
when every block holds a short paragraph. A block of Whoosh's format is one
pickled tuple (delta-coded document numbers, weights, positions); here each block
is unpickled once and its numbers land in two arrays that numpy scores at C speed
(`indexer.array_search`). Frequent words recur in what people type, so decoded
lists are kept in a least-recently-used cache bounded in bytes (8 per posting).
Segments never change once written, so a cached list stays valid until its
segment is merged away; deletions are applied at query time.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import struct
import threading
import zlib
from collections import OrderedDict
from itertools import chain
from typing import NamedTuple

import numpy as np
from whoosh.matching.wrappers import FilterMatcher

DEFAULT_CACHE_MB = 256
CACHE_ENV = "ARTIKELSUCHE_POSTINGS_CACHE_MB"
# How a block's pickled positions begin: a MARK, then the first value's GLOBAL.
_POSITIONS_START = b"c_codecs\nencode\n"
_MARK = ord("(")
_CLOSE_WITHOUT_POSITIONS = b")\x87."  # EMPTY_TUPLE, TUPLE3, STOP
_HEAD_BYTES = 2048  # room for 128 ids and 128 weights
_INT = struct.Struct("!i")  # a block's byte length, negative for the last block
_PROTO_2 = b"\x80\x02"
_VALUE_HEAD = _INT.size + len(_PROTO_2)  # a position value: count, then its pickle


class Postings(NamedTuple):
    """Segment-local document numbers (ascending) and the word's weight in each."""

    ids: np.ndarray
    weights: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.weights.nbytes


EMPTY = Postings(np.zeros(0, np.int32), np.zeros(0, np.float32))


def _all_postings(reader, fieldname: str, btext: bytes):
    """The word's posting reader, deleted documents included (they are dropped once
    per query and segment), or None when the segment lacks the word."""
    if (fieldname, btext) not in reader:
        return None
    matcher = reader.postings(fieldname, btext)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def read_postings(reader, fieldname: str, btext: bytes) -> Postings:
    """All postings of one word in one segment reader, deleted documents included."""
    matcher = _all_postings(reader, fieldname, btext)
    if matcher is None:
        return EMPTY
    if not hasattr(matcher, "_read_data"):  # short lists inlined in the term info
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return _postings(np.array(ids, np.int64), np.array(weights, np.float64))
    return _read_blocks(matcher)


def _blocks(matcher):
    """Yield each block of a posting list as (postings, last id, data bytes, compressed),
    from one read of the whole list."""
    extent = matcher._length  # whoosh3 keeps the stored (length,) tuple here
    extent = extent[0] if isinstance(extent, tuple) else extent
    start = matcher._baseoffset  # just after the list's magic header
    data = matcher._postfile.get(start, matcher._startoffset + extent - start)
    stream = io.BytesIO(data)
    position, last = 0, False
    while not last:
        (length,) = _INT.unpack_from(data, position)
        last, length = length < 0, abs(length)
        stream.seek(position + _INT.size)
        count, last_id, _maxweight, compressed, _minlen, _maxlen = pickle.load(stream)
        position += _INT.size + length
        yield count, last_id, data[stream.tell() : position], compressed


def _read_blocks(matcher) -> Postings:
    """Unpickle each block's ids and weights once and undo the per-block delta
    coding with one cumulative sum."""
    deltas: list[int] = []
    weights: list[float] = []
    starts: list[int] = []  # where each block begins in `deltas`
    last_ids: list[int] = []  # each block's last document number
    for count, last_id, block, compressed in _blocks(matcher):
        block_ids, block_weights = _ids_and_weights(block, compressed)
        starts.append(len(deltas))
        last_ids.append(last_id)
        deltas.extend(block_ids)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
    codes = np.array(deltas, np.int64)
    # A block's first code is absolute; make it relative to the previous block's
    # last document so that one cumulative sum decodes every block.
    codes[starts[1:]] -= np.array(last_ids[:-1], np.int64)
    return _postings(np.cumsum(codes), np.array(weights, np.float64))


def _ids_and_weights(block: bytes, compressed: bool) -> tuple:
    """A block's delta-coded ids and its weights, without unpickling its positions.

    Whoosh pickles a block as (ids, weights, positions) with protocol 2, where each
    posting's positions are a `bytes` object rebuilt by a call to `_codecs.encode`:
    90 % of the unpickling time. Positions come last, so the pickle is cut where
    they begin and closed with an empty tuple; only that head is decompressed.
    """
    if compressed:
        inflater = zlib.decompressobj()
        head = inflater.decompress(block, _HEAD_BYTES)
        at = head.find(_POSITIONS_START)
        if at < 0:
            head += inflater.decompress(inflater.unconsumed_tail)
            at = head.find(_POSITIONS_START)
    else:
        head = block
        at = head.find(_POSITIONS_START)
    if at > 0 and head[at - 1] == _MARK:
        ids, weights, _ = pickle.loads(head[: at - 1] + _CLOSE_WITHOUT_POSITIONS)
    else:  # no positions in this field's format, or an unexpected layout
        ids, weights, _ = pickle.loads(zlib.decompress(block) if compressed else block)
    return ids, weights


def _postings(ids: np.ndarray, weights: np.ndarray) -> Postings:
    """Store narrowly: int32 document numbers; float32 weights when that is exact."""
    narrow = weights.astype(np.float32)
    if np.array_equal(narrow, weights):
        weights = narrow
    return Postings(ids.astype(np.int32), weights)


class Positions(NamedTuple):
    """A word's positions in each document of its posting list, in list order:
    those of the i-th posting are ``flat[starts[i]:starts[i + 1]]``."""

    starts: np.ndarray
    flat: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.starts.nbytes + self.flat.nbytes


def read_positions(reader, fieldname: str, btext: bytes) -> Positions:
    """All positions of one word in one segment, aligned with `read_postings`."""
    matcher = _all_postings(reader, fieldname, btext)
    if matcher is None:
        return _positions([])
    decode = reader.schema[fieldname].format.decode_positions
    if not hasattr(matcher, "_read_data"):
        lists = []
        while matcher.is_active():
            lists.append(decode(matcher.value()))
            matcher.next()
        return _positions(lists, deltas=False)
    lists = []
    for _count, _last_id, block, compressed in _blocks(matcher):
        _ids, _weights, values = pickle.loads(zlib.decompress(block) if compressed else block)
        lists.extend(_position_deltas(values, decode))
    return _positions(lists)


def _position_deltas(values: tuple, decode) -> list[list[int]]:
    """The delta-coded position lists of one block's postings, in one unpickling.

    Whoosh stores each posting's positions as a 4-byte count and its own small
    pickle of the deltas (protocol 2, ending in STOP); the pickles' bodies are
    joined into one pickled tuple. If that does not give one list per posting,
    the values have another shape and the format decodes them one by one.
    """
    bodies = b"".join([value[_VALUE_HEAD:-1] for value in values])
    with contextlib.suppress(Exception):
        lists = pickle.loads(_PROTO_2 + b"(" + bodies + b"t.")
        if len(lists) == len(values) and all(type(item) is list for item in lists):
            return list(lists)
    return [_deltas(decode(value)) for value in values]


def _deltas(positions: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *positions], positions, strict=False)]


def _positions(lists: list[list[int]], deltas: bool = True) -> Positions:
    lengths = np.fromiter(map(len, lists), np.int64, len(lists))
    starts = np.zeros(len(lists) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    flat = np.fromiter(chain.from_iterable(lists), np.int64, int(starts[-1]))
    if deltas and len(flat):  # undo each list's delta coding with one cumulative sum
        summed = np.cumsum(flat)
        flat = summed - np.repeat(np.concatenate(([0], summed))[starts[:-1]], lengths)
    return Positions(starts, flat.astype(np.int32))


class PostingsCache:
    """Decoded posting lists and position lists by (segment, field, word), bounded in
    bytes, least recently used out first. Safe to share between threads."""

    def __init__(self, max_bytes: int | None = None) -> None:
        if max_bytes is None:
            max_bytes = int(float(os.environ.get(CACHE_ENV, DEFAULT_CACHE_MB)) * 2**20)
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def postings(self, segment_key: str, reader, fieldname: str, btext: bytes) -> Postings:
        return self._get((segment_key, fieldname, btext, "ids"), read_postings,
                         reader, fieldname, btext)

    def positions(self, segment_key: str, reader, fieldname: str, btext: bytes) -> Positions:
        return self._get((segment_key, fieldname, btext, "positions"), read_positions,
                         reader, fieldname, btext)

    def _get(self, key: tuple, read, *args):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        found = read(*args)  # outside the lock: other threads go on meanwhile
        if found.nbytes <= self.max_bytes:
            with self._lock:
                if key not in self._entries:
                    self._entries[key] = found
                    self.bytes += found.nbytes
                while self.bytes > self.max_bytes:
                    _, old = self._entries.popitem(last=False)
                    self.bytes -= old.nbytes
        return found

    def __len__(self) -> int:
        return len(self._entries)
