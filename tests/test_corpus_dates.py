"""parse_date keeps exactly the precision the text gives and never invents a day or time."""

from __future__ import annotations

import pytest

from indexer.corpus import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # date header keyword: month or bare year precision
        ("date 2025-02", "2025-02"),
        ("date 2025", "2025"),
        ("date: 2025-02-04", "2025-02-04"),
        # German numeric dates, with and without time
        ("04.02.2025, 08:37 Uhr", "2025-02-04T08:37"),
        ("04.02.2025", "2025-02-04"),
        ("4.2.2025", "2025-02-04"),
        ("04. 02. 2025", "2025-02-04"),
        ("04.02.2025 08:37", "2025-02-04T08:37"),
        ("4.2.2025, 8.37 Uhr", "2025-02-04T08:37"),
        ("04.02.2025 um 08:37 Uhr", "2025-02-04T08:37"),
        ("04.02.2025 | 08:37 Uhr", "2025-02-04T08:37"),
        # month names, full and abbreviated, and month-year
        ("4. Februar 2025", "2025-02-04"),
        ("4. Feb. 2025", "2025-02-04"),
        ("4. februar 2025", "2025-02-04"),
        ("1. März 2024", "2024-03-01"),
        ("1. Maerz 2024", "2024-03-01"),
        ("3. Jänner 2025", "2025-01-03"),
        ("12. Sept. 2023, 14:05 Uhr", "2023-09-12T14:05"),
        ("Februar 2025", "2025-02"),
        ("Dez. 2024", "2024-12"),
        # ISO dates and datetimes; seconds and offsets dropped, clock time kept
        ("2025-02-04", "2025-02-04"),
        ("2025-02", "2025-02"),
        ("2025-02-04T08:37:00+01:00", "2025-02-04T08:37"),
        ("2025-02-04T08:37:00.123Z", "2025-02-04T08:37"),
        ("2025-02-04 08:37", "2025-02-04T08:37"),
        # prefixes found on news pages
        ("Stand: 04.02.2025, 08:37 Uhr", "2025-02-04T08:37"),
        ("Dienstag, 4. Februar 2025", "2025-02-04"),
        ("Veröffentlicht am 04.02.2025", "2025-02-04"),
        ("  04.02.2025\u00a0 ", "2025-02-04"),
        # leap day
        ("29.02.2024", "2024-02-29"),
    ],
)
def test_valid_dates(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025",  # a bare year is a number unless the date keyword says otherwise
        "31.02.2025",
        "29.02.2025",
        "00.01.2025",
        "04.13.2025",
        "2025-13",
        "2025-02-30",
        "04.02.2025, 24:00 Uhr",
        "04.02.2025, 08:60 Uhr",
        "4. Foobar 2025",
        "04.02.25",  # two-digit year: the century would be a guess
        "1700-01-01",
        "Verwandte Themen",
        "Nordkorea hat am 04.02.2025 Soldaten abgezogen.",  # a date inside a sentence
        "date Februar",
        "x" * 10_000,
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_bare_year_allowed_for_known_date_fields() -> None:
    assert parse_date("2025", allow_bare_year=True) == "2025"
    assert parse_date("2025-02-04", allow_bare_year=True) == "2025-02-04"
