"""The search API: open an index once, then search it from any thread.

>>> ix = SearchIndex.open("index_data")                     # doctest: +SKIP
>>> result = ix.search("Sicherheitsgarantien", source="dpa") # doctest: +SKIP
>>> result.total, result.hits[0].snippet                    # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from whoosh import qparser, query, sorting
from whoosh.index import EmptyIndexError
from whoosh.query import Query
from whoosh.reading import CorruptIndexError

from indexer.array_search import (
    Unsupported,
    latest_documents,
    search_segments,
    top_documents,
)
from indexer.build import live_terms
from indexer.common_terms import split_common_terms
from indexer.counting import count_matches, matching_ids
from indexer.dates import parse_filter_date
from indexer.errors import IndexDamaged, IndexMissing, QueryError
from indexer.expand import expand_query
from indexer.facets import facet_column, facet_counts
from indexer.features import SearchFeatures
from indexer.postings import PostingsCache
from indexer.query import make_parser, parse_query, positive_terms
from indexer.ranking import GermanBM25F
from indexer.results import ArticleParagraph, ArticleView, Hit, SearchResult
from indexer.snippets import make_snippet
from indexer.store import (
    current_generation,
    damaged_message,
    describe_error,
    index_size_bytes,
    open_generation,
    resolve_index_dir,
)
from indexer.suggest import FEW_RESULTS, suggest
from indexer.vocabulary import VocabularyLoader

SORTS = ("relevance", "date")
FACET_FIELDS = {"source": "source_label", "month": "month"}
# What reading damaged or vanished index files raises (as opposed to odd input).
_DAMAGE_ERRORS = (OSError, EOFError, zlib.error, struct.error, pickle.UnpicklingError,
                  CorruptIndexError, EmptyIndexError)
MAX_LIMIT = 100
MAX_RESULT_WINDOW = 10_000  # page * limit, as Elasticsearch's index.max_result_window
REFRESH_INTERVAL = 0.5  # seconds between checks for a newer index on disk
POOL_SIZE = max(2, os.cpu_count() or 2)  # pure-Python search gains nothing from more
RETIRE_SECONDS = 60.0  # a replaced searcher is closed this long after its successor opened
POOL_WAIT_SECONDS = 30.0  # a search waits at most this long for a free searcher


class SearchIndex:
    """A read-only handle on an index directory, shared by threads.

    Searches borrow a Whoosh searcher from a small pool; all of them move to a
    newer index (an incremental commit or a rebuilt generation) on their next search.
    """

    def __init__(self, index_dir: Path, features: SearchFeatures | None = None) -> None:
        self.index_dir = index_dir
        self.features = features or SearchFeatures()
        self._lock = threading.RLock()
        self._retired: list = []
        self._checked = 0.0
        self._vocabulary = VocabularyLoader()
        self._postings = PostingsCache()
        self._open()
        self._pool = _SearcherPool(self._ix, self._version, POOL_SIZE)

    @classmethod
    def open(
        cls, path: str | os.PathLike | None = None, features: SearchFeatures | None = None
    ) -> SearchIndex:
        """Open the index at `path` ($ARTIKELSUCHE_INDEX, ./index_data); raise if absent."""
        return cls(resolve_index_dir(path), features)

    # -- index handles -------------------------------------------------------

    def _open(self) -> None:
        gen, ix = open_generation(self.index_dir)
        self._gen, self._ix = gen, ix
        self._version = (gen.name, ix.latest_generation())
        self._parsers = {
            "and": make_parser(ix.schema, qparser.AndGroup),
            "or": make_parser(ix.schema, qparser.OrGroup.factory(0.9)),
        }
        self.analyzer = ix.schema["text"].analyzer

    def refresh(self, force: bool = False) -> None:
        """Notice a newer index on disk (checked at most every REFRESH_INTERVAL)."""
        now = time.monotonic()
        if not force and now - self._checked < REFRESH_INTERVAL:
            return
        with self._lock:
            self._checked = now
            try:
                gen = current_generation(self.index_dir)
                if gen is not None and gen.name != self._gen.name:
                    self._open()
                elif self._ix.latest_generation() != self._version[1]:
                    self._version = (self._gen.name, self._ix.latest_generation())
            except (IndexDamaged, OSError, ValueError):
                pass  # keep serving the index we have; the next check tries again

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Report index files damaged under a running process as IndexDamaged, not a crash."""
        try:
            yield
        except (QueryError, IndexDamaged, IndexMissing):
            raise
        except _DAMAGE_ERRORS as exc:
            self._checked = 0.0  # look at the disk again on the next search
            raise IndexDamaged(damaged_message(self.index_dir, describe_error(exc))) from exc
        except Exception as exc:  # odd input that slipped past the lenient parser
            raise QueryError(f"this search cannot be run ({describe_error(exc)})") from exc

    @contextlib.contextmanager
    def searcher(self) -> Iterator:
        """Lend this thread a Whoosh searcher of the newest index version.

        A Whoosh searcher seeks and reads its postings file, so two threads must
        never share one; a small pool keeps memory bounded (a searcher per thread
        caches the term dictionary once per thread). A replaced pool is closed
        RETIRE_SECONDS later, when no search can still be using it.
        """
        self.refresh()
        pool = self._pool
        if pool.version != self._version:
            pool = self._new_pool()
        with pool.borrow() as searcher:
            yield searcher

    def _new_pool(self) -> _SearcherPool:
        with self._lock:
            if self._pool.version != self._version:
                now = time.monotonic()
                self._retired.append((now, self._pool))
                self._pool = _SearcherPool(self._ix, self._version, POOL_SIZE)
                self._close_retired(now)
            return self._pool

    def _close_retired(self, now: float) -> None:
        keep = []
        for retired_at, pool in self._retired:
            if now - retired_at > RETIRE_SECONDS:
                pool.close()
            else:
                keep.append((retired_at, pool))
        self._retired = keep

    # -- searching -----------------------------------------------------------

    def search(
        self,
        q: str,
        limit: int = 10,
        page: int = 1,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        sort: str = "relevance",
        article: str | None = None,
        facets: bool = False,
        snippets: bool = True,
    ) -> SearchResult:
        """Search paragraphs; raise QueryError for parameters that cannot be used."""
        started = time.perf_counter()
        limit, page = _check_paging(limit, page)
        if sort not in SORTS:
            raise QueryError(f"invalid sort {sort!r}: use relevance or date")
        filters = self._filters(source, since, until, article)
        with self._guard(), self.searcher() as searcher:
            result = self._search(searcher, q, filters, limit, page, sort, facets, snippets)
        result.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _search(self, searcher, q, filters, limit, page, sort, facets, snippets) -> SearchResult:
        parsed = self._parse(q, searcher, self.features.operator)
        if parsed is None and (q or "").strip():
            # Something was typed but nothing searchable is left ("-", "*", "((").
            empty = SearchResult(query=q, total=0, page=page, took_ms=0.0, hits=[], limit=limit)
            if facets:
                empty.facets, empty.timeline = {"source": [], "month": []}, []
            return empty
        by_date = sort == "date" or parsed is None
        run = self._run_search(searcher, parsed, filters, page * limit, by_date, facets)
        results, total, counts = run
        if total == 0 and self.features.operator == "and_or" and parsed is not None:
            or_parsed = self._parse(q, searcher, "or")
            if or_parsed != parsed:
                parsed = or_parsed
                results, total, counts = self._run_search(
                    searcher, parsed, filters, page * limit, by_date, facets
                )
        terms = positive_terms(parsed) if parsed is not None else set()
        page_hits = results[(page - 1) * limit : page * limit]
        hits = [self._hit(searcher, docnum, score, terms, snippets) for docnum, score in page_hits]
        result = SearchResult(query=q, total=total, page=page, took_ms=0.0, hits=hits, limit=limit)
        if facets:
            result.facets, result.timeline = _facets(counts)
        if self.features.suggest and parsed is not None and total < FEW_RESULTS:
            reader = self._vocabulary.reader_for(searcher.reader(), self._version, self._ix)
            count = lambda text: self._count(searcher, text, filters)  # noqa: E731
            result.suggestion = suggest(q, searcher, reader, self.analyzer, count)
        return result

    def _parse(
        self, q: str, searcher, operator: str = "and", expand: bool = True
    ) -> Query | None:
        """Parse with AND or OR between plain words, then add typo and name variants."""
        reader = searcher.reader()
        parsed = parse_query(q, self._parsers["or" if operator == "or" else "and"], reader)
        if parsed is query.NullQuery:
            return None
        if expand:
            typo_reader = self._vocabulary.reader_for(reader, self._version, self._ix)
            parsed = expand_query(
                parsed, q, typo_reader, self.analyzer, self.features.typos, self.features.names,
                self.features.query_parts,
            )
        if self.features.common_terms:
            parsed = split_common_terms(parsed, reader)
        return parsed

    def warm_up(self) -> None:
        """Read now what a process's first searches would otherwise read on their way:
        the compound lexicon, field lengths, facet columns and the typo word list.

        A server calls this before it takes requests; it costs a second or two.
        """
        self.search("Bundestag Sitzung", facets=True)
        with self._guard(), self.searcher():
            self._vocabulary.load(self._version, self._ix)

    def query_terms(self, q: str) -> set[str]:
        """The index terms a query marks in text (after parsing and expansion)."""
        with self.searcher() as searcher:
            parsed = self._parse(q, searcher, self.features.operator)
        return positive_terms(parsed) if parsed is not None else set()

    def _run_search(self, searcher, parsed, filters, limit, by_date, facets):
        """Find the best `limit` (document number, score) pairs, the exact filtered
        total and, when asked for, the facet counts (indexer.facets).

        Queries are evaluated on whole posting lists with numpy
        (indexer.array_search) and ordered by score or by date; an empty query
        (every paragraph, by date) and the rare query that module cannot evaluate
        go through Whoosh's own search, with the same results.
        """
        filter_q = query.And(filters) if filters else None
        if parsed is not None:
            try:
                segments = search_segments(
                    searcher, parsed, filter_q, self._postings, self._gen.name
                )
            except Unsupported:
                pass
            else:
                found = [(s.reader, s.ids) for s in segments]
                total = sum(len(s.ids) for s in segments)
                counts = _facet_counts(found) if facets else None
                if by_date:
                    return latest_documents(segments, limit, _date_column), total, counts
                return top_documents(segments, limit), total, counts
        return self._whoosh_search(searcher, parsed, filter_q, limit, by_date, facets)

    def _whoosh_search(self, searcher, parsed, filter_q, limit, by_date, facets):
        results = searcher.search(
            parsed if parsed is not None else query.Every(),
            filter=filter_q,
            limit=limit,
            sortedby=sorting.FieldFacet("date_lo", reverse=True) if by_date else None,
        )
        top = [(hit.docnum, hit.score) for hit in results]
        if not facets:
            return top, _total(searcher, parsed, filter_q), None
        segments = matching_ids(searcher, parsed or query.Every(), filter_q)
        return top, sum(len(ids) for _reader, ids in segments), _facet_counts(segments)

    def _count(self, searcher, text: str, filters) -> int:
        """Exact hits of a query string as typed, without typo or name expansion."""
        parsed = self._parse(text, searcher, self.features.operator, expand=False)
        if parsed is None:
            return 0
        return self._run_search(searcher, parsed, filters, 1, False, False)[1]

    def _filters(self, source, since, until, article) -> list[Query]:
        filters: list[Query] = []
        if source:
            filters.append(query.Term("source", source.strip().lower()))
        if since:
            filters.append(query.TermRange("date_hi", _bound(since, 0), None))
        if until:
            filters.append(query.TermRange("date_lo", None, _bound(until, 1)))
        if article:
            filters.append(query.Term("article_id", article))
        return filters

    def _hit(self, searcher, docnum: int, score, terms: set[str], snippets: bool) -> Hit:
        doc = searcher.stored_fields(docnum)
        if "id" not in doc or "article_id" not in doc:  # every document stores both
            raise CorruptIndexError(f"the stored fields of document {docnum} are missing")
        text = doc.get("text", "")
        return Hit(
            id=doc["id"],
            article_id=doc["article_id"],
            title=doc.get("title", ""),
            kicker=doc.get("kicker", ""),
            section=doc.get("section", ""),
            date=doc.get("date", ""),
            source=doc.get("source", ""),
            paragraph=doc.get("paragraph", 0),
            score=round(float(score or 0.0), 4),
            text=text,
            snippet=make_snippet(text, terms, self.analyzer) if snippets else "",
        )

    # -- articles and statistics ---------------------------------------------

    def article(self, article_id: str) -> ArticleView | None:
        """Reassemble a whole article from its paragraph documents (None if unknown)."""
        if not _encodable(article_id):
            return None
        with self._guard(), self.searcher() as searcher:
            docs = sorted(searcher.documents(article_id=article_id), key=lambda d: d["paragraph"])
        if not docs:
            return None
        first = docs[0]
        view = ArticleView(
            id=article_id,
            title=first.get("title", ""),
            kicker=first.get("kicker", ""),
            date=first.get("date", ""),
            source="",
            url=first.get("url", ""),
            paragraphs=[
                ArticleParagraph(
                    paragraph=d["paragraph"],
                    id=d["id"],
                    section=d.get("section", ""),
                    source=d.get("source", ""),
                    text=d.get("text", ""),
                )
                for d in docs
            ],
        )
        view.source = ", ".join(view.sources)
        return view

    def stats(self) -> dict:
        """Counts, sources, date range and size of the live index."""
        with self._guard(), self.searcher() as searcher:
            reader = searcher.reader()
            every = matching_ids(searcher, query.Every())
            facets, timeline = _facets(_facet_counts(every), top=1000)
            dates = [d for d in reader.lexicon("date_lo") if d]
            highs = [d for d in reader.lexicon("date_hi") if d]
            articles = len(live_terms(reader, "article_id"))
            paragraphs = searcher.doc_count()
        return {
            "index": str(self.index_dir),
            "articles": articles,
            "paragraphs": paragraphs,
            "sources": facets["source"],
            "date_from": dates[0].decode()[:10] if dates else None,
            "date_to": highs[-1].decode()[:10] if highs else None,
            "months": len(timeline),
            "size_bytes": index_size_bytes(self._gen),
        }

    def __del__(self) -> None:
        # Searchers hold open files (no mmap); let a dropped handle release them.
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Close every searcher this handle opened."""
        with self._lock:
            for _, pool in self._retired:
                pool.close()
            self._pool.close()
            self._retired = []


def _encodable(text: str) -> bool:
    """False for strings with lone surrogates, which no index term can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _SearcherPool:
    """Whoosh searchers of one index version, each lent to one thread at a time."""

    def __init__(self, ix, version: tuple, size: int) -> None:
        self.ix, self.version, self.size = ix, version, size
        self._free: queue.LifoQueue = queue.LifoQueue()
        self._made = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrow(self) -> Iterator:
        searcher = self._take()
        try:
            yield searcher
        finally:
            self._free.put(searcher)

    def _take(self):
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._made < self.size:
                self._made += 1
                try:
                    return self.ix.searcher(weighting=GermanBM25F())
                except BaseException:
                    self._made -= 1  # a failed open must not use up a slot for ever
                    raise
        try:
            return self._free.get(timeout=POOL_WAIT_SECONDS)
        except queue.Empty:
            raise OSError("no index searcher became free in time") from None

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


