"""Generate bench/queries.txt once from the Bundestag corpus, deterministically.

Run: python bench/make_queries.py            (writes bench/queries.txt; ~2 min)

Method (seed random.Random(20261121); same corpus bytes -> same file):

1. Scan every paragraph of the full corpus with a letter-run tokenizer (words cut off
   by a hanging hyphen, "Wirtschafts- und", are skipped). A *noun* is a
   word of >= 4 letters (or an all-caps acronym of >= 3, like "CDU") that starts with a
   capital letter in mid-sentence and is written in lower case in < 10 % of its uses
   (so sentence-initial verbs and adverbs drop out). Its document frequency (df) is
   the number of paragraphs containing it; nouns with df < 5 are dropped.
2. Nouns are ranked by df and cut into bands: frequent (rank 1-300: the expensive
   tail, "Damen", "Regierung", "Deutschland"), common (301-3,000), mid (3,001-20,000)
   and rare (below rank 20,000). Each band gets a fixed number of single-word queries.
3. Compounds: nouns of >= 15 letters without a hyphen and df >= 10, half from the
   2,000 most frequent such words, half from the rest.
4. Speakers: names from the titles ("Dr. Angela Merkel (Bundeskanzlerin): Rede ...")
   without academic titles and roles; full names and surnames, half from the 100
   speakers with most speeches, half from the rest. "Name + topic": a speaker's
   surname and a band-1..3 noun from one of that speaker's speeches.
5. Multi-word queries (2, 3, 4 words): a random paragraph is drawn and that many
   distinct band-1..3 nouns are taken from it in text order, so AND queries match.
   Forms of address and discourse fillers (FILLERS: "Herren", "Beispiel", ...) are
   not drawn here nor as topics in step 4.
6. Phrases in quotes: two-word sequences "inflected adjective + noun" ("erneuerbare
   Energien") whose first word is not a determiner or quantifier (FUNCTION_WORDS),
   ranked by df; half from the top 500, half from ranks 501-5,000.
7. Typos (~5 %): fresh single-noun, compound and pair queries get one deterministic
   edit in their longest word (swap, drop, double or replace a letter, in turn).

Candidate lists are sorted (df desc, then text) before sampling, duplicates are
redrawn, and each group is written under a "# section: NAME" header.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from common import CORPUS_GZ, QUERIES, iter_records

SEED = 20261121
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*")
SENTENCE_END = set(".!?:;„“\"(\u2013")
TITLE_WORDS = {"Dr.", "Prof.", "h.", "c.", "Alterspräsident", "Präsident", "Vizepräsident",
               "Präsidentin", "Vizepräsidentin", "Alterspräsidentin"}
ADJ_ENDINGS = ("e", "en", "er", "es", "em")
# Forms of address and discourse fillers: kept as single words (they are the expensive
# frequent tail) but not drawn into multi-word or name + topic queries.
_FILLER_WORDS = (
    "Herren Damen Kollegen Kolleginnen Kollege Kollegin Dank Herr Frau Präsident Präsidentin "
    "Bürgerinnen Zuschauer Zuschauerinnen Tribüne Hause Beispiel Stelle Ende Punkt Sinne "
    "Übrigen Verfügung Blick Sicht Fall Rahmen Teil Seite Dinge Dingen Sache Grund Schluss "
    "Thema Jahr Jahre Jahren Zeit Woche Wochen Antrag Rede Debatte Aufmerksamkeit"
)
FILLERS = frozenset(_FILLER_WORDS.split())
# Determiners, possessives and quantifiers: not the first word of a quoted phrase.
_FUNCTION_WORDS = (
    "diese dieser diesem diesen dieses jede jeder jedem jeden jedes keine keiner keinem "
    "keinen meine meiner meinem meinen unsere unserer unserem unseren ihre ihrer ihrem "
    "ihren seine seiner seinem seinen eure eine einer einem einen viele vielen vieler "
    "wenige wenigen ganze ganzen alle allen aller andere anderen weitere weiteren nächste "
    "nächsten letzte letzten erste ersten zweite zweiten gleiche gleichen solche solchen "
    "welche welchen beide beiden manche einige einigen mehrere verehrte verehrten geehrte "
    "geehrten liebe lieben guten derselben denselben sämtliche"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
BANDS = {"frequent": (0, 300), "common": (300, 3000), "mid": (3000, 20000),
         "rare": (20000, 10**9)}
PLAN = {"frequent": 50, "common": 50, "mid": 40, "rare": 20, "compound": 40, "name": 25,
        "surname": 15, "name_topic": 20, "pair": 40, "triple": 20, "quad": 10, "phrase": 20,
        "typo": 17}


@dataclass
class Stats:
    """What one pass over the corpus collects."""

    cap: Counter = field(default_factory=Counter)  # mid-sentence capitalised uses
    lower: Counter = field(default_factory=Counter)  # lower-case uses, by lower-cased form
    df: Counter = field(default_factory=Counter)  # paragraphs containing a capitalised form
    bigram_df: Counter = field(default_factory=Counter)
    paragraphs: list[tuple[str, ...]] = field(default_factory=list)  # capitalised words each
    speeches: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))


def speaker(title: str) -> str:
    """Return the speaker's name from a title, without academic titles and roles."""
    name = title.split(" (", 1)[0].split(":", 1)[0]
    return " ".join(w for w in name.split() if w not in TITLE_WORDS)


