"""Corrections of Whoosh defects that change results, installed when `indexer` is imported.

- `AndNotMatcher` ("a AND NOT b") looks for a first match only when both sides
  start on the same document. When the excluded side starts earlier, its first
  document is never skipped forward, so the first document of the required side
  is returned even if the excluded side has it. "Rente -Grundrente" (whose
  exclusion holds the stem "rent" itself) returned a paragraph with
  "Standardrente" whenever the segment's layout put an excluded document first.
  Whoosh's own `_find_next` handles that case; it is now also used at the start.
  `tests/test_whoosh_fixes.py` checks the result against set difference.
"""

from __future__ import annotations

from whoosh.matching.binary import AndNotMatcher

ORIGINAL_FIND_FIRST = AndNotMatcher._find_first


def and_not_find_first(self: AndNotMatcher) -> None:
    """Move past every leading document the excluded side also has."""
    if self.a.is_active() and self.b.is_active() and self.b.id() <= self.a.id():
        self._find_next()


def install() -> None:
    AndNotMatcher._find_first = and_not_find_first
