"""Token filters of the German chain, each with one job.

Every filter works one token at a time and may emit extra tokens at the same
position and character span (hyphen parts, compound parts), so phrases still
match and the highlighter marks the whole word a part came from. Extra tokens
are emitted only when indexing (``mode == "index"``): a query for a compound
asks for the compound itself, and finds it through the parts stored beside it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator

from whoosh.analysis import Filter, Token

from indexer.analysis.tokenizer import HYPHEN_CHARS

_FOLD = str.maketrans(
    {"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "Ä": "A", "Ö": "O", "Ü": "U", "ẞ": "SS"}
)


def fold_umlauts(text: str) -> str:
    """Map ä/ö/ü/ß to a/o/u/ss, so spellings with and without umlauts meet.

    >>> fold_umlauts("pjöngjang straße")
    'pjongjang strasse'
    """
    return text.translate(_FOLD)


def _emit_parts(t: Token, parts: Iterable[str]) -> Iterator[Token]:
    """Yield the (reused) token once per part text.

    Callers read the parts from the token text *before* yielding the whole token,
    because filters further down the chain rewrite ``t.text`` in place.
    """
    for part in parts:
        t.text = part
        yield t


MAX_TOKEN_CHARS = 255  # as Elasticsearch's standard tokenizer


class LongTokenFilter(Filter):
    """Drop tokens over MAX_TOKEN_CHARS: no one searches a 2 MB "word", and stemming
    or decompounding it would stall the build."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if len(t.text) <= MAX_TOKEN_CHARS:
                yield t


class NfcFilter(Filter):
    """Compose decomposed characters ("a" + U+0308 -> "ä") so both spellings meet."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.text.isascii():
                t.text = unicodedata.normalize("NFC", t.text)
            yield t


NAME_CODE_PREFIX = "~"


def is_name_like(word: str) -> bool:
    """True for capitalised words ("Selenskyj", "Pjöngjang"), not "NATO" or "und"."""
    return len(word) >= 4 and word[0].isupper() and word[1:].islower() and word.isalpha()


def name_code(word: str) -> str:
    """Return the index term for a word's Kölner Phonetik code ("Zelensky" -> "~85684")."""
    import cologne_phonetics

    return NAME_CODE_PREFIX + cologne_phonetics.encode(word)[0][1]


class NameCodeFilter(Filter):
    """Index a phonetic code beside capitalised words, so transliterations meet.

    "Selenskyj", "Selenskij" and "Zelensky" share the code ~85684; the query side
    adds the code (ranked low) only for capitalised words the index barely knows.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            word = t.text
            yield t
            if t.mode == "index" and is_name_like(word):
                yield from _emit_parts(t, [name_code(word)])


class HyphenPartsFilter(Filter):
    """Index "nato-beitritt" also as "nato" and "beitritt", at the same position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            yield t
            if t.mode == "index" and any(c in HYPHEN_CHARS for c in text):
                for c in HYPHEN_CHARS:
                    text = text.replace(c, " ")
                yield from _emit_parts(t, text.split())


class CompoundFilter(Filter):
    """Index the parts of a closed compound beside it ("verteidigungsausgaben" -> "ausgaben").

    The splitter is looked up lazily so the filter pickles into the schema without
    its lexicon.
    """

    def __init__(self, min_length: int = 7) -> None:
        self.min_length = min_length

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.min_length == self.min_length

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        from indexer.analysis.compounds import get_splitter

        for t in tokens:
            word = t.text
            yield t
            if t.mode == "index" and len(word) >= self.min_length and word.isalpha():
                yield from _emit_parts(t, get_splitter().split(word))


class SnowballStemFilter(Filter):
    """Stem with the current Snowball German algorithm through PyStemmer's C backend.

    The stemmer object is created on first use and left out of the pickled state,
    because Whoosh pickles the analyzer into the index schema.
    """

    def __init__(self, language: str = "german") -> None:
        self.language = language
        self._stem: Callable[[str], str] | None = None

    def __getstate__(self) -> dict:
        return {"language": self.language}

    def __setstate__(self, state: dict) -> None:
        self.language = state["language"]
        self._stem = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.language == self.language

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        if self._stem is None:
            self._stem = make_stemmer(self.language)
        stem = self._stem
        for t in tokens:
            if t.text[0].isalpha():  # not numbers, not name codes
                t.text = stem(t.text)
            yield t


def make_stemmer(language: str = "german") -> Callable[[str], str]:
    """Return snowballstemmer's stem function (PyStemmer's C code when installed)."""
    import snowballstemmer

    return snowballstemmer.stemmer(language).stemWord


class FoldFilter(Filter):
    """Fold umlauts and ß left after stemming (numbers, unstemmed tokens, ẞ)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.text.isascii():
                t.text = fold_umlauts(t.text)
            yield t


class TokenCacheFilter(Filter):
    """Run an inner chain of per-token filters once per distinct token, then replay it.

    German text repeats its words; caching turns stemming and decompounding into
    a dict lookup for all but the first occurrence. The inner filters must map one
    token to tokens at the same position, as every filter in this module does.
    """

    def __init__(self, inner: Filter, maxsize: int = 500_000) -> None:
        self.inner = inner
        self.maxsize = maxsize
        # One cache per mode (index or query), keyed by the token text alone.
        self._caches: dict[bool, dict[str, tuple[str, ...]]] = {True: {}, False: {}}

    def __getstate__(self) -> dict:
        return {"inner": self.inner, "maxsize": self.maxsize}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["inner"], state["maxsize"])

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.inner == self.inner

    def terms(self, text: str, mode: str = "index") -> tuple[str, ...]:
        """The terms the inner chain makes of one token text, as `__call__` emits them."""
        found = self._caches[mode == "index"].get(text)
        if found is None:
            found = self._run_inner(Token(text=text, mode=mode, removestops=False))
        return found

    def index_cache(self) -> dict[str, tuple[str, ...]]:
        """The index-mode cache itself, for loops that look tokens up directly and
        call `terms` only on a miss (`indexer.analysis.analyzer.index_positions`)."""
        return self._caches[True]

    def _run_inner(self, t: Token) -> tuple[str, ...]:
        probe = t.copy()
        out = tuple(tok.text for tok in self.inner(iter([probe])) if not tok.stopped)
        cache = self._caches[t.mode == "index"]
        if len(cache) >= self.maxsize:
            cache.clear()
        cache[t.text] = out
        return out

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        caches = self._caches
        for t in tokens:
            texts = caches[t.mode == "index"].get(t.text)
            if texts is None:
                texts = self._run_inner(t)
            if len(texts) == 1:
                t.text = texts[0]
                yield t
            else:
                yield from _emit_parts(t, texts)
