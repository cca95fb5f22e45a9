"""Shared helpers of the benchmarks: where things are, the corpus slice, the query list, stats."""

from __future__ import annotations

import gzip
import json
import os
import statistics
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS_GZ = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"
OUT = BENCH / "out"  # git-ignored: indexes, temp corpora, profiles
QUERIES = BENCH / "queries.txt"


def add_limit_option(parser) -> None:
    """Add the --limit-articles option every benchmark shares."""
    parser.add_argument(
        "--limit-articles", type=int, default=None, metavar="N",
        help="use only the first N speeches (default: the full corpus, 50,894)",
    )


def label(limit: int | None) -> str:
    """Name a corpus slice for output folders: 'full' or 'n5000'."""
    return "full" if limit is None else f"n{limit}"


def iter_records(limit: int | None = None) -> Iterator[dict]:
    """Yield the first `limit` JSON records of the shared corpus (all when None)."""
    with gzip.open(CORPUS_GZ, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def write_corpus(folder: Path, limit: int | None) -> tuple[Path, int, int]:
    """Write the slice as one .jsonl file in `folder`; return (file, articles, paragraphs)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bundestag-reden.jsonl"
    articles = paragraphs = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in iter_records(limit):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            articles += 1
            paragraphs += len(record["paragraphs"])
    return path, articles, paragraphs


def load_queries(path: Path = QUERIES) -> list[str]:
    """Read the committed query list (one per line, '#' lines are section headers)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def load_query_sections(path: Path = QUERIES) -> dict[str, str]:
    """Map each query to the '# section' header it is listed under."""
    sections: dict[str, str] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# section:"):
            current = line.split(":", 1)[1].strip().split()[0]
        elif line.strip() and not line.startswith("#"):
            sections.setdefault(line.strip(), current)
    return sections


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict[str, float]:
    """Median, p95, p99, mean and max of latencies in ms."""
    return {
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": statistics.fmean(values),
        "max": max(values),
    }


def dir_size(path: Path) -> int:
    """Bytes of all regular files under `path`."""
    total = 0
    for root, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def ratio(ours: float, theirs: float) -> str:
    """Format ours/theirs as 'N.NNx' (how many times ours is the larger)."""
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def table(rows: list[tuple], header: tuple) -> str:
    """Render rows as a Markdown table with right-aligned numeric columns."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        pairs = enumerate(zip(row, widths, strict=True))
        parts = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
        lines.append("| " + " | ".join(parts) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def mb(nbytes: float) -> str:
    """Format bytes as MB with one decimal."""
    return f"{nbytes / 1e6:.1f} MB"
