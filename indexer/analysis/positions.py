"""Whoosh's Positions postings format, fed by the German chain without a Token per word.

At index time Whoosh runs the analyzer as a generator chain that moves one `Token`
object through every filter for every word, then groups the terms by position
(`Positions.word_values`). For the German chain (tokenizer | long-token filter |
token cache) the same terms come from the tokenizer's pattern and the token
cache directly (`indexer.analysis.analyzer.token_terms`); the postings written
are byte for byte the same (`tests/test_analysis.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from whoosh import formats

from indexer.analysis.analyzer import token_terms


class GermanPositions(formats.Positions):
    """`Positions`, with a fast path for plain text through the German chain."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[tuple]:
        terms_of = token_terms(analyzer)
        if terms_of is None or not isinstance(value, str) or kwargs != {"mode": "index"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = defaultdict(list)
        for pos, _start, _end, terms in terms_of(value):
            for term in terms:
                poses[term].append(pos)
        boost, encode = self.field_boost, self.encode
        for word, poslist in poses.items():
            if len(poslist) == 1 and poslist[0] < _SINGLE_LIMIT:
                # Most postings: one position, whose encoding depends on it alone.
                encoded = _SINGLE.get(poslist[0])
                if encoded is None:
                    encoded = _SINGLE.setdefault(poslist[0], encode(poslist))
            else:
                encoded = encode(poslist)
            yield word, len(poslist), float(len(poslist)) * boost, encoded


_SINGLE: dict[int, bytes] = {}  # encoded one-position lists, by position
_SINGLE_LIMIT = 4096  # positions beyond are rare: encoded each time, not kept
