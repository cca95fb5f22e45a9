"""Search benchmark: latency of SearchIndex.search over bench/queries.txt, against tantivy.

Run: python bench/search.py [--limit-articles N]   (builds the indexes with build.py if absent)

Warm latencies: one unmeasured pass over all queries, then --repeat measured passes,
each query timed alone (limit 10, default AND-style search, full German chain), once
with snippets and once without; median, p95 and p99 per engine and the ratio
ours/tantivy. Cold start: a new Python process opens the index and answers one query;
wall time from just before the process is spawned to the answer (interpreter start and
imports included), and from the open() call to the answer. The page cache stays warm
("cold-ish"). Also: latency per query section and our 10 slowest queries.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from build import build_ours, build_tantivy, slice_paths
from build import parse_args as build_args
from common import (
    BENCH,
    add_limit_option,
    label,
    load_queries,
    load_query_sections,
    ratio,
    summary,
    table,
    write_corpus,
)

OURS_COLD = """
import sys, time
t0 = time.perf_counter()
from indexer import SearchIndex
t1 = time.perf_counter()
r = SearchIndex.open(sys.argv[1]).search(sys.argv[2], limit=10, snippets=True)
t2 = time.perf_counter()
print(time.time(), t1 - t0, t2 - t1, r.total)
"""
TANTIVY_COLD = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[3])
import peer
t1 = time.perf_counter()
total, _ = peer.Searcher(peer.Path(sys.argv[1])).search(sys.argv[2], limit=10, snippets=True)
t2 = time.perf_counter()
print(time.time(), t1 - t0, t2 - t1, total)
"""


def ensure_indexes(limit: int | None, tantivy: bool = True) -> tuple[Path, Path]:
    """Return both index dirs of the slice, building whichever is missing."""
    corpus, ours, theirs = slice_paths(limit)
    if not (ours / "CURRENT").exists() or (tantivy and not (theirs / "meta.json").exists()):
        print(f"building the {label(limit)} indexes (bench/build.py does the same) ...",
              flush=True)
        write_corpus(corpus, limit)
        if not (ours / "CURRENT").exists():
            build_ours(corpus, ours)
        if tantivy and not (theirs / "meta.json").exists():
            build_tantivy(corpus, theirs, build_args([]))
    return ours, theirs


def timed_pass(search, queries: list[str], snippets: bool) -> tuple[list[float], list[int]]:
    """Run every query once; return the latencies in ms and the totals."""
    times, totals = [], []
    for q in queries:
        started = time.perf_counter()
        total = search(q, snippets)
        times.append((time.perf_counter() - started) * 1000)
        totals.append(total)
    return times, totals


@dataclass
class Timings:
    """Per-query latencies in ms (one entry per measured pass) and hit totals."""

    snippets: list[list[float]]
    plain: list[list[float]]
    totals: list[int]

    def median_of(self, i: int, snippets: bool = True) -> float:
        """Median latency of query i over the passes."""
        return statistics.median((self.snippets if snippets else self.plain)[i])


def measure(search, queries: list[str], repeat: int) -> Timings:
    """Warm up once, then time `repeat` passes with and without snippets."""
    timed_pass(search, queries, True)
    t = Timings([[] for _ in queries], [[] for _ in queries], [])
    for _ in range(repeat):
        for snippets, store in ((True, t.snippets), (False, t.plain)):
            times, t.totals = timed_pass(search, queries, snippets)
            for per_query, ms in zip(store, times, strict=True):
                per_query.append(ms)
    return t


def ours_search(index: Path):
    """Our engine as a (query, snippets) -> total function."""
    from indexer import SearchIndex

    ix = SearchIndex.open(index)
    return lambda q, snippets: ix.search(q, limit=10, snippets=snippets).total


def tantivy_search(index: Path):
    """The tantivy peer as a (query, snippets) -> total function."""
    import peer

    searcher = peer.Searcher(index)
    return lambda q, snippets: searcher.search(q, limit=10, snippets=snippets)[0]


def cold_start(code: str, index: Path, query: str, runs: int) -> dict[str, float]:
    """Median over `runs` new processes: spawn-to-answer, open-to-answer, import seconds."""
    spawn, opened, imports = [], [], []
    for _ in range(runs):
        started = time.time()
        out = subprocess.run([sys.executable, "-c", code, str(index), query, str(BENCH)],
                             capture_output=True, text=True, check=True).stdout.split()
        spawn.append(float(out[0]) - started)
        imports.append(float(out[1]))
        opened.append(float(out[2]))
    return {"spawn": statistics.median(spawn) * 1000, "open": statistics.median(opened) * 1000,
            "import": statistics.median(imports) * 1000}


def latency_rows(name: str, per_query: list[list[float]]) -> tuple:
    """One table row: median/p95/p99/mean/max over all timed query runs."""
    s = summary([ms for runs in per_query for ms in runs])
    return (name, *(f"{s[k]:.1f}" for k in ("median", "p95", "p99", "mean", "max")))


def ratio_row(name: str, ours: list[list[float]], theirs: list[list[float]]) -> tuple:
    """The ratio ours/tantivy of each statistic."""
    a = summary([ms for runs in ours for ms in runs])
    b = summary([ms for runs in theirs for ms in runs])
    return (name, *(ratio(a[k], b[k]) for k in ("median", "p95", "p99", "mean", "max")))


