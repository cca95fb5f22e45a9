"""Turn the body lines of a plain-text article into sectioned, attributed paragraphs.

Two passes. ``clean_items`` drops what is not article text (boilerplate, picture
credits, repeated captions) and strips live-ticker markers. ``assign_sections`` then
finds in-body headings and agency tags.

Sections: a heading is a short line without closing punctuation that stands between
full paragraphs (or opens the body) and is followed by a full paragraph. It is not a
paragraph itself; it becomes the ``section`` of every paragraph up to the next
heading. Paragraphs before the first heading get section ``""``: in a live blog like
``date 2025-02 <title>`` the title introduces the first entry, but repeating it as a
section would only duplicate the title field.

Sources: an agency tag such as ``(afp)`` at the end of a paragraph is cut off, and its
lower-cased form becomes the ``source`` of that paragraph and of all paragraphs before
it back to the previous heading or previous tag (one live-blog entry). Paragraphs with
no tag after them keep source ``""`` so the indexer can fall back to the article's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Paragraph
from . import rules
from .text import clean, is_heading_like


@dataclass(slots=True)
class Item:
    """A cleaned candidate paragraph; ticker entries are never taken as headings."""

    text: str
    ticker: bool = False


def build_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Return the article's paragraphs from its raw body paragraph lines."""
    return assign_sections(clean_items(lines))


def clean_items(lines: list[str]) -> list[Item]:
    """Normalise each line and leave out boilerplate and picture credits."""
    items: list[Item] = []
    for line in lines:
        text = clean(line)
        if not text:
            continue
        rule = match_boilerplate(text)
        if rule is not None:
            if rule.action is rules.Action.CUT and items:
                break
            continue
        if is_credit(text, items):
            continue
        text, ticker = strip_ticker(text)
        if text:
            items.append(Item(text, ticker))
    return items


def match_boilerplate(text: str) -> rules.Rule | None:
    """Return the first boilerplate rule that matches the paragraph, if any."""
    for rule in rules.BOILERPLATE:
        if rule.pattern.match(text):
            return rule
    return None


def is_credit(text: str, previous: list[Item]) -> bool:
    """Tell whether a paragraph is a picture credit, alone or in front of a repeated caption.

    A credit paragraph that holds more than a credit and no earlier paragraph is kept
    whole: its caption would otherwise be lost, and the credit cannot be cut off reliably.
    """
    if not rules.CREDIT_START.match(text):
        return False
    if len(text.split(maxsplit=rules.CREDIT_MAX_WORDS)) <= rules.CREDIT_MAX_WORDS:
        return True
    return any(item.text in text for item in previous)


def strip_ticker(text: str) -> tuple[str, bool]:
    """Remove live-ticker markers ``+++``; say whether there were any."""
    if "++" not in text:
        return text, False
    start = rules.TICKER_START.match(text)
    if start:
        text = text[start.end() :]
    end = rules.TICKER_END.search(text, max(0, len(text) - 40))
    if end:
        text = text[: end.start()]
    inner = rules.TICKER_INNER.sub("", text)
    return clean(inner), bool(start or end or inner != text)


def split_agency_tag(text: str) -> tuple[str, str]:
    """Cut an agency tag off the end of a paragraph; return the text and the tag ('' if none)."""
    window_start = max(0, len(text) - rules.AGENCY_TAG_WINDOW)
    match = rules.AGENCY_TAG.search(text, window_start)
    if not match:
        return text, ""
    tag = re.sub(r"\s*[/,]\s*", "/", match.group(1)).lower()
    return text[: match.start()], tag


def assign_sections(items: list[Item]) -> list[Paragraph]:
    """Attach section headings and agency tags to the paragraphs they belong to."""
    entries: list[list[str]] = []  # [text, section, source]
    section, group_start = "", 0
    for index, item in enumerate(items):
        if _is_heading(items, index):
            section, group_start = item.text, len(entries)
            continue
        text, tag = split_agency_tag(item.text)
        if text:
            entries.append([text, section, ""])
        if tag:
            for entry in entries[group_start:]:
                entry[2] = tag
            group_start = len(entries)
    return [Paragraph(text, section, source) for text, section, source in entries]


def _is_heading(items: list[Item], index: int) -> bool:
    """A heading is a lone short line between full paragraphs, followed by one."""
    item = items[index]
    if item.ticker or not is_heading_like(item.text) or index + 1 >= len(items):
        return False
    if is_heading_like(items[index + 1].text):
        return False
    return index == 0 or not is_heading_like(items[index - 1].text)
