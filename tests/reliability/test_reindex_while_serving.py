"""Re-index while `serve` is under load: no failed request, new content without a restart.

Client threads send /api/search and /search requests back to back over loopback while
`index` updates (incrementally, or with --rebuild) the index the server reads. Every
answer must be a 200 with valid JSON or a whole HTML page, and a word that only the
new corpus has must become searchable within a bounded time.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import string
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.reliability.support import (
    changed_corpus,
    repeat,
    run_cli,
    running_server,
    write_corpus,
)

QUERIES = ["Bundestag", "Haushalt", "Rente", "Klimaschutz", "Europa", "Bundeswehr",
           "\"sehr geehrte\"", "Bildung OR Schule", "Digitalisierung -Internet", "Steuer*",
           "Arbeitsmarkt", "Gesundheit", "Wohnungsbau", "Energie AND Preise", "Migration"]
CLIENTS = 4
VISIBLE_WITHIN = 60.0  # seconds from the end of `index` until the new word is found


class Load:
    """Client threads that request search pages until stopped, keeping every failure."""

    def __init__(self, server) -> None:
        self.server = server
        self.stop = threading.Event()
        self.count = 0
        self.failures: list[str] = []
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True)
                        for n in range(CLIENTS)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _run(self, number: int) -> None:
        path = "/api/search" if number % 2 == 0 else "/search"
        for n in itertools.count(number):
            if self.stop.is_set():
                return
            q = QUERIES[n % len(QUERIES)]
            try:
                answer = self.server.get(path, q=q, page=1 + n % 3)
                problem = self._problem(path, answer, parse=n % 10 == 0)
            except Exception as exc:  # a refused or broken connection is a failure too
                problem = f"{type(exc).__name__}: {exc}"
            with self._lock:
                self.count += 1
                if problem:
                    self.failures.append(f"{path}?q={q}: {problem}")

    @staticmethod
    def _problem(path: str, answer, parse: bool) -> str | None:
        if answer.status != 200:
            return f"status {answer.status}: {answer.body[:300]}"
        if path.startswith("/api/"):
            data = json.loads(answer.body)
            return None if isinstance(data.get("total"), int) else f"bad JSON {answer.body[:200]}"
        if not answer.body.rstrip().endswith("</html>"):
            return f"truncated HTML ({len(answer.body)} chars)"
        if parse and BeautifulSoup(answer.body, "html.parser").find("main") is None:
            return "HTML without <main>"
        return None

    def wait_for(self, count: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.count < count and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> dict:
    root = tmp_path_factory.mktemp("serving")
    corpus = write_corpus(root / "A", speeches[:120])
    index = root / "index-A"
    built = run_cli("index", corpus, "--index", index)
    assert built.returncode == 0, built.stderr
    return {"root": root, "index": index, "speeches": speeches}


def marker_word(rng: random.Random) -> str:
    """A made-up German-looking noun no speech contains."""
    return "Prüfwort" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))


def total(server, q: str) -> int | None:
    answer = server.get("/api/search", q=q)
    return json.loads(answer.body)["total"] if answer.status == 200 else None


@pytest.mark.parametrize("mode", ["incremental", "rebuild"])
def test_reindex_under_load(mode: str, served: dict, tally, tmp_path: Path) -> None:
    fault = f"re-index while serving ({mode})"
    rng = random.Random(mode)
    for number in range(repeat(1)):
        index = tmp_path / f"index-{number}"
        shutil.copytree(served["index"], index)
        word = marker_word(rng)
        speeches = served["speeches"]
        corpus = changed_corpus(tmp_path / f"B-{number}", speeches[:120], speeches[120:140], word)
        with tally.inject(fault, f"run {number}"), running_server(index, tmp_path) as server:
            assert total(server, word) == 0
            with Load(server) as load:
                load.wait_for(20)
                extra = ("--rebuild",) if mode == "rebuild" else ()
                result = run_cli("index", corpus, "--index", index, *extra)
                assert result.returncode == 0, result.stderr[-2000:]
                deadline = time.monotonic() + VISIBLE_WITHIN
                while not total(server, word):
                    assert time.monotonic() < deadline, f"{word} not found {VISIBLE_WITHIN} s later"
                    time.sleep(0.2)
                seen = load.count
                load.wait_for(seen + 20)  # keep the load on the new index for a while
            assert load.count >= 40, load.count
            assert not load.failures, f"{len(load.failures)} of {load.count}: {load.failures[:5]}"
            assert server.alive(), server.output()
        shutil.rmtree(index, ignore_errors=True)
    tally.check(fault)
