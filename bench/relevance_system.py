"""Drive the system under test: write a pool as a JSONL corpus, build, search.

These functions run in worker processes, so they take and return plain data only.
A failing build or a query that raises is recorded, never allowed to stop the run.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from indexer.analysis import AnalysisOptions
from indexer.features import OPERATORS, SearchFeatures

LIMIT = 100


@dataclass(frozen=True)
class Config:
    """One system row: analysis switches (decide the index) plus query-time features."""

    name: str
    options: AnalysisOptions = field(default_factory=AnalysisOptions)
    features: SearchFeatures = field(default_factory=SearchFeatures)

    @property
    def key(self) -> tuple:
        """Rows with equal keys give equal rankings, so they are searched once."""
        return (self.options, self.features)

    def describe(self) -> dict:
        """The switches as JSON-ready data, for the output file."""
        return {"options": asdict(self.options), "features": asdict(self.features)}


# The shipped defaults, except the "Meinten Sie …?" suggestion: it never changes the hits,
# only adds a line, yet re-counts near-empty queries (about a fifth of the search time).
MAIN = Config("ours", AnalysisOptions(), SearchFeatures(suggest=False))


# Query features that change no ranking (the "did you mean" line), so no row of their own.
RANKING_NEUTRAL = {"suggest"}


def _switches(obj: object) -> list[str]:
    """Names of the on/off switches of an options dataclass, in declaration order."""
    return [f.name for f in fields(obj) if isinstance(getattr(obj, f.name), bool)]


def ablation_configs() -> list[Config]:
    """Each switch off in turn (in index and query alike when both have it), then operators.

    The switches are read from AnalysisOptions and SearchFeatures, so a new one gets
    its row without editing the benchmark.
    """
    configs = []
    index_side = _switches(MAIN.options)
    query_side = [n for n in _switches(MAIN.features) if n not in RANKING_NEUTRAL]
    for name in dict.fromkeys(index_side + query_side):
        options, features = MAIN.options, MAIN.features
        if name in index_side:
            options = replace(options, **{name: False})
        if name in query_side:
            features = replace(features, **{name: False})
        configs.append(Config(f"-{name}", options, features))
    for operator in OPERATORS:
        features = replace(MAIN.features, operator=operator)
        configs.append(Config(f"operator={operator}", MAIN.options, features))
    return configs


def write_corpus(docs: dict[str, str], folder: Path) -> Path:
    """Write one article per document, its text as the only paragraph (no title)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "eval.jsonl").open("w", encoding="utf-8") as out:
        for doc_id, text in docs.items():
            record = {
                "id": doc_id, "title": "", "date": None, "source": "eval", "url": None,
                "paragraphs": [text],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


def build(corpus: Path, index_dir: Path, options: AnalysisOptions, expected: int) -> dict:
    """Build one index variant; report its time, size check and any failure."""
    from indexer.build import build_index

    started = time.perf_counter()
    try:
        summary = build_index(corpus, index_dir, rebuild=True, options=options)
    except Exception as exc:
        return {"ok": False, "error": _describe(exc), "seconds": time.perf_counter() - started}
    problems = [f"{p}: {m}" for p, m in summary.skipped + summary.warnings]
    if summary.paragraphs != expected:
        problems.append(f"indexed {summary.paragraphs} paragraphs, expected {expected}")
    return {
        "ok": True, "seconds": time.perf_counter() - started, "problems": problems[:20],
        "paragraphs": summary.paragraphs,
    }


def search(index_dir: Path, features: SearchFeatures, texts: list[str]) -> dict:
    """Run every query as typed; a query that raises gets an empty ranking and is recorded."""
    from indexer.search import SearchIndex

    started = time.perf_counter()
    ix = SearchIndex.open(index_dir, features=features)
    rankings: list[list[str]] = []
    errors: list[dict] = []
    try:
        for n, text in enumerate(texts):
            try:
                result = ix.search(text, limit=LIMIT, snippets=False)
            except Exception as exc:
                errors.append({"query": n, "text": text, "error": _describe(exc)})
                rankings.append([])
                continue
            rankings.append(list(dict.fromkeys(hit.article_id for hit in result.hits)))
    finally:
        ix.close()
    return {"rankings": rankings, "errors": errors, "seconds": time.perf_counter() - started}


def _describe(exc: BaseException) -> str:
    """Name an exception and where in our code it was raised."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/indexer/" in f.filename]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"
