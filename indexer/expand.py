"""Query expansion for words the index barely knows: typos and name transliterations.

A word the archive has fewer than `RARE_DF` times is likely misspelt or spelt
differently than the articles spell it. Such a word also matches, at a lower
boost so exact matches rank first: index terms within one edit (five letters or
more) or two edits (nine or more), as Meilisearch's typo rules, and — for
capitalised words — other names with the same Kölner Phonetik code.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import query
from whoosh.lang import stopwords_for_language
from whoosh.query import Query

from indexer.analysis.filters import is_name_like, name_code
from indexer.analysis.tokenizer import GermanTokenizer
from indexer.common_terms import common_limit
from indexer.schema import SEARCH_FIELDS

RARE_DF = 3
DOMINANCE = 10  # an alternative must be this many times as frequent as a rare typed word
MIN_NAME_LETTERS = 5
TYPO_BOOST = 0.4
NAME_BOOST = 0.3
FUNCTION_WORDS = frozenset(stopwords_for_language("de"))
PART_BOOST = 1.0  # measured on the tune sets: 0.3, 0.5, 0.7, 1.0; 1.0 best on both
MAX_TYPO_TERMS = 8


@dataclass(frozen=True)
class TypedWord:
    """A word as the user typed it, with its index term."""

    surface: str
    term: str


def typed_words(text: str, analyzer) -> dict[str, TypedWord]:
    """Map each query word's index term to the word as typed (first spelling wins)."""
    words: dict[str, TypedWord] = {}
    for tok in GermanTokenizer()(text or ""):
        terms = [t.text for t in analyzer(tok.text, mode="query")]
        if terms and terms[0] not in words:
            words[terms[0]] = TypedWord(tok.text, terms[0])
    return words


def max_edits(word: str) -> int:
    """Meilisearch's rule: 1 typo from 5 letters, 2 from 9, none below."""
    n = len(word)
    return 2 if n >= 9 else 1 if n >= 5 else 0


def typo_terms(
    reader, term: str, edits: int, min_df: int = 1, limit: int = MAX_TYPO_TERMS
) -> list[str]:
    """Index terms within `edits` of `term` (first letter fixed), most frequent first."""
    if edits == 0:
        return []
    scored = []
    for t in reader.terms_within("text", term, edits, prefix=1):
        df = reader.doc_frequency("text", t)
        if t != term and df >= min_df:
            scored.append((-df, t))
    return [t for _, t in sorted(scored)[:limit]]


def expand_query(
    q: Query, text: str, reader, analyzer, typos: bool, names: bool, parts: bool = True
) -> Query:
    """Add part, typo and name alternatives to the plain words of a parsed query."""
    if not (typos or names or parts):
        return q
    words = typed_words(text, analyzer)
    cache: dict[tuple, list[tuple[str, float]]] = {}
    limit = common_limit(reader)

    def alternatives(term: str, fieldname: str) -> list[tuple[str, float]]:
        if (term, "other") not in cache:
            word = words.get(term)
            cache[term, "other"] = _alternatives(reader, word, typos, names)
            cache[term, "parts"] = part_terms(word, analyzer, reader) if parts and word else []
        # A part common in this field (every title holds "Sitzung") would match everything.
        found = [
            (t, b) for t, b in cache[term, "parts"]
            if reader.doc_frequency(fieldname, t) <= limit
        ]
        return found + cache[term, "other"]

    def rewrite(node: Query) -> Query:
        if isinstance(node, query.Term) and node.fieldname in SEARCH_FIELDS:
            alts = alternatives(node.text, node.fieldname)
            if alts:
                extra = [query.Term(node.fieldname, t, boost=node.boost * b) for t, b in alts]
                return query.Or([node, *extra])
            return node
        if node.is_leaf() or isinstance(node, query.Not):
            return node
        return node.apply(rewrite)

    return rewrite(q)


def part_terms(word: TypedWord, analyzer, reader) -> list[tuple[str, float]]:
    """The parts of a typed compound, each an alternative below the whole word.

    The index holds the parts of "NTL-Dienste" and "Sportportfolio" beside the
    whole word, so the whole word finds its own forms; the parts let a question's
    compound also find a text that spells it apart ("die Dienste von NTL"). Parts
    are left out when they are function words (Snowball stems "Sicherheit" to
    "sich") or common (`indexer.common_terms`): "Bundeswehr" must not match every
    paragraph with a "Bundes-" compound.
    """
    found: list[tuple[str, float]] = []
    limit = common_limit(reader)
    for token in analyzer(word.surface, mode="index"):
        term = token.text
        new = term != word.term and not term.startswith("~") and (term, PART_BOOST) not in found
        if new and term not in FUNCTION_WORDS and 0 < reader.doc_frequency("text", term) <= limit:
            found.append((term, PART_BOOST))
    return found


def _alternatives(reader, word: TypedWord | None, typos: bool, names: bool):
    """The extra (term, boost) pairs for one typed word, empty when it is common.

    Typo variants are tried only for words the archive does not have at all. A
    rare name it does have meets its transliterations only when they are DOMINANCE
    times as frequent ("Scholz" must not find "Schloss").
    """
    df = reader.doc_frequency("text", word.term) if word else RARE_DF
    if df >= RARE_DF:
        return []
    min_df = max(1, DOMINANCE * df)
    alts: list[tuple[str, float]] = []
    if typos and df == 0:  # a word the archive has is not a typo ("Schnitzer", not "Schnitt")
        edits = max_edits(word.surface)
        alts += [(t, TYPO_BOOST) for t in typo_terms(reader, word.term, edits, min_df)]
    if names and len(word.surface) >= MIN_NAME_LETTERS and is_name_like(word.surface):
        code = name_code(word.surface)
        if reader.doc_frequency("text", code) >= min_df + df:
            alts.append((code, NAME_BOOST))
    return alts
