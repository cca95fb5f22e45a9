"""Compare German compound splitters on gold splits, hand-labelled real words and speed.

    python bench/compound_split.py [--show-splits 300]

Prints one table (split-point precision, recall and F1 on the GeCoDB/DEKOR dev and
test sets, precision on non-compounds, µs per word) for every candidate method and
the shipped one, then what the shipped splitter does with the most frequent words of
the Bundestag speeches, so false splits can be eyeballed.

Split points: a word counts as split when a method returns any parts; the split is
correct when one of its split points is the gold boundary between first part (with
its linking element) and head. Points inside the first part or the head are neither
rewarded nor punished, since the gold data is binary. Precision = correct / split,
recall = correct / gold compounds.

Non-compounds: the most frequent words of the speeches, hand-labelled before any
splitter output was looked at (labels below). "neg dev" is every top-2000 word not
labelled compound or ambiguous; "neg test" every word of 7+ letters on ranks
2001-3200. "cmp dev/test" is the share of the labelled compounds there that split.
Tune only on dev; test is for reporting.

Optional candidates run only when their package is installed: compound-split
(CharSplit, GPL-3.0), german-nouns (its own ``parse_compound``), pyphen, wordfreq.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib
import json
import math
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from types import ModuleType

from indexer.analysis.compounds import LEXICON_PATH, CompoundSplitter, Lexicon

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "eval" / "compound_split_gecodb_dekor"
CORPUS = SHARED / "corpora" / "bundestag-reden" / "bundestag-reden.jsonl.gz"
SPEED_WORDS = 20_000

# Hand labels of the most frequent words of the speeches (ranks by bench tokenisation).
# "compound": a determinative compound whose head a searcher would look for.
# "ambiguous": adverbs, particle verbs and lexicalised words where either answer is fine.
# Every other word is a non-compound.
DEV_COMPOUNDS = """
bundesregierung bundestag gesetzentwurf bundeswehr klimaschutz koalitionsvertrag landwirtschaft
grundlage grundgesetz bundeskanzler arbeitsplätze legislaturperiode bundesrepublik rechtsstaat
menschenrechte arbeitsmarkt rahmenbedingungen arbeitnehmer energiewende bundestages
bundesverfassungsgericht ampelkoalition schuldenbremse wahlkreis bundeskanzlerin landwirte
mitgliedstaaten mindestlohn finanzminister klimawandel marktwirtschaft fachkräfte stichwort
außenpolitik steuerzahler coronapandemie bundeshaushalt arbeitgeber bundesländer zeitpunkt
wasserstoff grundgesetzes mittelstand wohnraum bundesländern einzelplan tatsache bundesrat
arbeitsbedingungen bürgergeld unionsfraktion wahlperiode bundestagsfraktion tagesordnung
entwicklungszusammenarbeit coronakrise krankenhäuser sondervermögen zeitenwende
zivilgesellschaft straftaten energieversorgung arbeitnehmerinnen meinungsfreiheit
sozialdemokraten mittelpunkt sicherheitsbehörden hochschulen bundesminister redezeit
angriffskrieg klimakrise gesetzgeber wohnungsbau nordrhein handwerk rentenversicherung
sozialstaat grundsicherung rechtsstaatlichkeit bundespolizei untersuchungsausschuss grundsatz
staatssekretär ostdeutschland planungssicherheit mittelmeer haushaltsberatungen grundrechte
wettbewerbsfähigkeit datenschutz wirtschaftspolitik ministerpräsidenten
"""
DEV_AMBIGUOUS = """
deutschland deshalb deswegen einfach maßnahmen maßnahme haushalt haushalte tatsächlich
insbesondere weiterhin notwendig notwendigen notwendige notwendigkeit russland russlands
beispielsweise gegenüber zusammen gleichzeitig allerdings diejenigen denjenigen insgesamt genauso
herausforderungen herausforderung zusammenarbeit infrastruktur gegenteil durchaus
selbstverständlich trotzdem dadurch aufgrund zumindest miteinander deutschlands mittlerweile
zusammenhang weltweit innerhalb insofern sogenannten sogenannte derzeit dagegen inzwischen
jedenfalls überall teilweise manchmal außerdem sinnvoll vielmehr ebenfalls ausland frankreich
stattdessen hintergrund wohlstand erfolgreich mitarbeiter mitarbeiterinnen mitarbeitern
wettbewerb mehrfach nachdem irgendwie irgendwann zusammenhalt möglicherweise anstatt
jahrzehnten jahrzehnte sozusagen immerhin festgestellt richtlinie eindeutig dauerhaft
letztendlich teilhabe langfristig bislang zugleich stattfinden stattfindet infrage unterwegs
hinblick mitglied mitglieder regelmäßig vielfalt nachdenken hamburg weiterbildung solange
großbritannien vollständig darunter einerseits andererseits ansonsten ohnehin sicherstellen
seehofer altmaier hinbekommen festhalten westfalen zurzeit weitergehen außerhalb zahlreiche
griechenland einfacher alltag vorhin hinaus hinweg hierzu überhaupt
"""
TEST_COMPOUNDS = """
wertschätzung lebensmittel krankenhäusern bundesverfassungsgerichts sicherheitspolitik
wirtschaftsminister außenminister verfassungsschutz standort haushaltsausschuss
bundesfinanzminister energiepolitik gesundheitswesen fachkräftemangel baustein
kurzarbeitergeld rechtssicherheit energiepreise wahlkampf zeitraum koalitionspartner
streitkräfte schwerpunkt wochenende bürokratieabbau impfpflicht pflegekräfte
automobilindustrie haushaltsentwurf grundlagen migrationspolitik kindergeld bundesamt
gesetzgebung krankenversicherung ampelregierung gesundheitssystem handlungsbedarf
versorgungssicherheit bestandteil bundestagswahl klimaziele kurzarbeit kindergrundsicherung
sitzungswoche volkswirtschaft koalitionsfraktionen arbeitsplatz mietpreisbremse
strukturwandel verbraucherschutz grundrente klimapolitik bundesland augenhöhe sicherheitsrat
wahlrecht digitalpakt lebensverhältnisse entschließungsantrag änderungsantrag elterngeld
ratspräsidentschaft tarifbindung entwicklungspolitik innenminister südsudan kernkraftwerke
impfstoff lieferketten außenministerin arbeitszeit bundesministerium wohngeld grundordnung
regierungskoalition kernenergie kohleausstieg umweltschutz sozialleistungen arbeitswelt
rechtsanspruch wirtschaftsstandort krankenhaus elektromobilität wertschöpfung krankenkassen
gesetzentwurfs rechtsprechung steuereinnahmen einzelfall bundesrechnungshof bundesebene
pflegeversicherung sicherheitslage arbeitnehmern altersarmut staatssekretärin
altersvorsorge steuergeld ehrenamt hausaufgaben fortschrittskoalition geldwäsche maßstab
bundesministerin regierungsentwurf handwerker energiekosten
"""
TEST_AMBIGUOUS = """
kurzfristig rechtsextremismus seitdem wiederum nachricht hierfür wirksam schlichtweg
württemberg zusammenarbeiten vorredner arbeitslosigkeit zulasten sowieso selbstbestimmung
hingegen sachverständigen geradezu lauterbach kilometer brandenburg oftmals keinerlei
irgendwelche jahrelang lockdown erstmals mitbestimmung festgelegt einfache vorbild sinnvolle
irgendwo nachvollziehbar sicherzustellen jeweils weihnachten weiterentwicklung bemerkenswert
bundesweit maßgeblich gegeneinander demnächst fahrzeuge gutachten stattgefunden
selbstständige österreich jahrhundert plattformen großteil zutiefst erfolgreiche weitgehend
freiwillig wahrnehmen vielzahl vorankommen vorantreiben zustande weiterentwickeln derjenigen
sichergestellt einfachen zahlreichen wahrgenommen glaubwürdigkeit wiederaufbau
selbstverständlichkeit hunderttausende hinterher voranzubringen weitermachen langfristige
nachvollziehen dahinter tagtäglich gleichermaßen dankeschön rückkehr vonseiten
gegebenenfalls frühjahr hierbei homeoffice verfassungswidrig vielfach ostdeutschen
weltweiten selbstständigen zeitnah bereitgestellt richtigerweise gleichstellung mitmachen
hierzulande beinhaltet hunderte karlsruhe niedersachsen zwischenfrage nochmals zweimal
weshalb dorthin wirksame nachher
"""
# Words the task names as easy to over-split; none is a compound.
TRICKY = """
verbündeten ortschaften abgeordneten präsident regierung ukraine handlungen verantwortung
unternehmen
"""

Segmenter = Callable[[str], list[str]]


@dataclass
class Method:
    """A candidate: a name and a factory for a fresh function giving a word's segments."""

    name: str
    make: Callable[[], Segmenter]
    segments: Segmenter = field(init=False)

    def __post_init__(self) -> None:
        """Make the instance that is scored (speed runs make fresh ones)."""
        self.segments = self.make()


