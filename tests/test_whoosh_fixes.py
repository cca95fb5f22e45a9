"""Whoosh's "a AND NOT b" matcher, corrected (indexer.whoosh_fixes), equals set difference."""

from __future__ import annotations

import random

from whoosh.matching import ListMatcher
from whoosh.matching.binary import AndNotMatcher

from indexer.whoosh_fixes import ORIGINAL_FIND_FIRST, and_not_find_first


def _ids(required: list[int], excluded: list[int]) -> list[int]:
    matcher = AndNotMatcher(ListMatcher(required), ListMatcher(excluded))
    return list(matcher.all_ids()) if matcher.is_active() else []


def test_an_excluded_document_before_the_first_is_skipped():
    # The excluded side starts earlier (2) and also has the first required document (5).
    assert _ids([5, 7, 9], [2, 5]) == [7, 9]


def test_whoosh_alone_returned_it(monkeypatch):
    monkeypatch.setattr(AndNotMatcher, "_find_first", ORIGINAL_FIND_FIRST)
    assert _ids([5, 7, 9], [2, 5]) == [5, 7, 9]  # the defect the fix is for
    monkeypatch.setattr(AndNotMatcher, "_find_first", and_not_find_first)


def test_equals_set_difference():
    rng = random.Random(5)
    for _ in range(500):
        required = sorted(rng.sample(range(300), rng.randint(1, 40)))
        excluded = sorted(rng.sample(range(300), rng.randint(1, 40)))
        assert _ids(required, excluded) == sorted(set(required) - set(excluded))
