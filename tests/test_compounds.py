"""The compound splitter: literal splits of real German words, non-compounds, odd input."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis.compounds import CompoundSplitter, Lexicon, get_splitter


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    """The shipped splitter, with its lexicon loaded once."""
    return get_splitter()


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("verteidigungsausgaben", ["verteidigung", "ausgaben"]),
        ("sicherheitsgarantien", ["sicherheit", "garantien"]),
        ("wiederaufbaufonds", ["wiederaufbau", "fonds"]),
        ("beitrittsziel", ["beitritt", "ziel"]),
        ("bundestag", ["bund", "tag"]),
        ("bundesregierung", ["bund", "regierung"]),
        ("wahlperiode", ["wahl", "periode"]),
        ("staatschef", ["staat", "chef"]),
        ("kampfhandlungen", ["kampf", "handlungen"]),
        ("rohstoffe", ["roh", "stoffe"]),
        ("klimaschutz", ["klima", "schutz"]),
        ("arbeitsplätze", ["arbeit", "plätze"]),
        ("rentenversicherung", ["rente", "versicherung"]),
        ("gästebuch", ["gast", "buch"]),
        ("kinderarzt", ["kind", "arzt"]),
        ("schuljahr", ["schule", "jahr"]),
        ("wohnraum", ["wohn", "raum"]),
        ("bundesverteidigungsministerium", ["bund", "verteidigung", "ministerium"]),
        ("bundesverfassungsgericht", ["bund", "verfassung", "gericht"]),
        ("arbeitslosenversicherung", ["arbeitslose", "versicherung"]),
        ("fachkräftemangel", ["fach", "kraft", "mangel"]),
        # Frequent unlisted compounds: "-ions-", "-heits-" occur only inside compounds.
        ("migrationspolitik", ["migration", "politik"]),
        ("sicherheitslage", ["sicherheit", "lage"]),
    ],
)
def test_compounds_split_into_lemma_modifiers_and_inflected_head(
    splitter: CompoundSplitter, word: str, parts: list[str]
) -> None:
    assert splitter.split(word) == parts


@pytest.mark.parametrize(
    "word",
    [
        # Derived or simple words whose letters hide real nouns (verb|ündeten, hand|lungen).
        "verbündeten", "ortschaften", "abgeordneten", "präsident", "regierung", "ukraine",
        "handlungen", "verantwortung", "unternehmen", "gemeinschaft", "wirtschaft",
        "entscheidung", "unterstützung", "vorschlag", "nachteile", "ministern",
        # Frequent adjectives, adverbs and verbs, names of countries and people.
        "zahlreiche", "beispielsweise", "feststellen", "erfolgreich", "studierende",
        "abwechslungsreiche",
        "russland", "griechenland", "hartmann",
    ],
)
def test_non_compounds_stay_whole(splitter: CompoundSplitter, word: str) -> None:
    assert splitter.split(word) == []


def test_nordkorea_is_whole_or_nord_korea(splitter: CompoundSplitter) -> None:
    assert splitter.split("nordkorea") in ([], ["nord", "korea"])


@pytest.mark.parametrize("word", ["", "a", "x", "x" * 200, "1234567", "2025er", "covid19"])
def test_odd_input_gives_no_parts(splitter: CompoundSplitter, word: str) -> None:
    assert splitter.split(word) == []
    assert splitter.segments(word) == []


def test_segments_keep_linking_elements_and_rebuild_the_word(splitter: CompoundSplitter) -> None:
    assert splitter.segments("verteidigungsausgaben") == ["verteidigungs", "ausgaben"]
    assert splitter.segments("gästebuch") == ["gäste", "buch"]
    assert splitter.segments("bundestagsfraktion") == ["bundes", "tags", "fraktion"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", max_size=40))
def test_any_word_splits_into_pieces_of_itself(word: str) -> None:
    splitter = get_splitter()
    parts, segments = splitter.split(word), splitter.segments(word)
    assert len(parts) == len(segments) != 1
    if parts:
        assert "".join(segments) == word
        assert parts[-1] == segments[-1]
        assert all(len(part) >= 3 for part in parts)


def test_returned_list_is_a_copy(splitter: CompoundSplitter) -> None:
    splitter.split("klimaschutz").append("extra")
    assert splitter.split("klimaschutz") == ["klima", "schutz"]


def test_get_splitter_is_one_shared_instance() -> None:
    assert get_splitter() is get_splitter()


def test_construction_is_cheap_and_pickles_without_the_lexicon() -> None:
    fresh = CompoundSplitter()
    assert fresh._lex is None  # nothing read until the first split
    data = pickle.dumps(fresh)
    assert len(data) < 1000
    fresh.split("bundestag")
    again = pickle.loads(pickle.dumps(fresh))
    assert again._lex is None
    assert again.split("bundestag") == ["bund", "tag"]


def test_lexicon_file_round_trip(tmp_path: Path) -> None:
    lex = Lexicon()
    lex.add("staats", head=None, modifier=0.8, lemma="staat")
    lex.add("gäste", head=0.5, modifier=0.9, lemma="gast")
    lex.add("chef", head=0.9, modifier=0.4, lemma="chef")
    lex.add("wohn", head=None, modifier=0.9, lemma="wohn", stem=True)
    lex.blocked.add("gestern")
    path = tmp_path / "lex.tsv.gz"
    lex.save(path, ["test lexicon"])
    loaded = Lexicon.load(path)
    assert loaded == lex
    assert loaded.lemma("staats") == "staat"
    assert loaded.lemma("gäste") == "gast"
    assert loaded.head("staats") == -1
    assert loaded.modifier("staats") == 80
    assert loaded.is_stem("wohn")
    assert CompoundSplitter(loaded).split("staatschef") == ["staat", "chef"]
    assert CompoundSplitter(loaded).split("gästechef") == ["gast", "chef"]


def test_thresholds_trade_recall_for_precision() -> None:
    lex = Lexicon()
    lex.add("kampf", head=0.5, modifier=0.5, lemma="kampf")
    lex.add("tag", head=0.3, modifier=0.3, lemma="tag")
    assert CompoundSplitter(lex, threshold=0.35).split("kampftag") == ["kampf", "tag"]
    assert CompoundSplitter(lex, threshold=0.4).split("kampftag") == []