@dataclass
class Data:
    """Everything a method is scored on."""

    dev: list[tuple[str, int]]
    test: list[tuple[str, int]]
    neg_dev: list[str]
    neg_test: list[str]
    cmp_dev: list[str]
    cmp_test: list[str]
    speed: list[str]
    frequent: list[tuple[str, int]]


# --------------------------------------------------------------------------- data


def gold_surface(raw: str) -> tuple[str, int]:
    """Rebuild "bund_+es_land" as ("bundesland", 6): the word and its gold boundary."""
    parts: list[str] = []
    for token in raw.split("_"):
        if token[:1] in "+-=" and parts:
            parts[-1] = _apply_marker(parts[-1], token)
        else:
            parts.append(token)
    return "".join(parts), len(parts[0])


def _apply_marker(stem: str, marker: str) -> str:
    """Apply one DECOW16 linking marker: +s adds, -e removes, = umlauts."""
    if marker.startswith("-"):
        return stem[: -len(marker) + 1] if stem.endswith(marker[1:]) else stem
    marker = marker.lstrip("+")
    if marker.startswith("="):
        stem, marker = _umlaut(stem), marker[1:]
    return stem + marker


def _umlaut(stem: str) -> str:
    """Umlaut the last a/o/u/au of a stem (gast -> gäst, haus -> häus)."""
    for i in range(len(stem) - 1, -1, -1):
        if stem[i] in "aou":
            if stem[i] == "u" and i > 0 and stem[i - 1] == "a":
                return stem[: i - 1] + "äu" + stem[i + 1 :]
            return stem[:i] + "äöü"["aou".index(stem[i])] + stem[i + 1 :]
    return stem


