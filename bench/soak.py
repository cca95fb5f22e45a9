"""Soak test: `artikelsuche serve` under 16 concurrent clients for 10 minutes (not run in CI).

Run: python bench/soak.py [--minutes 10] [--clients 16] [--limit-articles 20000 | --index DIR]

Starts the server on a free port of 127.0.0.1 over the benchmark index (with
--limit-articles N it is built once into bench/out/soak-nN/ from the first N speeches
of the shared Bundestag corpus; or pass --index DIR), then runs --clients client
threads in a closed loop (each sends its next request when the answer arrived), half
on /search (HTML) and half on /api/search (JSON), cycling through bench/queries.txt
with pages 1-3. After --warmup seconds the measured --minutes start. Reported:
requests and errors (non-200, invalid JSON, cut-off HTML, socket errors) per minute,
median and p99 latency per minute and endpoint (is p99 stable?), and the resident
memory (RSS, psutil; the server process and its workers together) after the warm-up
and at the end (goal: growth < 10%). Loopback only; every request has a timeout;
the run ends by itself and the server is stopped at the end. Results go to
bench/out/soak-<label>.json too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from common import CORPUS_GZ, OUT, REPO, load_queries, percentile, table
from measure import tree_rss

HOST = "127.0.0.1"
ENDPOINTS = ("/search", "/api/search")
REQUEST_TIMEOUT = 60.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--index", type=Path, help="serve this index (not changed)")
    source.add_argument("--limit-articles", type=int, default=20_000, metavar="N",
                        help="build/serve an index of the first N speeches (default 20000)")
    parser.add_argument("--minutes", type=float, default=10.0, help="measured minutes (10)")
    parser.add_argument("--warmup", type=float, default=60.0, help="warm-up seconds (60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per server process (4, the server's default)")
    return parser.parse_args(argv)


def ensure_index(limit: int) -> Path:
    """Return bench/out/soak-nN/index, building it from the first N speeches if absent."""
    root = OUT / f"soak-n{limit}"
    index = root / "index"
    if (index / "CURRENT").exists():
        return index
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    with gzip.open(CORPUS_GZ, "rt", encoding="utf-8") as src, \
            open(corpus / "bundestag-reden.jsonl", "w", encoding="utf-8") as out:
        for number, line in enumerate(src):
            if number >= limit:
                break
            out.write(line)
    print(f"building {index} from {limit:,} speeches (takes minutes) ...", flush=True)
    subprocess.run([sys.executable, "-m", "indexer", "index", str(corpus), "--index", str(index)],
                   check=True, env=child_env())
    return index


def child_env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(index: Path, port: int, threads: int, log: Path) -> subprocess.Popen:
    """Start `python -m indexer serve` and wait (at most 120 s) until it answers."""
    command = [sys.executable, "-m", "indexer", "serve", "--index", str(index), "--host", HOST,
               "--port", str(port), "--threads", str(threads)]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=child_env(),
                                  stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/stats", timeout=60):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"server did not answer within 120 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def check(endpoint: str, status: int, body: bytes) -> str | None:
    """None for a good answer, else what was wrong with it."""
    if status != 200:
        return f"HTTP {status}"
    if endpoint.startswith("/api/"):
        try:
            json.loads(body)
        except ValueError:
            return "invalid JSON"
        return None
    return None if body.rstrip().endswith(b"</html>") else "cut-off HTML"


class Recorder:
    """Every request's (time, endpoint, latency in ms, error or None), thread-safe."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, float, str | None]] = []
        self.lock = threading.Lock()

    def add(self, at: float, endpoint: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.rows.append((at, endpoint, ms, error))


def client(number: int, base: str, queries: list[str], stop_at: float, rec: Recorder) -> None:
    endpoint = ENDPOINTS[number % len(ENDPOINTS)]
    n = number * 7
    while time.monotonic() < stop_at:
        q = queries[n % len(queries)]
        url = f"{base}{endpoint}?{urllib.parse.urlencode({'q': q, 'page': 1 + n % 3})}"
        n += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
                error = check(endpoint, response.status, response.read())
        except urllib.error.HTTPError as exc:
            error = check(endpoint, exc.code, exc.read())
        except Exception as exc:  # refused, reset, timed out: all count as errors
            error = type(exc).__name__
        rec.add(started, endpoint, (time.monotonic() - started) * 1000, error)


def sample_rss(proc: psutil.Process, stop: threading.Event, samples: list) -> None:
    while not stop.is_set():
        try:
            samples.append((time.monotonic(), tree_rss(proc)))
        except psutil.Error:
            return
        stop.wait(5)


def rss_at(samples: list[tuple[float, int]], moment: float) -> int:
    """The RSS sample taken closest to `moment`."""
    return min(samples, key=lambda s: abs(s[0] - moment))[1]


def per_minute(rows, start: float, minutes: int) -> list[dict]:
    out = []
    for minute in range(minutes):
        lo, hi = start + 60 * minute, start + 60 * (minute + 1)
        chunk = [r for r in rows if lo <= r[0] < hi]
        entry = {"minute": minute + 1, "requests": len(chunk),
                 "errors": sum(1 for r in chunk if r[3])}
        for endpoint in ENDPOINTS:
            ms = [r[2] for r in chunk if r[1] == endpoint]
            entry[endpoint] = {
                "median": statistics.median(ms) if ms else None,
                "p99": percentile(ms, 99) if ms else None,
            }
        out.append(entry)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    index = args.index or ensure_index(args.limit_articles)
    label = f"n{args.limit_articles}" if args.index is None else index.name
    OUT.mkdir(parents=True, exist_ok=True)
    queries = load_queries()
    port = free_port()
    log = OUT / f"soak-server-{label}.log"
    server = start_server(index, port, args.threads, log)
    base = f"http://{HOST}:{port}"
    rec, samples, stop = Recorder(), [], threading.Event()
    try:
        proc = psutil.Process(server.pid)
        rss_idle = tree_rss(proc)
        sampler = threading.Thread(target=sample_rss, args=(proc, stop, samples), daemon=True)
        sampler.start()
        began = time.monotonic()
        measured_from = began + args.warmup
        stop_at = measured_from + args.minutes * 60
        print(f"soak: {args.clients} clients on {base} over {index} for {args.warmup:.0f} s "
              f"warm-up + {args.minutes:g} min", flush=True)
        clients = [threading.Thread(target=client, args=(n, base, queries, stop_at, rec),
                                    daemon=True) for n in range(args.clients)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(stop_at - time.monotonic() + REQUEST_TIMEOUT + 5)
        ended = time.monotonic()
        alive = server.poll() is None
        rss_end = tree_rss(proc) if alive else None
    finally:
        stop.set()
        stop_server(server)
    rows = [r for r in rec.rows if r[0] >= measured_from]
    errors: dict[str, int] = {}
    for r in rows:
        if r[3]:
            errors[r[3]] = errors.get(r[3], 0) + 1
    rss_warm = rss_at(samples, measured_from)
    rss_end = rss_end or samples[-1][1]
    minutes = per_minute(rows, measured_from, int(args.minutes))
    report = {
        "index": str(index), "clients": args.clients, "server_threads": args.threads,
        "warmup_s": args.warmup, "minutes": args.minutes, "requests": len(rows),
        "requests_per_s": len(rows) / max(1e-9, ended - measured_from),
        "errors": sum(errors.values()), "error_kinds": errors,
        "warmup_requests": len(rec.rows) - len(rows),
        "rss_idle_mb": rss_idle / 1e6, "rss_after_warmup_mb": rss_warm / 1e6,
        "rss_end_mb": rss_end / 1e6,
        "rss_growth_pct": 100 * (rss_end - rss_warm) / rss_warm,
        "rss_peak_mb": max(s[1] for s in samples) / 1e6,
        "server_alive_at_end": alive, "per_minute": minutes,
    }
    (OUT / f"soak-{label}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print_report(report)
    return 0 if report["errors"] == 0 and alive else 1


def print_report(r: dict) -> None:
    def fmt(value):
        return "-" if value is None else f"{value:.0f}"

    rows = [
        (m["minute"], m["requests"], m["errors"],
         fmt(m["/search"]["median"]), fmt(m["/search"]["p99"]),
         fmt(m["/api/search"]["median"]), fmt(m["/api/search"]["p99"]))
        for m in r["per_minute"]
    ]
    print(table(rows, ("minute", "requests", "errors", "/search median ms", "/search p99 ms",
                       "/api/search median ms", "/api/search p99 ms")))
    print(f"\n{r['requests']:,} requests ({r['requests_per_s']:.1f}/s), {r['errors']} errors "
          f"{r['error_kinds'] or ''}; server alive at the end: {r['server_alive_at_end']}")
    print(f"RSS idle {r['rss_idle_mb']:.1f} MB, after warm-up {r['rss_after_warmup_mb']:.1f} MB, "
          f"at the end {r['rss_end_mb']:.1f} MB ({r['rss_growth_pct']:+.1f}%), "
          f"peak {r['rss_peak_mb']:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
