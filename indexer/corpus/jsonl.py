"""Read JSON Lines article files (``.jsonl``, or gzip-compressed ``.jsonl.gz``), streaming.

One object per line: ``{"id", "title", "date", "source", "url", "paragraphs": [...]}``
(optional ``kicker``). A paragraph is a string, or an object ``{"text", "section",
"source"}`` so sectioned articles can be exported and read back. A bad line is skipped
with a warning naming its number; the rest of the file is still read. An article's
signature is the hash of its raw line (without BOM and line end), so an unchanged
article keeps its signature when other lines of the file change; given the
signatures already indexed from this file, such lines are not even parsed (one
changed speech in a 200 MB file re-reads the file in a fraction of a second).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator, Mapping
from typing import IO

from ..model import Article, ReadReport
from .discover import SourceFile
from .records import Problems, line_signature, parse_line, raw_line

GZIP_MAGIC = b"\x1f\x8b"
# The first bytes checked for NUL to recognise a binary file before parsing it line by line.
_SNIFF_BYTES = 8192


def read_jsonl(
    sf: SourceFile, report: ReadReport, known: Mapping[str, str] | None = None
) -> Iterator[Article]:
    """Yield the file's articles in order; duplicate ids within the file keep the first.

    `known` maps the signatures indexed from this file to their article ids: a line
    with such a signature is yielded as a stub (id and signature, no paragraphs)
    without being parsed, since its article is already in the index as it is.
    """
    try:
        raw = open(sf.path, "rb")  # noqa: SIM115 - closed by the with-block below
    except OSError as exc:
        report.skip(sf.relpath, f"cannot read file ({exc.strerror or exc})")
        return
    with raw:
        yield from _read_stream(raw, sf, report, known or {})


def _read_stream(
    raw: IO[bytes], sf: SourceFile, report: ReadReport, known: Mapping[str, str]
) -> Iterator[Article]:
    problems = Problems(report, sf.relpath)
    first_line: dict[str, int] = {}
    number = 0
    stream: IO[bytes] | None = None
    try:
        stream = _decompressed(raw, sf, report)
        if stream is None:
            return
        for number, line in enumerate(stream, 1):
            article = _known(line, number, sf.relpath, known) if known else None
            if article is None:
                article = parse_line(line, number, sf.relpath, problems)
            if article is None:
                continue
            if article.id in first_line:
                problems(f"line {number}: duplicate article id {article.id!r} "
                         f"(first on line {first_line[article.id]}), skipped")
                continue
            first_line[article.id] = number
            yield article
    except (OSError, EOFError, zlib.error) as exc:
        _report_broken_stream(sf.relpath, number, bool(first_line), exc, report)
        return
    finally:
        if stream is not None and stream is not raw:
            stream.close()
        problems.finish()
    if not first_line:
        report.skip(sf.relpath, "no articles found" if number else "empty file")


def _known(raw: bytes, number: int, relpath: str, known: Mapping[str, str]) -> Article | None:
    """A stub for a line whose signature is indexed, unless its id came from its line
    number (an id-less record), which moves when lines above it change."""
    signature = line_signature(raw_line(raw, number))
    article_id = known.get(signature)
    if article_id is None or article_id.startswith(f"{relpath}#"):
        return None
    return Article(id=article_id, title="", paragraphs=[], origin=relpath, signature=signature)


def _decompressed(raw: IO[bytes], sf: SourceFile, report: ReadReport) -> IO[bytes] | None:
    """Return the byte stream to parse (gunzipped if needed), or None for a non-JSONL file."""
    compressed = raw.read(2) == GZIP_MAGIC
    raw.seek(0)
    named_gz = sf.relpath.lower().endswith(".gz")
    if named_gz and not compressed:
        report.skip(sf.relpath, "not a gzip file (named .gz but not compressed)")
        return None
    if compressed and not named_gz:
        report.warn(sf.relpath, "gzip-compressed although not named .gz; decompressed")
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
    if b"\x00" in stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]:  # type: ignore[attr-defined]
        if stream is not raw:
            stream.close()
        report.skip(sf.relpath, "binary file (contains NUL bytes)")
        return None
    return stream


def _report_broken_stream(
    relpath: str, number: int, got_articles: bool, exc: BaseException, report: ReadReport
) -> None:
    corrupt = isinstance(exc, gzip.BadGzipFile | EOFError | zlib.error)
    kind = "corrupt or truncated gzip stream" if corrupt else "read error"
    detail = f"{kind} after line {number} ({exc})" if number else f"{kind} ({exc})"
    if got_articles:
        report.warn(relpath, f"{detail}; the rest of the file is skipped")
    else:
        report.skip(relpath, detail)
