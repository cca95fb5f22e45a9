"""The results page: hits, facets, timeline, date form, sort, paging, empty states, permalinks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.webui.ui_support import parse
from webui.resource import EXTENSION


def query_of(href: str) -> dict[str, str]:
    """Return a link's query parameters as a flat dict."""
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query, keep_blank_values=True).items()}


def hits(soup) -> list:
    return soup.select("ol.hits > li.hit")


def test_result_count_time_and_hits(client, index) -> None:
    total = index.search("Soldaten").total
    soup = parse(client.get("/search?q=Soldaten"))
    heading = soup.find("h1", id="results-heading")
    assert heading.get_text(" ", strip=True).startswith(f"{total} Treffer für „Soldaten“")
    assert heading.find(class_="took").get_text().endswith(" ms")
    assert len(hits(soup)) == min(total, 10) >= 6
    first = hits(soup)[0]
    assert first.find(class_="hit-kicker").get_text() == "Krieg gegen die Ukraine"
    assert first.find("time")["datetime"] == "2025-02-04T08:37"
    assert first.find("time").get_text() == "4. Februar 2025, 08:37"
    assert first.select_one(".snippet mark").get_text() == "Soldaten"


def test_hit_links_to_article_at_paragraph(client) -> None:
    soup = parse(client.get("/search?q=Soldaten&source=afp&sort=date"))
    for hit in hits(soup):
        href = hit.select_one(".hit-title a")["href"]
        parts = urlsplit(href)
        paragraph = hit.find(string=lambda s: s.startswith("Absatz ")).split()[1]
        assert parts.path.startswith("/article/")
        assert parts.fragment == f"p-{paragraph}"
        assert query_of(href) == {"q": "Soldaten", "source": "afp", "sort": "date", "p": paragraph}


def test_month_precision_date_and_source_shown(client) -> None:
    soup = parse(client.get("/search?q=Soldaten&source=afp"))
    first = hits(soup)[0]
    assert first.find("time").get_text() == "Februar 2025"
    assert "Quelle afp" in first.find(class_="hit-meta").get_text(" ", strip=True)


def test_section_shown_for_live_blog_entries(client) -> None:
    soup = parse(client.get("/search?q=Starmer"))
    meta = hits(soup)[0].find(class_="hit-meta").get_text(" ", strip=True)
    assert "Abschnitt Keir Starmer trifft Donald Trump" in meta


def test_source_facet_adds_and_removes_filter(client, index) -> None:
    soup = parse(client.get("/search?q=Ukraine"))
    facet = soup.find("section", attrs={"aria-labelledby": "facet-source"})
    counts = {
        a.find(class_="facet-name").get_text(): a.find(class_="facet-count").get_text()
        for a in facet.find_all("a")
    }
    expected = index.search("Ukraine", facets=True).facets["source"]
    assert counts == {f["value"]: str(f["count"]) for f in expected}
    assert set(counts) == {"dpa", "rtr", "afp"}
    link = facet.find("a", href=lambda h: "source=dpa" in h)
    assert query_of(link["href"]) == {"q": "Ukraine", "source": "dpa"}

    filtered = parse(client.get(link["href"]))
    assert filtered.find("h1").get_text(" ", strip=True).startswith(f"{counts['dpa']} Treffer")
    active = filtered.select_one('section[aria-labelledby="facet-source"] a[aria-current]')
    assert active.find(class_="facet-name").get_text() == "dpa"
    assert query_of(active["href"]) == {"q": "Ukraine"}  # following it removes the filter
    chip = filtered.select_one("ul.chips a.chip")
    assert query_of(chip["href"]) == {"q": "Ukraine"}


def test_month_facet_sets_since_and_until(client) -> None:
    soup = parse(client.get("/search?q=Ukraine&sort=date"))
    link = soup.select_one('section[aria-labelledby="facet-month"] a')
    assert link.find(class_="facet-name").get_text() == "Februar 2025"
    assert query_of(link["href"]) == {
        "q": "Ukraine", "since": "2025-02", "until": "2025-02", "sort": "date",
    }
    filtered = parse(client.get(link["href"]))
    active = filtered.select_one('section[aria-labelledby="facet-month"] a[aria-current]')
    assert query_of(active["href"]) == {"q": "Ukraine", "sort": "date"}
    assert "Februar 2025" in filtered.select_one("ul.chips").get_text(" ", strip=True)


def test_timeline_is_an_accessible_svg_of_month_links(client, index) -> None:
    total = index.search("Ukraine", source="dpa").total
    soup = parse(client.get("/search?q=Ukraine&source=dpa"))
    svg = soup.find("svg", class_="timeline")
    assert svg["aria-labelledby"] == "timeline-title timeline-desc"
    assert svg.find("desc", id="timeline-desc")
    bars = svg.find_all("a")
    assert len(bars) == 1
    assert bars[0].find("title").get_text() == f"Februar 2025: {total} Treffer"
    assert bars[0]["aria-label"] == f"Februar 2025: {total} Treffer"
    assert query_of(bars[0]["href"]) == {
        "q": "Ukraine", "source": "dpa", "since": "2025-02", "until": "2025-02",
    }
    fill = bars[0].find("rect", class_="timeline-fill")
    assert float(fill["height"]) > 0


def test_date_range_form_keeps_query_source_and_sort(client) -> None:
    soup = parse(client.get("/search?q=Ukraine&source=dpa&sort=date&since=2025"))
    form = soup.find("form", class_="date-form")
    assert form["action"] == "/search" and form["method"] == "get"
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"q": "Ukraine", "source": "dpa", "sort": "date"}
    assert form.find("input", id="since")["value"] == "2025"
    assert form.find("label", attrs={"for": "since"}).get_text() == "Von"
    assert form.find("label", attrs={"for": "until"}).get_text() == "Bis"


