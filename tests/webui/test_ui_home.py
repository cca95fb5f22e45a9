"""The start page and the page frame every page shares (language, landmarks, help)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webui.ui_support import parse


def test_search_box_focused_and_labelled(client) -> None:
    soup = parse(client.get("/"))
    box = soup.find("input", id="q")
    assert box.has_attr("autofocus")
    assert box["name"] == "q" and box["type"] == "search" and box["maxlength"] == "500"
    assert soup.find("label", attrs={"for": "q"}).get_text() == "Suchbegriffe"
    form = box.find_parent("form")
    assert form["action"] == "/search" and form["method"] == "get" and form["role"] == "search"
    assert len(soup.find_all("input", id="q")) == 1  # one box, so "/" has one target


def test_archive_summary_in_one_line(client) -> None:
    summary = parse(client.get("/")).find(class_="archive-summary").get_text(" ", strip=True)
    assert summary == "2 Artikel · 16 Absätze · 1. Februar 2025 bis 28. Februar 2025"


def test_source_links_start_filtered_listings(client) -> None:
    links = parse(client.get("/")).select(".archive-sources a")
    assert [a.get_text() for a in links] == ["dpa", "afp", "rtr"]
    assert links[0]["href"] == "/search?source=dpa"


def test_collapsible_syntax_help(client) -> None:
    help_box = parse(client.get("/")).find("details", class_="help")
    assert help_box.find("summary").get_text() == "So funktioniert die Suche"
    examples = [code.get_text() for code in help_box.select("dt code")]
    for needle in ('"', " -", " OR ", "*", "source:dpa"):
        assert any(needle in example for example in examples), needle
    for link in help_box.select("dt a"):
        q = parse_qs(urlsplit(link["href"]).query)["q"][0]
        assert q == link.get_text()


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=Ukraine", "/search?q=nichts", "/gibt-es-nicht", "/article/x",
     "/search?q=Kursk&since=2025-02&until=2025-02"],
)
def test_frame_is_german_and_has_landmarks(client, url) -> None:
    soup = parse(client.get(url))
    assert soup.find("html")["lang"] == "de"
    for landmark in ("header", "main", "nav", "footer"):
        assert soup.find(landmark), landmark
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#inhalt" and soup.find("main")["id"] == "inhalt"
    assert soup.find("link", rel="stylesheet")["href"] == "/static/style.css"
    assert soup.find("meta", attrs={"name": "viewport"})
    assert len(soup.find_all("h1")) == 1
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for field in soup.find_all("input"):
        if field.get("type") != "hidden":
            assert soup.find("label", attrs={"for": field["id"]}), field


def test_static_css_has_both_themes_and_focus_styles(client) -> None:
    with client.get("/static/style.css") as response:
        css = response.get_data(as_text=True)
    assert "prefers-color-scheme: dark" in css
    assert ":focus-visible" in css
    assert ":target" in css


def test_head_request(client) -> None:
    response = client.head("/search?q=Ukraine")
    assert response.status_code == 200 and response.data == b""
