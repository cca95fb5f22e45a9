"""Whoosh's Positions postings format, fed by the German chain without a Token per word.

At index time Whoosh runs the analyzer as a generator chain that moves one `Token`
object through every filter for every word, then groups the terms by position
(`Positions.word_values`). For the German chain (tokenizer | long-token filter |
token cache) the same grouping comes from the tokenizer's pattern and the token
cache directly (`indexer.analysis.analyzer.index_positions`); the postings
written are byte for byte the same (`tests/test_analysis.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import sub
from pickle import dumps
from typing import Any

from whoosh import formats
from whoosh.system import pack_uint

from indexer.analysis.analyzer import index_positions


class GermanPositions(formats.Positions):
    """`Positions`, with a fast path for plain text through the German chain."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple]:
        positions_of = self.positions_function(analyzer)
        if positions_of is None or not isinstance(value, str) or kwargs != {"mode": "index"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, poslist in positions_of(value).items():
            yield word, len(poslist), float(len(poslist)) * boost, encode_positions(poslist)

    @staticmethod
    def positions_function(analyzer: Any):
        """text -> {term: positions} for the German chain, None for other analyzers."""
        return index_positions(analyzer)


def encode_positions(poslist: list[int]) -> bytes:
    """`Positions.encode` (the count, then the pickled position deltas), with
    one-position lists (most postings) from a table."""
    if len(poslist) == 1 and poslist[0] < len(ONE_POSITION_VALUES):
        return ONE_POSITION_VALUES[poslist[0]]
    deltas = [poslist[0], *map(sub, poslist[1:], poslist[:-1])]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


# The encoded value of each one-position list up to 4095 (later positions are rare:
# encoded each time). Shared objects: pickle writes each once per block.
ONE_POSITION_VALUES = [formats.Positions().encode([pos]) for pos in range(4096)]
