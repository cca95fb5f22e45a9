"""Turn one JSON Lines record into an Article, checking every field it relies on."""

from __future__ import annotations

import codecs
import hashlib
import json
from typing import Any

from ..model import Article, Paragraph, ReadReport
from .dates import parse_date
from .text import clean

# Only this many problems per file are listed one by one; the rest are counted.
MAX_WARNINGS_PER_FILE = 50


class Problems:
    """Warnings for one file, capped so a broken file cannot flood the report."""

    def __init__(self, report: ReadReport, relpath: str) -> None:
        self.report = report
        self.relpath = relpath
        self.listed = 0
        self.suppressed = 0

    def __call__(self, message: str) -> None:
        if self.listed < MAX_WARNINGS_PER_FILE:
            self.listed += 1
            self.report.warn(self.relpath, message)
        else:
            self.suppressed += 1

    def finish(self) -> None:
        if self.suppressed:
            self.report.warn(self.relpath, f"{self.suppressed} more problems not listed")


def parse_line(
    raw: bytes, number: int, relpath: str, problems: Problems
) -> Article | None:
    """Return the article on one line, or None for a blank or bad line (with a warning)."""
    line = raw_line(raw, number)
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


def raw_line(raw: bytes, number: int) -> bytes:
    """The line as its signature sees it: without line end, and without BOM on line 1."""
    line = raw.rstrip(b"\r\n")
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    return line


def line_signature(line: bytes) -> str:
    """The signature of an article read from a line: a hash of the raw line."""
    return hashlib.blake2b(line, digest_size=16).hexdigest()


def _article(
    record: dict[str, Any], line: bytes, number: int, relpath: str, problems: Problems
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
        signature=line_signature(line),
    )


def _paragraphs(value: Any, number: int, problems: Problems) -> list[Paragraph]:
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


def _article_id(value: Any, number: int, relpath: str, problems: Problems) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    fallback = f"{relpath}#{number}"
    problems(f"line {number}: no id, using {fallback!r}")
    return fallback


def _string(record: dict[str, Any], key: str, number: int, problems: Problems) -> str:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return _text(value)
    problems(f"line {number}: {key!r} is not a string, ignored")
    return ""


def _text(value: Any) -> str:
    return clean(value) if isinstance(value, str) else ""


def _date(value: Any, number: int, problems: Problems) -> str:
    """JSONL dates are known to be dates, so a bare year is accepted; null gives ''."""
    if value is None or value == "":
        return ""
    date = parse_date(str(value), allow_bare_year=True)
    if date is None:
        problems(f"line {number}: unrecognised date {value!r}, left empty")
        return ""
    return date
