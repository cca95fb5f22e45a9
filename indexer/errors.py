"""Errors with messages a user can act on; the CLI and web UI show them as they are."""

from __future__ import annotations


class ArtikelsucheError(Exception):
    """Base class: the message is one line that says what happened and what to do."""


class IndexMissing(ArtikelsucheError):
    """There is no index at the given place yet."""


class IndexDamaged(ArtikelsucheError):
    """The index exists but cannot be read."""


class IndexBusy(ArtikelsucheError):
    """Another indexer holds the build lock."""


class QueryError(ArtikelsucheError, ValueError):
    """A search parameter cannot be used (bad date, page out of range, ...)."""
