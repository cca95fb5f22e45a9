"""Split closed German compounds into their parts, for search-time decompounding.

"verteidigungsausgaben" -> ["verteidigung", "ausgaben"]: a search for "Ausgaben" then
finds the compound. First parts come back as lemmas without their linking element
(-s-, -es-, -n-, -en-, -e-, -er-, umlaut plurals, elided -e); the head keeps the
inflection it had in the text, because the stemmer runs on each part afterwards.

How a split is chosen (each rule measured in ``bench/compound_split.py``):

* Every head is an inflected form of a Wiktionary noun (``german-nouns`` package) or
  an unlisted ``wordfreq`` word with a sure noun suffix (-ung, -heit, -keit, ...).
  First parts are such nouns in their linking forms, or verb and adjective stems
  ("wohn", "roh") that must reach a higher threshold.
* Each form carries a reliability: among the ``wordfreq`` German words that end
  (start) with it, how often the rest is a known first part (head), counting only
  words that no other boundary explains. Pseudo-parts that are really suffixes or
  prefixes score low ("lungen" in "handlungen", "ent" in "entscheidung"); real
  parts score high ("ausgaben", "bundes"). A boundary needs the geometric mean of
  both sides to pass a threshold; the best boundary wins, and both sides are split
  again.
* Never split: frequent words that are not nouns (verbs, adjectives, adverbs),
  names of places and people, and inflected forms whose lemma does not split
  ("ministern" is not "mini" + "stern"). Particles, inseparable prefixes and
  derivational suffixes that Wiktionary also lists as nouns are never parts.

The lexicon is generated from the two packages by ``build_lexicon`` (run this
module) into ``indexer/data/compounds_lexicon.tsv.gz``, CC BY-SA 4.0 like its
sources. It is read on the first split, so importing this module, constructing a
splitter and pickling one stay cheap, and nothing but that file is needed at run time.
"""

from __future__ import annotations

import gzip
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "compounds_lexicon.tsv.gz"

# Reliabilities are stored as integers 0..SCALE in the lexicon file.
SCALE = 100
# Words remembered per splitter (about 15 MB when full).
CACHE_SIZE = 100_000


def _words(text: str) -> frozenset[str]:
    """A constant word list written as one space-separated string."""
    return frozenset(text.split())


# Prepositions and verb particles that Wiktionary also lists as (rare) nouns
# ("der Unter" in cards, "das Aus"): as a first part they almost always start a
# particle-verb derivation (Unterschied, Ausgabe, Fortschritt), never a compound.
PARTICLES = _words(
    "ab an auf aus bei dar durch ein empor entgegen fest fort gegen her hin hinter los mit miss"
    " nach nieder über um unter vor voraus vorbei weg wider wieder zu zurück zusammen"
)

# Inseparable verb prefixes: never a first part ("ent" from "Ente" in "entscheidung").
PREFIXES = _words("be emp ent er ge miss ver zer")

# Derivational suffixes that Wiktionary also lists as nouns ("der Schaft", "das Ion",
# "der Ern"): as a last part they end a derived word (Gemeinschaft, Religion,
# Bauern), so they are never taken as a head.
SUFFIX_HEADS = _words(
    "schaft schaften ismus ismen ion ionen lich liche lichen licher liches isch ische ischen"
    " ling linge lingen lings tum tums tümer ern nis nisse heit keit ung ungen ei chen lein"
    " sal sale lichkeit lichkeiten losigkeit losigkeiten igkeit igkeiten barkeit barkeiten"
    " samkeit samkeiten haftigkeit ist isten"
)
# Adjective, adverb and participle endings that are also nouns (Haft, Bar, Los, Reich,
# Arm, Weise, Ende) with their inflections: heads only inside a word the noun lexicon
# lists, so "untersuchungshaft" and "wochenende" split but "zahlbare", "studierende"
# and "abwechslungsreiche" do not.
ADJECTIVE_SUFFIX_HEADS = frozenset(
    stem + ending
    for stem in ("bar", "haft", "los", "sam", "end", "reich", "arm")
    for ending in ("", "e", "en", "er", "es", "em")
) | {"weise"}

