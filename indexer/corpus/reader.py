"""Dispatch corpus files to the reader for their format and drop duplicate article ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..model import Article, ReadReport
from .discover import SourceFile, discover
from .jsonl import read_jsonl
from .txt import read_txt


def _read_txt(sf: SourceFile, report: ReadReport, _known=None) -> Iterator[Article]:
    article = read_txt(sf, report)
    if article is not None:
        yield article


# Longest suffix first, so ".jsonl.gz" is not taken for something else.
_READERS: tuple[tuple[str, Callable[..., Iterator[Article]]], ...] = (
    (".jsonl.gz", read_jsonl),
    (".jsonl", read_jsonl),
    (".txt", _read_txt),
)


def read_source(
    sf: SourceFile, report: ReadReport, known: Mapping[str, str] | None = None
) -> Iterator[Article]:
    """Yield the articles of one file; problems go to the report, never raised.

    `known` (signature -> article id, as indexed from this file) lets a reader
    yield unchanged articles as stubs without parsing them (JSON Lines does).
    """
    name = sf.relpath.lower()
    for suffix, reader in _READERS:
        if name.endswith(suffix):
            yield from reader(sf, report, known)
            return
    report.skip(sf.relpath, "unsupported file type")


def read_corpus(root: Path, report: ReadReport) -> Iterator[Article]:
    """Yield every article under root once; a later duplicate id is reported and left out."""
    first_origin: dict[str, str] = {}
    for sf in discover(root, report):
        for article in read_source(sf, report):
            if article.id in first_origin:
                report.warn(
                    sf.relpath,
                    f"duplicate article id {article.id!r} (first read from "
                    f"{first_origin[article.id]}), skipped",
                )
                continue
            first_origin[article.id] = sf.relpath
            yield article
