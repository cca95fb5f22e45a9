"""The one SearchIndex of the process: opened lazily, shared by all threads.

Follows the get_x / init_app pattern of Flask's tutorial. The index is opened on the
first request that needs it, so the app starts (and answers 503 pages) before any
index exists; failed opens are retried at most once per RETRY_SECONDS.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask, current_app

from indexer import ArtikelsucheError, IndexDamaged, IndexMissing, SearchIndex
from indexer.store import resolve_index_dir

EXTENSION = "artikelsuche.index"


class IndexResource:
    """Holds the SearchIndex once it opens, and the last failure until a retry is due."""

    def __init__(self, index_dir: Path, retry_seconds: float = 1.0) -> None:
        self.index_dir = index_dir
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._error: ArtikelsucheError | None = None
        self._tried = float("-inf")

    def get(self) -> SearchIndex:
        """Return the open index, or raise IndexMissing/IndexDamaged with its message."""
        index = self._index
        if index is not None:
            return index
        with self._lock:
            if self._index is None:
                self._open_or_raise()
            return self._index

    def _open_or_raise(self) -> None:
        """Try to open unless the last failure is too recent (a 503 must stay cheap)."""
        now = time.monotonic()
        if self._error is not None and now - self._tried < self.retry_seconds:
            raise type(self._error)(str(self._error))  # a fresh one: no growing traceback
        self._tried = now
        try:
            self._index = SearchIndex.open(self.index_dir)
        except (IndexMissing, IndexDamaged) as exc:
            self._error = exc
            raise
        self._error = None


def init_app(app: Flask) -> None:
    """Attach an (unopened) index resource for the configured directory to the app."""
    index_dir = resolve_index_dir(app.config.get("INDEX_DIR"))
    app.extensions[EXTENSION] = IndexResource(index_dir, app.config["INDEX_RETRY_SECONDS"])


def get_index() -> SearchIndex:
    """Return the current app's shared SearchIndex, opening it on first use."""
    return current_app.extensions[EXTENSION].get()

