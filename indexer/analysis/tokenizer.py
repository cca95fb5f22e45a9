"""Split German text into word, number and hyphenated-compound tokens."""

from __future__ import annotations

from whoosh.analysis import RegexTokenizer

# A letter run may carry combining marks (decomposed umlauts, "a\u0308"), which
# Python's \w does not match; numbers keep their decimal comma or thousands dot
# ("2,5", "1.000"); atoms joined by a hyphen stay one token ("Nato-Beitritt").
_LETTERS = r"(?:[^\W_]|[\u0300-\u036f])+"
_NUMBER = r"\d+(?:[.,]\d+)+"
_ATOM = rf"(?:{_NUMBER}|{_LETTERS})"
_HYPHENS = "-\u2010\u2011"
GERMAN_TOKEN_PATTERN = rf"{_ATOM}(?:[{_HYPHENS}]{_ATOM})*"
HYPHEN_CHARS = frozenset(_HYPHENS)


class GermanTokenizer(RegexTokenizer):
    """Whoosh tokenizer that keeps German words, decimal numbers and hyphenated compounds.

    >>> [t.text for t in GermanTokenizer()("Nato-Beitritt: 2,5 Prozent bis 2027.")]
    ['Nato-Beitritt', '2,5', 'Prozent', 'bis', '2027']
    """

    def __init__(self) -> None:
        super().__init__(GERMAN_TOKEN_PATTERN)
