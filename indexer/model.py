"""The plain data that flows from corpus reading into the index and back out.

Nothing here knows about Whoosh or Flask, so readers, the index builder, the
search API and the web UI can all share these types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One indexed unit of text, with the section and agency it belongs to."""

    text: str
    section: str = ""
    source: str = ""


@dataclass(slots=True)
class Article:
    """An article as read from the corpus, before it is split into index documents.

    ``date`` is an ISO 8601 prefix that keeps the precision the text gave:
    ``"2025"``, ``"2025-02"``, ``"2025-02-04"`` or ``"2025-02-04T08:37"`` (or ``""``).
    ``origin`` is the file path relative to the corpus root; ``signature`` is a
    content hash used by the incremental indexer to notice changed articles.
    """

    id: str
    title: str
    paragraphs: list[Paragraph]
    kicker: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    origin: str = ""
    signature: str = ""


@dataclass(slots=True)
class ReadReport:
    """What reading a corpus noticed: files skipped and recoverable problems.

    Readers append to it instead of raising, so one bad file never stops a build.
    """

    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append((path, reason))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append((path, message))
