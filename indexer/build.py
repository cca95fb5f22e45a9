"""Build or update an index from a corpus folder, incrementally and atomically."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from indexer.analysis import AnalysisOptions
from indexer.corpus import SourceFile, discover, read_source
from indexer.documents import paragraph_documents, split_signature_term
from indexer.errors import ArtikelsucheError, IndexDamaged
from indexer.model import ReadReport
from indexer.processes import default_processes
from indexer.schema import build_schema
from indexer.segment_writer import ArraySegmentWriter
from indexer.shared_writer import SharedWriter
from indexer.store import (
    build_lock,
    current_generation,
    new_generation,
    open_generation,
    publish_generation,
    remove_stale_generations,
    resolve_index_dir,
)

FILES_STATE = "files.json"
# Failures of the disk under the index, as opposed to bugs: reported in one line.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
Progress = Callable[[int, int, int], None]  # files done, files total, paragraphs added


@dataclass
class BuildSummary:
    """What a build did, for the CLI summary and for tests."""

    index_dir: str
    rebuilt: bool = False
    articles: int = 0
    paragraphs: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged_files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Plan:
    """The state an incremental run compares the corpus against."""

    known: dict[str, dict[str, str]]  # origin -> {article id: signature}
    owners: dict[str, str]  # article id -> origin
    files: dict[str, list[int]]  # origin -> [size, mtime_ns] when last indexed


def build_index(
    corpus: str | os.PathLike,
    index_dir: str | os.PathLike | None = None,
    *,
    rebuild: bool = False,
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
    wait: float = 0.0,
    limitmb: int = 224,
    processes: int | None = None,
) -> BuildSummary:
    """Bring the index up to date with `corpus`; `rebuild` starts a fresh generation.

    New and changed files are read, articles whose files are gone are removed, and
    unchanged files are not opened. Nothing becomes visible before the final commit.
    `processes` index at once (default: the usable CPUs, at most 4; see
    `indexer.shared_writer`), each holding up to `limitmb` of postings before it
    writes a segment. Writing a segment needs about 1.5x its postings again, and the
    helpers write their last segments at the same moment: on the full Bundestag
    corpus two helpers with 256 MB each peaked at 1.31-1.45 GB together (bench/RESULTS.md).
    """
    corpus, target = Path(corpus), resolve_index_dir(index_dir)
    if not corpus.is_dir():
        raise ArtikelsucheError(f"corpus folder {corpus} does not exist or is not a folder")
    started = time.perf_counter()
    with build_lock(target, wait=wait):
        live = None if rebuild else _live_generation(target)
        summary = BuildSummary(index_dir=str(target), rebuilt=live is None)
        if live is None:
            remove_stale_generations(target, keep=current_generation_or_none(target))
            gen, ix = _fresh_generation(target, options)
            plan = _Plan({}, {}, {})
        else:
            gen, ix = live
            remove_stale_generations(target, keep=gen)
            plan = _read_plan(gen, ix)
        report = ReadReport()
        files = list(discover(corpus, report))
        try:
            _write(ix, files, plan, report, summary, progress, limitmb,
                   processes or default_processes())
        except OSError as exc:
            _abandon(gen, fresh=live is None)
            if exc.errno not in _WRITE_ERRNOS:
                raise
            raise ArtikelsucheError(
                f"cannot write the index in {target}: {exc.strerror or exc}; "
                "the previous index is unchanged"
            ) from exc
        except BaseException:
            _abandon(gen, fresh=live is None)
            raise
        try:
            _save_files_state(gen, files)
            if live is None:
                publish_generation(target, gen)
        except OSError as exc:
            _abandon(gen, fresh=live is None)
            raise ArtikelsucheError(
                f"cannot write the index in {target}: {exc.strerror or exc}; "
                "the previous index is unchanged"
            ) from exc
        _count(ix, summary)
    summary.skipped, summary.warnings = report.skipped, report.warnings
    summary.seconds = time.perf_counter() - started
    return summary


def _fresh_generation(target: Path, options):
    """Create an empty generation, or say in one line why the disk refuses it."""
    try:
        gen = new_generation(target)
        # Not memory-mapped, as readers open it (`open_generation`): counting the
        # new index's articles through a mapped storage faulted in its whole files
        # (750 MB of resident memory at the end of a full-corpus build).
        return gen, FileStorage(str(gen), supports_mmap=False).create_index(build_schema(options))
    except OSError as exc:
        raise ArtikelsucheError(
            f"cannot write the index in {target}: {exc.strerror or exc}; "
            "the previous index is unchanged"
        ) from exc


def current_generation_or_none(target: Path) -> Path | None:
    """Return the live generation, treating a damaged pointer as none (for rebuilds)."""
    try:
        return current_generation(target)
    except IndexDamaged:
        return None


def _live_generation(target: Path) -> tuple[Path, Index] | None:
    """Open the live index for an update; None when there is none to update yet."""
    if current_generation(target) is None:
        return None
    return open_generation(target)


def _read_plan(gen: Path, ix: Index) -> _Plan:
    """Read article signatures from the index and file stamps from the side file."""
    known: dict[str, dict[str, str]] = {}
    owners: dict[str, str] = {}
    with ix.reader() as reader:
        for raw in live_terms(reader, "asig"):
            origin, article_id, signature = split_signature_term(raw.decode("utf-8"))
            known.setdefault(origin, {})[article_id] = signature
            owners[article_id] = origin
    try:
        files = json.loads((gen / FILES_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        files = {}  # a lost stamp file only costs re-reading files
    return _Plan(known, owners, files)


def _write(ix, files, plan, report, summary, progress, limitmb, processes) -> None:
    """Add, replace and delete articles in one writer, then commit.

    Articles may move between files (a rename, a split, a merge): an article is
    deleted only if no file of this run still has it.
    """
    unchanged = {
        sf.relpath
        for sf in files
        if plan.files.get(sf.relpath) == [sf.size, sf.mtime_ns] and sf.relpath in plan.known
    }
    claimed = {aid: origin for origin in unchanged for aid in plan.known[origin]}
    helpers = processes if processes > 1 and hasattr(os, "fork") else 0
    writer = SharedWriter(ArraySegmentWriter(ix, limitmb=limitmb), helpers, limitmb)
    try:
        for done, sf in enumerate(files, start=1):
            if sf.relpath in unchanged:
                summary.unchanged_files += 1
            else:
                _write_file(writer, sf, plan, claimed, report, summary)
            if progress:
                progress(done, len(files), summary.added + summary.updated)
        for origin, articles in plan.known.items():
            if origin in unchanged:
                continue
            for article_id in articles.keys() - claimed.keys():
                writer.delete_by_term("article_id", article_id)
                summary.removed += 1
        writer.commit()
    except BaseException:
        with contextlib.suppress(Exception):  # a failed commit has closed the writer
            writer.cancel()
        raise


def _write_file(writer, sf: SourceFile, plan: _Plan, claimed, report, summary) -> None:
    """Index the new and changed articles of one file and claim every article it has."""
    old = plan.known.get(sf.relpath, {})
    present: set[str] = set()
    indexed = {signature: article_id for article_id, signature in old.items()}
    for article in read_source(sf, report, indexed):
        if article.id in present or claimed.get(article.id, sf.relpath) != sf.relpath:
            report.warn(sf.relpath, f"article id {article.id!r} is used twice; kept the first")
            continue
        present.add(article.id)
        claimed[article.id] = sf.relpath
        if old.get(article.id) == article.signature:
            continue
        if article.id in plan.owners:
            writer.delete_by_term("article_id", article.id)
            summary.updated += 1
        else:
            summary.added += 1
        writer.add_documents(paragraph_documents(article))


def _save_files_state(gen: Path, files: list[SourceFile]) -> None:
    """Record file stamps so the next run can skip unchanged files without reading them."""
    state = {sf.relpath: [sf.size, sf.mtime_ns] for sf in files}
    tmp = gen / (FILES_STATE + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, gen / FILES_STATE)


def _abandon(gen: Path, fresh: bool) -> None:
    """Remove a half-built fresh generation; an updated one keeps its last commit."""
    if fresh:
        import shutil

        shutil.rmtree(gen, ignore_errors=True)


def _count(ix: Index, summary: BuildSummary) -> None:
    with ix.reader() as reader:
        summary.paragraphs = reader.doc_count()
        summary.articles = len(live_terms(reader, "asig"))


def live_terms(reader, fieldname: str) -> list[bytes]:
    """The terms of a field that some undeleted document still has, sorted.

    Whoosh keeps a deleted document's terms in the lexicon until its segment is
    merged, so the lexicon alone over-counts after updates. Asking every term for
    a live posting took 4 s per pass over the 101,788 article signatures of the
    full corpus. A term can only be dead if it is in no more documents than its
    segment has deleted and, for the per-article fields (`asig`, `article_id`),
    if it belongs to an article one of the deleted documents belonged to; only
    those few terms are asked.
    """
    live: set[bytes] = set()
    for segment, _offset in reader.leaf_readers():
        deleted = segment.deleted_docs_set
        touched = _deleted_articles(segment, deleted) if deleted else set()
        for raw, info in segment.iter_field(fieldname):
            if raw in live:
                continue
            article = _article_of(fieldname, raw)
            safe = len(deleted) < info.doc_frequency() or (
                article is not None and article not in touched
            )
            if safe or _has_live_posting(segment, fieldname, raw):
                live.add(raw)
    return sorted(live)


def _deleted_articles(segment, deleted) -> set[str]:
    return {segment.stored_fields(docnum).get("article_id", "") for docnum in deleted}


def _article_of(fieldname: str, raw: bytes) -> str | None:
    """The article a per-article term names, or None for any other field."""
    if fieldname == "article_id":
        return raw.decode("utf-8")
    if fieldname == "asig":
        return split_signature_term(raw.decode("utf-8"))[1]
    return None


def _has_live_posting(segment, fieldname: str, raw: bytes) -> bool:
    return segment.postings(fieldname, raw).is_active()  # deleted postings are filtered