# A first part ending in a noun suffix plus its obligatory linking -s ("migrations",
# "sicherheits") exists only inside compounds, so it overrides the never-split list.
SURE_LINKS = ("ungs", "heits", "keits", "schafts", "ions", "täts", "tums", "lings")

# Noun suffixes that make an unlisted word a noun for sure; each maps to its plural.
NOUN_SUFFIXES = {
    "ung": "ungen", "heit": "heiten", "keit": "keiten", "schaft": "schaften",
    "tion": "tionen", "ität": "itäten", "ismus": "ismen", "sion": "sionen",
}


# One int per lexicon form packs everything the splitter needs about it.
_REL_MASK = 0x7F  # reliability + 1 (0 = not usable in that role), 7 bits each
_MOD_SHIFT = 7  # first-part reliability sits above the head reliability
_STEM = 1 << 14  # the first part is a verb or adjective stem, not a noun
_LISTED = 1 << 15  # the noun lexicon lists the form itself (not as an adjective)
_STRIP_SHIFT = 16  # lemma = form minus this many letters (linking element)


@dataclass
class Lexicon:
    """Per form: head and first-part reliability, flags and lemma; plus never-split words."""

    entries: dict[str, int] = field(default_factory=dict)
    lemmas: dict[str, str] = field(default_factory=dict)  # lemmas that are not a prefix
    blocked: set[str] = field(default_factory=set)  # ß folded to ss

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        """Read the generated lexicon file: "form TAB packed-int [TAB lemma]" or "form TAB B"."""
        lex = cls()
        entries, lemmas = lex.entries, lex.lemmas
        shared: dict[int, int] = {}  # one int object per distinct value saves ~10 MB
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                form, value, *lemma = line.rstrip("\n").split("\t")
                if value == "B":
                    lex.blocked.add(form)
                    continue
                number = int(value)
                entries[form] = shared.setdefault(number, number)
                if lemma:
                    lemmas[form] = lemma[0]
        return lex

    def save(self, path: Path, header: Iterable[str] = ()) -> None:
        """Write the lexicon in the format ``load`` reads, sorted for small diffs."""
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"# {text}\n" for text in header]
        for form, value in sorted(self.entries.items()):
            lemma = self.lemmas.get(form)
            lines.append(f"{form}\t{value}\t{lemma}\n" if lemma else f"{form}\t{value}\n")
        lines += [f"{word}\tB\n" for word in sorted(self.blocked)]
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            raw.write("".join(lines).encode("utf-8"))

    def add(self, form: str, head: float | None, modifier: float | None, lemma: str,
            stem: bool = False, listed: bool = False) -> None:
        """Pack one form's reliabilities (0..1, None if not in that role) and lemma."""
        value = _pack_rel(head) | _pack_rel(modifier) << _MOD_SHIFT
        value |= (_STEM if stem else 0) | (_LISTED if listed else 0)
        if form.startswith(lemma):
            value |= (len(form) - len(lemma)) << _STRIP_SHIFT
        else:
            self.lemmas[form] = lemma
        self.entries[form] = value

    def head(self, form: str) -> int:
        """Reliability (0..SCALE) of a form as the last part; -1 if it cannot be one."""
        return (self.entries.get(form, 0) & _REL_MASK) - 1

    def modifier(self, form: str) -> int:
        """Reliability (0..SCALE) of a form as a first part; -1 if it cannot be one."""
        return (self.entries.get(form, 0) >> _MOD_SHIFT & _REL_MASK) - 1

    def is_stem(self, form: str) -> bool:
        """True if the first part is a verb or adjective stem rather than a noun."""
        return bool(self.entries.get(form, 0) & _STEM)

    def is_listed(self, form: str) -> bool:
        """True if the noun lexicon lists the form itself as a noun."""
        return bool(self.entries.get(form, 0) & _LISTED)

    def lemma(self, form: str) -> str:
        """The lemma of a first part: the form without its linking element."""
        irregular = self.lemmas.get(form)
        if irregular is not None:
            return irregular
        strip = self.entries.get(form, 0) >> _STRIP_SHIFT
        return form[: len(form) - strip]


