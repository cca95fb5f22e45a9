"""Small pure helpers: German formats, timeline geometry, parameters, page windows."""

from __future__ import annotations

import pytest

from indexer import QueryError
from webui.format import german_date, german_month, german_number, short_month
from webui.params import SearchParams
from webui.templating import page_window
from webui.timeline import PLOT_BOTTOM, PLOT_TOP, build_chart, month_range


@pytest.mark.parametrize(
    ("iso", "text"),
    [
        ("2025", "2025"),
        ("2025-02", "Februar 2025"),
        ("2025-03-01", "1. März 2025"),
        ("2025-02-04T08:37", "4. Februar 2025, 08:37"),
        ("", ""),
        ("gestern", "gestern"),
    ],
)
def test_german_date_keeps_precision(iso, text) -> None:
    assert german_date(iso) == text


def test_month_labels() -> None:
    assert german_month("2024-12") == "Dezember 2024"
    assert short_month("2025-02") == "Feb. 2025"
    assert short_month("2025-05") == "Mai 2025"


def test_german_numbers() -> None:
    assert german_number(1234567) == "1.234.567"
    assert german_number(12.345, 1) == "12,3"


def test_month_range_crosses_years() -> None:
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_chart_fills_gaps_and_scales_to_the_peak() -> None:
    chart = build_chart([{"month": "2024-12", "count": 4}, {"month": "2025-02", "count": 8}])
    assert [(b.month, b.count) for b in chart.bars] == [
        ("2024-12", 4), ("2025-01", 0), ("2025-02", 8),
    ]
    full = PLOT_BOTTOM - PLOT_TOP
    assert chart.bars[2].height == full and chart.bars[2].y == PLOT_TOP
    assert chart.bars[0].height == full / 2
    assert chart.bars[1].height == 0
    assert chart.bars[0].x < chart.bars[1].x < chart.bars[2].x


def test_chart_of_nothing() -> None:
    assert build_chart([]) is None


def test_tiny_counts_stay_visible() -> None:
    chart = build_chart([{"month": "2025-01", "count": 1}, {"month": "2025-02", "count": 10_000}])
    assert chart.bars[0].height >= 2


def test_params_make_short_canonical_urls() -> None:
    params = SearchParams.from_args({"page": "3", "q": " Ukraine ", "sort": "date"})
    assert params.to_args() == {"q": "Ukraine", "sort": "date", "page": 3}
    assert list(params.to_args(source="dpa", page=1)) == ["q", "source", "sort"]
    assert SearchParams.from_args({"since": "2025-02", "until": "2025-02"}).month == "2025-02"
    assert SearchParams.from_args({"since": "2025-02", "until": "2025-03"}).month == ""


@pytest.mark.parametrize("page", ["zwei", "-1", "1.5", "1" * 10])
def test_params_reject_pages_that_are_not_numbers(page) -> None:
    with pytest.raises(QueryError, match="Seitenzahl"):
        SearchParams.from_args({"page": page})


def test_params_reject_long_queries() -> None:
    SearchParams.from_args({"q": "x" * 500})
    with pytest.raises(QueryError, match="höchstens 500"):
        SearchParams.from_args({"q": "x" * 501})


@pytest.mark.parametrize(
    ("page", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (7, 20, [1, None, 5, 6, 7, 8, 9, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_window(page, pages, window) -> None:
    assert page_window(page, pages) == window
