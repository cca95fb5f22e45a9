"""The factory, the shared index resource, and the server entry point."""

from __future__ import annotations

import threading

import pytest
from flask.cli import ScriptInfo

from indexer import SearchIndex
from webui import create_app
from webui.resource import EXTENSION, IndexResource


def test_index_dir_from_config_env_or_default(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("ARTIKELSUCHE_INDEX", raising=False)
    assert str(create_app().extensions[EXTENSION].index_dir) == "index_data"
    monkeypatch.setenv("ARTIKELSUCHE_INDEX", str(tmp_path / "env"))
    assert create_app().extensions[EXTENSION].index_dir == tmp_path / "env"
    app = create_app({"INDEX_DIR": str(tmp_path / "config")})
    assert app.extensions[EXTENSION].index_dir == tmp_path / "config"


def test_flask_cli_finds_the_factory(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ARTIKELSUCHE_INDEX", str(tmp_path))
    app = ScriptInfo(app_import_path="webui").load_app()
    assert app.name == "webui"
    assert "pages.search" in {rule.endpoint for rule in app.url_map.iter_rules()}


def test_creating_the_app_opens_nothing(monkeypatch, tmp_path) -> None:
    opened = []
    monkeypatch.setattr(SearchIndex, "open", classmethod(lambda cls, *a, **k: opened.append(a)))
    create_app({"INDEX_DIR": str(tmp_path)})
    assert opened == []


def test_index_opened_once_and_shared_by_threads(sample_index_dir, monkeypatch) -> None:
    calls = []
    real_open = SearchIndex.open.__func__

    def counting_open(cls, *args, **kwargs):
        calls.append(args)
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "open", classmethod(counting_open))
    app = create_app({"INDEX_DIR": str(sample_index_dir)})
    statuses: list[int] = []

    def worker() -> None:
        client = app.test_client()
        statuses.extend(client.get("/search?q=Ukraine").status_code for _ in range(3))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 24
    assert len(calls) == 1


def test_resource_retries_after_interval(tmp_path) -> None:
    resource = IndexResource(tmp_path / "none", retry_seconds=0)
    with pytest.raises(Exception, match="artikelsuche index"):
        resource.get()
    with pytest.raises(Exception, match="artikelsuche index"):
        resource.get()
