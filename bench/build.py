"""Indexing benchmark: Artikelsuche's build_index against tantivy on the same paragraphs.

Run: python bench/build.py [--limit-articles N] [--incremental-only]

Each build runs in its own child process, so its peak resident memory (process tree,
sampled by psutil, and its own ru_maxrss) is not mixed with the other's. Reported:
build seconds, paragraphs/s, peak RSS and index size for both engines with the
ratio ours/tantivy, then two incremental runs of ours on a copy of the index: after
changing one article in a copy of the corpus, and with nothing changed.
The indexes stay in bench/out/index-<slice>/ for search.py and serve.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from common import BENCH, OUT, add_limit_option, dir_size, label, mb, ratio, table, write_corpus
from measure import ChildRun, load_line, report, run_child

from indexer.processes import default_processes


def slice_paths(limit: int | None) -> tuple[Path, Path, Path]:
    """Return (corpus folder, our index dir, tantivy index dir) of a corpus slice."""
    base = OUT / f"index-{label(limit)}"
    return OUT / f"corpus-{label(limit)}", base / "whoosh", base / "tantivy"


def worker_cmd(engine: str, corpus: Path, index: Path, **extra) -> list[str]:
    """Command line that runs one build step of this script in a child process."""
    cmd = [sys.executable, str(BENCH / "build.py"), "--worker", engine,
           "--corpus", str(corpus), "--index", str(index)]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    return cmd


def run_worker(args: argparse.Namespace) -> None:
    """Child side: run one build and print its figures with measure.report()."""
    corpus, index = Path(args.corpus), Path(args.index)
    started = time.perf_counter()
    if args.worker == "tantivy":
        import peer

        if index.exists():
            shutil.rmtree(index)
        paragraphs = peer.build(next(corpus.glob("*.jsonl")), index, args.tantivy_threads,
                                args.tantivy_heap_mb, not args.no_stopwords)
        report(seconds=time.perf_counter() - started, paragraphs=paragraphs)
        return
    from indexer import build_index

    s = build_index(corpus, index, rebuild=args.worker == "whoosh")
    report(seconds=s.seconds, segments=_segments(index), articles=s.articles,
           paragraphs=s.paragraphs, added=s.added, updated=s.updated, removed=s.removed,
           unchanged_files=s.unchanged_files,
           warnings=len(s.warnings), skipped=len(s.skipped))


def build_ours(corpus: Path, index: Path) -> ChildRun:
    """Fresh build of our index in a child process."""
    return run_child(worker_cmd("whoosh", corpus, index))


def _segments(index: Path) -> int:
    from indexer.store import open_generation

    return len(open_generation(index)[1]._segments())


def build_tantivy(corpus: Path, index: Path, args: argparse.Namespace) -> ChildRun:
    """Fresh build of the tantivy peer index in a child process."""
    extra = {"tantivy_threads": args.tantivy_threads, "tantivy_heap_mb": args.tantivy_heap_mb}
    cmd = worker_cmd("tantivy", corpus, index, **extra)
    return run_child(cmd + (["--no-stopwords"] if args.no_stopwords else []))


def change_one_article(src: Path, dest: Path) -> str:
    """Copy the corpus folder to dest with the middle article's last paragraph extended."""
    dest.mkdir(parents=True, exist_ok=True)
    lines = (src / "bundestag-reden.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[len(lines) // 2])
    record["paragraphs"][-1] += " Nachtrag des Benchmarks: eine geänderte Rede."
    lines[len(lines) // 2] = json.dumps(record, ensure_ascii=False)
    (dest / "bundestag-reden.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return record["id"]


def incremental(corpus: Path, index: Path) -> dict[str, ChildRun]:
    """Update a copy of our index from a corpus copy with one changed article, then no-op."""
    work = OUT / "incremental"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(index, work / "index")
    change_one_article(corpus, work / "corpus")
    runs = {"one article changed": run_child(worker_cmd("update", work / "corpus", work / "index"))}
    runs["nothing changed"] = run_child(worker_cmd("update", work / "corpus", work / "index"))
    shutil.rmtree(work, ignore_errors=True)
    return runs


def build_table(ours: ChildRun, theirs: ChildRun, sizes: tuple[int, int], articles: int) -> str:
    """The side-by-side table of both fresh builds."""
    ours_size, theirs_size = sizes
    o, t = ours.result, theirs.result
    o_rate, t_rate = o["paragraphs"] / o["seconds"], t["paragraphs"] / t["seconds"]
    rows = [
        ("articles (speeches)", f"{o['articles']:,}", f"{articles:,} (input)", ""),
        ("paragraphs indexed", f"{o['paragraphs']:,}", f"{t['paragraphs']:,}", ""),
        ("build time (s)", f"{o['seconds']:.1f}", f"{t['seconds']:.1f}",
         ratio(o["seconds"], t["seconds"])),
        ("paragraphs/s", f"{o_rate:,.0f}", f"{t_rate:,.0f}", ratio(o_rate, t_rate)),
        ("CPU time, user+sys (s)", f"{o['cpu_s']:.1f}", f"{t['cpu_s']:.1f}",
         ratio(o["cpu_s"], t["cpu_s"])),
        ("peak RSS, process tree", mb(ours.peak_rss), mb(theirs.peak_rss),
         ratio(ours.peak_rss, theirs.peak_rss)),
        ("index size on disk", mb(ours_size), mb(theirs_size), ratio(ours_size, theirs_size)),
        ("child process wall (s)", f"{ours.wall_s:.1f}", f"{theirs.wall_s:.1f}",
         ratio(ours.wall_s, theirs.wall_s)),
    ]
    return table(rows, ("build", "Artikelsuche (Whoosh)", "tantivy", "ratio ours/tantivy"))


def incremental_table(runs: dict[str, ChildRun]) -> str:
    """Seconds and counts of the incremental runs."""
    rows = []
    for name, run in runs.items():
        r = run.result
        rows.append((name, f"{r['seconds']:.2f}", f"{r['added']}/{r['updated']}/{r['removed']}",
                     r["unchanged_files"], mb(run.peak_rss)))
    return table(rows, ("incremental run (ours)", "seconds", "added/updated/removed",
                        "files unchanged", "peak RSS"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options (the --worker ones are for the child processes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_limit_option(parser)
    parser.add_argument("--tantivy-threads", type=int, default=default_processes(),
                        help="tantivy writer threads (default: as many as our build's "
                             "processes, the usable CPUs up to 4)")
    parser.add_argument("--tantivy-heap-mb", type=int, default=128,
                        help="tantivy writer heap per thread in MB (default 128)")
    parser.add_argument("--no-stopwords", action="store_true",
                        help="keep stop words in tantivy too (ours keeps them)")
    parser.add_argument("--skip-tantivy", action="store_true", help="build only our index")
    parser.add_argument("--incremental-only", action="store_true",
                        help="only the incremental runs, on the slice's index already built")
    parser.add_argument("--worker", choices=["whoosh", "update", "tantivy"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Write the corpus slice, build both indexes, run the incremental steps, print tables."""
    args = parse_args(argv)
    if args.worker:
        run_worker(args)
        return
    corpus, ours_dir, theirs_dir = slice_paths(args.limit_articles)
    if args.incremental_only and (ours_dir / "CURRENT").exists():
        print(load_line(), flush=True)
        print(incremental_table(incremental(corpus, ours_dir)))
        return
    _, articles, paragraphs = write_corpus(corpus, args.limit_articles)
    print(load_line(), flush=True)
    print(f"corpus slice {label(args.limit_articles)}: {articles:,} speeches, "
          f"{paragraphs:,} paragraphs in {corpus}", flush=True)
    ours = build_ours(corpus, ours_dir)
    print(f"ours built in {ours.result['seconds']:.1f} s ({default_processes()} processes, "
          f"{ours.result['segments']} segments)", flush=True)
    runs = incremental(corpus, ours_dir)
    if args.skip_tantivy:
        print(incremental_table(runs))
        return
    theirs = build_tantivy(corpus, theirs_dir, args)
    print(f"tantivy built in {theirs.result['seconds']:.1f} s "
          f"({args.tantivy_threads} writer thread(s), {args.tantivy_heap_mb} MB heap each, "
          f"stop words {'kept' if args.no_stopwords else 'removed'})\n", flush=True)
    print(build_table(ours, theirs, (dir_size(ours_dir), dir_size(theirs_dir)), articles))
    print()
    print(incremental_table(runs))
    print(f"\n{load_line()}")


if __name__ == "__main__":
    main()