def _pack_rel(rel: float | None) -> int:
    """Store a reliability 0..1 as 1..SCALE+1, or 0 for "not in this role"."""
    return 0 if rel is None else round(rel * SCALE) + 1


def fold_sharp_s(word: str) -> str:
    """Spell ß as ss, the way wordfreq stores its words."""
    return word.replace("ß", "ss")


class CompoundSplitter:
    """Split lower-cased German words into compound parts, or return [] when unsure.

    >>> splitter = CompoundSplitter()
    >>> splitter.split("verteidigungsausgaben")
    ['verteidigung', 'ausgaben']
    >>> splitter.segments("verteidigungsausgaben")
    ['verteidigungs', 'ausgaben']
    """

    def __init__(
        self,
        lexicon: Lexicon | Path | None = None,
        *,
        threshold: float = 0.3,
        stem_threshold: float = 0.5,
        min_part: int = 3,
        guard: bool = True,
        recursive: bool = True,
        max_length: int = 60,
    ) -> None:
        """Remember the settings; the lexicon file is read on the first split.

        ``threshold`` is the least geometric mean of the two parts' reliabilities
        (0..1) for a boundary; a verb or adjective stem as first part needs
        ``stem_threshold``. ``guard`` keeps frequent non-nouns and names whole;
        ``recursive`` splits first parts and heads again.
        """
        self._source = lexicon if lexicon is not None else LEXICON_PATH
        self.threshold = threshold
        self.stem_threshold = stem_threshold
        self.min_part = min_part
        self.guard = guard
        self.recursive = recursive
        self.max_length = max_length
        self._min_conf = threshold * SCALE
        self._stem_factor = threshold / stem_threshold
        self._lex: Lexicon | None = lexicon if isinstance(lexicon, Lexicon) else None
        self._cache: dict[str, tuple[tuple[str, str], ...]] = {}

    def __getstate__(self) -> dict:
        """Pickle the settings only: the lexicon is read again and the cache starts empty."""
        state = self.__dict__.copy()
        if not isinstance(self._source, Lexicon):
            state["_lex"] = None
        state["_cache"] = {}
        return state

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon, read from disk the first time it is needed."""
        if self._lex is None:
            self._lex = Lexicon.load(self._source)
        return self._lex

    def split(self, word: str) -> list[str]:
        """Return the parts of a compound (first parts as lemmas, head as written), else []."""
        return [part for _surface, part in self._analysis(word)]

    def segments(self, word: str) -> list[str]:
        """Return the compound cut as written, linking elements left on their part, else []."""
        return [surface for surface, _part in self._analysis(word)]

    def _analysis(self, word: str) -> tuple[tuple[str, str], ...]:
        """Pairs of (segment as written, part to index), computed once per word."""
        pairs = self._cache.get(word)
        if pairs is None:
            pairs = self._analyse(word) if self._plausible(word) else ()
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()  # callers cache too; this only bounds memory
            self._cache[word] = pairs
        return pairs

    def _plausible(self, word: str) -> bool:
        """Reject what cannot be a compound before any lexicon work."""
        return 2 * self.min_part <= len(word) <= self.max_length and word.isalpha()

    def _analyse(self, word: str) -> tuple[tuple[str, str], ...]:
        """Segment the word; first parts become lemmas and are split again if compound."""
        segments = self._segment(word)
        if segments is None:
            return ()
        pairs: list[tuple[str, str]] = []
        for form in segments[:-1]:
            pairs += self._first_part(form)
        pairs.append((segments[-1], segments[-1]))
        return tuple(pairs)

    def _first_part(self, form: str) -> list[tuple[str, str]]:
        """A first part as (segment, lemma) pairs: "bundestags" -> bundes/bund, tags/tag."""
        lemma = self.lexicon.lemma
        base = lemma(form)
        if self.recursive and form.startswith(base):
            inner = self._segment(base)
            if inner:  # the linking element stays on the last piece: "tags" -> "tag"
                pairs = [(piece, lemma(piece)) for piece in inner[:-1]]
                return [*pairs, (inner[-1] + form[len(base) :], inner[-1])]
        elif self.recursive:
            inner = self._segment(form)  # umlaut plural: "fachkräfte" -> fach, kraft
            if inner:
                return [(piece, lemma(piece)) for piece in inner]
        return [(form, base)]

    def _confidence(self, modifier: str, head_rel: int) -> float:
        """Geometric mean of the first part's and the head's reliability (0..SCALE).

        A verb or adjective stem is discounted, so it must reach ``stem_threshold``.
        """
        lex = self.lexicon
        conf = math.sqrt(max(lex.modifier(modifier), 0) * head_rel)
        return conf * self._stem_factor if lex.is_stem(modifier) else conf

    def _segment(self, word: str) -> list[str] | None:
        """Cut at the most reliable head boundary and split the head again; None if none."""
        lex, m = self.lexicon, self.min_part
        blocked = self.guard and fold_sharp_s(word) in lex.blocked
        entries = lex.entries  # the hot loop reads the packed ints directly
        best: tuple[list[str], str] | None = None
        best_conf = self._min_conf
        for cut in range(m, len(word) - m + 1):
            head = word[cut:]
            head_rel = (entries.get(head, 0) & _REL_MASK) - 1
            if head_rel <= 0 or (head in ADJECTIVE_SUFFIX_HEADS and not lex.is_listed(word)):
                continue
            if blocked and not word[:cut].endswith(SURE_LINKS):
                continue
            chain = self._chain(word[:cut])
            if chain is None:
                continue
            conf = self._confidence(chain[-1], head_rel)
            if conf >= best_conf:
                best, best_conf = (chain, head), conf
        if best is None:
            return None
        chain, head = best
        inner = self._segment(head) if self.recursive else None
        return chain + (inner or [head])

    def _chain(self, prefix: str) -> list[str] | None:
        """Cut everything before the head into first-part forms ("bundes|verteidigungs")."""
        lex, m = self.lexicon, self.min_part
        if lex.modifier(prefix) >= 0:
            return [prefix]
        if not self.recursive:
            return None
        best, best_conf = None, self._min_conf
        for cut in range(len(prefix) - m, m - 1, -1):
            last = prefix[cut:]
            if lex.modifier(last) < 0:
                continue
            first = self._chain(prefix[:cut])
            if first is None:
                continue
            conf = self._confidence(first[-1], max(lex.head(lex.lemma(last)), 0))
            if conf >= best_conf:
                best, best_conf = [*first, last], conf
        return best


@lru_cache(maxsize=1)
def get_splitter() -> CompoundSplitter:
    """Return the process-wide splitter; its lexicon loads on the first split."""
    return CompoundSplitter()


# --------------------------------------------------------------------------------------
# Building the lexicon (maintainers only: needs german-nouns and wordfreq installed)
# --------------------------------------------------------------------------------------

# Row kinds of german-nouns that are not common nouns (letters, affixes, phrases).
_SKIP_POS = frozenset(
    {"Abkürzung", "Buchstabe", "Symbol", "Affix", "Suffix", "Gebundenes Lexem",
     "Grußformel", "Partikel", "Redewendung", "Geflügeltes Wort"}
)
# Names are opaque: "russland", "hartmann" and "karlsruhe" are not split.
_NAME_POS = frozenset({"Toponym", "Vorname", "Nachname"})


@dataclass(frozen=True)
class BuildOptions:
    """Knobs of the lexicon build, each measured in ``bench/compound_split.py``."""

    min_part: int = 3
    iterations: int = 3
    valid_reliability: float = 0.3  # a part must reach this to explain a word
    blocked_zipf: float = 3.0  # frequent non-nouns at or above this are never split
    suffix_nouns_zipf: float = 1.5  # unlisted -ung/-heit/... nouns need this frequency
    # A part below 0.09 cannot reach the default threshold 0.3 (0.3 * 0.3), so it is left out.
    keep_reliability: float = 0.09
    stem_zipf: float | None = 3.0  # verb/adjective stems as first parts (None: nouns only)
    discount_elided: bool = True  # "schul" (Schule) must pass the stem threshold too


@dataclass
class _Noun:
    """The forms of one noun lemma that matter for compounding."""

    forms: set[str] = field(default_factory=set)
    linking: set[str] = field(default_factory=set)
    adjectival: bool = False


@dataclass
class _Sources:
    """What the build reads from the two packages."""

    nouns: dict[str, _Noun]
    names: set[str]  # forms of toponyms and person names
    vocab: dict[str, float]  # wordfreq word (ß as ss) -> Zipf frequency


def _read_nouns() -> tuple[dict[str, _Noun], set[str]]:
    """Read the Wiktionary noun paradigms shipped in the german-nouns package."""
    import csv
    from importlib.resources import files

    nouns: dict[str, _Noun] = {}
    names: set[str] = set()
    with files("german_nouns").joinpath("nouns.csv").open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        linking_cols = [
            i for i, name in enumerate(header)
            if name.startswith(("genitiv singular", "nominativ plural"))
        ]
        for row in reader:
            pos = set(row[1].split(","))
            lemma = row[0].lower()
            if pos & _SKIP_POS or not _is_word(lemma):
                continue
            forms = {lemma} | {f.lower() for f in row[7:] if _is_word(f.lower())}
            if pos & _NAME_POS:
                names |= forms
            if pos & {"Vorname", "Nachname"}:
                continue
            noun = nouns.setdefault(lemma, _Noun())
            noun.forms |= forms
            noun.linking.update(row[i].lower() for i in linking_cols if _is_word(row[i].lower()))
            noun.adjectival |= "adjektivische Deklination" in pos
    return nouns, names


def _is_word(text: str) -> bool:
    """True for a plain lower-case German word (no spaces, digits or hyphens)."""
    return bool(text) and all(c in "abcdefghijklmnopqrstuvwxyzäöüß" for c in text)


def _wordfreq_vocab() -> dict[str, float]:
    """German words of wordfreq's large list with their Zipf frequency."""
    import wordfreq

    freqs = wordfreq.get_frequency_dict("de", wordlist="large")
    return {
        w: wordfreq.zipf_frequency(w, "de", wordlist="large")
        for w in freqs
        if _is_word(w) and len(w) >= 3
    }


