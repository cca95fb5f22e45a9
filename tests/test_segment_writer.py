"""ArraySegmentWriter writes the segment files Whoosh's own SegmentWriter writes.

Built from 300 real Bundestag speeches (read from ../shared) plus our own special
cases: a word repeated in a paragraph, positions beyond the encoding table, a
title shared by paragraphs, numbers, empty and missing fields.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.corpus import SourceFile, read_source
from indexer.documents import paragraph_documents
from indexer.model import ReadReport
from indexer.schema import build_schema
from indexer.segment_writer import ArraySegmentWriter
from tests.index_contents import postings_by_id, segment_files
from tests.paths import SHARED

SPEECHES = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The paragraph documents of 300 speeches and of our special cases."""
    root = tmp_path_factory.mktemp("docs")
    with gzip.open(SPEECHES, "rt", encoding="utf-8") as fh:
        records = [json.loads(next(fh)) for _ in range(300)]
    long_text = " ".join(["Haushalt", "und", "Rente"] * 1500)  # positions past 4096
    records.append({"id": "eigen-1", "title": "Haushaltsdebatte", "date": "2021-03-04",
                    "paragraphs": [{"text": "Rente, Rente und nochmals Rente: die Rentenreform."},
                                   {"text": long_text, "section": "Zwischenruf"},
                                   {"text": "Kurz."}]})
    records.append({"id": "eigen-2", "title": "",
                    "paragraphs": [{"text": "Ohne Titel und Datum."}]})
    path = root / "speeches.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    stat = path.stat()
    source = SourceFile(path=path, relpath="speeches.jsonl", size=stat.st_size,
                        mtime_ns=stat.st_mtime_ns)
    report = ReadReport()
    docs = [doc for article in read_source(source, report, {})
            for doc in paragraph_documents(article)]
    assert not report.skipped
    return docs


def _build(path: Path, writer_class, docs: list[dict], **kwargs) -> whoosh_index.Index:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    writer = writer_class(ix, **kwargs)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def _unique_titles(documents: list[dict]) -> list[dict]:
    """For byte-for-byte comparisons: a title repeated by an article's paragraphs is
    prepared once, so its postings share value objects, which pickle writes once
    per block (equal when read; `test_segments_end_at_the_memory_limit` reads them)."""
    return [dict(doc, title=f"{doc.get('title', '')} {n}") for n, doc in enumerate(documents)]


def test_segment_files_are_whooshs(tmp_path: Path, documents: list[dict]):
    """Byte for byte, with Whoosh's pickle protocol for blocks."""
    documents = _unique_titles(documents)
    theirs = _build(tmp_path / "whoosh", SegmentWriter, documents)
    ours = _build(tmp_path / "ours", ArraySegmentWriter, documents, limitmb=512,
                  block_protocol=2)
    (their_files,), (our_files,) = segment_files(theirs), segment_files(ours)
    assert sorted(our_files) == sorted(their_files)
    assert any(name.endswith(".pst") for name in our_files)
    for name, data in their_files.items():
        assert our_files[name] == data, name


def test_segments_end_at_the_memory_limit(tmp_path: Path, documents: list[dict]):
    theirs = _build(tmp_path / "whoosh", SegmentWriter, documents)
    ours = _build(tmp_path / "ours", ArraySegmentWriter, documents, limitmb=1)
    assert len(ours._segments()) > 2
    assert sum(s.doc_count_all() for s in ours._segments()) == len(documents)
    assert postings_by_id(ours) == postings_by_id(theirs)
    with ours.reader() as reader:
        assert sorted(f["id"] for _, f in reader.iter_docs()) == sorted(d["id"] for d in documents)


def test_merging_segments_goes_through_the_buffer(tmp_path: Path, documents: list[dict]):
    """Merged older segments reach the buffer as Whoosh's posting tuples."""
    documents = _unique_titles(documents)
    indexes = []
    for name, writer_class in (("whoosh", SegmentWriter), ("ours", ArraySegmentWriter)):
        path = tmp_path / name
        path.mkdir()
        ix = whoosh_index.create_in(str(path), build_schema())
        for part in (documents[:500], documents[500:1000]):
            writer = SegmentWriter(ix)
            for doc in part:
                writer.add_document(**doc)
            writer.commit(merge=False)
        writer = writer_class(ix, **({"block_protocol": 2} if name == "ours" else {}))
        for doc in documents[1000:]:
            writer.add_document(**doc)
        writer.commit(optimize=True)
        indexes.append(ix)
    theirs, ours = indexes
    assert len(ours._segments()) == 1
    (their_files,), (our_files,) = segment_files(theirs), segment_files(ours)
    assert our_files == their_files


def test_fields_it_does_not_buffer_itself_go_through_whoosh(tmp_path: Path):
    """A custom stored value (`_stored_<field>`) takes Whoosh's own add_document."""
    doc = {"id": "x#1", "text": "Der Haushalt", "_stored_text": "gespeichert"}
    theirs = _build(tmp_path / "whoosh", SegmentWriter, [doc])
    ours = _build(tmp_path / "ours", ArraySegmentWriter, [doc], block_protocol=2)
    assert segment_files(ours) == segment_files(theirs)
    with ours.reader() as reader:
        assert reader.stored_fields(0)["text"] == "gespeichert"
