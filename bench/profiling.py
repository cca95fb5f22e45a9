"""Profile the index build and the search loop, to show where the time goes.

Run: python bench/profiling.py build  [--articles 2000]        (build_index of the first N)
     python bench/profiling.py search [--limit-articles N]     (the query list, with snippets)
     add --profiler pyspy for py-spy's sampling profiler (low overhead, needs py-spy)

cProfile (the default) counts every call exactly but inflates functions that are
called very often (Whoosh's token generators); py-spy samples the stack 250 times a
second without slowing the code. Both print the functions with the most self time,
the indexer/Whoosh functions with the most cumulative time, and self time per
package. Raw profiles are kept in bench/out/ (profile-*.prof / profile-*.txt) for
snakeviz or speedscope. (Not named profile.py: that would shadow the standard
library's `profile` module, which cProfile imports, for every script in bench/.)
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import shutil
import subprocess
import sys
import sysconfig
from collections import Counter
from pathlib import Path

from common import BENCH, OUT, add_limit_option, load_queries, table, write_corpus

_SITE = re.compile(r".*/site-packages/")
STDLIB = Path(sysconfig.get_paths()["stdlib"])
_OURS = re.compile(r"(?:^|/)(indexer|webui|bench)/(.+)\.py$")
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*)\)$")


def build_workload(articles: int):
    """Return a function that builds a fresh index of the first `articles` speeches."""
    from indexer import build_index

    corpus = OUT / f"corpus-n{articles}"
    write_corpus(corpus, articles)
    index = OUT / "profile-index"
    shutil.rmtree(index, ignore_errors=True)
    return lambda: build_index(corpus, index, rebuild=True, processes=1)  # one profiled process


def search_workload(limit: int | None, passes: int):
    """Return a function that runs the query list `passes` times on a warm index."""
    from search import ensure_indexes

    from indexer import SearchIndex

    ours, _ = ensure_indexes(limit, tantivy=False)
    ix, queries = SearchIndex.open(ours), load_queries()
    for q in queries:  # warm-up, not profiled
        ix.search(q, limit=10, snippets=True)

    def run() -> None:
        for _ in range(passes):
            for q in queries:
                ix.search(q, limit=10, snippets=True)

    return run


def module_of(path: str) -> str:
    """Short package name of a source path: 'whoosh.codec', 'indexer.snippets', 'stdlib:re'.

    Takes cProfile's absolute paths and py-spy's shortened ones ("whoosh/writing.py").
    """
    if path.startswith("~"):
        return "builtins (C)"
    if path.startswith("<"):
        return "stdlib:importlib" if "importlib" in path else "builtins (C)"
    rel = _SITE.sub("", path)
    ours = _OURS.search(rel)
    if ours:
        return f"{ours[1]}.{ours[2].replace('/', '.')}"
    if rel.startswith("whoosh/"):
        return ".".join(rel.removesuffix(".py").split("/")[:2])
    if rel.startswith(str(STDLIB)) or (STDLIB / rel).exists():
        return "stdlib:" + Path(rel.removeprefix(str(STDLIB) + "/")).parts[0].removesuffix(".py")
    if rel.startswith("/"):
        return Path(rel).stem
    if rel != path or "/" in rel:
        return rel.split("/")[0].removesuffix(".py")
    return ("bench." if (BENCH / rel).exists() else "") + rel.removesuffix(".py")


def func_label(path: str, line: int, name: str) -> str:
    """'module:function' for tables."""
    return f"{module_of(path) if not path.startswith('~') else 'builtin'}:{name}" + (
        f" (l.{line})" if line else "")


def print_cprofile(stats: pstats.Stats, top: int) -> None:
    """Top functions by self time, our/Whoosh functions by cumulative time, time by package."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in entries.values())
    by_self = sorted(entries.items(), key=lambda kv: -kv[1][2])[:top]
    rows = [(func_label(*k), f"{v[1]:,}", f"{v[2]:.2f}", f"{100 * v[2] / total:.1f}",
             f"{v[3]:.2f}") for k, v in by_self]
    print(f"total self time {total:.2f} s\n\nby self time:\n")
    print(table(rows, ("function", "calls", "self s", "self %", "cumulative s")))
    ours = [(k, v) for k, v in entries.items()
            if module_of(k[0]).startswith(("indexer", "whoosh"))]
    by_cum = sorted(ours, key=lambda kv: -kv[1][3])[:top]
    rows = [(func_label(*k), f"{v[1]:,}", f"{v[3]:.2f}", f"{100 * v[3] / total:.1f}")
            for k, v in by_cum]
    print("\nindexer/Whoosh functions by cumulative time:\n")
    print(table(rows, ("function", "calls", "cumulative s", "cum %")))
    packages: Counter = Counter()
    for k, v in entries.items():
        packages[module_of(k[0])] += v[2]
    print_packages(packages, total, top)


