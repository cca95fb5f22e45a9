"""Concurrent searches on one SearchIndex answer exactly as the same searches one by one.

The web server runs searches on several threads against one SearchIndex. Python
switches threads only every few milliseconds, so a race between two searches shows
rarely (the soak test saw 4 in 16,528 requests); the test makes it likely by switching
threads every microsecond while 8 threads search.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import SearchIndex
from tests.reliability.support import opened, repeat, run_cli, write_corpus

QUERIES = [
    "Bundestag", "Haushalt", "Rente", "Klimaschutz", "Europa", "Bundeswehr", "Kollegen",
    "Damen und Herren", "\"sehr geehrte\"", "Bildung OR Schule", "Digitalisierung -Internet",
    "Steuer*", "Arbeitsmarkt", "Gesundheit", "Wohnungsbau", "Energie AND Preise", "Migration",
    "Regierung", "Antrag", "Gesetz", "Frau Präsidentin", "Deutschland", "Kinder", "Familie",
    "Sicherheit", "Wirtschaft", "Landwirtschaft", "Verkehr", "Justiz", "Zukunft", "Frage",
    "Verantwortung", "Haushalt 2018", "Abgeordnete", "Koalition", "Opposition", "Demokratie",
]
THREADS = 8


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, speeches: list[dict]) -> Iterator[SearchIndex]:
    root = tmp_path_factory.mktemp("concurrent")
    corpus = write_corpus(root / "corpus", speeches[:300])
    built = run_cli("index", corpus, "--index", root / "index")
    assert built.returncode == 0, built.stderr[-2000:]
    with opened(root / "index") as index:
        yield index


def answer(index: SearchIndex, q: str) -> tuple:
    """By relevance (with facets) and by date: the two ways a results page is ordered."""
    result = index.search(q, facets=True)
    by_date = index.search(q, sort="date", page=2)
    return (result.total, [hit.id for hit in result.hits], result.facets["source"][:3],
            [hit.id for hit in by_date.hits])


def search_all(index: SearchIndex, expected: dict, offset: int, problems: Counter) -> None:
    """Run every query once, starting at `offset`; count wrong answers and exceptions."""
    for q in QUERIES[offset:] + QUERIES[:offset]:
        try:
            if answer(index, q) != expected[q]:
                problems[f"different answer for {q!r}"] += 1
        except Exception as exc:  # the failure under test: count it, keep going
            problems[f"{type(exc).__name__}: {str(exc)[:160]}"] += 1


def test_concurrent_searches_agree_with_sequential_ones(index: SearchIndex, tally) -> None:
    fault = f"{THREADS} threads searching one index"
    expected = {q: answer(index, q) for q in QUERIES}
    for number in range(repeat(1)):
        with tally.inject(fault, f"round {number}"):
            problems: Counter = Counter()
            interval = sys.getswitchinterval()
            sys.setswitchinterval(1e-6)
            try:
                threads = [
                    threading.Thread(target=search_all, args=(index, expected, n * 5, problems))
                    for n in range(THREADS)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(300)
            finally:
                sys.setswitchinterval(interval)
            searches = THREADS * len(QUERIES)
            assert not problems, f"{sum(problems.values())} of {searches} searches: {problems}"
    tally.check(fault)


def test_searches_survive_a_refresh_under_threads(index: SearchIndex, tmp_path: Path) -> None:
    """Forcing the index to notice a new version while threads search breaks nothing."""
    errors: list[str] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            try:
                index.search("Bundestag")
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(20):
            index.refresh(force=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not errors, errors[:5]
