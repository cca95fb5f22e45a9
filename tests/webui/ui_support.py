"""Helpers shared by the web UI tests: hostile text, an HTML parser, a real server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup

import indexer
import webui

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# Our own hostile article: markup and quotes in kicker, title, section and text.
HOSTILE_ARTICLE = "\n\n".join([
    f"Live {IMG} Ticker\nWarnung \"{SCRIPT}\" im Titel\n05.03.2025, 10:15 Uhr",
    f"Erster Absatz mit {SCRIPT} und \"Anführungszeichen\" über Sicherheitsgarantien für "
    "die Ukraine, die Europa seit Wochen fordert und über die weiter verhandelt wird. (dpa)",
    f"Zwischenüberschrift {IMG}",
    f"Zweiter Absatz über Sicherheitsgarantien mit {IMG}, dazu \" sowie ' und & und </p> "
    "mitten im Text, damit nichts davon als Markup gelesen wird. (afp)",
]) + "\n"


def parse(response) -> BeautifulSoup:
    """Parse an HTML response (checked with a parser, never by string matching)."""
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


# -- a real server for the browser tests ------------------------------------------


def free_port() -> int:
    """Ask the kernel for a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url}")


def _import_roots() -> str:
    """PYTHONPATH that finds the same indexer and webui packages as this test run."""
    roots = dict.fromkeys(str(Path(m.__file__).resolve().parents[1]) for m in (indexer, webui))
    return os.pathsep.join([*roots, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)


@contextlib.contextmanager
def running_server(index_dir: Path, *options: str, procs: list | None = None) -> Iterator[str]:
    """Run `python -m indexer serve` on a free loopback port; yield its base URL.

    Extra command-line `options` are passed on; `procs`, when given, receives the
    server's Popen object.
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": _import_roots(), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "indexer", "serve", "--index", str(index_dir),
               "--port", str(port), "--threads", "4", *options]
    with tempfile.TemporaryDirectory() as workdir:
        log_path = Path(workdir) / "server.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    cwd=workdir)
        base = f"http://127.0.0.1:{port}"
        if procs is not None:
            procs.append(proc)
        try:
            _wait_until_up(base + "/", proc)
            assert f"{base}/" in log_path.read_text(encoding="utf-8")  # it says where it is
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
