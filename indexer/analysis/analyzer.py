"""The one German analysis chain, shared by indexing, querying and highlighting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, LowercaseFilter

from indexer.analysis.filters import (
    MAX_TOKEN_CHARS,
    CompoundFilter,
    FoldFilter,
    HyphenPartsFilter,
    LongTokenFilter,
    NameCodeFilter,
    NfcFilter,
    SnowballStemFilter,
    TokenCacheFilter,
)
from indexer.analysis.tokenizer import GermanTokenizer


@dataclass(frozen=True)
class AnalysisOptions:
    """Switches for each optional step; the defaults are the shipped chain.

    They exist so the relevance benchmark can switch one step off at a time and
    show what it earns.
    """

    names: bool = True
    hyphen_parts: bool = True
    compounds: bool = True
    stem: bool = True
    fold: bool = True


def german_analyzer(options: AnalysisOptions | None = None) -> Analyzer:
    """Build tokenizer | cached(nfc | name codes | lower | hyphen parts | compounds | stem | fold).

    >>> [t.text for t in german_analyzer()("Die Häuser der Soldaten")]
    ['die', 'haus', 'der', 'soldat']
    """
    options = options or AnalysisOptions()
    steps: list[Filter] = [NfcFilter()]
    if options.names:
        steps.append(NameCodeFilter())
    steps.append(LowercaseFilter())
    if options.hyphen_parts:
        steps.append(HyphenPartsFilter())
    if options.compounds:
        steps.append(CompoundFilter())
    if options.stem:
        steps.append(SnowballStemFilter())
    if options.fold:
        steps.append(FoldFilter())
    inner = steps[0]
    for step in steps[1:]:
        inner = inner | step
    return GermanTokenizer() | LongTokenFilter() | TokenCacheFilter(inner)


def analyze(text: str, mode: str = "index", options: AnalysisOptions | None = None) -> list[str]:
    """Return the index terms of a text, for tests, tools and query expansion."""
    return [t.text for t in _shared_analyzer(options or AnalysisOptions())(text, mode=mode)]


@lru_cache(maxsize=16)
def _shared_analyzer(options: AnalysisOptions) -> Analyzer:
    """One analyzer (and so one token cache) per option set and process."""
    return german_analyzer(options)


def token_terms(analyzer: Analyzer) -> Callable[[str], Iterator[tuple]] | None:
    """For the German chain, a function that yields (position, start, end, terms) for
    each word of a text, exactly as `analyzer(text, mode="index")` emits them; None
    for any other analyzer.

    The chain is tokenizer | long-token filter | token cache, so the words are the
    tokenizer pattern's matches and their terms come from the cache: no Whoosh
    Token travels through a generator chain per word. Highlighting and indexing
    both spend most of their analysis time there.
    """
    items = getattr(analyzer, "items", ())
    if not (len(items) == 3 and isinstance(items[0], GermanTokenizer)
            and isinstance(items[1], LongTokenFilter) and isinstance(items[2], TokenCacheFilter)):
        return None
    pattern, terms = items[0].expression, items[2].terms

    def words(text: str) -> Iterator[tuple[int, int, int, tuple[str, ...]]]:
        for pos, match in enumerate(pattern.finditer(text)):
            start, end = match.span()
            if end - start <= MAX_TOKEN_CHARS:
                yield pos, start, end, terms(match.group())

    return words


def index_positions(analyzer: Analyzer) -> Callable[[str], dict[str, list[int]]] | None:
    """For the German chain, a function that maps a text to {term: positions}, as
    Whoosh's `Positions.word_values` groups `analyzer(text, mode="index")`; None
    for any other analyzer.

    The indexing loop of `token_terms` without match objects: the pattern has no
    groups, so `findall` gives the words, and the token cache is read directly.
    """
    items = getattr(analyzer, "items", ())
    if token_terms(analyzer) is None or items[0].expression.groups:
        return None
    findall, token_cache = items[0].expression.findall, items[2]
    cache, terms = token_cache.index_cache(), token_cache.terms

    def positions(text: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for pos, word in enumerate(findall(text)):
            if len(word) > MAX_TOKEN_CHARS:
                continue
            made = cache.get(word)
            if made is None:
                made = terms(word)
            for term in made:
                poslist = found.get(term)
                if poslist is None:
                    found[term] = [pos]
                else:
                    poslist.append(pos)
        return found

    return positions


def token_spans(analyzer: Analyzer, text: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Each word's character span and index terms, as `analyzer(text, mode="index")`
    yields them, for highlighting (fast for the German chain, see `token_terms`)."""
    words = token_terms(analyzer)
    if words is not None:
        for _pos, start, end, terms in words(text):
            yield start, end, terms
        return
    span, found = None, []
    for tok in analyzer(text, chars=True, mode="index", removestops=False):
        if (tok.startchar, tok.endchar) != span:
            if span is not None:
                yield span[0], span[1], tuple(found)
            span, found = (tok.startchar, tok.endchar), []
        found.append(tok.text)
    if span is not None:
        yield span[0], span[1], tuple(found)
