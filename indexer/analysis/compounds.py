"""Split closed German compounds into their parts, for search-time decompounding.

"verteidigungsausgaben" -> ["verteidigung", "ausgaben"]: a search for "Ausgaben" then
finds the compound. Modifiers come back as lemmas without their linking element
(-s-, -es-, -n-, -en-, -e-, -er-, umlaut plurals, elided -e); the head keeps the
inflection it had in the text, because the stemmer runs on each part afterwards.

How a split is chosen (tuned by ``bench/compound_split.py``):

* Every part must be a known noun: heads are inflected forms and modifiers are
  linking forms of the Wiktionary noun paradigms in the ``german-nouns`` package,
  plus unlisted nouns with an unambiguous noun suffix (-ung, -heit, -keit, ...)
  from the ``wordfreq`` German list.
* Each head form and each modifier form carries a reliability: how often, among
  all the words of ``wordfreq``'s German list that end (start) with it, the rest
  of the word is a known modifier (head). Pseudo-parts that are really suffixes or
  prefixes score low ("lungen" in "handlungen", "ent" in "entscheidung"), real
  parts score high ("ausgaben", "bundes"). A split needs the geometric mean of the
  two to pass a threshold.
* A frequent word that is not a noun (verbs, adjectives, adverbs, function
  words) is never split.

The lexicon is generated from the two packages by ``build_lexicon`` into
``indexer/data/compounds_lexicon.tsv.gz`` (CC BY-SA 4.0, like its sources) and is
read on first use, so importing this module and pickling a splitter stay cheap.
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

# Prepositions and verb particles that Wiktionary also lists as (rare) nouns
# ("der Unter" in cards, "das Aus"): as a first part they almost always start a
# particle-verb derivation (Unterschied, Ausgabe, Fortschritt), never a compound.
PARTICLES = frozenset(
    "ab an auf aus bei dar durch ein empor entgegen fort gegen her hin hinter los mit miss"
    " nach nieder über um unter vor voraus vorbei weg wider wieder zu zurück zusammen".split()
)

# Derivational suffixes that Wiktionary also lists as nouns ("der Schaft", "das Ion",
# "der Ern"): as a last part they end a derived word (Gemeinschaft, Religion,
# Bauern), so they are never taken as a head.
SUFFIX_HEADS = frozenset(
    "schaft schaften ismus ismen ion ionen lich liche lichen licher liches isch ische ischen"
    " ling linge lingen lings tum tums tümer ern nis nisse heit keit ung ungen ei chen lein"
    " sal sale".split()
)
# Adjective suffixes that are also real nouns (Haft, Bar, Los): heads only inside a word
# that the noun lexicon lists, so "untersuchungshaft" splits but "zahlbar" does not.
ADJECTIVE_SUFFIX_HEADS = frozenset("bar haft los lose losen sam".split())

# Noun suffixes that make an unlisted word a noun for sure; each maps to its plural.
NOUN_SUFFIXES = {
    "ung": "ungen", "heit": "heiten", "keit": "keiten", "schaft": "schaften",
    "tion": "tionen", "ität": "itäten", "ismus": "ismen", "sion": "sionen",
}


@dataclass
class Lexicon:
    """Head forms and modifier forms with their reliabilities, and the never-split words."""

    heads: dict[str, int] = field(default_factory=dict)
    modifiers: dict[str, int] = field(default_factory=dict)
    lemmas: dict[str, str] = field(default_factory=dict)  # modifier form -> lemma, if different
    blocked: set[str] = field(default_factory=set)  # frequent non-nouns, ß folded to ss

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        """Read the generated lexicon file (one tagged entry per line)."""
        lex = cls()
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                tag, form, *rest = line.rstrip("\n").split("\t")
                if tag == "H":
                    lex.heads[form] = int(rest[0])
                elif tag == "M":
                    lex.modifiers[form] = int(rest[0])
                    if len(rest) > 1:
                        lex.lemmas[form] = rest[1]
                elif tag == "B":
                    lex.blocked.add(form)
        return lex

    def save(self, path: Path, header: Iterable[str] = ()) -> None:
        """Write the lexicon in the format ``load`` reads, sorted for small diffs."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            lines = [f"# {text}\n" for text in header]
            lines += [f"H\t{form}\t{rel}\n" for form, rel in sorted(self.heads.items())]
            for form, rel in sorted(self.modifiers.items()):
                lemma = self.lemmas.get(form)
                lines.append(f"M\t{form}\t{rel}\t{lemma}\n" if lemma else f"M\t{form}\t{rel}\n")
            lines += [f"B\t{word}\n" for word in sorted(self.blocked)]
            raw.write("".join(lines).encode("utf-8"))


