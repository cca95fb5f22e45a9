"""HTTP load benchmark: `artikelsuche serve` under 1, 4 and 16 concurrent clients, with wrk.

Run: python bench/serve.py [--limit-articles N] [--duration 30]   (needs `apt-get install wrk`)

Starts the server on a free port of 127.0.0.1 against the benchmark index (built by
build.py if absent), warms it up, then for /api/search (JSON) and /search (HTML) runs
wrk with one thread and C connections (closed loop: each client sends its next
request when the answer arrives) for --duration seconds, cycling through the
URL-encoded bench/queries.txt. Reports requests/s, median and p99 latency, non-2xx
answers and socket errors (connect, read, write, timeout), and the server's peak
RSS (all its worker processes together). The server runs with its default number
of worker processes unless --workers is given. Loopback only; every run is bounded
in time; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from common import BENCH, OUT, REPO, add_limit_option, label, load_queries, table
from measure import load_line, tree_rss
from search import ensure_indexes

HOST = "127.0.0.1"
ENDPOINTS = ("/api/search", "/search")
LUA = BENCH / "wrk_queries.lua"


def free_port() -> int:
    """Ask the kernel for a free loopback port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(index: Path, port: int, threads: int, log,
                 workers: int | None = None) -> subprocess.Popen:
    """Start `python -m indexer serve` and wait (at most 120 s) until it answers."""
    cmd = [sys.executable, "-m", "indexer", "serve", "--index", str(index.resolve()),
           "--host", HOST, "--port", str(port), "--threads", str(threads)]
    if workers:
        cmd += ["--workers", str(workers)]
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline, last = time.monotonic() + 120, "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/search?q=Bundestag", timeout=30):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = repr(exc)
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"server did not answer 200 within 120 s ({last}); see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def write_paths(queries: list[str], endpoint: str) -> Path:
    """Write the request paths of one endpoint for the wrk script."""
    path = OUT / f"wrk-paths{endpoint.replace('/', '-')}.txt"
    lines = [f"{endpoint}?q={urllib.parse.quote(q)}" for q in queries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_wrk(port: int, paths: Path, clients: int, seconds: int) -> dict:
    """Run wrk once (1 thread, `clients` connections) and return its parsed figures."""
    cmd = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s",
           "-s", str(LUA), f"http://{HOST}:{port}", "--", str(paths)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 90)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    for line in done.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            return json.loads(line[len("WRK-JSON "):])
    raise RuntimeError(f"no result from wrk:\n{done.stdout}\n{done.stderr}")


class PeakSampler:
    """Track the server's peak RSS in a background thread."""

    def __init__(self, pid: int) -> None:
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, tree_rss(self.proc))
            self.stop.wait(0.2)

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


def row(endpoint: str, clients: int, r: dict) -> tuple:
    """One table row from wrk's figures."""
    seconds = r["duration_us"] / 1e6
    sockets = f"{r['connect']}/{r['read']}/{r['write']}/{r['timeout']}"
    return (endpoint, clients, f"{r['requests']:,}", f"{r['requests'] / seconds:.1f}",
            f"{r['p50_us'] / 1000:.1f}", f"{r['p99_us'] / 1000:.1f}", r["non2xx"], sockets)


def bench(port: int, queries: list[str], levels: list[int], args) -> list[tuple]:
    """Warm the server up, then run every endpoint at every concurrency level."""
    rows = []
    for endpoint in ENDPOINTS:
        paths = write_paths(queries, endpoint)
        if args.warmup > 0:
            run_wrk(port, paths, 4, args.warmup)
        for clients in levels:
            result = run_wrk(port, paths, clients, args.duration)
            rows.append(row(endpoint, clients, result))
            print(f"  {endpoint} x{clients}: {rows[-1][3]} req/s", flush=True)
    return rows


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_limit_option(parser)
    parser.add_argument("--duration", type=int, default=30, help="seconds per run (30)")
    parser.add_argument("--warmup", type=int, default=5,
                        help="unmeasured seconds per endpoint before the runs (5)")
    parser.add_argument("--clients", default="1,4,16", help="concurrency levels (1,4,16)")
    parser.add_argument("--threads", type=int, default=4,
                        help="waitress threads per process (4, the server's default)")
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: the server's own, CPUs up to 4)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the server, run wrk at each level for each endpoint, stop the server."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))  # runs finally
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    index, _ = ensure_indexes(args.limit_articles, tantivy=False)
    queries = load_queries()
    levels = [int(c) for c in args.clients.split(",")]
    OUT.mkdir(exist_ok=True)
    port = free_port()
    with open(OUT / "serve-server.log", "w") as log:
        server = start_server(index, port, args.threads, log, args.workers)
        sampler = PeakSampler(server.pid)
        try:
            workers = args.workers or "default"
            print(f"{load_line()}\nserver on {HOST}:{port} ({workers} workers x {args.threads} "
                  f"threads), index "
                  f"slice {label(args.limit_articles)}, {len(queries)} queries, "
                  f"{args.duration} s per run", flush=True)
            rows = bench(port, queries, levels, args)
        finally:
            peak = sampler.close()
            stop_server(server)
    print()
    print(table(rows, ("endpoint", "clients", "requests", "req/s", "median ms", "p99 ms",
                       "non-2xx", "socket errors c/r/w/t")))
    print(f"\nserver peak RSS: {peak / 1e6:.1f} MB; {load_line()}")


if __name__ == "__main__":
    main()
