"""Sentence boundaries in German news text, for cutting snippets where a reader expects.

nltk's Punkt algorithm works offline without its downloadable models when given
the abbreviations that must not end a sentence.
"""

from __future__ import annotations

from functools import lru_cache

GERMAN_ABBREVIATIONS = [
    "abs", "ca", "bzw", "dr", "evtl", "ggf", "inkl", "jh", "mio", "mrd", "nr", "prof", "s",
    "sog", "st", "str", "tel", "u.a", "usw", "vgl", "z.b", "z.t", "d.h", "u.u", "o.ä", "i.d.r",
    "bspw", "allg", "ggü", "jan", "feb", "febr", "apr", "aug", "sept", "okt", "nov", "dez",
    "etc",
]


@lru_cache(maxsize=1)
def _tokenizer():
    """Build the Punkt tokenizer on first use: importing nltk takes most of a second."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(GERMAN_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences of `text`.

    >>> sentence_spans("Das ist z.B. gut. Und das auch.")
    [(0, 17), (18, 31)]
    """
    return list(_tokenizer().span_tokenize(text))
