"""The tantivy peer: an index of the same paragraphs with the closest analyzer tantivy offers.

Ours: GermanTokenizer | NFC | lowercase | hyphen parts | compound parts | Snowball
German stem | umlaut fold (stop words are kept). Tantivy's: a regex tokenizer for
the same letter runs and decimal numbers (so hyphenated words are split into their
parts), lowercase, German stop words, the German Snowball stemmer, ASCII folding.
It has no compound splitting, which makes its index smaller and its build cheaper.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import tantivy

ANALYZER = "german_bench"
TOKEN_PATTERN = r"\d+(?:[.,]\d+)+|(?:[^\W_]|[\u0300-\u036f])+"
SEARCH_FIELDS = ["text", "title"]
FIELD_BOOSTS = {"text": 1.0, "title": 2.0}  # as indexer.schema.FIELD_BOOSTS
SNIPPET_CHARS = 280  # as indexer.snippets.MAX_CHARS


def analyzer(stopwords: bool = True) -> tantivy.TextAnalyzer:
    """Build the German text analyzer (regex tokens, lowercase, stop words, stem, fold)."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(TOKEN_PATTERN))
    builder = builder.filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
    if stopwords:
        builder = builder.filter(tantivy.Filter.stopword("german"))
    builder = builder.filter(tantivy.Filter.stemmer("german")).filter(tantivy.Filter.ascii_fold())
    return builder.build()


def schema() -> tantivy.Schema:
    """One document per paragraph, as in indexer.schema: id, article id, title, text."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("article_id", stored=True, tokenizer_name="raw")
    sb.add_integer_field("paragraph", stored=True)
    sb.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    sb.add_text_field("source", stored=True, tokenizer_name="raw")
    return sb.build()


def open_index(path: Path, create: bool = False, stopwords: bool = True) -> tantivy.Index:
    """Open (or create) a tantivy index and register the German analyzer on it."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(path)) if create else tantivy.Index.open(str(path))
    index.register_tokenizer(ANALYZER, analyzer(stopwords))
    return index


def paragraph_docs(corpus_file: Path) -> Iterator[tantivy.Document]:
    """Yield one tantivy document per non-empty paragraph of the .jsonl corpus."""
    with open(corpus_file, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            number = 0
            for text in rec["paragraphs"]:
                text = " ".join(text.split())
                if not text:
                    continue
                number += 1
                yield tantivy.Document(
                    id=f"{rec['id']}#{number}", article_id=rec["id"], paragraph=number,
                    title=rec.get("title") or "", text=text, source=rec.get("source") or "",
                )


def build(corpus_file: Path, path: Path, threads: int, heap_mb: int, stopwords: bool) -> int:
    """Index every paragraph, commit, wait for merges; return the paragraph count."""
    index = open_index(path, create=True, stopwords=stopwords)
    writer = index.writer(heap_size=heap_mb * 1_000_000 * max(threads, 1), num_threads=threads)
    count = 0
    for doc in paragraph_docs(corpus_file):
        writer.add_document(doc)
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class Searcher:
    """Run the benchmark's searches on tantivy: AND of words, top 10, optional snippets."""

    def __init__(self, path: Path, stopwords: bool = True) -> None:
        self.index = open_index(path, stopwords=stopwords)
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def search(self, q: str, limit: int = 10, snippets: bool = True) -> tuple[int, list[str]]:
        """Return (total matching paragraphs, snippet HTML or stored id of each hit)."""
        query, _errors = self.index.parse_query_lenient(
            q, SEARCH_FIELDS, field_boosts=FIELD_BOOSTS, conjunction_by_default=True
        )
        result = self.searcher.search(query, limit, count=True)
        out: list[str] = []
        generator = None
        if snippets and result.hits:
            generator = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "text")
            generator.set_max_num_chars(SNIPPET_CHARS)
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            out.append(generator.snippet_from_doc(doc).to_html() if generator else doc["id"][0])
        return result.count, out