def section_table(queries: list[str], ours: Timings, theirs: Timings | None) -> str:
    """Median and p95 latency (with snippets) per query section, ours against tantivy."""
    sections = load_query_sections()
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        groups.setdefault(sections.get(q, "?"), []).append(i)
    rows = []
    for name, idx in groups.items():
        o = [ours.median_of(i) for i in idx]
        row = [name, len(idx), f"{statistics.median(o):.1f}", f"{summary(o)['p95']:.1f}"]
        if theirs:
            t = statistics.median(theirs.median_of(i) for i in idx)
            row += [f"{t:.1f}", ratio(statistics.median(o), t)]
        rows.append(tuple(row))
    header = ["section", "queries", "ours median", "ours p95"]
    return table(rows, tuple(header + (["tantivy median", "ratio"] if theirs else [])))


def slowest_table(queries: list[str], ours: Timings, theirs: Timings | None, n: int = 10) -> str:
    """Our n slowest queries (median ms with snippets) with their figures on both engines."""
    sections = load_query_sections()
    order = sorted(range(len(queries)), key=lambda i: -ours.median_of(i))[:n]
    rows = []
    for i in order:
        row = [queries[i], sections.get(queries[i], "?"), f"{ours.median_of(i):.1f}",
               f"{ours.median_of(i, False):.1f}", f"{ours.totals[i]:,}"]
        if theirs:
            row += [f"{theirs.median_of(i):.1f}", f"{theirs.totals[i]:,}"]
        rows.append(tuple(row))
    header = ["query", "section", "ms", "ms no snippets", "hits"]
    return table(rows, tuple(header + (["tantivy ms", "tantivy hits"] if theirs else [])))


def latency_table(ours: Timings, theirs: Timings | None) -> str:
    """Warm latency statistics of both engines and their ratio."""
    rows = [latency_rows("ours, with snippets", ours.snippets)]
    if theirs:
        rows += [latency_rows("tantivy, with snippets", theirs.snippets),
                 ratio_row("ratio ours/tantivy", ours.snippets, theirs.snippets)]
    rows.append(latency_rows("ours, no snippets", ours.plain))
    if theirs:
        rows += [latency_rows("tantivy, no snippets", theirs.plain),
                 ratio_row("ratio ours/tantivy", ours.plain, theirs.plain)]
    return table(rows, ("warm latency (ms)", "median", "p95", "p99", "mean", "max"))


def cold_table(ours: dict[str, float], theirs: dict[str, float] | None) -> str:
    """Cold-start medians of both engines."""
    names = {"spawn": "process spawn -> first answer", "open": "open() -> first answer",
             "import": "import of the search module"}
    rows = []
    for key, name in names.items():
        row = [name, f"{ours[key]:.0f}"]
        if theirs:
            row += [f"{theirs[key]:.0f}", ratio(ours[key], theirs[key])]
        rows.append(tuple(row))
    header = ["cold start (ms, median)", "ours"]
    return table(rows, tuple(header + (["tantivy", "ratio ours/tantivy"] if theirs else [])))


def hits_line(queries: list[str], ours: Timings, theirs: Timings | None) -> str:
    """How many queries found nothing, as a sanity check that both engines search alike."""
    line = f"queries with no hit: ours {sum(1 for t in ours.totals if t == 0)} of {len(queries)}"
    if theirs:
        line += f", tantivy {sum(1 for t in theirs.totals if t == 0)}"
    return line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_limit_option(parser)
    parser.add_argument("--repeat", type=int, default=3,
                        help="measured passes over the query list per mode (default 3)")
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="new processes for the cold-start figure (default 5)")
    parser.add_argument("--skip-tantivy", action="store_true", help="measure only ours")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Measure warm latency, cold start and the slowest queries; print the tables."""
    args = parse_args(argv)
    queries = load_queries()
    ours_dir, theirs_dir = ensure_indexes(args.limit_articles, not args.skip_tantivy)
    print(f"{len(queries)} queries, {args.repeat} measured pass(es) per mode, "
          f"slice {label(args.limit_articles)}", flush=True)
    ours = measure(ours_search(ours_dir), queries, args.repeat)
    theirs = None
    if not args.skip_tantivy:
        theirs = measure(tantivy_search(theirs_dir), queries, args.repeat)
    cold_query = queries[0]
    cold_ours = cold_start(OURS_COLD, ours_dir, cold_query, args.cold_runs)
    cold_theirs = None
    if not args.skip_tantivy:
        cold_theirs = cold_start(TANTIVY_COLD, theirs_dir, cold_query, args.cold_runs)
    print()
    print(latency_table(ours, theirs))
    print(f"\n{hits_line(queries, ours, theirs)}\n")
    print(f"cold start, query {cold_query!r}, {args.cold_runs} new processes each:\n")
    print(cold_table(cold_ours, cold_theirs))
    print("\nby query section (median over passes, with snippets):\n")
    print(section_table(queries, ours, theirs))
    print("\nour 10 slowest queries (median over passes):\n")
    print(slowest_table(queries, ours, theirs))


if __name__ == "__main__":
    main()
