"""German display formats for dates and numbers, at the precision the data has."""

from __future__ import annotations

import re

MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?")


def german_date(iso: str | None) -> str:
    """Format an ISO prefix as German text without inventing precision it lacks.

    >>> german_date("2025-02"), german_date("2025-02-04T08:37")
    ('Februar 2025', '4. Februar 2025, 08:37')
    """
    m = _ISO.match(iso or "")
    if not m:
        return iso or ""
    year, month, day, hour, minute = m.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    text = f"{MONTHS[int(month) - 1]} {year}"
    if day:
        text = f"{int(day)}. {text}"
    if hour:
        text = f"{text}, {hour}:{minute}"
    return text


def german_month(month: str) -> str:
    """Format "2025-02" as "Februar 2025" (the month facet and timeline labels)."""
    return german_date(month[:7])


def short_month(month: str) -> str:
    """Format "2025-02" as "Feb. 2025" for axis labels where space is short."""
    name = german_month(month)
    head, _, year = name.partition(" ")
    if not year or len(head) <= 4:
        return name
    return f"{head[:3]}. {year}"


def german_number(value: int | float, decimals: int = 0) -> str:
    """Format a number with German separators: 12.345 and 0,8.

    >>> german_number(12345), german_number(0.84, 1)
    ('12.345', '0,8')
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def plural(count: int, one: str, many: str) -> str:
    """Return "1 Treffer" / "2 Absätze" with a German-formatted count."""
    return f"{german_number(count)} {one if count == 1 else many}"
