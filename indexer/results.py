"""The values a search returns: plain dataclasses with a JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Hit:
    """One matching paragraph; `snippet` is escaped HTML with <mark> around matches."""

    id: str
    article_id: str
    title: str
    kicker: str
    section: str
    date: str
    source: str
    paragraph: int
    score: float
    text: str
    snippet: str


@dataclass
class SearchResult:
    """A page of hits plus the exact total; `facets` and `timeline` when asked for."""

    query: str
    total: int
    page: int
    took_ms: float
    hits: list[Hit]
    suggestion: str | None = None
    limit: int = 10
    facets: dict[str, list[dict]] | None = None
    timeline: list[dict] | None = None
    timed_out: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    def to_dict(self) -> dict:
        """The CLI's --json object: exactly query, total, page, took_ms, suggestion, hits."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "took_ms": self.took_ms,
            "suggestion": self.suggestion,
            "hits": [asdict(h) for h in self.hits],
        }


@dataclass
class ArticleParagraph:
    """A paragraph of a reassembled article."""

    paragraph: int
    id: str
    section: str
    source: str
    text: str


@dataclass
class ArticleView:
    """A whole article reassembled from the index."""

    id: str
    title: str
    kicker: str
    date: str
    source: str
    url: str
    paragraphs: list[ArticleParagraph] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """Distinct paragraph sources in order of appearance."""
        return list(dict.fromkeys(p.source for p in self.paragraphs if p.source))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sources"] = self.sources
        return data
