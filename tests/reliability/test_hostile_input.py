"""Hostile input, property-based: the API gives a result or QueryError, the web a 200/400/404.

Queries are arbitrary Unicode (control characters and lone surrogates too), Whoosh
operator soup, brackets, quotes, wildcards, field names and very long strings; the
other parameters are odd values of every type. Every call must end within
CALL_SECONDS (no hang). Examples per property: small in CI, 20x in the long mode
(`RELIABILITY_REPEAT=20`), or exactly $RELIABILITY_EXAMPLES.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indexer import QueryError, SearchIndex, build_index
from tests.paths import SAMPLE_CORPUS
from tests.reliability.support import close_app_index, max_examples, opened, write_jsonl
from webui import create_app

CALL_SECONDS = 5.0
SETTINGS = settings(
    max_examples=max_examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

OPERATORS = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "and", "or", "(", ")", "((", "))", "[", "]",
    "{", "}", '"', "'", "*", "?", "-", "+", "^", "~", ":", "\\", "/", "!", "&&", "||", "*:*",
    "~2", "^3", "^-1", "title:", "titel:", "source:", "quelle:", "article_id:", "artikel:",
    "text:", "date:", "id:", "asig:", "origin:", "month:", "date_lo:", "[a TO z]", "{* TO *}",
    "<script>", "</p>", "&amp;", "%", "%00", "\x00", "\t", "\n", "\u200b", "\ufeff", "…",
]
WORDS = [
    "Bundestag", "Rente", "Haushalt", "Sicherheitsgarantien", "Pufferzone", "Ukraine",
    "Bu*", "Re?te", "*tag", "B*", "??*", "Häuser", "STRASSE", "straße", "Nato-Beitritt",
    "geht's", "3,5", "2025-02", "Müller-Lüdenscheidt", "ﬁnanz", "ǅ", "İstanbul", "ß" * 50,
]
TOKENS = st.sampled_from(OPERATORS + WORDS)
ANY_CHARS = st.characters(exclude_categories=())  # lone surrogates and controls included
WEB_CHARS = st.characters(exclude_categories=("Cs",))  # what a URL can carry

soup = st.lists(
    st.one_of(TOKENS, st.text(ANY_CHARS, max_size=6)), max_size=40
).flatmap(lambda parts: st.sampled_from([" ", "", "\t", "  "]).map(lambda sep: sep.join(parts)))
long_text = st.tuples(st.one_of(TOKENS, st.text(ANY_CHARS, min_size=1, max_size=3)),
                      st.integers(100, 4000)).map(lambda t: (t[0] + " ") * t[1])
queries = st.one_of(st.text(ANY_CHARS, max_size=200), soup, long_text)

numbers = st.one_of(
    st.integers(), st.integers(-3, 1200), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1", "2", " 3 ", "0", "-1", "1e3", "１２", "0x10", "", "NaN", "∞", "١"]),
    st.text(ANY_CHARS, max_size=8), st.none(), st.booleans(),
)
dates = st.one_of(
    st.none(), st.text(ANY_CHARS, max_size=30),
    st.sampled_from(["2025", "2025-02", "2025-02-04", "2025-13", "2025-02-30", "0000", "9999",
                     "99999-01", "-2025", "2025-2-4", "04.02.2025", "２０２５", "2025-02-04T25:99",
                     "1970-01-01", "2025/02", " 2025 ", "2025-00-00", "10000"]),
)
texts = st.one_of(st.none(), st.text(ANY_CHARS, max_size=40), TOKENS)
sorts = st.one_of(st.sampled_from(["relevance", "date", "Date", " date", "", "score"]), texts)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> Path:
    """The two sample articles and 20 speeches, in one index."""
    root = tmp_path_factory.mktemp("hostile-input")
    corpus = root / "corpus"
    for path in SAMPLE_CORPUS.glob("*.txt"):
        (corpus / path.name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / path.name).write_bytes(path.read_bytes())
    write_jsonl(corpus / "reden.jsonl", speeches[:20])
    build_index(corpus, root / "index")
    return root / "index"


@pytest.fixture(scope="module")
def index(index_dir: Path) -> Iterator[SearchIndex]:
    with opened(index_dir) as index:
        yield index


@pytest.fixture(scope="module")
def client(index_dir: Path):
    app = create_app({"INDEX_DIR": str(index_dir)})
    yield app.test_client()
    close_app_index(app)


def timed(call):
    started = time.monotonic()
    try:
        return call()
    finally:
        took = time.monotonic() - started
        assert took < CALL_SECONDS, f"took {took:.1f} s"


EDGES = dict(source=None, since=None, until=None, sort="date", article=None, facets=True,
             snippets=True)


@SETTINGS
@given(q=queries, limit=numbers, page=numbers, source=texts, since=dates, until=dates,
       sort=sorts, article=texts, facets=st.booleans(), snippets=st.booleans())
@example(q="Rente", limit=float("inf"), page=1, **EDGES)
@example(q="Rente", limit=10, page=float("-inf"), **EDGES)
@example(q="Rente*", limit=10**30, page=10**30, **EDGES)
@example(q="(((" * 300, limit="10", page="1", **{**EDGES, "since": "2025-02-30"})
def test_search_api_never_fails_otherwise(index, q, limit, page, source, since, until, sort,
                                          article, facets, snippets) -> None:
    kwargs = dict(limit=limit, page=page, source=source, since=since, until=until, sort=sort,
                  article=article, facets=facets, snippets=snippets)
    try:
        result = timed(lambda: index.search(q, **kwargs))
    except QueryError as exc:
        assert str(exc).strip(), "a QueryError without a message"
        return
    assert result.total >= len(result.hits) and result.page >= 1
    json.dumps(result.to_dict(), ensure_ascii=False)


@SETTINGS
@given(q=queries)
@example(q="ANDNOT ANDNOT ANDNOT")  # found by the long mode: an AssertionError inside Whoosh
def test_plain_queries_with_default_parameters_always_answer(index, q) -> None:
    """With valid parameters, no query text at all is a reason for an error."""
    result = timed(lambda: index.search(q, facets=True))
    assert result.total >= 0


@SETTINGS
@given(article=st.text(ANY_CHARS, max_size=300))
@example(article="\ud800")  # found by the long mode: UnicodeEncodeError inside Whoosh
def test_article_api_never_fails(index, article) -> None:
    view = timed(lambda: index.article(article))
    assert view is None or view.paragraphs


# -- every HTTP route through Flask's test client --------------------------------------

ROUTES = ["/", "/search", "/api/search", "/article/{id}", "/api/article/{id}", "/api/stats"]
PARAM_NAMES = st.sampled_from(
    ["q", "q", "page", "since", "until", "source", "sort", "limit", "p", "facets", "format"]
)
web_values = st.one_of(
    st.text(WEB_CHARS, max_size=60), TOKENS, numbers.map(str), dates.map(str),
    long_text.map(lambda s: s[:3000]),
).map(lambda s: s.encode("utf-8", "replace").decode("utf-8"))  # a URL cannot carry surrogates
params = st.lists(st.tuples(PARAM_NAMES, web_values), max_size=8)
raw_queries = st.binary(max_size=200).map(
    lambda b: urllib.parse.quote_from_bytes(b, safe="=&%+;")
)
article_ids = st.one_of(
    st.text(WEB_CHARS, min_size=1, max_size=80), TOKENS.filter(bool),
    st.sampled_from(["000_ab060a02463f3657", "000_ab060a02463f3657#3", "..", "../../etc/passwd",
                     "a/b/c", "%00", "%ff", " ", "<script>"]),
)


def check_answer(response) -> None:
    """200, 400 or 404; a 400/404 says why; never a 500. (Werkzeug's 308 to the same path
    with merged slashes, for an article id with "//", is an answer too.)"""
    if response.status_code == 308:
        assert response.headers["Location"], "a redirect without a target"
        return
    assert response.status_code in (200, 400, 404), (response.status_code, response.data[:500])
    body = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        data = json.loads(body)
        if response.status_code != 200:
            assert data["error"]["status"] == response.status_code
            assert data["error"]["message"].strip()
    else:
        assert response.mimetype == "text/html", response.mimetype
        page = BeautifulSoup(body, "html.parser")
        if response.status_code != 200:
            message = page.select_one(".error-message")
            assert message is not None and message.get_text().strip(), body[:1000]


@pytest.mark.parametrize("route", ROUTES)
@SETTINGS
@given(pairs=params, article=article_ids)
@example(pairs=[("q", "ANDNOT ANDNOT ANDNOT")], article="x")
@example(pairs=[("q", "Rente"), ("page", "1" * 400)], article="a//b")
def test_routes_with_hostile_parameters(client, route, pairs, article) -> None:
    path = route.format(id=urllib.parse.quote(article, safe=""))
    response = timed(lambda: client.get(path, query_string=pairs))
    check_answer(response)


@pytest.mark.parametrize("route", ["/search", "/api/search", "/article/x", "/api/article/x"])
@SETTINGS
@given(raw=raw_queries)
def test_routes_with_raw_query_strings(client, route, raw) -> None:
    """Bytes that are not UTF-8, broken percent escapes, NULs: still 200/400/404."""
    response = timed(lambda: client.get(f"{route}?{raw}"))
    check_answer(response)
