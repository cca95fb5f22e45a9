"""One context dict per page: `data` is the JSON twin, the rest only helps HTML link it.

HTML views render the whole dict; the API returns `data`. Both call the same
builder, so a page and its JSON can never disagree.
"""

from __future__ import annotations

from flask import abort

from webui.marks import mark, query_terms
from webui.params import SearchParams
from webui.resource import get_index

PER_PAGE = 10


def home_context() -> dict:
    """The archive summary shown on the start page (JSON: the index statistics)."""
    return {"data": get_index().stats()}


def search_context(params: SearchParams) -> dict:
    """Run the search; `data` is the CLI's --json object plus facets and timeline."""
    result = get_index().search(params.q, limit=PER_PAGE, facets=True, **params.search_kwargs())
    data = result.to_dict()
    data["facets"] = result.facets
    data["timeline"] = result.timeline
    return {
        "data": data,
        "params": params,
        "pages": result.pages,
        "first": (result.page - 1) * result.limit + 1,
    }


def article_context(article_id: str, params: SearchParams, hit: int | None, marks: bool) -> dict:
    """Load an article (404 if unknown); with `marks`, mark the query throughout."""
    index = get_index()
    article = index.article(article_id)
    if article is None:
        abort(404, description=f"Einen Artikel mit der Kennung „{article_id}“ gibt es nicht.")
    context = {"data": article.to_dict(), "params": params, "hit": hit}
    if marks:
        terms = query_terms(index, params.q)
        context["title_html"] = mark(index, article.title, terms)
        context["paragraph_html"] = [mark(index, p.text, terms) for p in article.paragraphs]
        sections = {p.section for p in article.paragraphs if p.section}
        context["section_html"] = {s: mark(index, s, terms) for s in sections}
    return context
