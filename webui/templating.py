"""What templates may call: German formats and URL builders that keep every parameter."""

from __future__ import annotations

from flask import Flask, url_for

from webui import format as fmt
from webui.params import SearchParams


def search_url(params: SearchParams, **changes: object) -> str:
    """Return /search with `changes` applied; a new filter or order starts at page 1."""
    changes.setdefault("page", 1)
    return url_for("pages.search", **params.to_args(**changes))


def article_url(params: SearchParams, hit: dict) -> str:
    """Link a hit to its article at the hit paragraph, carrying the search along."""
    number = hit["paragraph"]
    return url_for(
        "pages.article", article_id=hit["article_id"], **params.to_args(), p=number,
        _anchor=f"p-{number}",
    )


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Return page numbers to link: first, last and a window around `page`; None is a gap.

    >>> page_window(7, 20)
    [1, None, 5, 6, 7, 8, 9, None, 20]
    """
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    window: list[int | None] = []
    for number in sorted(shown):
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def init_templates(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.jinja_env.filters.update(
        german_date=fmt.german_date,
        german_month=fmt.german_month,
        short_month=fmt.short_month,
        german_number=fmt.german_number,
    )
    app.jinja_env.globals.update(
        search_url=search_url,
        article_url=article_url,
        page_window=page_window,
        plural=fmt.plural,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
