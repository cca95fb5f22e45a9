"""Markup and script in documents and queries are shown as text on every page.

A corpus of our own carries HTML and JavaScript in every field (title, kicker, section
headings, paragraph text, source, URL, id); queries carry it too. Results, snippets,
facets, the timeline, suggestions, the article page and error pages are parsed with
BeautifulSoup: no element, attribute or URL from the content may exist, and the hostile
text must be visible as text.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer import build_index
from tests.reliability.support import close_app_index, write_jsonl
from webui import create_app

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><b onmouseover=alert(4)>fett</b>',
    "<a href=\"javascript:alert(5)\">klick</a>",
    "</textarea><script>alert(6)</script>",
    "<iframe src=\"//example.invalid\"></iframe>",
    "<mark onclick=alert(7)>markiert</mark>",
    "&lt;script&gt;alert(8)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "'><details open ontoggle=alert(9)>",
]
ALL = " ".join(PAYLOADS)
WORD = "Sicherheitsgarantien"
pytestmark = pytest.mark.fault("HTML/JS in documents and queries")
# Elements the pages themselves never use, so any of them came from content.
FORBIDDEN = {"img", "iframe", "object", "embed", "style", "details:not(.help)", "b", "textarea",
             "base", "meta[http-equiv]"}
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data")


def hostile_records() -> list[dict]:
    records = []
    for n, payload in enumerate(PAYLOADS):
        records.append({
            "id": f"boese-{n}",
            "title": f"Titel {payload} zu {WORD}",
            "kicker": f"Dachzeile {payload}",
            "date": f"2025-0{1 + n % 9}-1{n % 9}",
            "source": f"Agentur {payload}",
            "url": "javascript:alert(10)" if n % 2 else f"https://example.invalid/{payload}",
            "paragraphs": [
                {"text": f"Erster Absatz über {WORD} mit {payload} mitten im Text.",
                 "section": f"Abschnitt {payload}", "source": f"Quelle {payload}"},
                f"Zweiter Absatz: {ALL} und noch einmal {WORD}.",
            ],
        })
    return records


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("injection")
    corpus = root / "corpus"
    write_jsonl(corpus / "boese.jsonl", hostile_records())
    (corpus / "<script>alert(11)<").mkdir(parents=True)
    (corpus / "<script>alert(11)<" / "artikel.txt").write_text(
        f"Überschrift {PAYLOADS[1]}\n\n05.03.2025, 10:15 Uhr\n\n"
        f"Ein Absatz über {WORD} mit {PAYLOADS[0]} und {PAYLOADS[2]}. (dpa)\n\n"
        f"Zwischentitel {PAYLOADS[4]}\n\nNoch ein Absatz mit {PAYLOADS[3]} zu {WORD}.\n",
        encoding="utf-8",
    )
    build_index(corpus, root / "index")
    app = create_app({"INDEX_DIR": str(root / "index")})
    yield app.test_client()
    close_app_index(app)


def assert_inert(html: str) -> BeautifulSoup:
    """No element, event handler or script URL that content could have brought in."""
    page = BeautifulSoup(html, "html.parser")
    for selector in FORBIDDEN:
        found = page.select(selector)
        assert not found, f"<{selector}> in the page: {found[:2]}"
    for script in page.find_all("script"):
        assert script.get("src", "").startswith("/static/"), script
        assert not script.get_text().strip(), script
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{name} on <{element.name}>"
            values = value if isinstance(value, list) else [value]
            if name.lower() in URL_ATTRS:
                for v in values:
                    squeezed = re.sub(r"[\s\x00-\x1f]", "", v).lower()
                    assert not squeezed.startswith(("javascript:", "data:text", "vbscript:")), v
    for mark in page.find_all("mark"):
        assert not mark.attrs, mark
    return page


def get_page(client, path: str, status: int = 200, **params) -> BeautifulSoup:
    url = path + ("?" + urllib.parse.urlencode(params) if params else "")
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    assert response.mimetype == "text/html"
    return assert_inert(response.get_data(as_text=True))


def test_results_snippets_facets_are_text(client) -> None:
    page = get_page(client, "/search", q=WORD)
    text = page.get_text()
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert "Agentur <img src=x onerror=alert(2)>" in text  # a facet label, as text
    page = get_page(client, "/search", q=WORD, sort="date", page=2)
    for payload in PAYLOADS:  # filtering by a hostile source or query
        get_page(client, "/search", q=f"{payload} {WORD}", source=f"Agentur {payload}")


def test_queries_with_markup_are_text_everywhere(client) -> None:
    for payload in PAYLOADS:
        page = get_page(client, "/search", q=payload)
        box = page.find("input", attrs={"name": "q"})
        assert box is not None and box.get("value") == payload
        get_page(client, "/search", q=f"{payload} Sicherheitsgarantiem")  # a suggestion
        get_page(client, "/search", q=f"{WORD} {payload}", since="2025", until="2025-12")


def test_suggestions_are_text(client) -> None:
    response = client.get("/api/search?" + urllib.parse.urlencode(
        {"q": f"Sicherheitsgarantiem {PAYLOADS[0]}"}))
    suggestion = json.loads(response.data)["suggestion"]
    page = get_page(client, "/search", q=f"Sicherheitsgarantiem {PAYLOADS[0]}")
    if suggestion:
        assert suggestion in page.get_text() or WORD in page.get_text()


def test_article_pages_are_text(client) -> None:
    for n in range(len(PAYLOADS)):
        page = get_page(client, f"/article/boese-{n}", q=f"{WORD} {PAYLOADS[n]}", p="2")
        assert PAYLOADS[n] in page.get_text()
    # The .txt article in the folder "<script>alert(11)<" has the id "<script>alert(11)</artikel".
    path = urllib.parse.quote("<script>alert(11)</artikel", safe="")
    page = get_page(client, f"/article/{path}", q=WORD)
    assert PAYLOADS[1] in page.get_text()
    get_page(client, f"/article/{path}x", status=404)


def test_error_pages_are_text(client) -> None:
    for payload in PAYLOADS:
        quoted = urllib.parse.quote(payload, safe="")
        page = get_page(client, f"/article/{quoted}", status=404)
        assert payload in page.get_text()
        get_page(client, f"/nirgends/{quoted}", status=404)
        get_page(client, "/search", status=400, q=payload, page=payload)
        get_page(client, "/search", status=400, q=payload, since=payload)
        get_page(client, "/search", status=400, q=payload, sort=payload)


def test_json_carries_markup_as_data(client) -> None:
    response = client.get("/api/search?" + urllib.parse.urlencode({"q": WORD}))
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.data)
    assert data["hits"]
    for hit in data["hits"]:
        snippet = BeautifulSoup(hit["snippet"], "html.parser")
        assert {tag.name for tag in snippet.find_all(True)} <= {"mark"}, hit["snippet"]
        assert "<" in snippet.get_text() or "<" not in hit["text"]


def test_home_and_stats_are_text(client) -> None:
    page = get_page(client, "/")
    assert "Agentur" in page.get_text() or page.find("main") is not None
    response = client.get("/api/stats")
    assert response.mimetype == "application/json"


def test_content_security_policy_forbids_inline_script(client) -> None:
    response = client.get("/search?q=" + urllib.parse.quote(WORD))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_paths_are_not_followed(tmp_path: Path) -> None:
    """An article id with ../ is looked up, never used as a path."""
    app = create_app({"INDEX_DIR": str(tmp_path / "none")})
    response = app.test_client().get("/article/..%2F..%2Fetc%2Fpasswd")
    close_app_index(app)
    assert response.status_code in (404, 503)
