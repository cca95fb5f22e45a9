"""Headers on every response, no inline script or style, and hostile text kept as text."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.webui.ui_support import IMG, SCRIPT, parse
from webui import create_app

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CSP_PARTS = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
]


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=Ukraine", "/api/search?q=Ukraine", "/api/stats", "/static/style.css",
     "/static/app.js", "/gibt-es-nicht", "/search?since=kaputt", "/api/article/nichts"],
)
def test_security_headers_on_every_response(client, url) -> None:
    with client.get(url) as response:
        headers = response.headers
    for name, value in EXPECTED_HEADERS.items():
        assert headers[name] == value
    policy = [part.strip() for part in headers["Content-Security-Policy"].split(";")]
    assert all(part in policy for part in CSP_PARTS)


def test_security_headers_on_503_and_500(tmp_path) -> None:
    response = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client().get("/")
    assert response.status_code == 503
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/search?q=Ukraine", "/search?q=nichts", "/gibt-es-nicht"])
def test_no_inline_script_or_style(client, url) -> None:
    soup = parse(client.get(url))
    assert not soup.find("style")
    assert not soup.find(attrs={"style": True})
    scripts = soup.find_all("script")
    assert [s["src"] for s in scripts] == ["/static/app.js"]
    assert all(not s.string for s in scripts)
    for tag in soup.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs)
    for tag in soup.find_all(["link", "script", "img"]):
        ref = tag.get("href") or tag.get("src") or ""
        assert ref.startswith("/"), ref  # everything served locally


def test_static_files_reference_nothing_remote(client) -> None:
    for name in ("style.css", "app.js", "favicon.svg"):
        with client.get(f"/static/{name}") as response:
            body = response.get_data(as_text=True)
        assert "@import" not in body and "url(" not in body
        assert "https://" not in body and "http://" not in body.replace("http://www.w3.org", "")


# -- hostile content and queries -------------------------------------------------------


def hostile_pages(client) -> list[str]:
    article_id = client.get("/api/search?q=Sicherheitsgarantien").json["hits"][0]["article_id"]
    article = "/article/" + quote(article_id)
    return [
        "/",
        "/search",
        "/search?q=Sicherheitsgarantien",
        "/search?q=alert",
        "/search?q=script",
        "/search?q=" + quote(SCRIPT),
        "/search?q=" + quote(f'"{IMG}"'),
        "/search?q=" + quote(f'Sicherheitsgarantien "> {SCRIPT}'),
        "/search?q=x&source=" + quote(SCRIPT),
        "/search?q=Sicherheitsgarantien&source=" + quote(IMG),
        f"{article}?q=" + quote(SCRIPT) + "&p=1",
        f"{article}?q=Sicherheitsgarantien&p=2&source=" + quote(f'"{IMG}'),
        f"{article}?q=img",
        "/article/" + quote(SCRIPT),  # 404 naming the id
        "/search?q=x&since=" + quote(SCRIPT),  # 400 quoting the value
        "/search?q=" + quote(SCRIPT * 30),  # 400, query too long
        "/search?q=x&page=" + quote(IMG),  # 400
        "/" + quote(IMG),  # 404
    ]


def test_hostile_text_never_becomes_markup(hostile_client) -> None:
    for url in hostile_pages(hostile_client):
        response = hostile_client.get(url)
        assert response.status_code in (200, 400, 404), url
        soup = parse(response)
        assert [s.get("src") for s in soup.find_all("script")] == ["/static/app.js"], url
        assert soup.find_all("img") == [], url
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (url, tag)


def test_hostile_text_is_shown_as_text(hostile_client) -> None:
    results = parse(hostile_client.get("/search?q=Sicherheitsgarantien"))
    titles = {a.get_text() for a in results.select(".hit-title a")}
    assert titles == {f'Warnung "{SCRIPT}" im Titel'}
    assert any(SCRIPT in s.get_text() for s in results.select(".snippet"))
    assert {k.get_text() for k in results.select(".hit-kicker")} == {f"Live {IMG} Ticker"}

    article_id = hostile_client.get("/api/search?q=Sicherheitsgarantien").json["hits"][0][
        "article_id"
    ]
    page = parse(hostile_client.get(f"/article/{quote(article_id)}?q=Sicherheitsgarantien"))
    assert page.find("h1").get_text() == f'Warnung "{SCRIPT}" im Titel'
    assert page.select_one(".article-body h2").get_text() == f"Zwischenüberschrift {IMG}"
    assert IMG in page.find(id="p-2").get_text()
    assert page.select(".article-body mark")

    query = f'"{IMG}'
    echoed = parse(hostile_client.get("/search", query_string={"q": query}))
    assert echoed.find("input", id="q")["value"] == query
    assert query in echoed.find("h1").get_text()
