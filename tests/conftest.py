"""Shared fixtures: real indexes on disk, built once per session from real text."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import SearchIndex, build_index
from tests.paths import SAMPLE_CORPUS


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the two sample articles in ../shared/corpus (read-only for tests)."""
    index_dir = tmp_path_factory.mktemp("sample") / "index"
    build_index(SAMPLE_CORPUS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def sample_index(sample_index_dir: Path) -> SearchIndex:
    """A SearchIndex over the sample articles."""
    return SearchIndex.open(sample_index_dir)


def write_article(folder: Path, name: str, text: str) -> Path:
    """Write a .txt article fixture (our own text, never copied from ../shared)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
