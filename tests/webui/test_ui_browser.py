"""The UI in headless Chromium against a real `artikelsuche serve` process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.webui.ui_support import IMG, SCREENSHOTS, SCRIPT, running_server

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
# Records CSP violations in the page; injected by the driver, so CSP does not apply to it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


@dataclass
class Watch:
    """Everything a page did that a user should never see."""

    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self, page) -> list[str]:
        return page.evaluate("window.__cspViolations || []")


def open_page(browser, color_scheme: str = "light"):
    """Return a (context, page, watch) with listeners for errors and dialogs."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme, locale="de-DE")
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page, watch


@pytest.fixture
def session(browser) -> Iterator[tuple]:
    context, page, watch = open_page(browser)
    yield page, watch
    context.close()


def assert_clean(page, watch: Watch) -> None:
    assert watch.console_errors == []
    assert watch.csp_violations(page) == []
    assert watch.dialogs == []


def test_search_facet_article_and_back(live_server: str, session) -> None:
    page, watch = session
    page.goto(live_server + "/")
    box = page.locator("#q")
    assert box.evaluate("el => el === document.activeElement")  # focused on load
    box.fill("Soldaten")
    box.press("Enter")
    page.wait_for_url("**/search?q=Soldaten")
    assert page.locator(".snippet mark").count() >= 1
    assert page.locator(".snippet mark").first.inner_text().lower().startswith("soldat")
    assert_clean(page, watch)

    page.locator(".facet-list a", has_text="afp").first.click()
    page.wait_for_url("**source=afp**")
    assert page.locator(".chip", has_text="afp").count() == 1
    assert page.locator(".facet-list a[aria-current]").inner_text().startswith("afp")
    results_url = page.url

    title = page.locator(".hit-title a").first
    href = title.get_attribute("href")
    paragraph = int(href.rsplit("#p-", 1)[1])
    title.click()
    page.wait_for_load_state()
    hit = page.locator(f"#p-{paragraph}")
    assert "para--hit" in hit.get_attribute("class")
    assert hit.evaluate("el => el.matches(':target')")
    assert hit.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }"
    )
    background = hit.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # visibly emphasised
    assert page.locator(".article-body mark").count() >= 1
    assert_clean(page, watch)

    page.go_back()
    page.wait_for_url(results_url)
    assert page.locator(".hit").count() >= 1
    assert_clean(page, watch)


def test_deep_hit_paragraph_is_scrolled_into_view(live_server: str, session) -> None:
    page, watch = session
    page.goto(live_server + "/search?q=Pufferzone")
    link = page.locator(".hit-title a").first
    paragraph = int(link.get_attribute("href").rsplit("#p-", 1)[1])
    assert paragraph > 5
    link.click()
    page.wait_for_load_state()
    assert page.evaluate("window.scrollY") > 0
    top, bottom = page.locator(f"#p-{paragraph}.para--hit").evaluate(
        "el => [el.getBoundingClientRect().top, el.getBoundingClientRect().bottom]"
    )
    assert top >= 0 and bottom <= VIEWPORT["height"]
    assert page.locator(f"#p-{paragraph} mark").first.inner_text() == "Pufferzone"
    assert_clean(page, watch)


def test_slash_focuses_search_box(live_server: str, session) -> None:
    page, watch = session
    page.goto(live_server + "/search?q=Trump")
    page.locator("body").click(position={"x": 5, "y": 400})
    assert not page.locator("#q").evaluate("el => el === document.activeElement")
    page.keyboard.press("/")
    assert page.locator("#q").evaluate("el => el === document.activeElement")
    assert page.locator("#q").input_value() == "Trump"  # the slash was not typed
    assert_clean(page, watch)


def test_back_link_returns_to_results(live_server: str, session) -> None:
    page, watch = session
    page.goto(live_server + "/search?q=Trump&sort=date")
    page.locator(".hit-title a").first.click()
    page.get_by_role("link", name="Zurück zu den Ergebnissen").click()
    page.wait_for_url("**/search?q=Trump&sort=date")
    assert_clean(page, watch)


def test_timeline_bar_filters_to_month(live_server: str, session) -> None:
    page, watch = session
    page.goto(live_server + "/search?q=Ukraine")
    bar = page.locator("svg.timeline a").first
    assert bar.locator("title").text_content().count("Treffer") == 1
    bar.click()
    page.wait_for_url("**since=*until=*")
    assert page.locator(".chip", has_text="Monat").count() == 1
    assert_clean(page, watch)


def test_hostile_content_fires_no_dialog(hostile_index_dir, browser) -> None:
    context, page, watch = open_page(browser)
    try:
        with running_server(hostile_index_dir) as base:
            for path in ("/search?q=Sicherheitsgarantien", f"/search?q={SCRIPT}",
                         f"/search?q=x&source={IMG}", f"/search?q=x&since={SCRIPT}"):
                page.goto(base + path.replace("#", "%23"))
            page.goto(base + "/search?q=Sicherheitsgarantien")
            page.locator(".hit-title a").first.click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text().startswith("Warnung")
            assert watch.dialogs == []
            assert watch.csp_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_screenshot(live_server: str, browser, scheme: str) -> None:
    context, page, watch = open_page(browser, color_scheme=scheme)
    try:
        page.goto(live_server + "/search?q=Soldaten")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"results-{scheme}.png"))
        assert_clean(page, watch)
    finally:
        context.close()


def test_article_screenshot(live_server: str, browser) -> None:
    context, page, watch = open_page(browser)
    try:
        page.goto(live_server + "/search?q=Soldaten&source=afp")
        page.locator(".hit-title a").first.click()
        page.wait_for_load_state()
        assert page.locator(".para--hit").is_visible()
        page.evaluate("window.scrollTo(0, 0)")  # header and hit paragraph in one picture
        page.screenshot(path=str(SCREENSHOTS / "article.png"))
        assert_clean(page, watch)
    finally:
        context.close()
