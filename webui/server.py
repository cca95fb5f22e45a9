"""Serve the app with waitress (never Flask's debug server) for `artikelsuche serve`.

Searching is Python under one interpreter lock, so one process uses one core
however many threads it has. With `workers` > 1 the listening socket is opened
once and handed to that many forked worker processes, each with its own app,
index handle and caches; the kernel spreads connections over them (as gunicorn's
pre-fork model does). The parent only supervises: it restarts a worker that dies
and stops them all on SIGTERM or Ctrl-C. A worker also stops if its parent dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time

from waitress.server import create_server

from indexer.errors import ArtikelsucheError
from indexer.processes import default_processes, stop_with_parent
from webui import create_app
from webui.resource import get_index

DEFAULT_WORKERS = default_processes()
CRASH_WINDOW = 5.0  # a worker dying this soon after its start counts as a crash
MAX_QUICK_CRASHES = 5  # in a row: give up instead of restarting for ever
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def serve(
    index_dir: str | os.PathLike | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = 4,
    workers: int = 1,
) -> None:
    """Run until interrupted; print the URL once listening (port 0 picks a free port)."""
    if workers <= 1 or not hasattr(os, "fork"):
        app = _warm_app(index_dir)
        server = create_server(app, host=host, port=port, threads=threads, ident="Artikelsuche")
        _announce(host, server.effective_port, 1)
        try:
            server.run()
        except KeyboardInterrupt:
            print("Artikelsuche beendet.", file=sys.stderr)
        finally:
            server.close()
        return
    listener = _listen(host, port)
    _announce(host, listener.getsockname()[1], workers)
    try:
        _Supervisor(listener, index_dir, threads, workers).run()
    finally:
        listener.close()


def _announce(host: str, port: int, workers: int) -> None:
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Artikelsuche läuft auf http://{shown_host}:{port}/", flush=True)
    if workers > 1:
        print(f"({workers} Prozesse)", flush=True)


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket for every worker to accept from."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


class _Supervisor:
    """Keeps `workers` forked worker processes running on one listening socket."""

    def __init__(self, listener: socket.socket, index_dir, threads: int, workers: int) -> None:
        self.listener, self.index_dir, self.threads = listener, index_dir, threads
        self.workers = workers
        self.children: dict[int, float] = {}  # pid -> start time
        self.stopping = False
        self.quick_crashes = 0

    def run(self) -> None:
        previous = signal.signal(signal.SIGTERM, self._stop)
        try:
            while len(self.children) < self.workers:
                self._spawn()
            while self.children:
                self._reap(os.wait())
        except KeyboardInterrupt:
            self._stop()
            print("Artikelsuche beendet.", file=sys.stderr)
        finally:
            self._stop()
            signal.signal(signal.SIGTERM, previous)
            while self.children:
                with contextlib.suppress(ChildProcessError):
                    self.children.pop(os.wait()[0], None)

    def _reap(self, waited: tuple[int, int]) -> None:
        pid, status = waited
        started = self.children.pop(pid, None)
        if started is None or self.stopping:
            return
        quick = time.monotonic() - started < CRASH_WINDOW
        self.quick_crashes = self.quick_crashes + 1 if quick else 0
        print(f"Prozess {pid} endete ({_describe(status)}); ein neuer startet.",
              file=sys.stderr, flush=True)
        if self.quick_crashes >= MAX_QUICK_CRASHES:
            print("Die Prozesse enden gleich nach dem Start; Artikelsuche hört auf.",
                  file=sys.stderr, flush=True)
            self._stop()
            raise SystemExit(1)
        time.sleep(0.2 * self.quick_crashes)
        self._spawn()

    def _spawn(self) -> None:
        parent = os.getpid()
        # Signals wait until the worker has its own handlers: the parent's SIGTERM
        # handler must never run in a child.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:
            _worker(self.listener, self.index_dir, self.threads, parent, mask)  # never returns
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        self.children[pid] = time.monotonic()

    def _stop(self, *_signal) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _worker(listener: socket.socket, index_dir, threads: int, parent: int, mask) -> None:
    """A forked worker: its own app and index handle, serving the shared socket."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent reports Ctrl-C
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        stop_with_parent(parent)
        app = _warm_app(index_dir)
        server = create_server(app, sockets=[listener], threads=threads, ident="Artikelsuche")
        server.run()
    except BaseException as exc:  # a worker must never return into the parent's code
        print(f"Prozess {os.getpid()}: {exc!r}", file=sys.stderr, flush=True)
        code = 1
    finally:
        os._exit(code)


def _warm_app(index_dir):
    """The app, with its index read in before the first request (if there is one yet)."""
    app = create_app({"INDEX_DIR": index_dir})
    with app.app_context(), contextlib.suppress(ArtikelsucheError):
        get_index().warm_up()
    return app


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"Signal {os.WTERMSIG(status)}"
    return f"Status {os.waitstatus_to_exitcode(status)}"
