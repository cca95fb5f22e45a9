"""Retrieval quality of the German chain against a bm25s BM25 baseline on German QA sets.

For every test set the documents are indexed with our chain (each analysis variant
once) and with the reference baseline in the same run, and MRR@10, nDCG@10, R@10 and
R@100 are reported side by side. ``--ablation`` switches each feature off in turn on
the tune sets; the held-out sets only ever get the main row. See bench/RELEVANCE.md.

    python bench/relevance.py [--sets mlqa,xquad,xglue_tune,xquad_r,xglue_test]
                              [--ablation] [--limit-queries N] [--out bench/out/relevance.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance_baseline import Bm25Baseline
from relevance_data import REFERENCE_MRR, SETS, EvalSet, Pool, load
from relevance_metrics import first_rank, mean_scores, score_query
from relevance_report import (
    losses,
    set_footer,
    set_heading,
    set_table,
    tuning_table,
)
from relevance_system import MAIN, Config, ablation_configs, build, search, write_corpus

BENCH = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH / "out" / "relevance.json"
BASELINE_RECIPE = "bm25s lucene k1=1.2 b=0.75; lowercase, \\w+, PyStemmer german"
CHUNK = 1250  # queries per search job, so two workers finish together


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sets", default=",".join(SETS),
                   help=f"comma-separated test sets (default: all of {', '.join(SETS)})")
    p.add_argument("--ablation", action="store_true",
                   help="add ablation and operator rows on the tune sets")
    p.add_argument("--limit-queries", type=int, default=None, metavar="N",
                   help="use only the first N queries of each set (the pools stay whole)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="worker processes for index builds and searches (default 2)")
    p.add_argument("--examples", type=int, default=0, metavar="N",
                   help="print the N queries each row loses most against the baseline")
    p.add_argument("--per-query", action="store_true",
                   help="store each query's first relevant rank per row in the JSON")
    args = p.parse_args(argv)
    args.sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in args.sets if s not in SETS]
    if unknown:
        p.error(f"unknown sets {unknown}; choose from {', '.join(SETS)}")
    return args


def plan_rows(eval_set: EvalSet, ablation: bool) -> list[Config]:
    """Rows for a set: the main system, plus the ablations on tune sets only."""
    if ablation and not eval_set.held_out:
        return [MAIN, *ablation_configs()]
    return [MAIN]


def limited(eval_set: EvalSet, limit: int | None) -> EvalSet:
    """Keep only the first `limit` queries, for quick runs."""
    return eval_set if limit is None else replace(eval_set, queries=eval_set.queries[:limit])


class Runner:
    """Build each (pool, analysis variant) index once and run every search job on it."""

    def __init__(self, pools: dict[str, Pool], sets: list[EvalSet], rows: dict, tmp: Path,
                 jobs: int) -> None:
        self.pools, self.sets, self.rows, self.tmp = pools, sets, rows, tmp
        self.executor = ProcessPoolExecutor(max_workers=max(1, jobs))
        self.builds: dict[tuple, dict] = {}
        self.searches: dict[tuple, list[Future]] = {}

    def variants(self) -> list[tuple[str, object]]:
        """Distinct (pool, options) pairs, biggest pools and the main variant first."""
        found = {(s.pool, c.options) for s in self.sets for c in self.rows[s.name]}
        return sorted(found, key=lambda v: (-len(self.pools[v[0]].docs), v[1] != MAIN.options))

    def index_dir(self, pool: str, options) -> Path:
        """A folder per variant under the run's temp dir."""
        flags = "".join("1" if v else "0" for v in vars(options).values())
        return self.tmp / pool / f"index-{flags}"

    def start(self) -> dict[Future, tuple]:
        """Write each pool as a corpus once and queue one build per variant."""
        corpora = {name: write_corpus(pool.docs, self.tmp / name / "corpus")
                   for name, pool in self.pools.items()}
        return {
            self.executor.submit(build, corpora[pool], self.index_dir(pool, options), options,
                                 len(self.pools[pool].docs)): (pool, options)
            for pool, options in self.variants()
        }

    def submit_searches(self, pool: str, options) -> None:
        """Queue the distinct search jobs that use one freshly built index."""
        for s in self.sets:
            if s.pool != pool:
                continue
            texts = [q.text for q in s.queries]
            for config in self.rows[s.name]:
                key = (s.name, config.key)
                if config.options != options or key in self.searches:
                    continue
                self.searches[key] = [
                    self.executor.submit(search, self.index_dir(pool, options), config.features,
                                         texts[i:i + CHUNK])
                    for i in range(0, len(texts), CHUNK)
                ]

    def collect(self, pending: dict) -> dict[tuple, dict]:
        """Wait for builds, fan out their searches, then gather every search result."""
        remaining = set(pending)
        while remaining:
            done, remaining = wait(remaining, return_when="FIRST_COMPLETED")
            for future in done:
                pool, options = pending[future]
                self.builds[(pool, options)] = future.result()
                if self.builds[(pool, options)]["ok"]:
                    self.submit_searches(pool, options)
        results = {}
        for key, futures in self.searches.items():
            parts = [f.result() for f in futures]
            offset, errors = 0, []
            for part in parts:
                errors.extend({**e, "query": e["query"] + offset} for e in part["errors"])
                offset += len(part["rankings"])
            results[key] = {
                "rankings": [r for part in parts for r in part["rankings"]],
                "errors": errors,
                "seconds": sum(part["seconds"] for part in parts),
            }
        self.executor.shutdown()
        return results


