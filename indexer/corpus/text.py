"""Small text helpers shared by the plain-text and JSONL readers."""

from __future__ import annotations

import re
import unicodedata

from . import rules

# Invisible characters that only break words apart for the tokenizer.
_INVISIBLE = ("\u00ad", "\u200b", "\ufeff")
# Any whitespace other than a plain space (re's \s is the same set str.split() uses).
_ODD_SPACE = re.compile(r"[^\S ]")


def clean(text: str) -> str:
    """Normalise a paragraph so the same words always index the same way.

    NBSP and every other Unicode space become one plain space, runs collapse, the
    ends are stripped, soft hyphens and zero-width spaces go, and the text is NFC
    (decomposed umlauts from macOS files would otherwise not match typed queries).
    """
    for char in _INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    if "  " in text or text[:1] == " " or text[-1:] == " " or _ODD_SPACE.search(text):
        text = " ".join(text.split())  # only when needed: this is the hot path for big corpora
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def is_heading_like(text: str) -> bool:
    """Tell whether a cleaned line has the shape of a heading or kicker, not a sentence."""
    return _is_short_line(text, rules.HEADING_MAX_CHARS, rules.HEADING_MAX_WORDS)


def is_title_like(text: str) -> bool:
    """Tell whether a cleaned line can be a headline (titles may end in ? or ! or a quote)."""
    if not text or len(text) > rules.TITLE_MAX_CHARS or len(text.split()) > rules.TITLE_MAX_WORDS:
        return False
    if text.endswith((",", ";")) or (text.endswith(".") and not text.endswith("...")):
        return False
    return _starts_like_heading(text)


def _is_short_line(text: str, max_chars: int, max_words: int) -> bool:
    if not text or len(text) > max_chars or text[-1] in rules.CLOSING_PUNCTUATION:
        return False
    return len(text.split()) <= max_words and _starts_like_heading(text)


def _starts_like_heading(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in rules.HEADING_OPENERS
