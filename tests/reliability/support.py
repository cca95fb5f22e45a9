"""Helpers of the fault-injection tests: corpora, CLI runs, snapshots, a real server, counts.

Everything here drives the real programs (`python -m indexer ...` in child processes)
against real directories under pytest's tmp_path; nothing is mocked.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer import SearchIndex
from indexer.store import open_generation
from tests.paths import REPO, SHARED

BUNDESTAG_GZ = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"
TRACEBACK = "Traceback (most recent call last)"

# -- how often each fault is injected ---------------------------------------------------


def repeat(ci: int) -> int:
    """Injections of one fault: `ci` by default, $RELIABILITY_REPEAT in the long mode."""
    value = os.environ.get("RELIABILITY_REPEAT", "").strip()
    return max(ci, int(value)) if value else ci


def long_mode() -> bool:
    """True when $RELIABILITY_REPEAT asks for the long mode."""
    return bool(os.environ.get("RELIABILITY_REPEAT", "").strip())


def max_examples(ci: int) -> int:
    """Hypothesis examples per property: `ci` by default, $RELIABILITY_EXAMPLES if set,
    else 20x in the long mode."""
    value = os.environ.get("RELIABILITY_EXAMPLES", "").strip()
    if value:
        return int(value)
    return ci * 20 if long_mode() else ci


# -- the tally of injections and losses, printed at the end of the session ------------


class DataLost(AssertionError):
    """The index does not hold exactly what it held before (or a clean build of the new
    corpus): documents were lost, doubled or changed."""


@dataclass
class FaultCount:
    injected: int = 0
    failed: int = 0  # runs with any failed check (message, status, exit code, data)
    lost: int = 0  # runs after which the index data was wrong (DataLost)
    failures: list[str] = field(default_factory=list)


class Injection:
    """One injection: `soft()` checks record a failure and let the run go on to the data
    checks, so a wrong message never hides whether data was lost."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    @contextlib.contextmanager
    def soft(self) -> Iterator[None]:
        try:
            yield
        except AssertionError as exc:
            if isinstance(exc, DataLost):
                raise
            self.problems.append(f"{type(exc).__name__}: {exc}")


def _shorten(text: str) -> str:
    if len(text) > 3000:  # keep the start and the end, where a traceback says why
        return f"{text[:500]} [...] {text[-2500:]}"
    return text


class Tally:
    """Counts each injected fault, the runs with a failed check and the runs that lost data.

    `with tally.inject("fault") as run` counts one injection; an exception inside counts
    it as failed (and as lost if it is DataLost) and is kept, not raised, so a long run
    reports every failure at the end. `check()` then fails the test if any injection of
    the test failed.
    """

    def __init__(self) -> None:
        self.faults: dict[str, FaultCount] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def inject(self, fault: str, detail: str = "") -> Iterator[Injection]:
        with self._lock:
            count = self.faults.setdefault(fault, FaultCount())
            count.injected += 1
        run = Injection()
        problems = run.problems
        try:
            yield run
        except Exception as exc:  # an assertion or an unexpected error
            problems = [*problems, f"{type(exc).__name__}: {exc}"]
            if isinstance(exc, DataLost):
                with self._lock:
                    count.lost += 1
        if problems:
            with self._lock:
                count.failed += 1
                count.failures.extend(_shorten(f"{detail}: {p}") for p in problems)

    def check(self, *faults: str) -> None:
        """Fail if an injection of any of these faults failed a check."""
        failed = [
            f"{fault} [{failure}]"
            for fault in faults
            for failure in self.faults.get(fault, FaultCount()).failures
        ]
        assert not failed, "\n".join(failed)

    def table(self) -> str:
        rows = ["| fault | injections | runs with a failed check | runs that lost data |",
                "|---|---:|---:|---:|"]
        for fault in sorted(self.faults):
            c = self.faults[fault]
            rows.append(f"| {fault} | {c.injected} | {c.failed} | {c.lost} |")
        return "\n".join(rows)