def scan_paragraph(text: str, stats: Stats) -> tuple[str, ...]:
    """Count one paragraph's words; return its mid-sentence capitalised words in order."""
    caps: list[str] = []
    prev_word, prev_end = None, 0
    bigrams = set()
    for m in WORD.finditer(text):
        word, start = m.group(), m.start()
        if text[m.end():m.end() + 1] == "-":  # "Wirtschafts- und ..." is half a word
            prev_word = None
            continue
        before = text[max(0, start - 2):start].strip()
        initial = start == 0 or (before[-1:] in SENTENCE_END)
        if word[0].isupper() and not initial:
            stats.cap[word] += 1
            caps.append(word)
            if prev_word and prev_end == start - 1 and prev_word.endswith(ADJ_ENDINGS):
                bigrams.add(f"{prev_word} {word}")
        elif word[0].islower():
            stats.lower[word.lower()] += 1
        prev_word = word if word[0].islower() and len(word) >= 4 else None
        prev_end = m.end()
    stats.df.update(set(caps))
    stats.bigram_df.update(bigrams)
    return tuple(dict.fromkeys(caps))


def scan_corpus() -> Stats:
    """One pass over the full corpus: word counts, dfs and each paragraph's nouns."""
    stats = Stats()
    for record in iter_records():
        who = speaker(record["title"])
        stats.speeches[who].append(len(stats.paragraphs))
        for text in record["paragraphs"]:
            stats.paragraphs.append(scan_paragraph(text, stats))
    return stats


def is_noun(word: str, stats: Stats) -> bool:
    """A capitalised word that is rarely written in lower case (see the module docstring)."""
    acronym = word.isupper() and len(word) >= 3
    if not acronym and len(word) < 4:
        return False
    return stats.lower[word.lower()] < 0.1 * stats.cap[word]


def ranked_nouns(stats: Stats) -> list[str]:
    """Nouns with df >= 5, most frequent first (ties by text)."""
    nouns = [w for w, n in stats.df.items() if n >= 5 and is_noun(w, stats)]
    return sorted(nouns, key=lambda w: (-stats.df[w], w))


