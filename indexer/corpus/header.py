"""Find kicker, title and date at the top of a plain-text article.

Two layouts are known. A first line ``date 2025-02 <title>`` gives date and title.
Otherwise the first non-blank lines may be ``[kicker] title date`` (the date line
confirms the layout, e.g. ``04.02.2025, 08:37 Uhr``), ``title date``, ``date title``
or just ``title``. Without a date line a short first line is taken as the title and
never as a kicker: a second short line could as well be the first section heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_date
from .text import clean, is_heading_like, is_title_like

# The date header keyword, lowercase, followed by a date that starts with a digit or month.
_DATE_HEADER = re.compile(r"date:? (?=\d|(?i:[a-zä]{3,9})\.? \d{4}\b)(.*)")
# A date inside a date header line has at most this many words ("4. Februar 2025").
_DATE_WORDS = 4
# Kicker, title and date must all be among this many first non-blank lines.
_HEADER_LINES = 3


@dataclass(frozen=True, slots=True)
class Header:
    """What the top lines of an article say about it."""

    title: str = ""
    kicker: str = ""
    date: str = ""


Top = list[tuple[int, str]]  # (line index, cleaned text) of the first non-blank lines


def split_header(lines: list[str]) -> tuple[Header, int, list[str]]:
    """Return the header, the index of the first body line and any warnings."""
    top = _first_lines(lines, _HEADER_LINES + 1)
    if not top:
        return Header(), len(lines), []
    match = _DATE_HEADER.fullmatch(top[0][1])
    if match:
        return _date_header(match.group(1), top)
    for position, (_, text) in enumerate(top[:_HEADER_LINES]):
        date = parse_date(text)
        if date and _fits_before_date(top, position):
            return _dated_header(top, position, date)
    return _undated_header(top)


def _first_lines(lines: list[str], count: int) -> Top:
    top: Top = []
    for index, line in enumerate(lines):
        if line.strip():
            top.append((index, clean(line)))
            if len(top) == count:
                break
    return top


def _date_header(rest: str, top: Top) -> tuple[Header, int, list[str]]:
    """Split ``<date> <title>`` after the ``date`` keyword; the title may be on the next line."""
    words = rest.split(" ")
    warnings: list[str] = []
    for count in range(min(_DATE_WORDS, len(words)), 0, -1):
        date = parse_date(" ".join(words[:count]), allow_bare_year=True)
        if date:
            title = " ".join(words[count:])
            break
    else:
        date, title = "", " ".join(words[1:])
        warnings.append(f"unrecognised date {words[0]!r} in the date line")
    body_start = top[0][0] + 1
    if not title and len(top) > 1 and is_title_like(top[1][1]):
        title, body_start = top[1][1], top[1][0] + 1
    return Header(title=title, date=date), body_start, warnings


def _fits_before_date(top: Top, position: int) -> bool:
    """Tell whether the lines above a date line look like [kicker and] title."""
    if position == 0:
        return True
    if position == 1:
        return is_title_like(top[0][1])
    return is_heading_like(top[0][1]) and is_title_like(top[1][1])


def _dated_header(top: Top, position: int, date: str) -> tuple[Header, int, list[str]]:
    body_start = top[position][0] + 1
    if position == 2:
        return Header(title=top[1][1], kicker=top[0][1], date=date), body_start, []
    if position == 1:
        return Header(title=top[0][1], date=date), body_start, []
    if len(top) > 1 and is_title_like(top[1][1]):
        return Header(title=top[1][1], date=date), top[1][0] + 1, []
    return Header(date=date), body_start, ["no title line found after the date line"]


def _undated_header(top: Top) -> tuple[Header, int, list[str]]:
    index, first = top[0]
    if is_title_like(first):
        return Header(title=first), index + 1, []
    return Header(), index, ["no title line found (the first line reads like body text)"]