def expect_index(index_dir: Path, *allowed: list, what: str = "the index") -> list:
    """The index opens and holds exactly one of the `allowed` snapshots, else DataLost."""
    try:
        now = snapshot(index_dir)
    except Exception as exc:
        raise DataLost(f"{what} cannot be read: {type(exc).__name__}: {exc}") from exc
    if now not in allowed:
        sizes = ", ".join(str(len(a)) for a in allowed)
        raise DataLost(f"{what} holds {len(now)} documents, not exactly one of ({sizes})")
    return now


# -- corpora ------------------------------------------------------------------------


def bundestag_records(count: int, start: int = 0) -> list[dict]:
    """The real speeches number start .. start+count-1 of the shared corpus."""
    records = []
    with gzip.open(BUNDESTAG_GZ, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if number >= start + count:
                break
            if number >= start:
                records.append(json.loads(line))
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    """Write records as one JSON Lines corpus file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_corpus(folder: Path, records: list[dict], files: int = 4) -> Path:
    """Spread records over `files` .jsonl files in a fresh folder (so updates touch some)."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = -(-len(records) // files)
    for n in range(files):
        write_jsonl(folder / f"part-{n:02d}.jsonl", records[n * per_file:(n + 1) * per_file])
    return folder


def changed_corpus(folder: Path, records: list[dict], extra: list[dict], marker: str) -> Path:
    """Corpus B: file 0 gone, file 1 with edited articles, file 2 as is, new files added.

    `marker` (a made-up word) is added to the edited articles and the new file, so a
    search shows whether the update became visible.
    """
    folder.mkdir(parents=True, exist_ok=True)
    quarter = -(-len(records) // 4)
    parts = [records[n * quarter:(n + 1) * quarter] for n in range(4)]
    edited = []
    for number, record in enumerate(parts[1]):
        record = json.loads(json.dumps(record))
        if number % 3 == 0:
            record["paragraphs"] = [*record["paragraphs"][:-1], f"Nachtrag {marker}."]
        edited.append(record)
    write_jsonl(folder / "part-01.jsonl", edited)
    write_jsonl(folder / "part-02.jsonl", parts[2])
    write_jsonl(folder / "part-03.jsonl", parts[3][: len(parts[3]) // 2])
    fresh = [json.loads(json.dumps(r)) for r in extra]
    for record in fresh:
        record["paragraphs"] = [*record["paragraphs"], f"Neu im Archiv: {marker}."]
    write_jsonl(folder / "part-04.jsonl", fresh)
    return folder


# -- the command line ---------------------------------------------------------------


def child_env() -> dict[str, str]:
    """Environment for child processes: this checkout first on the import path."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def cli_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "indexer", *map(str, args)]


def run_cli(*args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m indexer ARGS` to the end; capture text output."""
    return subprocess.run(
        cli_command(*args), capture_output=True, text=True, timeout=timeout, env=child_env(),
        stdin=subprocess.DEVNULL, check=False,
    )


def start_cli(*args: object, log: Path | None = None) -> subprocess.Popen:
    """Start `python -m indexer ARGS` without waiting (output to `log` or discarded)."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        return subprocess.Popen(
            cli_command(*args), stdout=out, stderr=subprocess.STDOUT, env=child_env(),
            stdin=subprocess.DEVNULL,
        )
    finally:
        if log:
            out.close()


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """Terminate a child we started (kill it if it does not go), and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit code 1, no traceback, one non-empty line on stderr naming every needle."""
    err = result.stderr
    assert TRACEBACK not in err and TRACEBACK not in result.stdout, err[-3000:]
    assert result.returncode == 1, (result.returncode, err[-2000:], result.stdout[-500:])
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("Indexing")]  # progress bar
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


# -- what an index holds ------------------------------------------------------------


def snapshot(index_dir: Path) -> list[tuple[str, str, str]]:
    """Sorted (paragraph id, title, text) of every live document; raises if unreadable."""
    _gen, ix = open_generation(index_dir)
    try:
        with ix.reader() as reader:
            docs = [
                (d["id"], d.get("title", ""), d.get("text", ""))
                for _num, d in reader.iter_docs()
            ]
    finally:
        ix.close()
    return sorted(docs)


def clean_build(corpus: Path, index_dir: Path) -> list[tuple[str, str, str]]:
    """Build `corpus` from scratch into `index_dir` with the CLI; return its snapshot."""
    result = run_cli("index", corpus, "--index", index_dir, "--rebuild")
    assert result.returncode == 0, result.stderr[-3000:]
    return snapshot(index_dir)


@contextlib.contextmanager
def opened(index_dir: Path) -> Iterator[SearchIndex]:
    """A SearchIndex that is closed afterwards (its searchers hold open files)."""
    index = SearchIndex.open(index_dir)
    try:
        yield index
    finally:
        index.close()


def close_app_index(app) -> None:
    """Close the SearchIndex a Flask app opened, if it opened one (test teardown)."""
    resource = app.extensions.get("artikelsuche.index")
    index = getattr(resource, "_index", None)
    if index is not None:
        index.close()


# -- a real server ------------------------------------------------------------------


def free_port() -> int:
    """Ask the kernel for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    content_type: str
    body: str


def get(url: str, timeout: float = 30) -> Answer:
    """GET a loopback URL; HTTP errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read().decode("utf-8")
            return Answer(response.status, response.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        return Answer(exc.code, exc.headers.get("Content-Type", ""), body)


class Server:
    """`python -m indexer serve` on a free loopback port, stopped by `close()`."""

    def __init__(self, index_dir: Path, workdir: Path, threads: int = 4) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"server-{self.port}.log"
        self.proc = start_cli(
            "serve", "--index", index_dir, "--port", self.port, "--threads", threads,
            log=self.log,
        )
        try:
            self._wait_until_up()
        except BaseException:
            self.close()
            raise

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.output()}")
            try:
                get(self.base + "/api/stats", timeout=5)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout} s: {self.output()}")

    def url(self, path: str, **params: object) -> str:
        query = urllib.parse.urlencode(params)
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    def get(self, path: str, **params: object) -> Answer:
        return get(self.url(path, **params))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def close(self) -> None:
        stop(self.proc)


@contextlib.contextmanager
def running_server(index_dir: Path, workdir: Path, threads: int = 4) -> Iterator[Server]:
    server = Server(index_dir, workdir, threads)
    try:
        yield server
    finally:
        server.close()


# -- randomness with a fixed seed ---------------------------------------------------


def stratified_delays(seed: int, count: int, span: float) -> list[float]:
    """`count` delays in [0, span): one drawn at random in each of `count` equal strata,
    so the kill points cover the whole run, in random order."""
    rng = random.Random(seed)
    delays = [(n + rng.random()) * span / count for n in range(count)]
    rng.shuffle(delays)
    return delays


# -- read-only and full file systems (root only) -------------------------------------


def _run_root(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


def _skip(reason: str) -> None:
    import pytest

    pytest.skip(reason)


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """Mount a small tmpfs at `path` (root only; skipped with the reason otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = _run_root("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    if mounted.returncode != 0:
        _skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        _unmount(path)


@contextlib.contextmanager
def read_only_bind(path: Path) -> Iterator[Path]:
    """Make the directory `path` read-only for everyone, root too, with a bind mount."""
    bound = _run_root("mount", "--bind", str(path), str(path))
    if bound.returncode != 0:
        _skip(f"cannot bind-mount here (needs root): {bound.stderr.strip()}")
    try:
        ro = _run_root("mount", "-o", "remount,bind,ro", str(path))
        if ro.returncode != 0:
            _skip(f"cannot remount read-only: {ro.stderr.strip()}")
        yield path
    finally:
        _unmount(path)


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[Path]:
    """Set the immutable attribute (chattr +i): not even root may change the file."""
    done = _run_root("chattr", "+i", str(path))
    if done.returncode != 0:
        _skip(f"chattr +i is not possible here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        _run_root("chattr", "-i", str(path))


def _unmount(path: Path) -> None:
    for _ in range(50):
        if _run_root("umount", str(path)).returncode == 0:
            return
        time.sleep(0.2)  # busy: a child may still be closing its files
    _run_root("umount", "-l", str(path))