def _modifier_forms(lemma: str, noun: _Noun) -> set[str]:
    """The shapes a noun takes as a first part: bare, genitive, plural, +s, without -e."""
    forms = {lemma, lemma + "s"} | noun.linking
    if lemma.endswith("e") and not noun.adjectival:
        forms.add(lemma[:-1])
    return forms - PARTICLES - PREFIXES


def _suffix_nouns(src: _Sources, min_zipf: float) -> dict[str, str]:
    """Unlisted nouns with a noun suffix, as form -> lemma ("absenkungen" -> "absenkung")."""
    known = {fold_sharp_s(f) for noun in src.nouns.values() for f in noun.forms}
    out: dict[str, str] = {}
    for word, zipf in src.vocab.items():
        if zipf < min_zipf or word in known or len(word) < 7:
            continue
        for suffix, plural_suffix in NOUN_SUFFIXES.items():
            if word.endswith(suffix):
                out[word] = out[word[: -len(suffix)] + plural_suffix] = word
    return out


def _stem_modifiers(src: _Sources, nouns: set[str], min_zipf: float) -> set[str]:
    """First parts that are not nouns: verb stems (wohn-en), adjectives (sozial, roh, außen)."""
    stems: set[str] = set()
    for word, zipf in src.vocab.items():
        if zipf < min_zipf or word in nouns:
            continue
        if word.endswith(("eln", "ern")):
            stems.add(word[:-1])
        elif word.endswith("en"):
            stems.add(word[:-2])
        if zipf >= min_zipf + 0.5:
            stems.add(word)
    stems = {s for s in stems if len(s) >= 3} - PARTICLES - PREFIXES
    return {spelling for stem in stems for spelling in _sharp_s_spellings(stem)}


