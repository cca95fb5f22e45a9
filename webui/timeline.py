"""Geometry of the timeline: one SVG bar per calendar month, gaps filled with zero."""

from __future__ import annotations

from dataclasses import dataclass

# The SVG viewBox, about the size the sidebar shows it at, so its text stays legible.
WIDTH, HEIGHT = 280, 112
PLOT_TOP, PLOT_BOTTOM = 16, 90  # bars stand on PLOT_BOTTOM; month labels go below
MAX_BAR, GAP_SHARE, MIN_BAR_HEIGHT = 32.0, 0.2, 2.0


@dataclass(frozen=True, slots=True)
class Bar:
    """One month's column: the bar itself and the full-height hit area around it."""

    month: str
    count: int
    x: float
    width: float
    y: float
    height: float
    slot_x: float
    slot_width: float


@dataclass(frozen=True, slots=True)
class Chart:
    """All a template needs to draw the timeline."""

    bars: list[Bar]
    max_count: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM
    top: int = PLOT_TOP


def month_range(first: str, last: str) -> list[str]:
    """Return every "YYYY-MM" from first to last inclusive.

    >>> month_range("2024-11", "2025-02")
    ['2024-11', '2024-12', '2025-01', '2025-02']
    """
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def build_chart(timeline: list[dict]) -> Chart | None:
    """Lay out bars for [{"month", "count"}], filling months without matches with 0."""
    counts = {t["month"]: t["count"] for t in timeline if t.get("month")}
    if not counts:
        return None
    months = month_range(min(counts), max(counts))
    slot = WIDTH / len(months)
    bar_width = min(MAX_BAR, max(slot * (1 - GAP_SHARE), 1.0))
    peak = max(counts.values())
    bars = []
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        height = (PLOT_BOTTOM - PLOT_TOP) * count / peak if count else 0.0
        height = max(height, MIN_BAR_HEIGHT) if count else 0.0
        bars.append(Bar(
            month=month, count=count,
            x=round(i * slot + (slot - bar_width) / 2, 2), width=round(bar_width, 2),
            y=round(PLOT_BOTTOM - height, 2), height=round(height, 2),
            slot_x=round(i * slot, 2), slot_width=round(slot, 2),
        ))
    return Chart(bars=bars, max_count=peak)
