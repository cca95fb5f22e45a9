"""The article page: whole text, sections, anchors, marks, emphasis and the way back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webui.ui_support import parse


@pytest.fixture(scope="module")
def live_blog_id(app) -> str:
    """The id of the sample live blog (sections and several agencies)."""
    with app.test_client() as client:
        return client.get("/api/search?q=Starmer").json["hits"][0]["article_id"]


def test_whole_article_with_sections_and_anchors(client, live_blog_id) -> None:
    data = client.get(f"/api/article/{live_blog_id}").json
    soup = parse(client.get(f"/article/{live_blog_id}"))
    article = soup.find("article")
    assert article.find("h1").get_text() == data["title"]
    paragraphs = article.select(".article-body p.para")
    assert [p["id"] for p in paragraphs] == [f"p-{p['paragraph']}" for p in data["paragraphs"]]
    sections = [h.get_text() for h in article.select(".article-body h2")]
    expected = list(dict.fromkeys(p["section"] for p in data["paragraphs"] if p["section"]))
    assert sections == expected
    assert "Keir Starmer trifft Donald Trump" in sections
    meta = article.find(class_="article-meta").get_text(" ", strip=True)
    assert meta.startswith("Februar 2025") and "Quelle afp, dpa, rtr" in meta
    assert article.find("time")["datetime"] == "2025-02"
    assert not article.select("mark") and not article.select(".para--hit")


def test_heading_appears_where_the_section_changes(client, live_blog_id) -> None:
    body = parse(client.get(f"/article/{live_blog_id}")).find(class_="article-body")
    heading = body.find("h2", string="Keir Starmer trifft Donald Trump")
    following = heading.find_next_sibling("p")
    assert "Starmer" in following.get_text()


def test_kicker_shown(client) -> None:
    hit = client.get("/api/search?q=Kursk abgezogen").json["hits"][0]
    soup = parse(client.get(f"/article/{hit['article_id']}"))
    assert soup.find(class_="kicker").get_text() == "Krieg gegen die Ukraine"
    assert soup.find("time").get_text() == "4. Februar 2025, 08:37"


def test_from_search_marks_matches_and_emphasises_hit(client, live_blog_id) -> None:
    url = f"/article/{live_blog_id}?q=Sicherheitsgarantien&source=dpa&sort=date&p=9"
    soup = parse(client.get(url))
    marks = soup.select(".article-body mark")
    assert len(marks) >= 3
    assert {m.get_text() for m in marks} == {"Sicherheitsgarantien"}
    hit = soup.find(id="p-9")
    assert "para--hit" in hit["class"]
    assert len(soup.select(".para--hit")) == 1
    back = soup.find("a", string="← Zurück zu den Ergebnissen")
    query = {k: v[0] for k, v in parse_qs(urlsplit(back["href"]).query).items()}
    assert urlsplit(back["href"]).path == "/search"
    assert query == {"q": "Sicherheitsgarantien", "source": "dpa", "sort": "date"}


def test_stemmed_matches_marked_in_title_and_text(client) -> None:
    hit = client.get("/api/search?q=Soldat").json["hits"][0]
    soup = parse(client.get(f"/article/{hit['article_id']}?q=Soldat&p={hit['paragraph']}"))
    assert soup.select_one("h1 mark").get_text() == "Soldaten"
    assert "Soldaten" in {m.get_text() for m in soup.select(".article-body mark")}


def test_negated_words_are_not_marked(client, live_blog_id) -> None:
    soup = parse(client.get(f"/article/{live_blog_id}?q=Ukraine -Trump"))
    words = {m.get_text() for m in soup.select("mark")}
    assert "Ukraine" in words and "Trump" not in words


@pytest.mark.parametrize("p", ["x", "-1", "99999999999", ""])
def test_odd_paragraph_numbers_only_lose_the_emphasis(client, live_blog_id, p) -> None:
    response = client.get(f"/article/{live_blog_id}?q=Ukraine&p={p}")
    assert response.status_code == 200
    assert not parse(response).select(".para--hit")


def test_without_search_links_to_all_articles(client, live_blog_id) -> None:
    soup = parse(client.get(f"/article/{live_blog_id}"))
    assert soup.find("nav", class_="back").find("a")["href"] == "/search"


def test_unknown_article_is_404(client) -> None:
    response = client.get("/article/gibt-es-nicht/wirklich")
    assert response.status_code == 404
    soup = parse(response)
    assert "gibt-es-nicht/wirklich" in soup.find(class_="error-message").get_text()