@pytest.mark.parametrize(
    ("since", "until", "articles"),
    [("2025-02", "2025-02", 2), ("2025-02-05", None, 1), (None, "2025-01", 0)],
)
def test_date_filters(client, since, until, articles) -> None:
    """The live blog is dated "2025-02" (the whole month), the other on 4 February."""
    args = {"since": since, "until": until, "sort": "date"}
    data = client.get("/api/search", query_string={k: v for k, v in args.items() if v}).json
    assert len({h["article_id"] for h in data["hits"]}) == articles


def test_sort_switch(client) -> None:
    soup = parse(client.get("/search?q=Trump&source=dpa"))
    switch = soup.find("nav", class_="sort")
    links = {a.get_text(): a for a in switch.find_all("a")}
    assert set(links) == {"Relevanz", "Neueste zuerst"}
    assert links["Relevanz"].get("aria-current") == "true"
    newest = query_of(links["Neueste zuerst"]["href"])
    assert newest == {"q": "Trump", "source": "dpa", "sort": "date"}

    by_date = client.get("/api/search?q=Trump&sort=date").json["hits"]
    dates = [h["date"] for h in by_date]
    assert dates == sorted(dates, reverse=True)


def test_paging_keeps_every_parameter(client, index) -> None:
    total = index.search("Ukraine").total
    assert total > 10
    url = "/search?q=Ukraine&since=2025&until=2025-12&sort=date"
    soup = parse(client.get(url))
    pager = soup.find("nav", class_="pager")
    assert pager["aria-label"] == "Seiten"
    following = pager.find("a", rel="next")
    assert query_of(following["href"]) == {
        "q": "Ukraine", "since": "2025", "until": "2025-12", "sort": "date", "page": "2",
    }
    second = parse(client.get(following["href"]))
    assert second.find("ol", class_="hits")["start"] == "11"
    assert len(hits(second)) == min(total - 10, 10)
    assert second.select_one("nav.pager a[aria-current]").get_text() == "2"
    assert query_of(second.find("a", rel="prev")["href"])["sort"] == "date"


def test_a_page_holds_ten_hits(client, index) -> None:
    assert index.search("Ukraine").total > 10
    assert len(hits(parse(client.get("/search?q=Ukraine")))) == 10
    assert len(client.get("/api/search?q=Ukraine").json["hits"]) == 10


def test_page_past_the_last_links_back(client) -> None:
    response = client.get("/search?q=Soldaten&page=5")
    assert response.status_code == 200
    notice = parse(response).find(class_="notice")
    assert "Seite 5 gibt es nicht" in notice.get_text()
    assert query_of(notice.find("a")["href"]) == {"q": "Soldaten"}


def test_empty_query_lists_everything_newest_first(client) -> None:
    soup = parse(client.get("/search"))
    assert soup.find("h1").get_text(" ", strip=True).startswith("16 Treffer")
    assert soup.find("nav", class_="sort") is None  # nothing to rank by relevance
    dates = [t["datetime"] for t in soup.select("ol.hits time")]
    assert dates[0] == "2025-02-04T08:37"


def test_no_results_shows_query_and_tips(client) -> None:
    soup = parse(client.get("/search?q=Zeppelinhangar"))
    assert soup.find("h1").get_text() == "Keine Treffer für „Zeppelinhangar“"
    assert soup.find(class_="empty").find("ul")
    assert soup.find("aside") is None
    assert soup.find(class_="suggestion") is None


def test_no_results_with_filters_offers_to_remove_them(client) -> None:
    soup = parse(client.get("/search?q=Starmer&source=reuters&since=2030"))
    empty = soup.find(class_="empty")
    link = empty.find("a", string="Ohne Filter suchen")
    assert query_of(link["href"]) == {"q": "Starmer"}
    chips = [query_of(a["href"]) for a in soup.select("ul.chips a")]
    assert {"q": "Starmer", "since": "2030"} in chips
    assert {"q": "Starmer", "source": "reuters"} in chips


def test_suggestion_links_to_the_corrected_search(app, client, monkeypatch) -> None:
    index = app.extensions[EXTENSION].get()
    search = index.search

    def with_suggestion(*args, **kwargs):
        result = search(*args, **kwargs)
        result.suggestion = "Soldaten"
        return result

    monkeypatch.setattr(index, "search", with_suggestion)
    soup = parse(client.get("/search?q=Soldatn&source=afp"))
    suggestion = soup.find(class_="suggestion")
    assert suggestion.get_text(" ", strip=True) == "Meinten Sie Soldaten ?"
    assert query_of(suggestion.find("a")["href"]) == {"q": "Soldaten", "source": "afp"}


@pytest.mark.parametrize("q", ["AND", '"', "*", "(", "-", "OR", "NOT", "source:", "a" * 500])
def test_odd_queries_never_fail(client, q) -> None:
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_search_box_keeps_query_and_filters(client) -> None:
    soup = parse(client.get('/search?q="seltene Erden"&source=dpa&sort=date&page=1'))
    form = soup.find("form", role="search")
    assert form.find("input", id="q")["value"] == '"seltene Erden"'
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"source": "dpa", "sort": "date"}


def test_permalink_reproduces_the_page(client) -> None:
    url = "/search?q=Ukraine&source=dpa&since=2025-02&until=2025-02&sort=date&page=1"
    first, second = (parse(client.get(url)) for _ in range(2))
    for soup in (first, second):
        soup.find(class_="took").decompose()  # the only thing allowed to differ
    assert str(first.find("main")) == str(second.find("main"))
    assert [a["href"] for a in first.find_all("a")] == [a["href"] for a in second.find_all("a")]