def fold_sharp_s(word: str) -> str:
    """Spell ß as ss, the way wordfreq stores its words."""
    return word.replace("ß", "ss")


class CompoundSplitter:
    """Split lower-cased German words into compound parts, or return [] when unsure.

    >>> CompoundSplitter().split("verteidigungsausgaben")
    ['verteidigung', 'ausgaben']
    """

    def __init__(
        self,
        lexicon: Lexicon | Path | None = None,
        min_part: int = 3,
        threshold: float = 0.3,
        guard: bool = True,
        recursive: bool = True,
        max_length: int = 60,
    ) -> None:
        self._source = lexicon if lexicon is not None else LEXICON_PATH
        self.min_part = min_part
        self.threshold = threshold * SCALE  # compared with the scaled geometric mean
        self.guard = guard
        self.recursive = recursive
        self.max_length = max_length
        self._lex: Lexicon | None = lexicon if isinstance(lexicon, Lexicon) else None
        self._cache: dict[str, list[str]] = {}

    def __getstate__(self) -> dict:
        """Pickle the settings only; the lexicon is read again on first use."""
        state = self.__dict__.copy()
        state["_lex"] = None if not isinstance(self._source, Lexicon) else self._lex
        state["_cache"] = {}
        return state

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon, read from disk the first time it is needed."""
        if self._lex is None:
            self._lex = Lexicon.load(self._source)
        return self._lex

    def split(self, word: str) -> list[str]:
        """Return the parts of a compound (modifiers as lemmas, head as written), else []."""
        parts = self._cache.get(word)
        if parts is None:
            parts = self._split(word) if self._plausible(word) else []
            if len(self._cache) < 1_000_000:
                self._cache[word] = parts
        return list(parts)

    def _plausible(self, word: str) -> bool:
        """Reject what cannot be a compound noun before any lexicon lookups."""
        if not (2 * self.min_part <= len(word) <= self.max_length and word.isalpha()):
            return False
        return not (self.guard and fold_sharp_s(word) in self.lexicon.blocked)

    def _split(self, word: str) -> list[str]:
        """Segment the word, then give each modifier as its lemma."""
        segments = self._segment(word)
        if segments is None:
            return []
        parts: list[str] = []
        for form in segments[:-1]:
            lemma = self._lemma(form)
            inner = self._segment(lemma) if self.recursive else None
            parts += [self._lemma(f) for f in inner[:-1]] + [inner[-1]] if inner else [lemma]
        return parts + [segments[-1]]

    def _confidence(self, modifier: str, head_rel: int) -> float:
        """Geometric mean of the modifier's and the head's reliability (0..SCALE)."""
        return math.sqrt(self.lexicon.modifiers.get(modifier, 0) * head_rel)

    def _segment(self, word: str) -> list[str] | None:
        """Split at the most reliable head boundary; return surface segments or None."""
        lex, m = self.lexicon, self.min_part
        best: tuple[list[str], str] | None = None
        best_conf = self.threshold
        for cut in range(m, len(word) - m + 1):
            head = word[cut:]
            head_rel = lex.heads.get(head)
            if head_rel is None or (head in ADJECTIVE_SUFFIX_HEADS and word not in lex.heads):
                continue
            chain = self._chain(word[:cut])
            if chain is None:
                continue
            conf = self._confidence(chain[-1], head_rel)
            if conf >= best_conf:
                best, best_conf = (chain, word[cut:]), conf
        if best is None:
            return None
        chain, head = best
        inner = self._segment(head) if self.recursive else None
        return chain + (inner or [head])

    def _chain(self, prefix: str) -> list[str] | None:
        """Segment a first part into modifier forms ("bundesverteidigungs"), or None."""
        lex, m = self.lexicon, self.min_part
        if prefix in lex.modifiers:
            return [prefix]
        if not self.recursive:
            return None
        best, best_conf = None, self.threshold
        for cut in range(len(prefix) - m, m - 1, -1):
            last = prefix[cut:]
            if last not in lex.modifiers:
                continue
            first = self._chain(prefix[:cut])
            if first is None:
                continue
            conf = self._confidence(first[-1], lex.heads.get(self._lemma(last), 0))
            if conf >= best_conf:
                best, best_conf = [*first, last], conf
        return best

    def _lemma(self, modifier: str) -> str:
        """The lemma of a modifier form: its linking element removed."""
        return self.lexicon.lemmas.get(modifier, modifier)


@lru_cache(maxsize=1)
def get_splitter() -> CompoundSplitter:
    """Return the process-wide splitter; its lexicon loads on the first split."""
    return CompoundSplitter()


# --------------------------------------------------------------------------------------
# Building the lexicon (maintainers only: needs german-nouns and wordfreq installed)
# --------------------------------------------------------------------------------------

# Row kinds of german-nouns that are not common nouns (names, letters, affixes).
_SKIP_POS = frozenset(
    {"Vorname", "Nachname", "Abkürzung", "Buchstabe", "Symbol", "Affix", "Suffix",
     "Gebundenes Lexem", "Grußformel", "Partikel", "Redewendung", "Geflügeltes Wort"}
)


@dataclass(frozen=True)
class BuildOptions:
    """Knobs of the lexicon build, each measured in ``bench/compound_split.py``."""

    min_part: int = 3
    iterations: int = 3
    valid_reliability: float = 0.3  # a part must reach this to explain a word
    blocked_zipf: float = 3.0  # frequent non-nouns at or above this are never split
    suffix_nouns_zipf: float = 1.5  # unlisted -ung/-heit/... nouns need this frequency
    keep_reliability: float = 0.02  # smaller reliabilities are left out of the file


@dataclass
class _Noun:
    """The forms of one noun lemma that matter for compounding."""

    forms: set[str] = field(default_factory=set)
    linking: set[str] = field(default_factory=set)
    adjectival: bool = False


def _read_nouns() -> dict[str, _Noun]:
    """Read the Wiktionary noun paradigms shipped in the german-nouns package."""
    import csv
    from importlib.resources import files

    path = files("german_nouns").joinpath("nouns.csv")
    nouns: dict[str, _Noun] = {}
    with path.open(encoding="utf-8") as fh:
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
            noun = nouns.setdefault(lemma, _Noun())
            noun.forms.update(f.lower() for f in row[7:] if _is_word(f.lower()))
            noun.forms.add(lemma)
            noun.linking.update(row[i].lower() for i in linking_cols if _is_word(row[i].lower()))
            noun.adjectival |= "adjektivische Deklination" in pos
    return nouns


def _is_word(text: str) -> bool:
    """True for a plain lower-case German word (no spaces, digits or hyphens)."""
    return bool(text) and all(c in "abcdefghijklmnopqrstuvwxyzäöüß" for c in text)


def _modifier_forms(lemma: str, noun: _Noun) -> set[str]:
    """The shapes a noun takes as a first part: bare, genitive, plural, +s, without -e."""
    forms = {lemma, lemma + "s"} | noun.linking
    if lemma.endswith("e") and not noun.adjectival:
        forms.add(lemma[:-1])
    return forms


def _suffix_nouns(vocab: dict[str, float], known: set[str], min_zipf: float) -> dict[str, set]:
    """Unlisted nouns with a noun suffix: lemma -> {its plural} (e.g. "absenkung")."""
    out: dict[str, set] = {}
    for word, zipf in vocab.items():
        if zipf < min_zipf or word in known or len(word) < 7:
            continue
        for suffix, plural_suffix in NOUN_SUFFIXES.items():
            if word.endswith(suffix):
                out[word] = {word[: -len(suffix)] + plural_suffix}
    return out


def _wordfreq_vocab() -> dict[str, float]:
    """German words of wordfreq's large list with their Zipf frequency."""
    import wordfreq

    freqs = wordfreq.get_frequency_dict("de", wordlist="large")
    return {
        w: wordfreq.zipf_frequency(w, "de", wordlist="large")
        for w in freqs
        if _is_word(w) and len(w) >= 3
    }


