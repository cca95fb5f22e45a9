"""The JSON twins of the pages: the same context builders, `data` returned as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from webui.context import article_context, home_context, search_context
from webui.params import SearchParams

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    """The CLI's --json object for the same parameters, plus facets and timeline."""
    return jsonify(search_context(SearchParams.from_args(request.args))["data"])


@bp.get("/article/<path:article_id>")
def article(article_id: str) -> Response:
    """The whole article as ArticleView.to_dict()."""
    return jsonify(article_context(article_id, SearchParams(), None, marks=False)["data"])


@bp.get("/stats")
def stats() -> Response:
    """Counts, sources, date range and size of the index."""
    return jsonify(home_context()["data"])
