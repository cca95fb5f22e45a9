"""Find the paragraph lines of an article body, undoing hard line wrapping if present.

Most article files have one paragraph per line (blank lines in between or not). A
file that was wrapped at a fixed width instead has blocks of similar-length lines
that stop mid-sentence; those blocks are joined back into one paragraph each.
"""

from __future__ import annotations

# Wrapped lines are this long (all but the last line of a block).
WRAP_MIN_CHARS, WRAP_MAX_CHARS = 30, 100
# At least this many multi-line blocks, and this share of their inner lines in range.
WRAP_MIN_BLOCKS = 2
WRAP_MIN_SHARE = 0.8
# Words after which a line-end hyphen is a German elision ("Nord- und Südkorea").
_ELISION_FOLLOWERS = frozenset({"und", "oder", "bis", "sowie", "als", "noch", "wie", "bzw."})
_SENTENCE_END = tuple('.!?:"“”»')


def paragraph_lines(lines: list[str]) -> list[str]:
    """Return the body's paragraphs, one string each, in order (not yet cleaned)."""
    blocks = _blocks(lines)
    if not _looks_wrapped(blocks):
        return [line for block in blocks for line in block]
    return [_join(block) for block in blocks]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Split lines into runs of non-blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _looks_wrapped(blocks: list[list[str]]) -> bool:
    """Tell whether multi-line blocks look like one paragraph wrapped at a fixed width."""
    inner = [line for block in blocks if len(block) > 1 for line in block[:-1]]
    if sum(len(block) > 1 for block in blocks) < WRAP_MIN_BLOCKS:
        return False
    in_range = sum(WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS for line in inner)
    unfinished = sum(not line.endswith(_SENTENCE_END) for line in inner)
    return in_range >= WRAP_MIN_SHARE * len(inner) and unfinished * 2 >= len(inner)


def _join(block: list[str]) -> str:
    """Join wrapped lines, mending words hyphenated at the line end."""
    text = block[0]
    for line in block[1:]:
        next_word = line.split(maxsplit=1)[0]
        if text.endswith("-") and text[-2:-1].isalpha() and next_word[0].islower():
            if next_word in _ELISION_FOLLOWERS:
                text += " " + line
            else:
                text = text[:-1] + line
        else:
            text += " " + line
    return text
