"""Compare dates of mixed precision: "2025-02" is a whole month, not its first day."""

from __future__ import annotations

import calendar
import re

_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?$")


def date_bounds(date: str) -> tuple[str, str] | None:
    """Return the earliest and latest minute an ISO prefix can mean, or None.

    >>> date_bounds("2025-02")
    ('2025-02-01T00:00', '2025-02-28T23:59')
    """
    m = _PREFIX.match(date or "")
    if not m:
        return None
    year, month, day, hour, minute = m.groups()
    if hour:
        stamp = f"{year}-{month}-{day}T{hour}:{minute}"
        return stamp, stamp
    if day:
        return f"{year}-{month}-{day}T00:00", f"{year}-{month}-{day}T23:59"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01T00:00", f"{year}-{month}-{last:02d}T23:59"
    return f"{year}-01-01T00:00", f"{year}-12-31T23:59"


def parse_filter_date(value: str) -> tuple[str, str]:
    """Parse a `since`/`until` value (YYYY, YYYY-MM, YYYY-MM-DD) or raise ValueError."""
    value = (value or "").strip()
    if _PREFIX.match(value) is None or "T" in value or not _valid(value):
        raise ValueError(f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return date_bounds(value)


def _valid(value: str) -> bool:
    """Reject month 13 or 31 February, which the pattern alone lets through."""
    parts = [int(p) for p in re.split(r"[-T:]", value)]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) >= 3:
        return 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]
    return True


def month_of(date: str) -> str:
    """Return "YYYY-MM" when the date is at least month-precise, else ""."""
    return date[:7] if len(date or "") >= 7 else ""