class Picker:
    """Draw distinct queries with one seeded generator."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.seen: set[str] = set()

    def take(self, n: int, draw) -> list[str]:
        """Call draw() until n new queries were found (gives up after many repeats)."""
        out: list[str] = []
        for _ in range(n * 200):
            if len(out) == n:
                break
            q = draw()
            if q and q.lower() not in self.seen:
                self.seen.add(q.lower())
                out.append(q)
        return out


def paragraph_nouns(stats: Stats, ranks: dict[str, int], k: int, rng, pool=None) -> str | None:
    """k distinct band-1..3 nouns of one random paragraph, in text order (None if too few)."""
    index = rng.choice(pool) if pool else rng.randrange(len(stats.paragraphs))
    words = [w for w in stats.paragraphs[index]
             if ranks.get(w, 10**9) < 20000 and w not in FILLERS]
    if len(words) < k:
        return None
    chosen = sorted(rng.sample(range(len(words)), k))
    return " ".join(words[i] for i in chosen)


def typo(query: str, n: int, rng) -> str | None:
    """Apply edit number n (swap, drop, double, replace) inside the longest word."""
    words = query.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    if len(w) < 5:
        return None
    pos = rng.randrange(1, len(w) - 2)
    op = n % 4
    if op == 0:
        w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:]
    elif op == 1:
        w = w[:pos] + w[pos + 1:]
    elif op == 2:
        w = w[:pos] + w[pos] + w[pos:]
    else:
        w = w[:pos] + ("e" if w[pos] != "e" else "a") + w[pos + 1:]
    words[i] = w
    return " ".join(words)


def name_sections(stats: Stats, picker: Picker, ranks) -> dict[str, list[str]]:
    """Full names, surnames and 'surname + topic' queries of speakers."""
    rng = picker.rng
    speakers = sorted(stats.speeches, key=lambda s: (-len(stats.speeches[s]), s))
    top, rest = speakers[:100], speakers[100:]
    half = PLAN["name"] // 2
    names = picker.take(half, lambda: rng.choice(top))
    names += picker.take(PLAN["name"] - half, lambda: rng.choice(rest))
    surnames = picker.take(PLAN["surname"], lambda: rng.choice(speakers).split()[-1])

    def name_topic():
        who = rng.choice(top)
        topic = paragraph_nouns(stats, ranks, 1, rng, pool=stats.speeches[who])
        return f"{who.split()[-1]} {topic}" if topic else None

    return {"name": names, "surname": surnames,
            "name_topic": picker.take(PLAN["name_topic"], name_topic)}


def word_sections(stats: Stats, picker: Picker, nouns: list[str]) -> dict[str, list[str]]:
    """Single nouns by df band, and compounds."""
    rng = picker.rng
    out = {band: picker.take(PLAN[band], lambda lo=lo, hi=hi: rng.choice(nouns[lo:hi]))
           for band, (lo, hi) in BANDS.items()}
    compounds = [w for w in nouns if len(w) >= 15 and "-" not in w and stats.df[w] >= 10]
    half = PLAN["compound"] // 2
    out["compound"] = picker.take(half, lambda: rng.choice(compounds[:2000]))
    out["compound"] += picker.take(half, lambda: rng.choice(compounds[2000:]))
    return out


def multi_sections(stats: Stats, picker: Picker, ranks, nouns) -> dict[str, list[str]]:
    """AND queries of 2-4 nouns from one paragraph, quoted phrases, and typos."""
    rng = picker.rng
    out = {name: picker.take(PLAN[name], lambda k=k: paragraph_nouns(stats, ranks, k, rng))
           for name, k in (("pair", 2), ("triple", 3), ("quad", 4))}
    phrases = sorted(
        (b for b, n in stats.bigram_df.items()
         if n >= 5 and is_noun(b.split()[1], stats) and b.split()[0] not in FUNCTION_WORDS),
        key=lambda b: (-stats.bigram_df[b], b),
    )
    half = PLAN["phrase"] // 2
    out["phrase"] = picker.take(half, lambda: f'"{rng.choice(phrases[:500])}"')
    out["phrase"] += picker.take(half, lambda: f'"{rng.choice(phrases[500:5000])}"')
    compounds = [w for w in nouns[:20000] if len(w) >= 12]
    sources = [lambda: rng.choice(nouns[300:20000]), lambda: rng.choice(compounds),
               lambda: paragraph_nouns(stats, ranks, 2, rng)]
    count = iter(range(10**6))

    def draw_typo():
        q = rng.choice(sources)()
        return typo(q, next(count), rng) if q else None

    out["typo"] = picker.take(PLAN["typo"], draw_typo)
    return out


def render(sections: dict[str, list[str]], digest: str) -> str:
    """The file text: a header, then each section under '# section: NAME'."""
    lines = [
        "# Benchmark queries for Artikelsuche, generated by bench/make_queries.py (do not edit).",
        f"# Corpus {CORPUS_GZ.name} sha256 {digest[:16]}..., seed {SEED}.",
        f"# {sum(len(v) for v in sections.values())} queries; method in the generator's docstring.",
    ]
    for name in PLAN:
        lines.append(f"# section: {name} ({len(sections[name])})")
        lines.extend(sections[name])
    return "\n".join(lines) + "\n"


def main() -> None:
    """Scan the corpus, draw every section, write the query file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(QUERIES), help="output file (bench/queries.txt)")
    args = parser.parse_args()
    digest = hashlib.sha256(CORPUS_GZ.read_bytes()).hexdigest()
    stats = scan_corpus()
    nouns = ranked_nouns(stats)
    ranks = {w: i for i, w in enumerate(nouns)}
    picker = Picker()
    sections = word_sections(stats, picker, nouns)
    sections |= name_sections(stats, picker, ranks)
    sections |= multi_sections(stats, picker, ranks, nouns)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write(render(sections, digest))
    total = sum(len(v) for v in sections.values())
    print(f"{len(nouns):,} nouns, {len(stats.paragraphs):,} paragraphs; wrote {total} queries "
          f"to {args.out}")
    for name, queries in sections.items():
        print(f"  {name:<11} {len(queries):>3}  e.g. {', '.join(queries[:4])}")


if __name__ == "__main__":
    main()