def _candidate_parts(
    nouns: dict[str, _Noun], extra: dict[str, set], vocab: dict[str, float]
) -> tuple[set[str], dict[str, str]]:
    """All head forms, and modifier forms mapped to their likeliest lemma."""
    heads: set[str] = set()
    candidates: dict[str, set[str]] = {}
    for lemma, noun in nouns.items():
        heads |= noun.forms
        if lemma in PARTICLES or len(lemma) < 3:
            continue
        for form in _modifier_forms(lemma, noun):
            candidates.setdefault(form, set()).add(lemma)
    for lemma, plurals in extra.items():
        heads |= plurals | {lemma}
        candidates.setdefault(lemma + "s", set()).add(lemma)
    heads -= SUFFIX_HEADS
    modifiers = {form: _likeliest_lemma(form, lemmas, vocab) for form, lemmas in candidates.items()}
    return heads, modifiers


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
    cuts = []
    for cut in range(m, len(word) - m + 1):
        prefix, head = word[:cut], word[cut:]
        cuts.append((prefix, head, rel_m.get(prefix), rel_h.get(head)))
    good_cuts = {
        p for p, _h, rp, rh in cuts if rp is not None and rh is not None and min(rp, rh) >= valid
    }
    for prefix, head, rp, rh in cuts:
        explained_elsewhere = bool(good_cuts - {prefix})
        if rh is not None and (rp is not None and rp >= valid):
            seen_h[head] += 1
            good_h[head] += 1
        elif rh is not None and not explained_elsewhere:
            seen_h[head] += 1
        if rp is not None and (rh is not None and rh >= valid):
            seen_m[prefix] += 1
            good_m[prefix] += 1
        elif rp is not None and not explained_elsewhere:
            seen_m[prefix] += 1