def print_packages(packages: Counter, total: float, top: int, unit: str = "s") -> None:
    """Self time (seconds or samples) summed per package."""
    rows = [(name, f"{t:,.2f}" if unit == "s" else f"{t:,}", f"{100 * t / total:.1f}")
            for name, t in packages.most_common(top)]
    print("\nself time by package:\n")
    print(table(rows, ("package", f"self {unit}", "self %")))


def run_cprofile(work, name: str, top: int) -> None:
    """Profile work() with cProfile, save the .prof and print the tables."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    dest = OUT / f"profile-{name}.prof"
    profiler.dump_stats(dest)
    print(f"cProfile of {name} (saved {dest.relative_to(BENCH.parent)})\n")
    print_cprofile(pstats.Stats(profiler), top)


def run_pyspy(argv: list[str], name: str, top: int) -> None:
    """Run this script under py-spy (collapsed stacks) and summarise the samples."""
    if shutil.which("py-spy") is None and not (Path(sys.executable).parent / "py-spy").exists():
        sys.exit("py-spy is not installed: pip install py-spy")
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    dest = OUT / f"profile-{name}.txt"
    cmd = [spy, "record", "--format", "raw", "--nolineno", "-r", "250", "-o", str(dest), "--",
           sys.executable, str(BENCH / "profiling.py"), *argv, "--profiler", "none"]
    subprocess.run(cmd, check=True, capture_output=True)
    print(f"py-spy samples of {name} (saved {dest.relative_to(BENCH.parent)})\n")
    print_collapsed(dest, top)


def print_collapsed(path: Path, top: int) -> None:
    """Self and inclusive sample shares per function from py-spy's collapsed stacks."""
    own, incl, packages = Counter(), Counter(), Counter()
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:  # samples before the interpreter runs Python code
            continue
        frames = [_FRAME.match(f) for f in stack.split(";")]
        mods = [module_of(m["file"]) if m else "?" for m in frames]
        names = [f"{mod}:{m['func']}" if m else "?" for mod, m in zip(mods, frames, strict=True)]
        n = int(count)
        total += n
        own[names[-1]] += n
        packages[mods[-1]] += n
        for name in set(names):
            incl[name] += n
    rows = [(f, f"{100 * n / total:.1f}", f"{100 * incl[f] / total:.1f}")
            for f, n in own.most_common(top)]
    print(f"{total:,} samples\n\nby self time:\n")
    print(table(rows, ("function", "self %", "inclusive %")))
    ours = [(f, n) for f, n in incl.items() if f.startswith(("indexer", "whoosh"))]
    rows = [(f, f"{100 * n / total:.1f}") for f, n in sorted(ours, key=lambda x: -x[1])[:top]]
    print("\nindexer/Whoosh functions by inclusive time:\n")
    print(table(rows, ("function", "inclusive %")))
    print_packages(packages, total, top, unit="samples")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["build", "search"])
    add_limit_option(parser)
    parser.add_argument("--articles", type=int, default=2000, help="build: first N speeches")
    parser.add_argument("--passes", type=int, default=1, help="search: passes over the queries")
    parser.add_argument("--top", type=int, default=25, help="rows per table (25)")
    parser.add_argument("--profiler", choices=["cprofile", "pyspy", "none"], default="cprofile")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Prepare the workload, then profile it with the chosen profiler."""
    raw = sys.argv[1:] if argv is None else argv
    args = parse_args(raw)
    OUT.mkdir(exist_ok=True)
    if args.profiler == "pyspy":
        run_pyspy([a for a in raw if a not in ("--profiler", "pyspy")], args.what, args.top)
        return
    if args.what == "build":
        work = build_workload(args.articles)
    else:
        work = search_workload(args.limit_articles, args.passes)
    if args.profiler == "none":
        work()
    else:
        run_cprofile(work, args.what, args.top)


if __name__ == "__main__":
    main()
