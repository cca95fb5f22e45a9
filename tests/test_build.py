"""Building and updating an index: incremental, atomic, and tolerant of bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import IndexBusy, IndexMissing, SearchIndex, build_index
from indexer.store import build_lock, current_generation
from tests.conftest import write_article
from tests.paths import SAMPLE_CORPUS

LIVEBLOG = "000_ab060a02463f3657"
REPORT = "001_5daf4bde446b5c02"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the sample corpus that a test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, folder)
    return folder


def ids(index_dir: Path, query: str = "") -> list[str]:
    return sorted(h.id for h in SearchIndex.open(index_dir).search(query, limit=100).hits)


def test_fresh_build_summary(corpus, tmp_path):
    summary = build_index(corpus, tmp_path / "ix")
    assert (summary.articles, summary.paragraphs, summary.added) == (2, 16, 2)
    assert summary.rebuilt and summary.skipped == [] and summary.seconds > 0


def test_second_run_reads_nothing(corpus, tmp_path):
    build_index(corpus, tmp_path / "ix")
    again = build_index(corpus, tmp_path / "ix")
    assert (again.added, again.updated, again.removed, again.unchanged_files) == (0, 0, 0, 2)
    assert not again.rebuilt


def test_changed_file_is_reindexed(corpus, tmp_path):
    build_index(corpus, tmp_path / "ix")
    report = corpus / f"{REPORT}.txt"
    text = report.read_text(encoding="utf-8")
    new = text.replace("Hier können", "Ein Absatz über Zitronenfalter.\n\nHier können")
    report.write_text(new)
    summary = build_index(corpus, tmp_path / "ix")
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 0)
    assert summary.paragraphs == 17
    assert ids(tmp_path / "ix", "Zitronenfalter") == [f"{REPORT}#5"]


def test_deleted_file_is_removed_and_new_file_added(corpus, tmp_path):
    build_index(corpus, tmp_path / "ix")
    (corpus / f"{LIVEBLOG}.txt").unlink()
    text = "Kurzmeldung\n\nDer Zitronenfalter ist ein Schmetterling.\n"
    write_article(corpus, "neu/kurz.txt", text)
    summary = build_index(corpus, tmp_path / "ix")
    assert (summary.added, summary.removed, summary.articles) == (1, 1, 2)
    assert ids(tmp_path / "ix", "Pufferzone") == []
    assert ids(tmp_path / "ix", "Zitronenfalter") == ["neu/kurz#1"]


def test_rebuild_equals_incremental_result(corpus, tmp_path):
    build_index(corpus, tmp_path / "ix")
    (corpus / f"{LIVEBLOG}.txt").unlink()
    build_index(corpus, tmp_path / "ix")
    build_index(corpus, tmp_path / "clean")
    rebuilt = build_index(corpus, tmp_path / "ix", rebuild=True)
    assert rebuilt.rebuilt
    assert ids(tmp_path / "ix") == ids(tmp_path / "clean")


class Interrupt(Exception):
    pass


def interrupt_after(files: int):
    def progress(done, total, paragraphs):
        if done >= files:
            raise Interrupt

    return progress


@pytest.mark.parametrize("rebuild", [False, True])
def test_interrupted_build_leaves_previous_index(corpus, tmp_path, rebuild):
    build_index(corpus, tmp_path / "ix")
    before = ids(tmp_path / "ix")
    gen = current_generation(tmp_path / "ix")
    write_article(corpus, "neu.txt", "Neu\n\nDer Zitronenfalter ist ein Schmetterling.\n")
    (corpus / f"{REPORT}.txt").unlink()
    with pytest.raises(Interrupt):
        build_index(corpus, tmp_path / "ix", rebuild=rebuild, progress=interrupt_after(1))
    assert ids(tmp_path / "ix") == before
    assert current_generation(tmp_path / "ix") == gen
    assert sorted(p.name for p in (tmp_path / "ix").glob("gen-*")) == [gen.name]
    finished = build_index(corpus, tmp_path / "ix")
    assert ids(tmp_path / "ix", "Zitronenfalter") == ["neu#1"]
    assert finished.articles == 2


def test_bad_files_are_reported_not_fatal(corpus, tmp_path):
    (corpus / "leer.txt").write_bytes(b"")
    (corpus / "binaer.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    good = '{"id": "a", "title": "T", "paragraphs": ["Text eins"]}'
    (corpus / "kaputt.jsonl").write_text(good + "\n{oops\n")
    summary = build_index(corpus, tmp_path / "ix")
    skipped = dict(summary.skipped)
    assert set(skipped) == {"leer.txt", "binaer.txt"}
    assert any("line 2" in message for _, message in summary.warnings)
    assert summary.articles == 3


def test_second_indexer_gets_a_clear_message(corpus, tmp_path):
    with build_lock(tmp_path / "ix"), pytest.raises(IndexBusy, match="another indexer"):
        build_index(corpus, tmp_path / "ix")


def test_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexMissing, match="artikelsuche index"):
        SearchIndex.open(tmp_path / "nothing")


def test_missing_corpus_is_an_error(tmp_path):
    from indexer import ArtikelsucheError

    with pytest.raises(ArtikelsucheError, match="does not exist"):
        build_index(tmp_path / "nope", tmp_path / "ix")


def test_searcher_sees_updates_without_reopening(corpus, tmp_path):
    build_index(corpus, tmp_path / "ix")
    ix = SearchIndex.open(tmp_path / "ix")
    assert ix.search("Zitronenfalter").total == 0
    write_article(corpus, "neu.txt", "Neu\n\nDer Zitronenfalter ist ein Schmetterling.\n")
    build_index(corpus, tmp_path / "ix")
    ix.refresh(force=True)
    assert ix.search("Zitronenfalter").total == 1
    build_index(corpus, tmp_path / "ix", rebuild=True)
    ix.refresh(force=True)
    assert ix.search("Zitronenfalter").total == 1


def test_live_terms_skip_deleted_articles_exactly(corpus, tmp_path):
    """live_terms asks only the few terms that could be dead; it must match asking all."""
    from indexer.build import live_terms
    from indexer.store import open_generation

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir)
    liveblog = next(corpus.glob("000_*.txt"))
    liveblog.write_text(liveblog.read_text(encoding="utf-8") + "\nNeuer Absatz.\n")
    next(corpus.glob("001_*.txt")).unlink()
    write_article(corpus, "neu.txt", "Neu\n\nEin neuer Artikel über Kursk.\n")
    build_index(corpus, index_dir)
    _gen, ix = open_generation(index_dir)
    with ix.reader() as reader:
        assert reader.has_deletions()
        for field in ("asig", "article_id", "text"):
            every = [t for t in reader.lexicon(field) if reader.postings(field, t).is_active()]
            assert live_terms(reader, field) == every
    assert SearchIndex.open(index_dir).stats()["articles"] == 2


def _jsonl(folder: Path, records: list[dict]) -> Path:
    import json

    path = folder / "reden.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


SPEECHES = [
    {"id": "r1", "title": "Haushalt", "paragraphs": ["Der Haushalt wird beraten.", 7]},
    {"id": "r2", "title": "Rente", "paragraphs": ["Die Rente steigt."]},
    {"title": "Ohne Kennung", "paragraphs": ["Eine Rede ohne id über Brücken."]},
]


def test_unchanged_lines_of_a_changed_jsonl_file_are_not_parsed_again(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _jsonl(corpus, SPEECHES)
    first = build_index(corpus, tmp_path / "ix")
    assert any("paragraph 2 is not text" in message for _, message in first.warnings)
    changed = dict(SPEECHES[1], paragraphs=["Die Rente steigt im Juli."])
    _jsonl(corpus, [SPEECHES[0], changed, SPEECHES[2]])
    again = build_index(corpus, tmp_path / "ix")
    assert (again.added, again.updated, again.removed) == (0, 1, 0)
    # r1's line, with its odd paragraph, was not parsed; the id-less record always is.
    assert [m for _, m in again.warnings] == ["line 3: no id, using 'reden.jsonl#3'"]
    assert ids(tmp_path / "ix", "Juli") == ["r2#1"]
    assert ids(tmp_path / "ix", "Haushalt") == ["r1#1"]


def test_an_id_less_record_that_moves_gets_its_new_line_id(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _jsonl(corpus, SPEECHES)
    build_index(corpus, tmp_path / "ix")
    assert ids(tmp_path / "ix", "Brücken") == ["reden.jsonl#3#1"]
    new = {"id": "r0", "title": "Neu", "paragraphs": ["Eine neue Rede."]}
    _jsonl(corpus, [new, *SPEECHES])
    summary = build_index(corpus, tmp_path / "ix")
    assert (summary.added, summary.updated, summary.removed) == (2, 0, 1)
    assert ids(tmp_path / "ix", "Brücken") == ["reden.jsonl#4#1"]
    rebuilt = build_index(corpus, tmp_path / "fresh")
    assert (rebuilt.articles, rebuilt.paragraphs) == (summary.articles, summary.paragraphs)
