"""The two real sample articles in ../shared/corpus read exactly as a reader would want."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from indexer.corpus import SourceFile, discover, read_corpus, read_source
from indexer.model import Article, ReadReport

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
LIVEBLOG = "000_ab060a02463f3657"
TICKER = "001_5daf4bde446b5c02"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared sample corpus not present")

NATO = "Trump: Nato-Beitritt der Ukraine ausgeschlossen"
KEIR = "Keir Starmer trifft Donald Trump"
DRONES = "Dronenangriff auf Belgorod"

# (section, source, first 40 characters, last 40 characters) of every paragraph.
LIVEBLOG_PARAGRAPHS = [
    ("", "afp",
     "Nordkorea hat nach südkoreanischen Angab", "ang haben dies zunächst nicht bestätigt."),
    ("", "afp",
     "Anfang Februar hatte Seoul erklärt, dass", "ste auf Seiten der Nordkoreaner genannt."),
    (KEIR, "afp",
     "Der britische Premierminister Keir Starm", "nt des Bruttoinlandprodukts bis 2027 an."),
    (KEIR, "afp",
     "Am Montag hatte bereits Frankreichs Präs", "ropäischen Friedenstruppe durch die USA."),
    (NATO, "dpa",
     "Kurz vor seinem Treffen mit dem ukrainis", "ehe es um die Fortsetzung der US-Hilfen."),
    (NATO, "dpa",
     "Eine der bisherigen Hauptforderungen der", "anze Sache angefangen hat“, sagte Trump."),
    (NATO, "dpa",
     "Die Ukraine strebt mit Nachdruck in die ", "o in seiner Sicherheit bedroht zu sehen."),
    (NATO, "dpa",
     "In seiner abendlichen Videobotschaft mac", "alten, der noch nicht ausgearbeitet sei."),
    (NATO, "dpa",
     "In dem zu unterzeichnenden Abkommen würd", "beginnt“. Das werde er auch Trump sagen."),
    (DRONES, "rtr",
     "In der russischen Oblast Belgorod ist na", "solche Angaben zum Kampfgeschehen nicht."),
    (DRONES, "rtr",
     "Die ukrainischen Streitkräfte haben häuf", " des Territoriums unter ihrer Kontrolle."),
    (DRONES, "rtr",
     "Am Mittwoch teilte das Verteidigungsmini", "ffe abwehren und Gegenangriffe starten“."),
]

CAPTION = (
    "Dieses von der nordkoreanischen Regierung über die Koreanische Zentrale "
    "Nachrichtenagentur (KCNA) verbreitete Foto zeigt nordkoreanischen Machthaber "
    "Kim Jong Un der eine Artillerieübung beobachtet."
)
TICKER_PARAGRAPHS = [
    ("", "",
     "Dieses von der nordkoreanischen Regierun", " Un der eine Artillerieübung beobachtet."),
    ("", "",
     "Nordkorea hat einem Medienbericht zufolg", "suchungen über die genauen Hintergründe."),
    ("", "",
     "Rohstoffe statt Solidarität: Donald Trum", "erklärte der Republikaner in Washington."),
    ("", "",
     "Bundeskanzler Olaf Scholz verurteilt das", " einem informellen EU-Gipfel in Brüssel."),
]


def _read(name: str) -> tuple[Article, ReadReport]:
    report = ReadReport()
    path = CORPUS / f"{name}.txt"
    info = path.stat()
    source = SourceFile(path, path.name, info.st_size, info.st_mtime_ns)
    articles = list(read_source(source, report))
    assert len(articles) == 1
    return articles[0], report


def _shape(article: Article) -> list[tuple[str, str, str, str]]:
    return [(p.section, p.source, p.text[:40], p.text[-40:]) for p in article.paragraphs]


def test_discover_lists_both_samples_in_order() -> None:
    report = ReadReport()
    found = [sf.relpath for sf in discover(CORPUS, report)]
    assert found == [f"{LIVEBLOG}.txt", f"{TICKER}.txt"]
    assert report.skipped == [] and report.warnings == []


def test_liveblog_header() -> None:
    article, report = _read(LIVEBLOG)
    assert article.id == LIVEBLOG
    assert article.title == "Südkoreas Geheimdienst: Zuwachs für Russlands Armee"
    assert article.kicker == ""
    assert article.date == "2025-02"
    assert (article.source, article.url) == ("", "")
    assert article.origin == f"{LIVEBLOG}.txt"
    data = (CORPUS / f"{LIVEBLOG}.txt").read_bytes()
    assert article.signature == hashlib.blake2b(data, digest_size=16).hexdigest()
    assert report.skipped == [] and report.warnings == []


def test_liveblog_paragraphs() -> None:
    article, _ = _read(LIVEBLOG)
    assert _shape(article) == LIVEBLOG_PARAGRAPHS
    last = article.paragraphs[-1].text
    assert last.endswith("„die Angriffe abwehren und Gegenangriffe starten“.")


def test_ticker_header() -> None:
    article, report = _read(TICKER)
    assert article.id == TICKER
    assert article.title == "Südkorea: Nordkoreanische Soldaten aus Kursk abgezogen"
    assert article.kicker == "Krieg gegen die Ukraine"
    assert article.date == "2025-02-04T08:37"
    assert article.origin == f"{TICKER}.txt"
    data = (CORPUS / f"{TICKER}.txt").read_bytes()
    assert article.signature == hashlib.blake2b(data, digest_size=16).hexdigest()
    assert report.skipped == [] and report.warnings == []


def test_ticker_paragraphs() -> None:
    article, _ = _read(TICKER)
    assert _shape(article) == TICKER_PARAGRAPHS
    assert article.paragraphs[0].text == CAPTION
    assert article.paragraphs[1].text.startswith("Nordkorea hat einem Medienbericht zufolge seine")


@pytest.mark.parametrize("name", [LIVEBLOG, TICKER])
def test_no_furniture_left(name: str) -> None:
    article, _ = _read(name)
    for paragraph in article.paragraphs:
        text = paragraph.text
        for junk in ("\u00a0", "  ", "©", "+++", "Uncredited", "Meinung", "Verwandte Themen"):
            assert junk not in text
        assert not text.endswith((")", " ")) and text == text.strip()


def test_read_corpus_yields_both() -> None:
    report = ReadReport()
    ids = [article.id for article in read_corpus(CORPUS, report)]
    assert ids == [LIVEBLOG, TICKER]
    assert report.skipped == [] and report.warnings == []


CORPORA = CORPUS.parent / "corpora"


@pytest.mark.skipif(not (CORPORA / "10kgnad-test").is_dir(), reason="10kgnad corpus not present")
def test_real_jsonl_corpus_reads_without_problems() -> None:
    report = ReadReport()
    articles = list(read_corpus(CORPORA / "10kgnad-test", report))
    assert len(articles) == 1028
    assert sum(len(article.paragraphs) for article in articles) == 1028
    first = articles[0]
    assert first.id == "10kgnad-test-0001"
    assert first.title.startswith('[Wirtschaft] Die Gewerkschaft GPA-djp lanciert den "All-in')
    assert (first.date, first.url) == ("", "")
    assert first.source == "DER STANDARD (10kGNAD, Wirtschaft)"
    assert first.origin == "10kgnad-test.jsonl.gz"
    assert first.paragraphs[0].text.startswith("Die Gewerkschaft GPA-djp lanciert den")
    assert report.skipped == [] and report.warnings == []


@pytest.mark.skipif(not (CORPORA / "bundestag-reden").is_dir(), reason="bundestag corpus absent")
def test_real_bundestag_corpus_first_speech() -> None:
    report = ReadReport()
    first = next(read_corpus(CORPORA / "bundestag-reden", report))
    assert first.id == "bt19-001-ID19100100"
    assert first.source == "Deutscher Bundestag, Plenarprotokoll 19/1"
    assert first.url == "https://dserver.bundestag.de/btp/19/19001.pdf"
    assert first.paragraphs[0].text == (
        "Guten Morgen, liebe Kolleginnen und Kollegen! Nehmen Sie bitte Platz.")
    assert report.skipped == [] and report.warnings == []
