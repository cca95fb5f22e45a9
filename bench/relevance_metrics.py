"""Rank metrics with binary relevance: MRR@10, nDCG@10, Recall@10 and Recall@100."""

from __future__ import annotations

import math
from collections.abc import Sequence

METRICS = ("mrr@10", "ndcg@10", "r@10", "r@100")


def first_rank(ranking: Sequence[str], relevant: frozenset[str]) -> int | None:
    """Return the 1-based rank of the first relevant document, None when not retrieved."""
    for rank, doc_id in enumerate(ranking, start=1):
        if doc_id in relevant:
            return rank
    return None


def reciprocal_rank(ranking: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    """1/rank of the first relevant document within the top k, else 0."""
    rank = first_rank(ranking[:k], relevant)
    return 1.0 / rank if rank else 0.0


def ndcg(ranking: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    """Binary-gain nDCG@k: DCG of the top k over the DCG of an ideal ranking."""
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, doc_id in enumerate(ranking[:k], start=1)
        if doc_id in relevant
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def recall(ranking: Sequence[str], relevant: frozenset[str], k: int) -> float:
    """Share of the relevant documents found in the top k."""
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def score_query(ranking: Sequence[str], relevant: frozenset[str]) -> dict[str, float]:
    """All metrics of one query, so per-query rows can be compared between systems."""
    return {
        "mrr@10": reciprocal_rank(ranking, relevant),
        "ndcg@10": ndcg(ranking, relevant),
        "r@10": recall(ranking, relevant, 10),
        "r@100": recall(ranking, relevant, 100),
    }


def mean_scores(per_query: Sequence[dict[str, float]]) -> dict[str, float]:
    """Average each metric over the queries (a query with no result scores 0)."""
    n = len(per_query) or 1
    return {m: sum(q[m] for q in per_query) / n for m in METRICS}