def _total(searcher, parsed: Query | None, filter_q: Query | None) -> int:
    """The exact number of hits; see indexer.counting for why not `len(results)`."""
    if parsed is None:
        return searcher.doc_count() if filter_q is None else count_matches(searcher, filter_q)
    return count_matches(searcher, parsed, filter_q)


def _check_paging(limit: int, page: int) -> tuple[int, int]:
    try:
        limit, page = int(limit), int(page)
    except (TypeError, ValueError, OverflowError):
        raise QueryError("limit and page must be whole numbers") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if page < 1 or page * limit > MAX_RESULT_WINDOW:
        raise QueryError(f"page must be between 1 and {MAX_RESULT_WINDOW // limit}")
    return limit, page


def _bound(value: str, which: int) -> str:
    try:
        return parse_filter_date(value)[which]
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _date_column(reader):
    return facet_column(reader, "date_lo")


def _facet_counts(segments) -> dict:
    """Matching paragraphs per source and per month (see indexer.facets)."""
    return {name: facet_counts(segments, field) for name, field in FACET_FIELDS.items()}


def _facets(counts: dict, top: int = 20) -> tuple[dict[str, list[dict]], list[dict]]:
    """Sources by count (top N) and the month timeline in calendar order."""
    sources = counts["source"]
    months = counts["month"]
    source_list = [
        {"value": k, "count": n}
        for k, n in sorted(sources.items(), key=lambda kv: (-kv[1], str(kv[0])))
        if k
    ][:top]
    timeline = [{"month": k, "count": n} for k, n in sorted(months.items()) if k]
    return {"source": source_list, "month": timeline}, timeline
