"""Snippets cut at German sentence boundaries, marked and escaped."""

from __future__ import annotations

from indexer.analysis.analyzer import AnalysisOptions, analyze, german_analyzer
from indexer.sentences import sentence_spans
from indexer.snippets import make_snippet

DATES = (
    "Am 24. Oktober 1945 trat die Charta der Vereinten Nationen in Kraft, nachdem die "
    "Mehrheit der Unterzeichnerstaaten sie ratifiziert hatte. Dr. Müller erinnerte z. B. "
    "daran, dass am 3. Oktober 1990 die Einheit folgte, und nannte weitere Daten der "
    "Nachkriegsgeschichte. Danach sprach die Abgeordnete über den Haushalt der Bundeswehr, "
    "über Verteidigungsausgaben und über die Frage, wie viel Geld für Soldaten bleibt."
)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_ordinal_dates_and_abbreviations_do_not_end_a_sentence():
    found = sentences(DATES)
    assert len(found) == 3
    assert found[0].startswith("Am 24. Oktober 1945") and found[0].endswith("hatte.")
    assert found[1].startswith("Dr. Müller erinnerte z. B. daran, dass am 3. Oktober 1990")


def test_snippet_is_whole_sentences_holding_the_matches():
    terms = set(analyze("Verteidigungsausgaben Soldaten", mode="query"))
    snippet = make_snippet(DATES, terms, _analyzer())
    assert snippet.startswith("…Dr. Müller erinnerte") and snippet.endswith("bleibt.")
    assert "<mark>Verteidigungsausgaben</mark>" in snippet
    assert "<mark>Soldaten</mark>" in snippet


def test_snippet_text_is_escaped():
    text = "Die <b>Rede</b> & der Beifall: " + "Worte " * 80
    snippet = make_snippet(text, set(analyze("Rede", mode="query")), _analyzer())
    assert "&lt;b&gt;<mark>Rede</mark>&lt;/b&gt; &amp;" in snippet


def _analyzer():
    return german_analyzer(AnalysisOptions())
