"""Index with every core: forked helper processes write segments of their own.

Analysis and posting writing are Python, so one process keeps one core busy.
With more than one process, `SharedWriter` forks that many helpers once a build
has enough documents to be worth it (smaller updates are indexed here); each
runs an `ArraySegmentWriter` on the same index storage (this process holds the
lock). This process only reads the corpus and hands whole articles to a helper
that has fewer than two batches waiting, so every helper stays busy whatever its
speed, also while another writes a segment. At commit the helpers write their
last segments and send them, and this process commits them in one table of
contents: nothing is visible before, and a helper that fails (or is killed)
fails the build. Helpers die with their parent (`PR_SET_PDEATHSIG`), so a killed
build leaves no process behind. A process that runs other threads builds alone:
forking it could copy a lock some thread holds.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
from collections.abc import Iterable
from multiprocessing import Pipe
from multiprocessing.connection import wait

from indexer.errors import ArtikelsucheError
from indexer.processes import stop_with_parent
from indexer.segment_writer import ArraySegmentWriter

BATCH_DOCUMENTS = 64  # paragraphs per message: two batches fit a socket buffer
START_AFTER = 500  # paragraphs before helpers are forked: small updates stay in one process


class SharedWriter:
    """Adds articles through `writer` alone or through `helpers` forked processes."""

    def __init__(self, writer: ArraySegmentWriter, helpers: int, limitmb: int) -> None:
        self.writer = writer
        self._wanted, self._limitmb = helpers, limitmb
        self._helpers: list[_Helper] = []
        self._held: list[list[dict]] = []  # articles read before the helpers start
        self._seen = 0
        writer.extra_segments = self._helper_segments

    def add_documents(self, docs: Iterable[dict]) -> None:
        """Index one article's paragraphs, here or in a helper."""
        docs = list(docs)
        if self._helpers:
            self._dispatch(docs)
        elif not self._wanted:
            self._index_here(docs)
        else:
            self._held.append(docs)
            self._seen += len(docs)
            if self._seen > START_AFTER:
                self._start_helpers()

    def delete_by_term(self, fieldname: str, text: str) -> None:
        self.writer.delete_by_term(fieldname, text)

    def commit(self) -> None:
        self._index_held_here()  # a small update: never worth a fork
        for helper in self._helpers:
            helper.finish()
        self.writer.commit()

    def cancel(self) -> None:
        for helper in self._helpers:
            helper.kill()
        self.writer.cancel()

    def _start_helpers(self) -> None:
        if threading.active_count() > 1:  # forking a threaded process can deadlock it
            self._wanted = 0
            self._index_held_here()
            return
        self._helpers = [_Helper(self.writer, self._limitmb) for _ in range(self._wanted)]
        held, self._held = self._held, []
        for docs in held:
            self._dispatch(docs)

    def _dispatch(self, docs: list[dict]) -> None:
        """Give the article to a helper with room, waiting for one if need be."""
        while True:
            helper = next((h for h in self._helpers if h.has_room()), None)
            if helper is not None:
                helper.add(docs)
                return
            wait([h.conn for h in self._helpers])  # a batch done (or a failure)

    def _index_here(self, docs: list[dict]) -> None:
        for doc in docs:
            self.writer.add_document(**doc)

    def _index_held_here(self) -> None:
        held, self._held = self._held, []
        for docs in held:
            self._index_here(docs)

    def _helper_segments(self) -> list:
        """Called by the writer's commit after its own segment (if any) is written."""
        return [segment for helper in self._helpers for segment in helper.segments()]


class _Helper:
    """The parent's handle on one helper process."""

    def __init__(self, writer: ArraySegmentWriter, limitmb: int) -> None:
        self.conn, child = Pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            self.conn.close()
            _helper_main(writer, limitmb, child, parent)
        child.close()
        self.batch: list[dict] = []
        self.waiting = 0  # batches sent and not yet done

    def has_room(self) -> bool:
        self._collect()
        if self.batch and not self.waiting:
            self._send()  # idle: it gets what there is
        return self.waiting + bool(self.batch) < 2

    def add(self, docs: list[dict]) -> None:
        self.batch.extend(docs)
        if len(self.batch) >= BATCH_DOCUMENTS:
            self._send()

    def finish(self) -> None:
        """Send the last batch and ask for the helper's segments."""
        if self.batch:
            self._send()
        self.conn.send(("commit",))

    def segments(self) -> list:
        while True:
            message = self._receive()
            if message[0] == "segments":
                os.waitpid(self.pid, 0)
                self.pid = 0
                return message[1]

    def kill(self) -> None:
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = 0

    def _send(self) -> None:
        self.conn.send(("docs", self.batch))
        self.batch = []
        self.waiting += 1

    def _collect(self) -> None:
        while self.conn.poll():
            self._receive()

    def _receive(self) -> tuple:
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise ArtikelsucheError(
                f"indexing process {self.pid} ended unexpectedly; the previous index is unchanged"
            ) from None
        if message[0] == "done":
            self.waiting -= 1
        elif message[0] == "error":
            _, number, text = message
            if number is not None:
                raise OSError(number, text)  # the build reports the disk's refusal
            raise ArtikelsucheError(
                f"indexing process {self.pid} failed: {text}; the previous index is unchanged"
            )
        return message


def _helper_main(writer: ArraySegmentWriter, limitmb: int, conn, parent: int) -> None:
    """The helper process: index batches into its own segments; never returns."""
    code = 0
    try:
        stop_with_parent(parent, signal.SIGKILL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        random.seed()  # segment and temporary file names must differ from the parent's
        own = ArraySegmentWriter.for_helper(writer, limitmb)
        while True:
            message = conn.recv()
            if message[0] == "commit":
                conn.send(("segments", own.finish_segments()))
                break
            for doc in message[1]:
                own.add_document(**doc)
            conn.send(("done",))
    except BaseException as exc:  # a helper must never return into the parent's code
        number = exc.errno if isinstance(exc, OSError) else None
        with contextlib.suppress(Exception):
            conn.send(("error", number, exc.strerror if number else f"{exc!r}"))
        code = 1
    finally:
        os._exit(code)