def _sharp_s_spellings(word: str) -> set[str]:
    """A wordfreq word as written with ss and with ß ("gross" -> also "groß")."""
    spellings = {word}
    start = word.find("ss")
    while start != -1:
        spellings.add(word[:start] + "ß" + word[start + 2 :])
        start = word.find("ss", start + 1)
    return spellings


@dataclass
class _Candidates:
    """Every string that may be a head or a first part, before reliabilities."""

    heads: set[str] = field(default_factory=set)
    modifiers: dict[str, str] = field(default_factory=dict)  # form -> lemma
    stems: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)  # non-adjectival nouns with suffix heads


def _candidates(src: _Sources, opts: BuildOptions) -> _Candidates:
    """Collect head forms, modifier forms with their likeliest lemma, and stems."""
    cand = _Candidates()
    lemmas_of: dict[str, set[str]] = {}
    for lemma, noun in src.nouns.items():
        cand.heads |= noun.forms
        if not noun.adjectival:
            cand.listed |= {f for f in noun.forms if f.endswith(tuple(ADJECTIVE_SUFFIX_HEADS))}
        if lemma not in PARTICLES and len(lemma) >= opts.min_part:
            for form in _modifier_forms(lemma, noun):
                lemmas_of.setdefault(form, set()).add(lemma)
    for form, lemma in _suffix_nouns(src, opts.suffix_nouns_zipf).items():
        cand.heads.add(form)
        if form == lemma:
            lemmas_of.setdefault(lemma + "s", set()).add(lemma)
    cand.heads -= SUFFIX_HEADS
    cand.modifiers = {
        form: _likeliest_lemma(form, lemmas, src.vocab) for form, lemmas in lemmas_of.items()
    }
    if opts.discount_elided:
        cand.stems = _elided_only(src.nouns) - cand.heads
    if opts.stem_zipf is not None:
        nouns = {fold_sharp_s(h) for h in cand.heads}
        stems = _stem_modifiers(src, nouns, opts.stem_zipf) - set(cand.modifiers)
        cand.modifiers.update((stem, stem) for stem in stems)
        cand.stems |= stems
    return cand


