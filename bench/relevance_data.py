"""Load the German retrieval test sets from the shared eval folder into one shape.

Every set becomes a document pool (id -> text) and a list of queries, each with the
ids of its relevant documents. Relevance definitions follow each set's PROVENANCE.md.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL = SHARED / "eval"

# Set name -> (pool name, held out?). Sets sharing a pool share its indexes.
SETS: dict[str, tuple[str, bool]] = {
    "mlqa": ("mlqa", False),
    "xquad": ("xquad", False),
    "xglue_tune": ("xglue", False),
    "xquad_r": ("xquad_r", True),
    "xglue_test": ("xglue", True),
}
# The reference MRR@10 of the bm25s baseline (BASELINES.md section B, "stem" rows).
REFERENCE_MRR = {"mlqa": 0.6399, "xquad": 0.9260, "xquad_r": 0.7389, "xglue_test": 0.5327}


@dataclass(frozen=True)
class Query:
    """One question with the documents that count as relevant for it."""

    qid: str
    text: str
    relevant: frozenset[str]


@dataclass
class Pool:
    """The documents one or more sets are searched against."""

    name: str
    docs: dict[str, str]
    what: str  # what is indexed, for the report


@dataclass
class EvalSet:
    """A named query set over a pool, tuned on or held out."""

    name: str
    pool: str
    held_out: bool
    queries: list[Query]
    relevance: str
    notes: list[str] = field(default_factory=list)


def _ids(prefix: str) -> Iterator[str]:
    """Yield stable short document ids in load order."""
    n = 0
    while True:
        n += 1
        yield f"{prefix}{n:05d}"


def _intern(docs: dict[str, str], by_text: dict[str, str], text: str, ids: Iterator[str]) -> str:
    """Return the id of a document text, adding it to the pool on first sight."""
    if text not in by_text:
        doc_id = next(ids)
        by_text[text] = doc_id
        docs[doc_id] = text
    return by_text[text]


def load_mlqa() -> tuple[Pool, list[EvalSet]]:
    """MLQA dev de-de: question -> its context paragraph (distinct context strings)."""
    docs: dict[str, str] = {}
    by_text: dict[str, str] = {}
    ids = _ids("mlqa")
    queries = []
    path = EVAL / "mlqa_dev_de" / "mlqa_dev_de-de.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            doc_id = _intern(docs, by_text, row["context"], ids)
            queries.append(Query(row["id"], row["question"], frozenset([doc_id])))
    pool = Pool("mlqa", docs, "distinct `context` paragraphs, text only (no title available)")
    rel = "the question's own `context` (exact string match); one relevant per question"
    return pool, [EvalSet("mlqa", "mlqa", False, queries, rel)]


def _squad_paragraphs(path: Path) -> Iterator[tuple[str, dict]]:
    """Yield (article title, paragraph) pairs of a SQuAD-style JSON file."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    for article in data:
        for para in article["paragraphs"]:
            yield article["title"], para


def load_xquad() -> tuple[Pool, list[EvalSet]]:
    """XQuAD de: question -> the paragraph whose `qas` holds it."""
    docs: dict[str, str] = {}
    queries = []
    ids = _ids("xquad")
    for _title, para in _squad_paragraphs(EVAL / "xquad_de" / "xquad.de.json"):
        doc_id = next(ids)
        docs[doc_id] = para["context"]
        for qa in para["qas"]:
            queries.append(Query(qa["id"], qa["question"], frozenset([doc_id])))
    pool = Pool("xquad", docs, "the 240 `context` paragraphs, text only (titles not indexed)")
    rel = "the paragraph whose `qas` contains the question; one relevant per question"
    return pool, [EvalSet("xquad", "xquad", False, queries, rel)]


def _answer_sentence(para: dict, answer_start: int) -> int:
    """Return the index of the sentence whose [start, end) break holds the answer start."""
    for i, (start, end) in enumerate(para["sentence_breaks"]):
        if start <= answer_start < end:
            return i
    raise ValueError(f"answer start {answer_start} lies in no sentence")


def load_xquad_r() -> tuple[Pool, list[EvalSet]]:
    """XQuAD-R de (LAReQA): question -> the sentence containing the answer span."""
    docs: dict[str, str] = {}
    queries = []
    path = EVAL / "xquad_r_de" / "de.json"
    for p, (_title, para) in enumerate(_squad_paragraphs(path), start=1):
        for s, sentence in enumerate(para["sentences"], start=1):
            docs[f"xqr{p:03d}s{s:02d}"] = sentence
        for qa in para["qas"]:
            s = _answer_sentence(para, qa["answers"][0]["answer_start"]) + 1
            queries.append(Query(qa["id"], qa["question"], frozenset([f"xqr{p:03d}s{s:02d}"])))
    pool = Pool("xquad_r", docs, "the 1,276 candidate sentences, sentence text only")
    rel = "the sentence whose break interval holds answers[0].answer_start (LAReQA)"
    return pool, [EvalSet("xquad_r", "xquad_r", True, queries, rel)]


def _xglue_rows(split: str) -> list[tuple[str, str, str]]:
    """Read one XGLUE QAM split as (query, passage, label) rows."""
    path = EVAL / "xglue_qam_de" / f"qam_de_{split}.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    return [(r[0], r[1], r[2]) for r in rows if len(r) == 3]


def load_xglue() -> tuple[Pool, list[EvalSet]]:
    """XGLUE QAM de: label-1 queries ranked against every distinct passage of all splits."""
    splits = {s: _xglue_rows(s) for s in ("train", "dev", "test")}
    docs: dict[str, str] = {}
    by_text: dict[str, str] = {}
    ids = _ids("xg")
    for split in ("train", "dev", "test"):
        for _q, passage, _label in splits[split]:
            _intern(docs, by_text, passage, ids)
    sets = []
    for name, split_names in (("xglue_tune", ("train", "dev")), ("xglue_test", ("test",))):
        rows = [(q, p) for s in split_names for q, p, label in splits[s] if label == "1"]
        queries = [
            Query(f"{name}:{n}", q, frozenset([by_text[p]])) for n, (q, p) in enumerate(rows, 1)
        ]
        rel = (
            "one query per label-1 row of the split; relevant = that row's passage only "
            "(as in BASELINES.md; the other passages are unjudged and count as non-relevant)"
        )
        sets.append(EvalSet(name, "xglue", name == "xglue_test", queries, rel))
    tune = {q.text for q in sets[0].queries}
    texts = [q.text for q in sets[1].queries]
    shared = sum(1 for t in set(texts) if t in tune)
    repeated = len(texts) - len(set(texts))
    sets[1].notes.append(
        f"{shared} distinct query strings also occur in xglue_tune; "
        f"{repeated} rows repeat a query string of another row"
    )
    pool = Pool("xglue", docs, "all 19,925 distinct passages of train+dev+test, text only")
    return pool, sets


LOADERS = {"mlqa": load_mlqa, "xquad": load_xquad, "xquad_r": load_xquad_r, "xglue": load_xglue}


def load(set_names: list[str]) -> tuple[dict[str, Pool], list[EvalSet]]:
    """Load the pools the requested sets need, and those sets in the requested order."""
    pools: dict[str, Pool] = {}
    found: dict[str, EvalSet] = {}
    for pool_name in dict.fromkeys(SETS[s][0] for s in set_names):
        pool, sets = LOADERS[pool_name]()
        pools[pool_name] = pool
        found.update({s.name: s for s in sets})
    return pools, [found[s] for s in set_names]
