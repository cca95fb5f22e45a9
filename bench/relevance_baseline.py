"""The reference baseline: bm25s Lucene BM25 over lowercased, \\w+-split, Snowball-stemmed words.

Exactly the recipe of BASELINES.md section B ("stem" rows), so its numbers double as a
sanity check of the harness: no stop words, no folding, no other processing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s
import numpy as np
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

    def search(self, text: str, limit: int = 100) -> list[str]:
        """Return the ids of the best `limit` documents that share a term with the query."""
        token_ids = self.model.get_tokens_ids(self.tokens(text))
        if not token_ids:
            return []
        scores = self.model.get_scores_from_ids(token_ids)
        matched = np.flatnonzero(scores > 0)
        top = matched[np.argsort(-scores[matched], kind="stable")][:limit]
        return [self.ids[i] for i in top]

    def search_all(self, texts: Sequence[str], limit: int = 100) -> list[list[str]]:
        """Rank the pool for every query text."""
        return [self.search(t, limit) for t in texts]
