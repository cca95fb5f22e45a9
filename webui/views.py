"""HTML pages: each view builds its context and renders it with its template."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from webui.context import article_context, home_context, search_context
from webui.params import SearchParams
from webui.timeline import build_chart

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """The start page: search box, archive summary, query help."""
    return render_template("home.html", json_url=url_for("api.stats"), **home_context())


@bp.get("/search")
def search() -> str:
    """A page of results with facets and timeline; the URL is its permalink."""
    params = SearchParams.from_args(request.args)
    context = search_context(params)
    return render_template(
        "search.html",
        json_url=url_for("api.search", **params.to_args()),
        chart=build_chart(context["data"]["timeline"]),
        **context,
    )


@bp.get("/article/<path:article_id>")
def article(article_id: str) -> str:
    """A whole article; reached from a search, its matches and the hit paragraph stand out."""
    params = SearchParams.from_args(request.args)
    context = article_context(article_id, params, _paragraph(request.args.get("p")), marks=True)
    return render_template(
        "article.html",
        json_url=url_for("api.article", article_id=article_id),
        **context,
    )


def _paragraph(value: str | None) -> int | None:
    """Read ?p=N; anything else only loses the emphasis, so it is ignored."""
    return int(value) if value and value.isdecimal() and len(value) < 9 else None
