"""Artikelsuche's indexer: read German articles, index paragraphs, search them.

>>> from indexer import SearchIndex, build_index           # doctest: +SKIP
>>> build_index("../shared/corpus", "index_data")          # doctest: +SKIP
>>> SearchIndex.open("index_data").search("Pufferzone").total  # doctest: +SKIP
1
"""

from indexer.build import BuildSummary, build_index
from indexer.errors import ArtikelsucheError, IndexBusy, IndexDamaged, IndexMissing, QueryError
from indexer.results import ArticleView, Hit, SearchResult
from indexer.search import SearchIndex
from indexer.whoosh_fixes import install as _install_fixes
from indexer.whoosh_speedups import install as _install_speedups

_install_speedups()  # before any index is read or written; see the module's docstring
_install_fixes()

__all__ = [
    "ArticleView",
    "ArtikelsucheError",
    "BuildSummary",
    "Hit",
    "IndexBusy",
    "IndexDamaged",
    "IndexMissing",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "build_index",
]
