"""Query-time features of the search, switchable for measurement (bench/relevance.py)."""

from __future__ import annotations

from dataclasses import dataclass

OPERATORS = ("and", "or", "and_or")


@dataclass(frozen=True)
class SearchFeatures:
    """How plain multi-word queries combine and which expansions run.

    ``operator``: "and" (every word must match), "or" (any word, with a bonus for
    matching more of them), or "and_or" (AND, falling back to OR when AND finds
    nothing). ``common_terms``: in OR queries, words in over 1% of paragraphs only
    add to the score of paragraphs the other words found (indexer.common_terms).
    ``query_parts``: a typed compound also matches its parts. Typo, name-variant
    and suggestion features are query expansions ranked below exact matches.
    """

    operator: str = "or"
    typos: bool = True
    query_parts: bool = True
    common_terms: bool = True
    names: bool = True
    suggest: bool = True

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS:
            raise ValueError(f"operator must be one of {', '.join(OPERATORS)}")
