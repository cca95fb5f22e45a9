"""The search parameters of a request: parsed once, checked, and turned back into URLs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from indexer import QueryError
from webui.format import german_number

MAX_QUERY_CHARS = 500
# Order of the parameters in every URL the UI builds, so one search has one permalink.
URL_ORDER = ("q", "source", "since", "until", "sort", "page")
DEFAULTS = {"q": "", "source": "", "since": "", "until": "", "sort": "relevance", "page": 1}


@dataclass(frozen=True, slots=True)
class SearchParams:
    """What a search page shows: query, filters, order and page."""

    q: str = ""
    source: str = ""
    since: str = ""
    until: str = ""
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchParams:
        """Read request arguments; raise QueryError for what no search could use."""
        q = (args.get("q") or "").strip()
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(
                f"Die Suchanfrage ist {german_number(len(q))} Zeichen lang; "
                f"erlaubt sind höchstens {MAX_QUERY_CHARS}."
            )
        page = (args.get("page") or "1").strip()
        if not page.isdecimal() or len(page) > 9:
            raise QueryError(f"Die Seitenzahl {page[:20]!r} ist keine gültige Zahl.")
        return cls(
            q=q,
            source=(args.get("source") or "").strip(),
            since=(args.get("since") or "").strip(),
            until=(args.get("until") or "").strip(),
            sort=(args.get("sort") or "relevance").strip(),
            page=int(page),
        )

    def to_args(self, **changes: object) -> dict[str, object]:
        """Return the URL arguments after `changes`, leaving out defaults (short permalinks)."""
        values = asdict(replace(self, **changes))
        return {k: values[k] for k in URL_ORDER if values[k] != DEFAULTS[k]}

    @property
    def filtered(self) -> bool:
        """True when a source or date filter narrows the search."""
        return bool(self.source or self.since or self.until)

    @property
    def month(self) -> str:
        """The month the date filter selects exactly ("2025-02"), else ""."""
        if len(self.since) == 7 and self.since == self.until:
            return self.since
        return ""

    def search_kwargs(self) -> dict[str, object]:
        """Return the keyword arguments for SearchIndex.search."""
        return {
            "page": self.page,
            "source": self.source or None,
            "since": self.since or None,
            "until": self.until or None,
            "sort": self.sort,
        }
