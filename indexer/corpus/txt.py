"""Read one plain-text article file (one article per ``.txt`` file)."""

from __future__ import annotations

import hashlib

from ..model import Article, ReadReport
from .body import build_paragraphs
from .decode import decode
from .discover import SourceFile
from .header import split_header
from .layout import paragraph_lines

# A single article larger than this is not an article; refuse it instead of using the RAM.
MAX_TXT_BYTES = 64 * 1024 * 1024


def read_txt(sf: SourceFile, report: ReadReport) -> Article | None:
    """Return the file's article, or None after reporting why there is none."""
    data = _read_bytes(sf, report)
    if data is None:
        return None
    text = decode(data, sf.relpath, report)
    if text is None:
        return None
    if not text.strip():
        report.skip(sf.relpath, "file contains only whitespace")
        return None
    lines = text.split("\n")
    header, body_start, warnings = split_header(lines)
    for message in warnings:
        report.warn(sf.relpath, message)
    paragraphs = build_paragraphs(paragraph_lines(lines[body_start:]))
    if not paragraphs:
        report.skip(sf.relpath, "no article text found")
        return None
    return Article(
        id=article_id(sf.relpath),
        title=header.title,
        paragraphs=paragraphs,
        kicker=header.kicker,
        date=header.date,
        origin=sf.relpath,
        signature=signature(data),
    )


def article_id(relpath: str) -> str:
    """The id of a text article is its path without the extension: stable and unique."""
    return relpath[: -len(".txt")] if relpath.lower().endswith(".txt") else relpath


def signature(data: bytes) -> str:
    """Content hash that changes whenever the article's bytes change."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_bytes(sf: SourceFile, report: ReadReport) -> bytes | None:
    try:
        with open(sf.path, "rb") as stream:
            data = stream.read(MAX_TXT_BYTES + 1)
    except OSError as exc:
        report.skip(sf.relpath, f"cannot read file ({exc.strerror or exc})")
        return None
    if len(data) > MAX_TXT_BYTES:
        report.skip(sf.relpath, f"file too large for one article (over {MAX_TXT_BYTES >> 20} MB)")
        return None
    return data