def read_gold(name: str) -> list[tuple[str, int]]:
    """Read one GeCoDB/DEKOR file as (word, boundary) pairs."""
    rows = []
    with open(GOLD / name, encoding="utf-8") as fh:
        for line in fh:
            rows.append(gold_surface(line.split("\t")[0]))
    return rows


def corpus_frequencies() -> Counter:
    """Count lower-cased word tokens in the paragraphs of the Bundestag speeches."""
    token = re.compile(r"[a-zäöüß]+")
    counts: Counter = Counter()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            for paragraph in json.loads(line)["paragraphs"]:
                counts.update(token.findall(paragraph.lower()))
    return counts


def load_data() -> Data:
    """Gold splits, labelled frequent words and a speed sample."""
    freq = corpus_frequencies().most_common()
    ranked = [word for word, _count in freq]
    dev_c, dev_a = set(DEV_COMPOUNDS.split()), set(DEV_AMBIGUOUS.split())
    test_c, test_a = set(TEST_COMPOUNDS.split()), set(TEST_AMBIGUOUS.split())
    top, next_band = ranked[:2000], [w for w in ranked[2000:3200] if len(w) >= 7]
    step = max(1, len(ranked) // SPEED_WORDS)
    return Data(
        dev=read_gold("dev_1000.tsv"),
        test=read_gold("test_500.tsv"),
        neg_dev=[w for w in top if w not in dev_c | dev_a],
        neg_test=[w for w in next_band if w not in test_c | test_a],
        cmp_dev=sorted(dev_c),
        cmp_test=sorted(test_c),
        speed=ranked[::step][:SPEED_WORDS],
        frequent=freq[:20000],
    )


# --------------------------------------------------------------------------- methods


def shipped_methods() -> list[Method]:
    """The shipped splitter and its ablations (one knob changed at a time)."""
    lex = Lexicon.load(LEXICON_PATH)
    variants = {
        "shipped: reliabilities+stems+guard": {},
        "  threshold 0.25": {"threshold": 0.25},
        "  threshold 0.35": {"threshold": 0.35},
        "  no verb/adjective stems": {"stem_threshold": math.inf},
        "  stems at threshold 0.3": {"stem_threshold": 0.3},
        "  no frequent-word/name guard": {"guard": False},
        "  not recursive": {"recursive": False},
        "  parts of 4+ letters": {"min_part": 4},
    }
    return [
        Method(name, lambda kw=kw: CompoundSplitter(lex, **kw).segments)
        for name, kw in variants.items()
    ]


def pyphen_method() -> Method | None:
    """The shipped splitter, keeping only splits at a hyphenation point (pyphen)."""
    try:
        import pyphen
    except ImportError:
        return None
    hyphenator = pyphen.Pyphen(lang="de_DE")
    lex = Lexicon.load(LEXICON_PATH)

    def make() -> Segmenter:
        splitter = CompoundSplitter(lex)

        def segments(word: str) -> list[str]:
            parts = splitter.segments(word)
            allowed = set(hyphenator.positions(word))
            return parts if set(_cuts(parts)) <= allowed else []

        return segments

    return Method("  only at pyphen hyphenation points", make)


def charsplit_method() -> Method | None:
    """CharSplit n-gram splitter (compound-split package): split when its score > 0."""
    char_split = _import_charsplit()
    if char_split is None:
        return None

    def segments(word: str) -> list[str]:
        if len(word) < 6 or not word.isalpha():
            return []
        score, left, right = char_split.split_compound(word.capitalize())[0]
        return [left.lower(), right.lower()] if score > 0 else []

    return Method("CharSplit n-grams (compound-split)", lambda: segments)


def _import_charsplit() -> ModuleType | None:
    """Import compound_split.char_split, which this file's own name would shadow."""
    here = Path(__file__).resolve().parent
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.modules.pop("compound_split", None)
    try:
        return importlib.import_module("compound_split.char_split")
    except ImportError:
        return None
    finally:
        sys.path[:] = saved


def german_nouns_method() -> Method | None:
    """german-nouns' own parse_compound; the head lemma is located in the word."""
    try:
        from german_nouns.lookup import Nouns
    except ImportError:
        return None
    nouns = Nouns()

    def segments(word: str) -> list[str]:
        if len(word) < 6 or not word.isalpha():
            return []
        lemmas = nouns.parse_compound(word)
        cut = word.rfind(lemmas[-1].lower()) if len(lemmas) > 1 else -1
        return [word[:cut], word[cut:]] if cut > 0 else []

    return Method("german-nouns parse_compound", lambda: segments)


def plain_lexicon_method() -> Method | None:
    """Wiktionary forms only, no statistics: the longest known head after a known first part."""
    try:
        from importlib.resources import files

        path = files("german_nouns").joinpath("nouns.csv")
    except ModuleNotFoundError:
        return None
    heads, firsts = _plain_lexicon(path)

    def segments(word: str) -> list[str]:
        for cut in range(3, len(word) - 2):
            if word[cut:] in heads and word[:cut] in firsts:
                return [word[:cut], word[cut:]]
        return []

    return Method("Wiktionary lexicon, longest head", lambda: segments)


def _plain_lexicon(path) -> tuple[set[str], set[str]]:
    """Noun forms as heads; lemma, +s, genitive, plural and -e forms as first parts."""
    heads: set[str] = set()
    firsts: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        linking = [i for i, h in enumerate(header) if h.startswith(("genitiv s", "nominativ p"))]
        for row in reader:
            if {"Vorname", "Nachname", "Abkürzung", "Buchstabe"} & set(row[1].split(",")):
                continue
            lemma = row[0].lower()
            heads.update(f.lower() for f in row[7:] if f)
            heads.add(lemma)
            firsts.update({lemma, lemma + "s"} | {row[i].lower() for i in linking if row[i]})
            if lemma.endswith("e"):
                firsts.add(lemma[:-1])
    return {h for h in heads if len(h) >= 3}, {f for f in firsts if len(f) >= 3}


def all_methods() -> list[Method]:
    """Every candidate that can run here, the shipped splitter first."""
    optional = [pyphen_method(), charsplit_method(), german_nouns_method(), plain_lexicon_method()]
    return shipped_methods() + [m for m in optional if m is not None]


# --------------------------------------------------------------------------- scoring


def _cuts(segments: list[str]) -> list[int]:
    """Split points (offsets) of a segmentation."""
    return list(accumulate(len(s) for s in segments[:-1]))


def split_scores(method: Method, rows: Iterable[tuple[str, int]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the gold boundary (see module docstring)."""
    correct = split = total = 0
    for word, boundary in rows:
        cuts = _cuts(method.segments(word))
        total += 1
        split += bool(cuts)
        correct += boundary in cuts
    precision = correct / split if split else 0.0
    recall = correct / total
    f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
    return precision, recall, f1


def kept_whole(method: Method, words: list[str]) -> float:
    """Share of words left unsplit."""
    return sum(not method.segments(w) for w in words) / len(words)


def micros_per_word(make: Callable[[], Segmenter], words: list[str], repeat: int = 3) -> float:
    """Best of `repeat` runs of one call per distinct word, each on a fresh (cold) instance.

    CPU time of this process, so other processes on a shared machine count less.
    """
    best = math.inf
    for _ in range(repeat):
        segments = make()
        start = time.process_time()
        for word in words:
            segments(word)
        best = min(best, time.process_time() - start)
    return best / len(words) * 1e6


def table(methods: list[Method], data: Data) -> None:
    """Print the comparison table; speed is the best of three cold-cache runs."""
    head = (
        f"{'method':38} {'dev P':>6} {'R':>6} {'F1':>6} {'test P':>7} {'R':>6} {'F1':>6}"
        f" {'neg dev':>8} {'neg test':>8} {'cmp dev':>8} {'cmp test':>8} {'µs/word':>8}"
    )
    print(head)
    print("-" * len(head))
    for method in methods:
        speed = micros_per_word(method.make, data.speed)
        dev, test = split_scores(method, data.dev), split_scores(method, data.test)
        print(
            f"{method.name:38} {dev[0]:6.3f} {dev[1]:6.3f} {dev[2]:6.3f}"
            f" {test[0]:7.3f} {test[1]:6.3f} {test[2]:6.3f}"
            f" {kept_whole(method, data.neg_dev):8.3f} {kept_whole(method, data.neg_test):8.3f}"
            f" {1 - kept_whole(method, data.cmp_dev):8.3f}"
            f" {1 - kept_whole(method, data.cmp_test):8.3f} {speed:8.1f}"
        )


# --------------------------------------------------------------------------- shipped details


def shipped_details(data: Data, show: int) -> None:
    """Load cost, over-splitting on frequent words, and splits to eyeball."""
    load_cost()
    lex = Lexicon.load(LEXICON_PATH)
    words = [w for w, _n in data.frequent]
    speed = micros_per_word(lambda: CompoundSplitter(lex).split, words)
    splitter = CompoundSplitter(lex)
    print(f"speed on the {len(words):,} most frequent words: {speed:.1f} µs/word")
    tricky = {w: splitter.split(w) for w in TRICKY.split()}
    print("tricky words:", ", ".join(f"{w}={'+'.join(p) or '-'}" for w, p in tricky.items()))
    false = [w for w in data.neg_dev if splitter.split(w)]
    print(f"over-splitting on the top 2000 words: {len(false)} of {len(data.neg_dev)} "
          f"non-compounds split ({len(false) / len(data.neg_dev):.2%}): "
          + ", ".join(f"{w}={'+'.join(splitter.split(w))}" for w in false))
    split_words = [(w, n) for w, n in data.frequent if splitter.split(w)]
    print("\n40 most frequent words that split:")
    print(", ".join(f"{w}={'+'.join(splitter.split(w))}" for w, _n in split_words[:40]))
    if show:
        top = [w for w, _n in data.frequent[:show] if splitter.split(w)]
        print(f"\nall splits among the {show} most frequent words:")
        print(", ".join(f"{w}={'+'.join(splitter.split(w))}" for w in top))


_LOAD_PROBE = """
import time, psutil
from indexer.analysis.compounds import get_splitter
rss = psutil.Process().memory_info().rss
start = time.perf_counter()
get_splitter().split("verteidigungsausgaben")
print(time.perf_counter() - start, (psutil.Process().memory_info().rss - rss) / 1e6)
"""


def load_cost() -> None:
    """Report the lexicon's size, and load time and memory in a fresh interpreter."""
    size = LEXICON_PATH.stat().st_size / 1e6
    forms = len(Lexicon.load(LEXICON_PATH).entries)
    probe = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=False
    )
    if probe.returncode == 0:
        seconds, grown = (float(x) for x in probe.stdout.split())
        cost = f"first split {seconds:.2f} s, +{grown:.0f} MB resident"
    else:
        cost = "load probe needs psutil"
    print(f"\nshipped lexicon: {size:.1f} MB file, {forms:,} forms; {cost}")


def main() -> None:
    """Run every candidate and print the table and the shipped splitter's details."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-splits", type=int, default=300, metavar="N",
                        help="list every split among the N most frequent words (0: none)")
    args = parser.parse_args()
    data = load_data()
    print(f"gold: dev {len(data.dev)}, test {len(data.test)} compounds; non-compounds: "
          f"dev {len(data.neg_dev)}, test {len(data.neg_test)}; labelled compounds: "
          f"dev {len(data.cmp_dev)}, test {len(data.cmp_test)}; speed sample "
          f"{len(data.speed):,} distinct words\n")
    table(all_methods(), data)
    shipped_details(data, args.show_splits)


if __name__ == "__main__":
    main()
