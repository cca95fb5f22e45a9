"""Read JSON Lines article files (``.jsonl``, or gzip-compressed ``.jsonl.gz``), streaming.

One object per line: ``{"id", "title", "date", "source", "url", "paragraphs": [...]}``
(optional ``kicker``). A paragraph is a string, or an object ``{"text", "section",
"source"}`` so sectioned articles can be exported and read back. A bad line is skipped
with a warning naming its number; the rest of the file is still read.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from ..model import Article, Paragraph, ReadReport
from .dates import parse_date
from .discover import SourceFile
from .text import clean

GZIP_MAGIC = b"\x1f\x8b"
# Only this many problems per file are listed one by one; the rest are counted.
MAX_WARNINGS_PER_FILE = 50
# The first bytes checked for NUL to recognise a binary file before parsing it line by line.
_SNIFF_BYTES = 8192


class _Problems:
    """Warnings for one file, capped so a broken file cannot flood the report."""

    def __init__(self, report: ReadReport, relpath: str) -> None:
        self.report, self.relpath, self.suppressed = report, relpath, 0
        self.listed = 0

    def __call__(self, message: str) -> None:
        if self.listed < MAX_WARNINGS_PER_FILE:
            self.listed += 1
            self.report.warn(self.relpath, message)
        else:
            self.suppressed += 1

    def finish(self) -> None:
        if self.suppressed:
            self.report.warn(self.relpath, f"{self.suppressed} more problems not listed")


def read_jsonl(sf: SourceFile, report: ReadReport) -> Iterator[Article]:
    """Yield the file's articles in order; duplicate ids within the file keep the first."""
    try:
        raw = open(sf.path, "rb")  # noqa: SIM115 - closed by the with-block below
    except OSError as exc:
        report.skip(sf.relpath, f"cannot read file ({exc.strerror or exc})")
        return
    with raw:
        yield from _read_stream(raw, sf, report)


def _read_stream(raw: IO[bytes], sf: SourceFile, report: ReadReport) -> Iterator[Article]:
    problems = _Problems(report, sf.relpath)
    first_line: dict[str, int] = {}
    number = 0
    stream: IO[bytes] | None = None
    try:
        stream = _decompressed(raw, sf, report)
        if stream is None:
            return
        for number, line in enumerate(stream, 1):
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


def parse_line(
    raw: bytes, number: int, relpath: str, problems: _Problems
) -> Article | None:
    """Return the article on one line, or None for a blank or bad line (with a warning)."""
    line = raw.rstrip(b"\r\n")
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        problems(f"line {number}: malformed JSON ({exc.msg}), line skipped")
        return None
    except UnicodeDecodeError:
        problems(f"line {number}: not valid UTF-8, line skipped")
        return None
    except RecursionError:
        problems(f"line {number}: malformed JSON (nested too deeply), line skipped")
        return None
    if not isinstance(record, dict):
        problems(f"line {number}: not a JSON object, line skipped")
        return None
    return _article(record, line, number, relpath, problems)


def _article(
    record: dict[str, Any], line: bytes, number: int, relpath: str, problems: _Problems
) -> Article | None:
    paragraphs = _paragraphs(record.get("paragraphs"), number, problems)
    if not paragraphs:
        problems(f"line {number}: no paragraphs, skipped")
        return None
    return Article(
        id=_article_id(record.get("id"), number, relpath, problems),
        title=_string(record, "title", number, problems),
        paragraphs=paragraphs,
        kicker=_string(record, "kicker", number, problems),
        date=_date(record.get("date"), number, problems),
        source=_string(record, "source", number, problems),
        url=_string(record, "url", number, problems),
        origin=relpath,
        signature=hashlib.blake2b(line, digest_size=16).hexdigest(),
    )


def _paragraphs(value: Any, number: int, problems: _Problems) -> list[Paragraph]:
    if not isinstance(value, list):
        return []
    paragraphs: list[Paragraph] = []
    for position, item in enumerate(value, 1):
        if isinstance(item, str):
            text, section, source = item, "", ""
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            text = item["text"]
            section, source = _text(item.get("section")), _text(item.get("source"))
        else:
            problems(f"line {number}: paragraph {position} is not text, ignored")
            continue
        text = clean(text)
        if text:
            paragraphs.append(Paragraph(text, section, source))
    return paragraphs


def _article_id(value: Any, number: int, relpath: str, problems: _Problems) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    fallback = f"{relpath}#{number}"
    problems(f"line {number}: no id, using {fallback!r}")
    return fallback


def _string(record: dict[str, Any], key: str, number: int, problems: _Problems) -> str:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return _text(value)
    problems(f"line {number}: {key!r} is not a string, ignored")
    return ""


def _text(value: Any) -> str:
    return clean(value) if isinstance(value, str) else ""


def _date(value: Any, number: int, problems: _Problems) -> str:
    """JSONL dates are known to be dates, so a bare year is accepted; null gives ''."""
    if value is None or value == "":
        return ""
    date = parse_date(str(value), allow_bare_year=True)
    if date is None:
        problems(f"line {number}: unrecognised date {value!r}, left empty")
        return ""
    return date
