"""Turn what a user typed into a Whoosh query, leniently and at a bounded cost.

Whoosh's syntax is kept (AND, OR, NOT, -word, "phrases", prefix*, field:value);
whatever it cannot make sense of is searched as plain words, and nothing a user
types raises. Wildcards are expanded to a bounded number of terms.
"""

from __future__ import annotations

import re

from whoosh import qparser, query
from whoosh.query import Query

from indexer.analysis import fold_umlauts
from indexer.schema import FIELD_BOOSTS, SEARCH_FIELDS

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
MIN_WILDCARD_PREFIX = 2
MAX_WILDCARD_TERMS = 200

# German-friendly aliases for field names a user may type.
FIELD_ALIASES = {
    "title": ["titel"],
    "section": ["abschnitt", "rubrik"],
    "source": ["quelle", "agentur"],
    "article_id": ["article", "artikel"],
    "kicker": ["dachzeile"],
}
_SYNTAX_CHARS = re.compile(r"[()\[\]{}\"^~:*?+\-!]")
# A "?" that ends a word ends a question ("Wer regiert Berlin?"); only a "?" inside
# a word is Whoosh's one-letter wildcard ("M?ller").
_QUESTION_MARK = re.compile(r"\?+(?=[\s\"')\]]|$)")


def make_parser(schema, group=qparser.AndGroup) -> qparser.QueryParser:
    """Return a multi-field parser over text, title and section with our plugins."""
    parser = qparser.MultifieldParser(
        list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=group
    )
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # "geht's" is a word
    parser.remove_plugin_class(qparser.EveryPlugin)  # "*:*" is not a search
    parser.remove_plugin_class(qparser.RangePlugin)
    # "-word" excludes only at the start of a word: "Nato-Beitritt" is one word.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


def parse_query(text: str, parser: qparser.QueryParser, reader) -> Query:
    """Parse leniently: fall back to plain words, cap the size, bound wildcards."""
    text = _QUESTION_MARK.sub(" ", (text or "")[:MAX_QUERY_CHARS])
    try:
        q = parser.parse(text)
    except Exception:  # Whoosh's parser can fail on odd operator soup ("ANDNOT ANDNOT")
        # Lower case turns AND/OR/NOT into plain words; syntax characters become spaces.
        try:
            q = parser.parse(_SYNTAX_CHARS.sub(" ", text).lower())
        except Exception:
            return query.NullQuery
    q = _bound_wildcards(q, reader)
    return _cap_terms(q).normalize()


def is_empty(q: Query) -> bool:
    """True when nothing searchable is left of the query."""
    return q is query.NullQuery or isinstance(q, query.NullQuery.__class__)


def _bound_wildcards(q: Query, reader) -> Query:
    """Replace each wildcard by an OR of at most MAX_WILDCARD_TERMS real terms."""
    if isinstance(q, query.Every):
        return query.NullQuery  # a lone "*" asks for nothing in particular
    if isinstance(q, query.Prefix | query.Wildcard):
        return _expand_wildcard(q, reader)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _bound_wildcards(sub, reader))


def _expand_wildcard(q: Query, reader) -> Query:
    text = fold_umlauts(q.text.lower())
    literal = re.split(r"[*?]", text, maxsplit=1)[0]
    if len(literal) < MIN_WILDCARD_PREFIX:
        return query.NullQuery
    pattern = q.__class__(q.fieldname, text)
    terms = []
    for term in pattern._btexts(reader):
        terms.append(term)
        if len(terms) >= MAX_WILDCARD_TERMS:
            break
    if not terms:
        return query.NullQuery
    return query.Or([query.Term(q.fieldname, t, boost=q.boost) for t in terms])


def _cap_terms(q: Query) -> Query:
    """Keep the first MAX_QUERY_TERMS leaves, so a pasted page cannot stall a search."""
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    if len(leaves) <= MAX_QUERY_TERMS:
        return q
    keep = {id(leaf) for leaf in leaves[:MAX_QUERY_TERMS]}

    def prune(node: Query) -> Query:
        if node.is_leaf():
            return node if id(node) in keep else query.NullQuery
        return node.apply(prune)

    return prune(q)


def positive_terms(q: Query) -> set[str]:
    """Return the term texts a hit may contain because of the query (not under NOT)."""
    found: set[str] = set()

    def walk(node: Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Term | query.Phrase):
            words = node.words if isinstance(node, query.Phrase) else [node.text]
            for word in words:
                found.add(word.decode("utf-8") if isinstance(word, bytes) else word)
            return
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return found
