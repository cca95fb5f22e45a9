"""Find the article files under a corpus folder, deterministically and without hanging.

Symbolic links are followed (a corpus may link in other folders), but every real
folder and file is read once: the (device, inode) pairs already seen are tracked, so
link loops end. Problems go to the report; nothing here raises for a bad tree.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import ReadReport

SUFFIXES: tuple[str, ...] = (".txt", ".jsonl", ".jsonl.gz")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One corpus file; ``relpath`` is posix, relative to the corpus root, and printable."""

    path: Path
    relpath: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class _Folder:
    """A folder being listed: its entries still to visit and the real folders above it."""

    relpath: str
    entries: Iterator[os.DirEntry[str]]
    ancestors: frozenset[tuple[int, int]]


def is_corpus_file(name: str) -> bool:
    """Tell whether a file name has one of the extensions the readers understand."""
    return name.lower().endswith(SUFFIXES)


def discover(root: Path, report: ReadReport) -> Iterator[SourceFile]:
    """Yield every corpus file under root in sorted order (hidden names are ignored)."""
    try:
        info = root.stat()
    except OSError as exc:
        report.skip(str(root), f"corpus folder cannot be read ({exc.strerror or exc})")
        return
    if stat.S_ISREG(info.st_mode) and is_corpus_file(root.name):
        yield SourceFile(root, printable_name(root.name)[0], info.st_size, info.st_mtime_ns)
    elif stat.S_ISDIR(info.st_mode):
        yield from _walk(root, info, report)
    else:
        report.skip(str(root), "not a folder or a corpus file")


def _walk(root: Path, info: os.stat_result, report: ReadReport) -> Iterator[SourceFile]:
    """Depth-first walk with an explicit stack, so deep trees cannot hit the recursion limit."""
    key = (info.st_dev, info.st_ino)
    seen_folders: set[tuple[int, int]] = {key}
    seen_files: dict[tuple[int, int], str] = {}
    stack = [_Folder("", _list(str(root), "", report), frozenset({key}))]
    while stack:
        folder = stack[-1]
        entry = next(folder.entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        name, problem = printable_name(entry.name)
        relpath = f"{folder.relpath}{name}"
        try:
            entry_info = entry.stat()
        except OSError as exc:
            if is_corpus_file(entry.name):
                report.skip(relpath, f"cannot read file ({exc.strerror or exc})")
            continue
        key = (entry_info.st_dev, entry_info.st_ino)
        if stat.S_ISDIR(entry_info.st_mode):
            if _may_enter(relpath, key, folder.ancestors, seen_folders, report):
                _note_name(relpath, problem, report)
                seen_folders.add(key)
                entries = _list(entry.path, relpath, report)
                stack.append(_Folder(relpath + "/", entries, folder.ancestors | {key}))
        elif is_corpus_file(entry.name):
            _note_name(relpath, problem, report)
            source = _source_file(entry, relpath, entry_info, key, seen_files, report)
            if source is not None:
                yield source


def _list(path: str, relpath: str, report: ReadReport) -> Iterator[os.DirEntry[str]]:
    """The folder's entries sorted by name, or none if it cannot be listed."""
    try:
        with os.scandir(path) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        report.skip(relpath or ".", f"cannot read folder ({exc.strerror or exc})")
        entries = []
    return iter(entries)


def _may_enter(
    relpath: str,
    key: tuple[int, int],
    ancestors: frozenset[tuple[int, int]],
    seen: set[tuple[int, int]],
    report: ReadReport,
) -> bool:
    if key in ancestors:
        report.skip(relpath, "symbolic link loop (points back to a parent folder), not followed")
        return False
    if key in seen:
        report.skip(relpath, "folder already read through another path, not read again")
        return False
    return True


def _source_file(
    entry: os.DirEntry[str],
    relpath: str,
    info: os.stat_result,
    key: tuple[int, int],
    seen: dict[tuple[int, int], str],
    report: ReadReport,
) -> SourceFile | None:
    if not stat.S_ISREG(info.st_mode):
        report.skip(relpath, "not a regular file")
        return None
    if key in seen:
        report.skip(relpath, f"same file as {seen[key]}, not read again")
        return None
    seen[key] = relpath
    return SourceFile(Path(entry.path), relpath, info.st_size, info.st_mtime_ns)


def printable_name(name: str) -> tuple[str, str | None]:
    """Return a name safe to print and store, and what was wrong with it (None if nothing).

    Bytes that are not UTF-8 (kept by Python as surrogate escapes) and unprintable
    characters are shown as backslash escapes; the real path is still used to open it.
    """
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    problem = None if shown == name else "file name is not valid UTF-8"
    if not shown.isprintable():
        shown = "".join(c if c.isprintable() else _escape(c) for c in shown)
        problem = problem or "file name contains unprintable characters"
    return shown, problem


def _escape(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")


def _note_name(relpath: str, problem: str | None, report: ReadReport) -> None:
    if problem:
        report.warn(relpath, f"{problem} (shown with backslash escapes)")
