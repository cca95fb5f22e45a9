"""The JSON twins: the CLI's --json object plus facets and timeline, articles, stats."""

from __future__ import annotations

import pytest

from tests.webui.ui_support import parse


def without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


@pytest.mark.parametrize(
    "args",
    [
        {"q": "Soldaten"},
        {"q": "Ukraine", "page": "2"},
        {"q": "Ukraine", "source": "dpa", "sort": "date"},
        {"q": "Trump", "since": "2025-02", "until": "2025-02-28"},
        {},
    ],
)
def test_search_is_the_cli_object_plus_facets_and_timeline(client, index, args) -> None:
    data = client.get("/api/search", query_string=args).json
    assert list(data) == [
        "query", "total", "page", "took_ms", "suggestion", "hits", "facets", "timeline",
    ]
    kwargs = {k: v for k, v in args.items() if k != "q"}
    kwargs["page"] = int(kwargs.get("page", 1))
    cli = index.search(args.get("q", ""), **kwargs)  # what `artikelsuche search --json` prints
    grouped = index.search(args.get("q", ""), facets=True, **kwargs)
    assert without_time(data) == without_time(
        cli.to_dict() | {"facets": grouped.facets, "timeline": grouped.timeline}
    )


def test_article_is_the_article_view(client, index) -> None:
    article_id = client.get("/api/search?q=Starmer").json["hits"][0]["article_id"]
    assert client.get(f"/api/article/{article_id}").json == index.article(article_id).to_dict()


def test_stats(client, index) -> None:
    data = client.get("/api/stats").json
    assert data == index.stats()
    assert data["articles"] == 2 and data["paragraphs"] == 16


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=Ukraine&source=dpa&sort=date", "/search?q=Soldaten&page=1"],
)
def test_each_page_announces_its_json_twin(client, url) -> None:
    soup = parse(client.get(url))
    link = soup.find("link", rel="alternate", type="application/json")
    twin = client.get(link["href"])
    assert twin.status_code == 200 and twin.mimetype == "application/json"
    count = soup.find("h1", id="results-heading")
    if count is not None:
        assert count.get_text(" ", strip=True).startswith(f"{twin.json['total']} Treffer")


def test_article_page_announces_its_json_twin(client) -> None:
    article_id = client.get("/api/search?q=Starmer").json["hits"][0]["article_id"]
    soup = parse(client.get(f"/article/{article_id}?q=Starmer&p=3"))
    href = soup.find("link", rel="alternate")["href"]
    assert href == f"/api/article/{article_id}"
    assert client.get(href).json["id"] == article_id


def test_json_keeps_german_text_readable(client) -> None:
    body = client.get("/api/search?q=Südkorea").get_data(as_text=True)
    assert "Südkorea" in body


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/search?q=x&since=2025-13", 400),
        ("/api/search?q=x&until=gestern", 400),
        ("/api/search?q=x&sort=popular", 400),
        ("/api/search?q=x&page=100000", 400),
        ("/api/search?q=x&page=zwei", 400),
        ("/api/search?q=" + "x" * 501, 400),
        ("/api/article/gibt-es-nicht", 404),
        ("/api/gibt-es-nicht", 404),
    ],
)
def test_errors_share_one_shape(client, url, status) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert set(response.json) == {"error"} and set(error) == {"status", "message"}
    assert error["status"] == status and error["message"]


def test_post_is_not_allowed(client) -> None:
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.json["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]