def run_baselines(pools: dict[str, Pool], sets: list[EvalSet]) -> dict[str, dict]:
    """Index each pool with bm25s once and rank every set's queries."""
    out: dict[str, dict] = {}
    models: dict[str, tuple[Bm25Baseline, float]] = {}
    for s in sets:
        started = time.perf_counter()
        if s.pool not in models:
            models[s.pool] = (Bm25Baseline(pools[s.pool].docs), time.perf_counter() - started)
        model, build_seconds = models[s.pool]
        rankings = model.search_all([q.text for q in s.queries])
        out[s.name] = {"rankings": rankings,
                       "seconds": time.perf_counter() - started + build_seconds}
    return out


def score_row(eval_set: EvalSet, rankings: list[list[str]]) -> tuple[dict, list, int]:
    """Mean metrics, first relevant ranks and the number of queries without hits."""
    per_query = [score_query(r, q.relevant) for r, q in zip(rankings, eval_set.queries,
                                                             strict=True)]
    ranks = [first_rank(r, q.relevant) for r, q in zip(rankings, eval_set.queries, strict=True)]
    return mean_scores(per_query), ranks, sum(1 for r in rankings if not r)


def assemble(eval_set: EvalSet, pool: Pool, rows: list[Config], baseline: dict,
             builds: dict, searches: dict, subset: bool) -> dict:
    """Put one set's rows, timings and checks together."""
    metrics, ranks, empty = score_row(eval_set, baseline["rankings"])
    result = {
        "name": eval_set.name, "held_out": eval_set.held_out, "queries": len(eval_set.queries),
        "docs": len(pool.docs), "indexed": pool.what, "relevance": eval_set.relevance,
        "notes": eval_set.notes, "reference_mrr": REFERENCE_MRR.get(eval_set.name),
        "subset": subset,
        "rows": {"baseline": {"metrics": metrics, "no_hits": empty, "config": BASELINE_RECIPE}},
        "ranks": {"baseline": ranks},
    }
    seconds = {"build": 0.0, "search": 0.0, "baseline": baseline["seconds"]}
    for variant in {c.options for c in rows}:
        seconds["build"] += builds[(eval_set.pool, variant)]["seconds"]
    for config in rows:
        built = builds[(eval_set.pool, config.options)]
        row: dict = {"config": config.describe()}
        if not built["ok"]:
            row["build_error"] = built["error"]
        else:
            row["build_problems"] = built["problems"]
            found = searches[(eval_set.name, config.key)]
            row["metrics"], result["ranks"][config.name], row["no_hits"] = score_row(
                eval_set, found["rankings"])
            row["errors"] = found["errors"]
            row["search_seconds"] = found["seconds"]
        result["rows"][config.name] = row
    seconds["search"] = sum(searches[(eval_set.name, k)]["seconds"]
                            for k in {c.key for c in rows} if (eval_set.name, k) in searches)
    seconds["total"] = sum(seconds.values())
    result["seconds"] = seconds
    return result


def print_report(results: list[dict], sets: list[EvalSet], examples: int, wall: float) -> None:
    """Print every set's table (held-out sets last), the sweep and the total time."""
    texts = {s.name: [q.text for q in s.queries] for s in sets}
    ordered = [r for r in results if not r["held_out"]] + [r for r in results if r["held_out"]]
    for result in ordered:
        print(set_heading(result), "", set_table(result), "", *set_footer(result), sep="\n")
        if examples and not result["held_out"]:  # held-out queries are not looked at
            for name in result["rows"]:
                if name != "baseline":
                    lost = losses(result, name, texts[result["name"]], examples)
                    if lost:
                        print(f"Biggest losses of {name} against the baseline:", *lost, sep="\n")
        print()
    sweep = tuning_table(results)
    if sweep:
        print("### Tuning sweep (MRR@10, tune sets only)\n", sweep, "", sep="\n")
    print(f"Total wall time: {wall:.1f} s")


def code_version() -> dict:
    """The commit, the locally changed indexer files and a hash of indexer/ (the tree moves)."""
    def git(*cmd: str) -> str:
        try:
            done = subprocess.run(["git", *cmd], cwd=BENCH, capture_output=True, text=True,
                                  timeout=30, check=False)
        except OSError:
            return ""
        return done.stdout.strip()

    digest = hashlib.sha1()
    for path in sorted((BENCH.parent / "indexer").rglob("*.py")):
        digest.update(path.read_bytes())
    return {"commit": git("rev-parse", "HEAD"),
            "changed": git("status", "--porcelain", "--", "../indexer").splitlines(),
            "indexer_sha1": digest.hexdigest()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the markdown report and write the JSON results."""
    args = parse_args(argv)
    started = time.perf_counter()
    code_before = code_version()
    pools, sets = load(args.sets)
    sets = [limited(s, args.limit_queries) for s in sets]
    rows = {s.name: plan_rows(s, args.ablation) for s in sets}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="relevance-", dir=args.out.parent) as tmp:
        runner = Runner(pools, sets, rows, Path(tmp), args.jobs)
        pending = runner.start()
        baselines = run_baselines(pools, sets)  # in this process while the workers build
        searches = runner.collect(pending)
        builds = runner.builds
    results = [
        assemble(s, pools[s.pool], rows[s.name], baselines[s.name], builds, searches,
                 args.limit_queries is not None)
        for s in sets
    ]
    wall = time.perf_counter() - started
    code = code_version()
    dirty = f" + {len(code['changed'])} locally changed indexer files" if code["changed"] else ""
    print(f"Code under test: commit {code['commit'][:10]}{dirty}; ours = {MAIN.describe()}")
    if code != code_before:
        print("WARNING: indexer/ changed during the run; rows may mix code versions. Re-run.")
    print()
    print_report(results, sets, args.examples, wall)
    for result in results:
        if not args.per_query:
            result.pop("ranks")
    payload = {"command": sys.argv, "code": code, "wall_seconds": wall, "sets": results}
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
