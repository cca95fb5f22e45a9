"""Turn the date notations found in German news text into ISO 8601 prefixes.

The result keeps exactly the precision the text gave (year, month, day or minute),
so a date filter never matches a day or time that the source did not state.
Seconds and time-zone offsets are dropped; the clock time is kept as written.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS: dict[str, int] = {
    "januar": 1, "jan": 1, "jänner": 1, "jän": 1,
    "februar": 2, "feb": 2, "feber": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}

# Years outside this range are treated as numbers, not dates.
MIN_YEAR, MAX_YEAR = 1800, 2199
# Longer text is never a date line; the guard keeps huge lines cheap.
MAX_LENGTH = 100

_WEEKDAY = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|di|mi|do|fr|sa|so)"
# Words that may stand before a date: "Stand: ...", "Veröffentlicht am ...", "Dienstag, ...".
_PREFIX = re.compile(
    r"(?:(?:stand|aktualisiert|veröffentlicht|erstellt|datum|vom)(?: am)?:? )?"
    rf"(?:{_WEEKDAY}\.?,? )?",
    re.IGNORECASE,
)
# The keyword of a "date 2025-02 <title>" header line; only there a bare year is a date.
_DATE_KEYWORD = re.compile(r"date:? ", re.IGNORECASE)
# "08:37", "08:37 Uhr", "um 8.37 Uhr", after a comma, hyphen, en dash or bar.
_TIME = (
    r"(?:\s*[,|\u2013-]?\s*(?:um )?"
    r"(?P<H>\d{1,2})(?::(?P<M>\d{2})(?: uhr)?|\.(?P<M2>\d{2}) uhr))?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(rf"(?P<d>\d{{1,2}})\. ?(?P<m>\d{{1,2}})\. ?(?P<y>\d{{4}}){_TIME}", re.I)
_NAMED = re.compile(rf"(?P<d>\d{{1,2}})\.? (?P<mon>[a-zä]+)\.? (?P<y>\d{{4}}){_TIME}", re.I)
_MONTH_YEAR = re.compile(r"(?P<mon>[a-zä]+)\.? (?P<y>\d{4})", re.IGNORECASE)


def parse_date(text: str, *, allow_bare_year: bool = False) -> str | None:
    """Return the ISO prefix for a date notation, or None when it is not a valid date.

    A bare year counts only after the ``date`` keyword or with ``allow_bare_year``
    (for fields that are known to hold a date), since "2025" alone is usually a number.
    """
    if len(text) > 4 * MAX_LENGTH:  # cheap exit before normalising a huge line
        return None
    text = " ".join(text.split())
    if not text or len(text) > MAX_LENGTH:
        return None
    keyword = _DATE_KEYWORD.match(text)
    if keyword:
        text, allow_bare_year = text[keyword.end() :], True
    text = text[_PREFIX.match(text).end() :]
    for pattern in (_ISO, _NUMERIC, _NAMED, _MONTH_YEAR):
        match = pattern.fullmatch(text)
        if match:
            return _build(match.groupdict(), allow_bare_year)
    return None


def _build(parts: dict[str, str | None], allow_bare_year: bool) -> str | None:
    """Assemble and validate the ISO prefix from the matched pieces."""
    year = int(parts["y"] or 0)
    month = _month(parts)
    if not MIN_YEAR <= year <= MAX_YEAR or month == 0:
        return None
    if month is None:
        return f"{year:04d}" if allow_bare_year else None
    if parts.get("d") is None:
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        day = date(year, month, int(parts["d"]))
    except ValueError:
        return None
    minute = parts.get("M") or parts.get("M2")
    if parts.get("H") is None or minute is None:
        return day.isoformat()
    hour, minute_number = int(parts["H"]), int(minute)
    if hour > 23 or minute_number > 59:
        return None
    return f"{day.isoformat()}T{hour:02d}:{minute_number:02d}"


def _month(parts: dict[str, str | None]) -> int | None:
    """Return the month number, None when absent, or 0 for an unknown month name."""
    if parts.get("mon") is not None:
        return MONTHS.get(parts["mon"].lower(), 0)
    if parts.get("m") is None:
        return None
    return int(parts["m"])
