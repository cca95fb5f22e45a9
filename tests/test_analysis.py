"""The German chain: literal token lists for real words, and the Snowball reference."""

from __future__ import annotations

import pickle

import pytest
import snowballstemmer

from indexer.analysis import AnalysisOptions, analyze, fold_umlauts, german_analyzer
from indexer.analysis.tokenizer import GermanTokenizer
from tests.paths import SHARED

PLAIN = AnalysisOptions(compounds=False, names=False)


def test_tokenizer_keeps_numbers_and_hyphenated_compounds():
    text = "Erhöhung von 2,3 Prozent auf 2,5 Prozent bis 2027: Nato-Beitritt, US-Präsident."
    assert [t.text for t in GermanTokenizer()(text)] == [
        "Erhöhung", "von", "2,3", "Prozent", "auf", "2,5", "Prozent", "bis", "2027",
        "Nato-Beitritt", "US-Präsident",
    ]


def test_tokenizer_drops_dangling_hyphens_and_punctuation():
    text = "Sicherheits- und Verteidigungspolitik „verlegt“ (afp) – +++"
    assert [t.text for t in GermanTokenizer()(text)] == [
        "Sicherheits", "und", "Verteidigungspolitik", "verlegt", "afp",
    ]


def test_hyphenated_compound_is_findable_whole_and_by_parts():
    assert analyze("Nato-Beitritt", options=PLAIN) == ["nato-beitritt", "nato", "beitritt"]
    assert analyze("Nato-Beitritt", mode="query", options=PLAIN) == ["nato-beitritt"]


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("Pjöngjang", "pjongjang"),
        ("Pjoengjang", "pjongjang"),
        ("Pjongjang", "pjongjang"),
        ("getötet", "getot"),
        ("getoetet", "getot"),
        ("Soldaten", "soldat"),
        ("Soldat", "soldat"),
        ("Häuser", "haus"),
        ("Straße", "strass"),
        ("Strasse", "strass"),
        ("Präsidenten", "prasident"),
        ("Quelle", "quell"),  # no ue -> ü after q
        ("Bauern", "bau"),  # "aue" is not "aü": the stemmer's own rule, kept
        ("Ha\u0308user", "haus"),  # decomposed umlaut
        ("2027", "2027"),
        ("2,5", "2,5"),
    ],
)
def test_words_meet_their_variants(word, term):
    assert analyze(word, options=PLAIN) == [term]


def test_index_and_query_agree_on_single_words():
    for word in ["Sicherheitsgarantien", "Verteidigungsausgaben", "Selenskyj", "Drohnenangriff"]:
        assert analyze(word, mode="query")[0] == analyze(word, mode="index")[0]


def test_capitalised_words_get_a_phonetic_code_beside_them():
    assert analyze("Selenskyj traf Zelensky", options=AnalysisOptions(compounds=False)) == [
        "selenskyj", "~85684", "traf", "zelensky", "~85684",
    ]
    assert analyze("NATO und Ukraine") == ["nato", "und", "ukrain", "~0476"]


@pytest.mark.parametrize(
    ("word", "terms"),
    [
        ("verteidigungsausgaben", ["verteidigungsausgab", "verteid", "ausgab"]),
        ("sicherheitsgarantien", ["sicherheitsgaranti", "sich", "garanti"]),
        ("wiederaufbaufonds", ["wiederaufbaufond", "wiederaufbau", "fond"]),
        ("beitrittsziel", ["beitrittsziel", "beitritt", "ziel"]),
        ("verbündeten", ["verbund"]),
        ("ortschaften", ["ortschaft"]),
    ],
)
def test_compound_parts_are_indexed_beside_the_compound(word, terms):
    assert analyze(word) == terms
    assert analyze(word, mode="query") == terms[:1]


def test_fold_umlauts():
    assert fold_umlauts("Größe Übergänge ẞ") == "Grosse Ubergange SS"


def test_stemmer_is_pystemmer_c_backend():
    stemmer = snowballstemmer.stemmer("german")
    assert type(stemmer).__module__ == "Stemmer"  # PyStemmer, not the pure-Python fallback


def test_stemmer_matches_snowball_reference_vocabulary():
    folder = SHARED / "eval" / "snowball_german" / "current"
    words = (folder / "voc.txt").read_text(encoding="utf-8").split()
    expected = (folder / "output.txt").read_text(encoding="utf-8").split()
    stem = snowballstemmer.stemmer("german").stemWord
    wrong = [(w, stem(w), e) for w, e in zip(words, expected, strict=True) if stem(w) != e]
    assert len(words) == 35_033
    assert wrong == []


def test_chain_stems_reference_vocabulary_like_snowball_then_folds():
    """Our chain (with folding after the stemmer) agrees with folded Snowball output."""
    folder = SHARED / "eval" / "snowball_german" / "current"
    words = (folder / "voc.txt").read_text(encoding="utf-8").split()[:5000]
    expected = (folder / "output.txt").read_text(encoding="utf-8").split()[:5000]
    analyzer = german_analyzer(PLAIN)
    got = [[t.text for t in analyzer(w)] for w in words]
    assert got == [[fold_umlauts(e)] for e in expected]


def test_analyzer_pickles_without_its_caches():
    analyzer = german_analyzer()
    list(analyzer("die Soldaten der Häuser"))  # fill caches
    clone = pickle.loads(pickle.dumps(analyzer))
    assert [t.text for t in clone("die Häuser")] == ["die", "haus"]
    assert len(pickle.dumps(analyzer)) < 2000


def _spans_the_slow_way(analyzer, text):
    """Each word's span and terms, read from the Token stream itself."""
    grouped: dict[tuple[int, int], list[str]] = {}
    for tok in analyzer(text, chars=True, mode="index", removestops=False):
        grouped.setdefault((tok.startchar, tok.endchar), []).append(tok.text)
    return [(s, e, tuple(words)) for (s, e), words in grouped.items()]


def test_token_spans_equal_the_analyzer_token_stream():
    from indexer.analysis import token_spans
    from tests.paths import SAMPLE_CORPUS

    analyzer = german_analyzer()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    texts.append("Nato-Beitritt, 2,5 Prozent; Verteidigungsausgaben für Pjo\u0308ngjang "
                 + "x" * 300 + " Selenskyj-Regierung ‐ Bundesinnenministerium.")
    for text in texts:
        assert list(token_spans(analyzer, text)) == _spans_the_slow_way(analyzer, text)


def test_german_positions_write_what_whoosh_positions_write():
    from whoosh.formats import Positions

    from indexer.analysis.positions import GermanPositions
    from tests.paths import SAMPLE_CORPUS

    analyzer = german_analyzer()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_CORPUS.glob("*.txt"))]
    texts.append("Nato-Beitritt der Nato: Verteidigungsausgaben, " + "y" * 300
                 + " Verteidigungsausgaben und Selenskyj-Regierung, Selenskyj.")
    for text in texts:
        ours = list(GermanPositions().word_values(text, analyzer, mode="index"))
        assert ours == list(Positions().word_values(text, analyzer, mode="index"))
    assert list(GermanPositions().word_values(["a", "b"], analyzer, mode="index"))  # a list


def test_encoded_positions_are_whooshs():
    import random

    from whoosh.formats import Positions

    from indexer.analysis.positions import encode_positions

    rng = random.Random(3)
    lists = [[0], [4095], [4096], [7, 9], [0, 5000, 5001]]
    lists += [sorted(rng.sample(range(9000), rng.randint(1, 30))) for _ in range(2000)]
    for poslist in lists:
        assert encode_positions(poslist) == Positions().encode(poslist), poslist
