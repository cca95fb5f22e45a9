"""German text analysis: one chain of small Whoosh filters (see ``analyzer``)."""

from indexer.analysis.analyzer import AnalysisOptions, analyze, german_analyzer, token_spans
from indexer.analysis.filters import fold_umlauts

__all__ = ["AnalysisOptions", "analyze", "fold_umlauts", "german_analyzer", "token_spans"]