def _elided_only(nouns: dict[str, _Noun]) -> set[str]:
    """First-part forms that exist only by dropping a final -e ("schul", "red", "kirch").

    Few nouns drop it (Schulbus, but Redezeit), so these forms are rarer and riskier.
    """
    elided: set[str] = set()
    regular: set[str] = set()
    for lemma, noun in nouns.items():
        forms = _modifier_forms(lemma, noun)
        if lemma.endswith("e") and not noun.adjectival:
            elided.add(lemma[:-1])
            forms.discard(lemma[:-1])
        regular |= forms
    return elided - regular

def _likeliest_lemma(form: str, lemmas: set[str], vocab: dict[str, float]) -> str:
    """Pick the lemma a modifier form stands for: itself if it is one, else the most frequent."""
    if form in lemmas:
        return form
    return max(sorted(lemmas), key=lambda lemma: vocab.get(fold_sharp_s(lemma), 0.0))


def _reliabilities(
    vocab: Iterable[str], heads: set[str], modifiers: set[str], opts: BuildOptions
) -> tuple[dict[str, float], dict[str, float]]:
    """Estimate, for each part, how often words containing it are explained by it.

    A word "explained" elsewhere (by a valid split at another boundary) is no
    evidence against a part, so "kind" is not blamed for "kindergarten".
    Iterating lets pseudo-parts stop vouching for each other.
    """
    words = [w for w in vocab if len(w) >= 2 * opts.min_part]
    rel_h = dict.fromkeys(heads, 1.0)
    rel_m = dict.fromkeys(modifiers, 1.0)
    for _ in range(opts.iterations):
        seen_h, good_h, seen_m, good_m = Counter(), Counter(), Counter(), Counter()
        for word in words:
            _count_word(word, rel_h, rel_m, opts, (seen_h, good_h, seen_m, good_m))
        rel_h = {h: (good_h[h] + 1) / (seen_h[h] + 2) for h in heads}
        rel_m = {p: (good_m[p] + 1) / (seen_m[p] + 2) for p in modifiers}
    return rel_h, rel_m


