"""An in-memory copy of the index's word list, for typo lookups.

Whoosh finds the terms within an edit distance by walking a Levenshtein
automaton over the term dictionary in pure Python, each step a binary search
through the on-disk table: about 120 ms for one misspelt word on a
40,000-paragraph index, still about 50 ms when the walk runs over a list in
memory. RapidFuzz computes the same Levenshtein distances in C++ over the terms
sharing the word's first letter, in about a millisecond. The list (385,000
terms for the full Bundestag corpus, about two seconds to read) is read in a
background thread when the first typo lookup needs it, so a cold start never
waits for it and a process that never meets a typo never reads it; until it is
ready, lookups go to the index as before.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

FIELD = "text"


class Vocabulary:
    """The sorted terms of one field, searchable by edit distance."""

    def __init__(self, terms: list[str]) -> None:
        self._terms = terms
        by_initial: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            by_initial[term[:1]].append(term)
        self._by_initial = dict(by_initial)

    @classmethod
    def read(cls, reader, fieldname: str = FIELD) -> Vocabulary:
        """The field's lexicon, which Whoosh already yields sorted and without repeats."""
        return cls([t.decode("utf-8") for t in reader.lexicon(fieldname)])

    def __len__(self) -> int:
        return len(self._terms)

    def within(self, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Terms within `maxdist` edits (Levenshtein) of `text` sharing its first
        `prefix` letters: the same set as Whoosh's `terms_within`."""
        if prefix and len(text) < prefix:
            return []
        candidates = self._by_initial.get(text[:1], []) if prefix else self._terms
        if prefix > 1:
            candidates = [t for t in candidates if t.startswith(text[:prefix])]
        found = extract(
            text, candidates, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
        )
        return sorted(term for term, _distance, _index in found)


class TypoReader:
    """A Whoosh reader whose `terms_within` on the text field uses a Vocabulary
    once `vocabulary()` has one (it starts the loading otherwise)."""

    def __init__(self, reader, vocabulary: Callable[[], Vocabulary | None]) -> None:
        self._reader = reader
        self._vocabulary = vocabulary

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0):
        vocabulary = self._vocabulary() if fieldname == FIELD else None
        if vocabulary is not None:
            return vocabulary.within(text, maxdist, prefix)
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

    def load(self, version: object, ix) -> None:
        """Read `version`'s list now, in this thread (a server warming up)."""
        with self._lock:
            if self._version == version and self._vocabulary is not None:
                return
            self._version = version
        self._load(ix, version)

    def reader_for(self, reader, version: object, ix) -> TypoReader:
        """The reader to look up typos with: fast once the version's list is loaded."""
        return TypoReader(reader, lambda: self.prepare(version, ix))

    def _load(self, ix, version: object) -> None:
        try:
            with ix.reader() as reader:
                vocabulary = Vocabulary.read(reader)
        except Exception:  # a vanished or damaged index: the searches report it
            return
        with self._lock:
            if self._version == version:
                self._vocabulary = vocabulary
