"""The ranking function: BM25F with Lucene's idf instead of Whoosh's.

Whoosh scores idf as ``log(N / (df + 1)) + 1``, which never drops below 1: a word in
every paragraph ("der", "die", "wurde") still weighs as much as a rare one scaled by
its tf. Natural-language questions are full of such words, and they drowned the
content words (measured in ``bench/relevance.py``, see ``bench/RELEVANCE.md``).
Lucene's probabilistic idf ``log(1 + (N - df + 0.5) / (df + 0.5))`` goes to almost zero
for them, which makes a stop-word list unnecessary.
"""

from __future__ import annotations

from math import log

from whoosh import scoring

K1 = 1.2
B = 0.75


def lucene_idf(doc_count: int, doc_frequency: int) -> float:
    """Lucene's BM25 idf: positive always, near zero for words in almost every doc."""
    return log(1.0 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


class GermanBM25F(scoring.BM25F):
    """BM25F (k1=1.2, b=0.75) whose idf is Lucene's; block-quality skipping still works."""

    def __init__(self) -> None:
        super().__init__(B=B, K1=K1)

    def idf(self, searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return lucene_idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
