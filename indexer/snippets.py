"""Best-fragment snippets with every matched word in <mark>, all text HTML-escaped."""

from __future__ import annotations

from html import escape

from whoosh.analysis import Analyzer

from indexer.analysis import token_spans
from indexer.sentences import sentence_spans

MAX_CHARS = 280
ELLIPSIS = "…"


def matched_spans(text: str, terms: set[str], analyzer: Analyzer) -> list[tuple[int, int]]:
    """Return the character spans of words whose index terms are among `terms`.

    The text is analysed exactly as at indexing, so stemmed, folded and compound
    matches are found: "Soldat" marks "Soldaten", "ausgab" marks "Verteidigungsausgaben".
    """
    if not terms:
        return []
    return [(start, end) for start, end, words in token_spans(analyzer, text)
            if not terms.isdisjoint(words)]


def render(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """Escape text[start:end] and wrap the spans inside it in <mark>."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in spans:
        if s < pos or e > end:
            continue
        out.append(escape(text[pos:s], quote=False))
        out.append(f"<mark>{escape(text[s:e], quote=False)}</mark>")
        pos = e
    out.append(escape(text[pos:end], quote=False))
    return "".join(out)


def make_snippet(
    text: str, terms: set[str], analyzer: Analyzer, max_chars: int = MAX_CHARS
) -> str:
    """Return the best fragment of about `max_chars` characters, marked and escaped."""
    spans = matched_spans(text, terms, analyzer)
    if len(text) <= max_chars:
        return render(text, spans)
    start, end = best_window(text, spans, max_chars)
    body = render(text, spans, start, end)
    head = ELLIPSIS if start > 0 else ""
    if end >= len(text):
        return head + body
    # After a full stop the ellipsis stands apart: "Landes. …", not "Landes.…".
    tail = " " + ELLIPSIS if text[end - 1 : end] in ".!?“\"" else ELLIPSIS
    return head + body + tail


def best_window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """Choose whole sentences holding the most distinct matches, else a word-cut window."""
    best: tuple[float, int, int] | None = None
    sentences = sentence_spans(text)
    for i, (first_start, _) in enumerate(sentences):
        j = i
        while j + 1 < len(sentences) and sentences[j + 1][1] - first_start <= max_chars:
            j += 1
        end = sentences[j][1]
        if end - first_start > max_chars:
            continue
        score = _score(text, spans, first_start, end) - i * 1e-3  # earlier wins ties
        if best is None or score > best[0]:
            best = (score, first_start, end)
    long_enough = best is not None and (
        best[2] - best[1] >= max_chars // 2 or len(sentences) == 1
    )
    if long_enough and (best[0] > 0 or not spans):
        return best[1], best[2]
    return _word_window(text, spans, max_chars)


def _score(text: str, spans: list[tuple[int, int]], start: int, end: int) -> float:
    inside = [text[s:e].lower() for s, e in spans if s >= start and e <= end]
    return len(set(inside)) + 0.1 * len(inside)


def _word_window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """Centre a window on the first match (or take the start), cut at spaces."""
    anchor = spans[0][0] if spans else 0
    start = max(0, anchor - max_chars // 3)
    end = min(len(text), start + max_chars)
    start = max(0, end - max_chars) if end == len(text) else start
    if start > 0:
        space = text.find(" ", start, anchor if spans else start + 40)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end
