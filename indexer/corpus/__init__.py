"""Reading a corpus folder into ``Article`` objects (plain text and JSON Lines).

Nothing here knows about Whoosh or Flask. Every problem with a file goes to the
``ReadReport`` (skipped file or warning) instead of being raised, so one bad file
never stops an index build.
"""

from .dates import parse_date
from .discover import SUFFIXES, SourceFile, discover
from .reader import read_corpus, read_source

__all__ = ["SUFFIXES", "SourceFile", "discover", "parse_date", "read_corpus", "read_source"]