def build_lexicon(opts: BuildOptions | None = None) -> Lexicon:
    """Generate the lexicon from german-nouns and wordfreq (takes about a minute)."""
    opts = opts or BuildOptions()
    nouns = _read_nouns()
    vocab = _wordfreq_vocab()
    all_forms = {f for noun in nouns.values() for f in noun.forms}
    extra = _suffix_nouns(vocab, {fold_sharp_s(f) for f in all_forms}, opts.suffix_nouns_zipf)
    heads, modifiers = _candidate_parts(nouns, extra, vocab)
    fold_h = {fold_sharp_s(h) for h in heads}
    fold_m = {fold_sharp_s(p) for p in modifiers}
    rel_h, rel_m = _reliabilities(vocab, fold_h, fold_m, opts)
    lex = Lexicon()
    keep = opts.keep_reliability
    for head in heads:
        rel = rel_h[fold_sharp_s(head)]
        if rel >= keep and len(head) >= opts.min_part:
            lex.heads[head] = round(rel * SCALE)
    for form, lemma in modifiers.items():
        rel = rel_m[fold_sharp_s(form)]
        if rel >= keep:
            lex.modifiers[form] = round(rel * SCALE)
            if lemma != form:
                lex.lemmas[form] = lemma
    folded_nouns = {fold_sharp_s(f) for f in heads}
    lex.blocked = {
        w for w, z in vocab.items() if z >= opts.blocked_zipf and w not in folded_nouns
    }
    return lex


def _header() -> Iterator[str]:
    """Provenance lines written at the top of the generated lexicon."""
    from importlib.metadata import version

    yield "Generated by indexer.analysis.compounds.build_lexicon; do not edit by hand."
    yield f"Sources: german-nouns {version('german-nouns')} (Wiktionary, CC BY-SA 4.0),"
    yield f"wordfreq {version('wordfreq')} German 'large' list (CC BY-SA 4.0 data)."
    yield "This file is licensed CC BY-SA 4.0. Lines: H head rel | M modifier rel [lemma] | B word"


if __name__ == "__main__":
    build_lexicon().save(LEXICON_PATH, _header())
    print(f"wrote {LEXICON_PATH}")
