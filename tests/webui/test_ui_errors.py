"""Error pages that help: 400 for unusable parameters, 404, 503 without an index, 500."""

from __future__ import annotations

import pytest

from indexer import build_index
from tests.paths import SAMPLE_CORPUS
from tests.webui.ui_support import parse
from webui import create_app
from webui.resource import EXTENSION


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"q": "x", "since": "2025-13"}, "13"),
        ({"q": "x", "until": "31.02.2025"}, "31.02.2025"),
        ({"q": "x", "sort": "popular"}, "popular"),
        ({"q": "x", "page": "100000"}, "page"),
        ({"q": "x", "page": "9" * 400}, "Seitenzahl"),
        ({"q": "x", "page": "-3"}, "Seitenzahl"),
        ({"q": "x" * 501}, "501 Zeichen"),
    ],
)
def test_bad_parameters_get_a_friendly_400(client, query, says) -> None:
    response = client.get("/search", query_string=query)
    assert response.status_code == 400
    soup = parse(response)
    assert soup.find("h1").get_text() == "Diese Suche lässt sich so nicht ausführen"
    assert says in soup.find(class_="error-message").get_text()
    assert soup.find("input", id="q")["value"] == query["q"]  # ready to correct
    twin = client.get(soup.find("link", rel="alternate")["href"])
    assert twin.status_code == 400 and twin.json["error"]["message"] == soup.find(
        class_="error-message"
    ).get_text()


def test_query_of_500_characters_is_fine(client) -> None:
    assert client.get("/search", query_string={"q": "Ukraine " * 62 + "x"}).status_code == 200


def test_unknown_route_is_404(client) -> None:
    response = client.get("/gibt/es/nicht")
    assert response.status_code == 404
    soup = parse(response)
    assert soup.find("h1").get_text() == "Nicht gefunden"
    assert soup.find("form", role="search")


@pytest.fixture
def empty_dir(tmp_path):
    return tmp_path / "noch-kein-index"


@pytest.mark.parametrize("url", ["/", "/search?q=Ukraine", "/article/x"])
def test_no_index_is_503_naming_the_build_command(empty_dir, url) -> None:
    client = create_app({"INDEX_DIR": str(empty_dir)}).test_client()
    response = client.get(url)
    assert response.status_code == 503
    message = parse(response).find(class_="error-message").get_text()
    assert f"artikelsuche index CORPUS --index {empty_dir}" in message


@pytest.mark.parametrize("url", ["/api/stats", "/api/search?q=x", "/api/article/x"])
def test_no_index_json(empty_dir, url) -> None:
    response = create_app({"INDEX_DIR": str(empty_dir)}).test_client().get(url)
    assert response.status_code == 503
    assert "artikelsuche index" in response.json["error"]["message"]


def test_index_built_later_is_picked_up(empty_dir) -> None:
    app = create_app({"INDEX_DIR": str(empty_dir), "INDEX_RETRY_SECONDS": 0})
    client = app.test_client()
    assert client.get("/").status_code == 503
    build_index(SAMPLE_CORPUS, empty_dir)
    assert client.get("/").status_code == 200


def test_opening_is_retried_at_most_once_per_interval(empty_dir, monkeypatch) -> None:
    app = create_app({"INDEX_DIR": str(empty_dir), "INDEX_RETRY_SECONDS": 3600})
    client = app.test_client()
    assert client.get("/").status_code == 503
    build_index(SAMPLE_CORPUS, empty_dir)
    assert client.get("/").status_code == 503  # not tried again yet
    monkeypatch.setattr(app.extensions[EXTENSION], "retry_seconds", 0)
    assert client.get("/").status_code == 200


def test_damaged_index_is_503(tmp_path) -> None:
    (tmp_path / "CURRENT").write_text("gen-verloren\n", encoding="utf-8")
    response = create_app({"INDEX_DIR": str(tmp_path)}).test_client().get("/")
    assert response.status_code == 503
    assert "damaged" in parse(response).find(class_="error-message").get_text()


def test_unexpected_failure_is_a_calm_500(app, monkeypatch) -> None:
    index = app.extensions[EXTENSION].get()

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(index, "search", broken)
    client = app.test_client()
    page = client.get("/search?q=Ukraine")
    assert page.status_code == 500
    assert "kaputt" not in page.get_data(as_text=True)
    assert parse(page).find("h1").get_text() == "Interner Fehler"
    api = client.get("/api/search?q=Ukraine")
    assert api.status_code == 500
    assert api.json["error"]["status"] == 500
