"""The reference baseline: bm25s Lucene BM25 over lowercased, \\w+-split, Snowball-stemmed words.

Exactly the recipe of BASELINES.md section B ("stem" rows), so its numbers double as a
sanity check of the harness: no stop words, no folding, no other processing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s
import Stemmer

TOKEN = re.compile(r"\w+")
K1, B = 1.2, 0.75


class Bm25Baseline:
    """A bm25s index over one document pool, searched one query at a time."""

    def __init__(self, docs: dict[str, str]) -> None:
        self._stem = Stemmer.Stemmer("german").stemWords
        self.ids = list(docs)
        self.model = bm25s.BM25(method="lucene", k1=K1, b=B)
        self.model.index([self.tokens(docs[i]) for i in self.ids], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        """Lowercase, split on \\w+ and stem: the whole baseline analysis."""
        return self._stem(TOKEN.findall(text.lower()))

    def search_all(self, texts: Sequence[str], limit: int = 100) -> list[list[str]]:
        """Rank the pool for every query; documents sharing no term with it are left out.

        bm25s's own top-k selection is used so that ties break as in the reference runs.
        """
        k = min(limit, len(self.ids))
        found = self.model.retrieve(
            [self.tokens(t) for t in texts], k=k, show_progress=False, n_threads=0
        )
        return [
            [self.ids[i] for i, score in zip(docs, scores, strict=True) if score > 0]
            for docs, scores in zip(found.documents, found.scores, strict=True)
        ]
