"""An in-memory copy of the index's word list, for typo lookups.

Whoosh finds the terms within an edit distance by walking a Levenshtein
automaton over the term dictionary, and every step is a binary search through
the on-disk table in pure Python: about 120 ms for one misspelt word on a
40,000-paragraph index. The same walk over a sorted list in memory, where each
step is one C-level `bisect`, takes about a millisecond. The list (385,000
terms, some 30 MB, for the full Bundestag corpus) is read in a background
thread when an index opens, so neither a cold start nor the first query waits;
until it is ready, lookups go to the index as before.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterator

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

FIELD = "text"


class Vocabulary:
    """The sorted terms of one field, searchable by edit distance."""

    def __init__(self, terms: list[str]) -> None:
        self._terms = terms

    @classmethod
    def read(cls, reader, fieldname: str = FIELD) -> Vocabulary:
        return cls(sorted({t.decode("utf-8") for t in reader.lexicon(fieldname)}))

    def __len__(self) -> int:
        return len(self._terms)

    def within(self, text: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
        """Terms within `maxdist` edits of `text` sharing its first `prefix` letters."""
        terms = self._terms

        def first_at_or_after(key: str) -> str | None:
            i = bisect_left(terms, key)
            return terms[i] if i < len(terms) else None

        dfa = levenshtein_automaton(text, maxdist, prefix).to_dfa()
        yield from find_all_matches(dfa, first_at_or_after)


class TypoReader:
    """A Whoosh reader whose `terms_within` on the text field uses a Vocabulary."""

    def __init__(self, reader, vocabulary: Vocabulary) -> None:
        self._reader = reader
        self._vocabulary = vocabulary

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0):
        if fieldname == FIELD:
            return self._vocabulary.within(text, maxdist, prefix)
        return self._reader.terms_within(fieldname, text, maxdist, prefix)

    def __getattr__(self, name: str):
        return getattr(self._reader, name)


class VocabularyLoader:
    """Read the vocabulary of an index version once, off the request path."""

    def __init__(self) -> None:
        self._version: object = None
        self._vocabulary: Vocabulary | None = None
        self._lock = threading.Lock()

    def prepare(self, version: object, ix) -> Vocabulary | None:
        """Start loading `version` unless it is loaded or loading; return it if ready."""
        with self._lock:
            if self._version != version:
                self._version, self._vocabulary = version, None
                threading.Thread(target=self._load, args=(ix, version), daemon=True).start()
            return self._vocabulary

    def reader_for(self, reader, version: object, ix) -> object:
        """The reader to look up typos with: fast once the version's list is loaded."""
        vocabulary = self.prepare(version, ix)
        return reader if vocabulary is None else TypoReader(reader, vocabulary)

    def _load(self, ix, version: object) -> None:
        try:
            with ix.reader() as reader:
                vocabulary = Vocabulary.read(reader)
        except Exception:  # a vanished or damaged index: the searches report it
            return
        with self._lock:
            if self._version == version:
                self._vocabulary = vocabulary
