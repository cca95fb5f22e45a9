"""Fixtures for the web UI: apps over real indexes, a parser, and a real server process."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer import SearchIndex, build_index
from tests.webui.ui_support import HOSTILE_ARTICLE, running_server
from webui import create_app
from webui.resource import EXTENSION


@pytest.fixture(scope="session")
def app(sample_index_dir: Path) -> Flask:
    """The app over the sample index (shared: nothing in it changes per test)."""
    return create_app({"INDEX_DIR": str(sample_index_dir), "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def index(app: Flask) -> SearchIndex:
    """The app's own SearchIndex, to compare pages with what the API returns."""
    return app.extensions[EXTENSION].get()


@pytest.fixture(scope="session")
def hostile_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one article full of markup and quotes."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    build_index(corpus, root / "index")
    return root / "index"


@pytest.fixture(scope="session")
def hostile_client(hostile_index_dir: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": str(hostile_index_dir), "TESTING": True}).test_client()


@pytest.fixture(scope="session")
def live_server(sample_index_dir: Path) -> Iterator[str]:
    """The real server over the sample index, shared by the browser tests."""
    with running_server(sample_index_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("needs /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        with contextlib.suppress(Exception):
            browser.close()
