"""Search benchmark: latency of SearchIndex.search over bench/queries.txt, against tantivy.

Run: python bench/search.py [--limit-articles N]   (builds the indexes with build.py if absent)

Warm latencies: a first pass over all queries (reported apart as "first pass": the
process's caches of decoded postings start empty), then --repeat measured passes,
each query timed alone (limit 10, default search, full German chain), once with
snippets and once without; median, p95 and p99 per engine and the ratio
ours/tantivy. Cold start: a new Python process opens the index and answers one query;
wall time from just before the process is spawned to the answer (interpreter start and
imports included), and from the open() call to the answer. The page cache stays warm
("cold-ish"). Also: latency per query section and our 10 slowest queries.

"ours" is SearchIndex's default (OR of the words with a coordination bonus, common
words only ranking, compound parts, typo and name-variant expansion of rare words,
a "did you mean" suggestion when there are few hits). "ours-and" switches those off
(operator "and", no expansion, no suggestion), which is what the tantivy peer does:
AND of the words, phrases in quotes, title boosted 2x, top 10, and a
SnippetGenerator snippet of <= 280 chars.
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
from measure import load_line

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


def timed_pass(search, queries: list[str], snippets: bool) -> tuple[list, list, list[int]]:
    """Run every query once; return wall and CPU latencies in ms and the hit totals."""
    wall, cpu, totals = [], [], []
    for q in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        total = search(q, snippets)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        totals.append(total)
    return wall, cpu, totals


@dataclass
class Timings:
    """Per-query latencies in ms (one entry per measured pass) and hit totals."""

    snippets: list[list[float]]
    plain: list[list[float]]
    cpu: list[list[float]]  # process CPU time with snippets
    totals: list[int]
    first: list[list[float]]  # the first pass, with snippets, caches empty

    def median_of(self, i: int, snippets: bool = True) -> float:
        """Median wall latency of query i over the passes."""
        return statistics.median((self.snippets if snippets else self.plain)[i])


def measure(search, queries: list[str], repeat: int) -> Timings:
    """Time a first pass, then `repeat` passes with and without snippets."""
    first, _, _ = timed_pass(search, queries, True)
    t = Timings(*([[] for _ in queries] for _ in range(3)), totals=[],
                first=[[ms] for ms in first])
    for _ in range(repeat):
        wall, cpu, t.totals = timed_pass(search, queries, True)
        plain, _, _ = timed_pass(search, queries, False)
        for i in range(len(queries)):
            t.snippets[i].append(wall[i])
            t.cpu[i].append(cpu[i])
            t.plain[i].append(plain[i])
    return t


def ours_search(index: Path, plain_and: bool = False):
    """Our engine as a (query, snippets) -> total function; default or plain-AND features."""
    from indexer import SearchIndex

    features = None
    if plain_and:
        from indexer.features import SearchFeatures

        features = SearchFeatures(
            operator="and", typos=False, names=False, suggest=False, query_parts=False
        )
    ix = SearchIndex.open(index, features=features)
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


def fmt_ms(ms: float) -> str:
    """Milliseconds with two decimals below 10 ms, one above."""
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}"


def latency_rows(name: str, per_query: list[list[float]]) -> tuple:
    """One table row: median/p95/p99/mean/max over all timed query runs."""
    s = summary([ms for runs in per_query for ms in runs])
    return (name, *(fmt_ms(s[k]) for k in ("median", "p95", "p99", "mean", "max")))


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
        row = [name, len(idx), fmt_ms(statistics.median(o)), fmt_ms(summary(o)["p95"])]
        if theirs:
            t = statistics.median(theirs.median_of(i) for i in idx)
            row += [fmt_ms(t), ratio(statistics.median(o), t)]
        rows.append(tuple(row))
    header = ["section", "queries", "ours median", "ours p95"]
    return table(rows, tuple(header + (["tantivy median", "ratio"] if theirs else [])))


def slowest_table(queries: list[str], runs: dict[str, Timings], n: int = 10) -> str:
    """Our n slowest queries (median ms with snippets) with their figures on every engine."""
    sections, ours = load_query_sections(), runs["ours"]
    order = sorted(range(len(queries)), key=lambda i: -ours.median_of(i))[:n]
    rows = []
    for i in order:
        row = [queries[i], sections.get(queries[i], "?"), fmt_ms(ours.median_of(i)),
               fmt_ms(ours.median_of(i, False)), f"{ours.totals[i]:,}"]
        for name in ("ours-and", "tantivy"):
            if name in runs:
                row += [fmt_ms(runs[name].median_of(i)), f"{runs[name].totals[i]:,}"]
        rows.append(tuple(row))
    header = ["query", "section", "ms", "ms no snippets", "hits"]
    header += [f"{name} {what}" for name in ("ours-and", "tantivy") if name in runs
               for what in ("ms", "hits")]
    return table(rows, tuple(header))


def latency_table(runs: dict[str, Timings]) -> str:
    """Warm latency statistics of every engine and the ratios to tantivy."""
    rows = []
    for mode, attr in (("with snippets", "snippets"), ("no snippets", "plain"),
                       ("CPU time, with snippets", "cpu"),
                       ("first pass, with snippets", "first")):
        for name, t in runs.items():
            rows.append(latency_rows(f"{name}, {mode}", getattr(t, attr)))
        for name in ("ours", "ours-and"):
            if name in runs and "tantivy" in runs:
                rows.append(ratio_row(f"ratio {name}/tantivy", getattr(runs[name], attr),
                                      getattr(runs["tantivy"], attr)))
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


def hits_line(queries: list[str], runs: dict[str, Timings]) -> str:
    """How many queries found nothing, as a sanity check that the engines search alike."""
    counts = ", ".join(f"{name} {sum(1 for t in r.totals if t == 0)}" for name, r in runs.items())
    return f"queries with no hit (of {len(queries)}): {counts}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_limit_option(parser)
    parser.add_argument("--repeat", type=int, default=2,
                        help="measured passes over the query list per mode (default 2)")
    parser.add_argument("--cold-runs", type=int, default=5,
                        help="new processes for the cold-start figure (default 5)")
    parser.add_argument("--skip-tantivy", action="store_true", help="measure only ours")
    parser.add_argument("--skip-plain-and", action="store_true",
                        help="skip 'ours-and' (operator and, no typo/name expansion, no suggest)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Measure warm latency, cold start and the slowest queries; print the tables."""
    args = parse_args(argv)
    queries = load_queries()
    ours_dir, theirs_dir = ensure_indexes(args.limit_articles, not args.skip_tantivy)
    print(load_line(), flush=True)
    print(f"{len(queries)} queries, {args.repeat} measured pass(es) per mode, "
          f"slice {label(args.limit_articles)}", flush=True)
    runs = {"ours": measure(ours_search(ours_dir), queries, args.repeat)}
    if not args.skip_plain_and:
        runs["ours-and"] = measure(ours_search(ours_dir, plain_and=True), queries, args.repeat)
    if not args.skip_tantivy:
        runs["tantivy"] = measure(tantivy_search(theirs_dir), queries, args.repeat)
    cold_query = queries[0]
    cold_ours = cold_start(OURS_COLD, ours_dir, cold_query, args.cold_runs)
    cold_theirs = None
    if not args.skip_tantivy:
        cold_theirs = cold_start(TANTIVY_COLD, theirs_dir, cold_query, args.cold_runs)
    print()
    print(latency_table(runs))
    print(f"\n{hits_line(queries, runs)}\n")
    print(f"cold start, query {cold_query!r}, {args.cold_runs} new processes each:\n")
    print(cold_table(cold_ours, cold_theirs))
    print("\nby query section (median over passes, with snippets):\n")
    print(section_table(queries, runs["ours"], runs.get("tantivy")))
    print("\nour 10 slowest queries (median over passes):\n")
    print(slowest_table(queries, runs))
    print(f"\n{load_line()}")


if __name__ == "__main__":
    main()
