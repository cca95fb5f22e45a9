"""The one German analysis chain, shared by indexing, querying and highlighting."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Analyzer, Filter, LowercaseFilter

from indexer.analysis.filters import (
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
