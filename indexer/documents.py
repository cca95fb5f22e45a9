"""Turn an Article into the Whoosh documents of its paragraphs."""

from __future__ import annotations

from collections.abc import Iterator

from indexer.dates import date_bounds, month_of
from indexer.model import Article

SIG_SEP = "\x1f"


def paragraph_id(article_id: str, number: int) -> str:
    """Return the stable id of a paragraph: article id, '#', 1-based number."""
    return f"{article_id}#{number}"


def article_signature_term(article: Article) -> str:
    """Return the lexicon term that records where an article came from and its hash."""
    return SIG_SEP.join((article.origin, article.id, article.signature))


def split_signature_term(term: str) -> tuple[str, str, str]:
    """Invert `article_signature_term` into (origin, article id, signature)."""
    origin, article_id, signature = term.rsplit(SIG_SEP, 2)
    return origin, article_id, signature


def paragraph_documents(article: Article) -> Iterator[dict]:
    """Yield one field dict per paragraph, ready for `writer.add_document`."""
    bounds = date_bounds(article.date) or ("", "")
    shared = {
        "article_id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "date": article.date,
        "date_lo": bounds[0],
        "date_hi": bounds[1],
        "month": month_of(article.date),
        "url": article.url,
        "origin": article.origin,
    }
    for number, para in enumerate(article.paragraphs, start=1):
        source = para.source or article.source
        doc = dict(shared)
        doc.update(
            id=paragraph_id(article.id, number),
            paragraph=number,
            text=para.text,
            section=para.section,
            source=source,
            source_label=source,
        )
        if number == 1:
            # One signature per article suffices: deleting by article_id removes all.
            doc["asig"] = article_signature_term(article)
        yield {k: v for k, v in doc.items() if v != ""}