def _count_word(
    word: str,
    rel_h: dict[str, float],
    rel_m: dict[str, float],
    opts: BuildOptions,
    counters: tuple[Counter, Counter, Counter, Counter],
) -> None:
    """Add one word's evidence for and against every part that could split it."""
    seen_h, good_h, seen_m, good_m = counters
    m, valid = opts.min_part, opts.valid_reliability
    cuts = [(word[:cut], word[cut:]) for cut in range(m, len(word) - m + 1)]
    rels = [(rel_m.get(prefix, -1.0), rel_h.get(head, -1.0)) for prefix, head in cuts]
    pairs = list(zip(cuts, rels, strict=True))
    good = {prefix for (prefix, _head), (rp, rh) in pairs if min(rp, rh) >= valid}
    for (prefix, head), (rp, rh) in pairs:
        elsewhere = bool(good - {prefix})
        if rh >= 0 and (rp >= valid or not elsewhere):
            seen_h[head] += 1
            good_h[head] += rp >= valid
        if rp >= 0 and (rh >= valid or not elsewhere):
            seen_m[prefix] += 1
            good_m[prefix] += rh >= valid


def build_lexicon(opts: BuildOptions | None = None) -> Lexicon:
    """Generate the lexicon from german-nouns and wordfreq (takes about a minute)."""
    opts = opts or BuildOptions()
    nouns, names = _read_nouns()
    src = _Sources(nouns, names, _wordfreq_vocab())
    cand = _candidates(src, opts)
    rel_h, rel_m = _reliabilities(
        src.vocab, {fold_sharp_s(h) for h in cand.heads},
        {fold_sharp_s(p) for p in cand.modifiers}, opts,
    )
    lex = Lexicon()
    keep = opts.keep_reliability
    for form in cand.heads | set(cand.modifiers):
        head = rel_h.get(fold_sharp_s(form)) if form in cand.heads else None
        modifier = rel_m.get(fold_sharp_s(form)) if form in cand.modifiers else None
        head = head if head is not None and head >= keep and len(form) >= opts.min_part else None
        modifier = modifier if modifier is not None and modifier >= keep else None
        listed = form in cand.listed
        if head is not None or modifier is not None or listed:
            lemma = cand.modifiers.get(form, form) if modifier is not None else form
            lex.add(form, head, modifier, lemma, stem=form in cand.stems, listed=listed)
    nouns_folded = {fold_sharp_s(h) for h in cand.heads}
    lex.blocked = {w for w, z in src.vocab.items() if z >= opts.blocked_zipf} - nouns_folded
    lex.blocked |= {fold_sharp_s(name) for name in names if len(name) >= 2 * opts.min_part}
    lex.blocked |= _inconsistent_forms(lex, src.nouns)
    return lex


def _inconsistent_forms(lex: Lexicon, nouns: dict[str, _Noun]) -> set[str]:
    """Inflected forms that would split although their lemma does not ("ministern").

    Being a compound is a property of the lemma, so such a split is an accident of
    the inflection ending ("mini" + "stern").
    """
    splitter = CompoundSplitter(lex)
    lemmas_of: dict[str, list[str]] = {}
    for lemma, noun in nouns.items():
        for form in noun.forms - {lemma}:
            lemmas_of.setdefault(form, []).append(lemma)
    return {
        fold_sharp_s(form)
        for form, lemmas in lemmas_of.items()
        if splitter.split(form) and not any(splitter.split(lemma) for lemma in lemmas)
    }


def _header() -> Iterator[str]:
    """Provenance lines written at the top of the generated lexicon."""
    from importlib.metadata import version

    yield "Generated by indexer.analysis.compounds.build_lexicon; do not edit by hand."
    yield f"Sources: german-nouns {version('german-nouns')} (Wiktionary, CC BY-SA 4.0),"
    yield f"wordfreq {version('wordfreq')} German 'large' list (CC BY-SA 4.0 data)."
    yield "This file is licensed CC BY-SA 4.0 like its sources."
    yield "Lines: form TAB packed int (see Lexicon) [TAB lemma], or form TAB B (never split)."


if __name__ == "__main__":
    build_lexicon().save(LEXICON_PATH, _header())
    print(f"wrote {LEXICON_PATH}")
