"""Where an index lives on disk, and how a new one replaces the old atomically.

An index directory holds generations (``gen-*``, each a Whoosh index) and a file
``CURRENT`` that names the live one. A full build writes a new generation and then
replaces ``CURRENT`` with one atomic rename, so a build killed at any moment
leaves the previous index untouched; incremental updates rely on Whoosh's own
atomic commit (a new TOC file) inside the live generation.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index

from indexer.errors import ArtikelsucheError, IndexBusy, IndexDamaged, IndexMissing

DEFAULT_INDEX_DIR = "index_data"
CURRENT = "CURRENT"
LOCK = "BUILD.lock"


def resolve_index_dir(path: str | os.PathLike | None = None) -> Path:
    """Return the index directory: the argument, $ARTIKELSUCHE_INDEX, or ./index_data."""
    return Path(path or os.environ.get("ARTIKELSUCHE_INDEX") or DEFAULT_INDEX_DIR)


def current_generation(index_dir: Path) -> Path | None:
    """Return the live generation directory, or None when nothing was built yet."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexDamaged(_damaged(index_dir, f"cannot read {CURRENT}: {exc.strerror}")) from exc
    except UnicodeDecodeError as exc:
        raise IndexDamaged(_damaged(index_dir, f"{CURRENT} is not a generation name")) from exc
    if not name or "/" in name or not (index_dir / name).is_dir():
        raise IndexDamaged(_damaged(index_dir, f"{CURRENT} names a missing generation {name!r}"))
    return index_dir / name


def open_generation(index_dir: Path) -> tuple[Path, Index]:
    """Open the live Whoosh index, turning every failure into a one-line message."""
    if not index_dir.is_dir():
        raise IndexMissing(_missing(index_dir))
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(_missing(index_dir))
    try:
        # Without mmap: a segment file truncated under a running server must give
        # an error, not SIGBUS (costs ~40% of raw Whoosh search speed; bench/RESULTS.md).
        ix = FileStorage(str(gen), supports_mmap=False).open_index()
        ix.doc_count()  # touches the TOC and segment files
    except Exception as exc:  # Whoosh raises many types for damaged files
        raise IndexDamaged(_damaged(index_dir, _describe(exc))) from exc
    return gen, ix


def new_generation(index_dir: Path) -> Path:
    """Create an empty generation directory beside the live one."""
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return Path(tempfile.mkdtemp(prefix=f"gen-{stamp}-", dir=index_dir))


def publish_generation(index_dir: Path, gen: Path) -> None:
    """Make `gen` the live index with one atomic rename, then drop the others."""
    tmp = index_dir / f"{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(gen.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    remove_stale_generations(index_dir, keep=gen)


def remove_stale_generations(index_dir: Path, keep: Path | None) -> None:
    """Delete generations that are not live (left by replaced or killed builds).

    Only called under the build lock, so no other build is writing one.
    """
    for child in index_dir.glob("gen-*"):
        if child.is_dir() and (keep is None or child.name != keep.name):
            shutil.rmtree(child, ignore_errors=True)


@contextlib.contextmanager
def build_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the exclusive build lock; the kernel releases it if the process dies."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArtikelsucheError(
            f"cannot write to the index directory {index_dir}: {exc.strerror or exc}; "
            "make it writable or choose another with --index"
        ) from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"another indexer is writing {index_dir}; "
                        "wait for it to finish, then run this again"
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)


def index_size_bytes(gen: Path) -> int:
    """Return the bytes used by one generation's files."""
    return sum(f.stat().st_size for f in gen.iterdir() if f.is_file())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _missing(index_dir: Path) -> str:
    return (
        f"no index in {index_dir}: "
        f"build one with `artikelsuche index CORPUS --index {index_dir}`"
    )


def damaged_message(index_dir: Path, why: str) -> str:
    """The one-line message for an index that cannot be read."""
    return _damaged(index_dir, why)


def describe_error(exc: BaseException) -> str:
    """A short description of an exception for a one-line message."""
    return _describe(exc)


def _damaged(index_dir: Path, why: str) -> str:
    return (
        f"the index in {index_dir} is damaged ({why}); "
        f"rebuild it with `artikelsuche index CORPUS --index {index_dir} --rebuild`"
    )


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
