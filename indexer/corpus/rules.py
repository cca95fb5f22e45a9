"""The data that tells page furniture from article text in plain-text articles.

Everything site-specific lives here as a table of compiled regexes with one comment
per rule, so supporting a new site's boilerplate or a new agency is a one-line change.
The patterns run on whitespace-normalised paragraphs (NBSP already turned into a
space, runs collapsed) and are anchored at the start with ``re.match`` or bounded in
length, so they stay linear on multi-megabyte lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Action(Enum):
    """What a matching boilerplate rule does to the paragraph stream."""

    DROP = "drop"  # leave out this paragraph only
    CUT = "cut"  # the page footer starts here: leave out this paragraph and all after it


@dataclass(frozen=True, slots=True)
class Rule:
    """One line-level boilerplate pattern, matched at the start of a paragraph."""

    name: str
    pattern: re.Pattern[str]
    action: Action = Action.DROP


def _rule(name: str, pattern: str, action: Action = Action.DROP) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE), action)


BOILERPLATE: tuple[Rule, ...] = (
    # Reader-forum invitation: "Hier können Sie Ihre Meinung zum Konflikt ... kundtun".
    _rule("forum", r"hier können sie (ihre )?meinung\b"),
    # "Diskutieren Sie mit" / "Was meinen Sie?" prompts under the article.
    _rule("discuss", r"(diskutieren sie mit|was meinen sie)\b.{0,80}$"),
    # Footer heading above a list of topic links; everything after it is links too.
    _rule("related-topics", r"verwandte themen$", Action.CUT),
    # Footer link back to the home page.
    _rule("home-link", r"zur startseite$", Action.CUT),
    # Start of the reader-comment section ("Kommentare", "12 Kommentare", "Kommentare (3)").
    _rule("comments", r"(\d+ )?kommentare( \(\d+\))?$", Action.CUT),
    # Teaser pointing at a topic page: "Alle Artikel zum Konflikt ... gesammelt".
    _rule("all-articles", r"alle (artikel|beiträge|nachrichten) (zum|zur|zu|über)\b"),
    # Link teasers: "Mehr zum Thema", "Lesen Sie auch: ...", "Auch interessant".
    _rule("more-on", r"mehr zum thema\b"),
    _rule("read-also", r"lesen sie (auch|mehr|hier|dazu)\b"),
    _rule("also-interesting", r"auch interessant\b"),
    _rule("recommended", r"(das könnte sie auch interessieren|empfehlungen der redaktion)\b"),
    # Links into a live blog or ticker: "Zum Liveblog", "Zum Newsticker: ...".
    _rule("live-link", r"zum (live ?blog|live-?ticker|news-?ticker)\b.{0,80}$"),
    # Share, print and bookmark buttons on a line of their own.
    _rule("share", r"((diesen )?artikel )?(teilen|drucken|merken|versenden|link kopiert)$"),
    # Audio player and reading time widgets.
    _rule("audio", r"(artikel (anhören|vorlesen)|audio abspielen|video abspielen)\b.{0,40}$"),
    _rule("reading-time", r"(lesezeit|hörzeit|lesedauer):? (ca\. )?\d+ min(\.|uten?)?$"),
    # Newsletter prompts: "Jetzt zum Newsletter anmelden", "Newsletter abonnieren".
    _rule("newsletter", r"(jetzt |hier |kostenlos )*((zum|für den|unseren?) )?newsletter\b.{0,80}"
          r"\b(anmelden|abonnieren|bestellen|registrieren)\b.{0,80}$"),
    # Advertising markers on their own line.
    _rule("advert", r"(anzeige|werbung|sponsored|advertorial|-?w-e-r-b-u-n-g-?)$"),
    # A lone picture credit: "Foto: picture alliance/dpa", "Bild: Reuters".
    _rule("photo-credit", r"(foto|fotos|bild|bilder|grafik|video|illustration)s?: .{1,80}$"),
)


# News agencies whose tag "(dpa)" may close a paragraph; matched case-insensitively.
AGENCIES: tuple[str, ...] = (
    "afp", "ap", "apa", "ansa", "anp", "ats", "belga", "ddp", "dpa", "dpa-afx", "dts",
    "efe", "epd", "idea", "kap", "kna", "ots", "red", "reuters", "rtr", "sda", "sid",
    "tass", "upi",
)

_AGENCY = "|".join(sorted(map(re.escape, AGENCIES), key=len, reverse=True))
# Agency tag at the very end of a paragraph: "(afp)", "(dpa/AFP)", "(dpa, rtr)", "(dpa/lno)".
# Tokens after the first may be another agency or a short lowercase author/region code.
AGENCY_TAG = re.compile(
    rf"\s*\(\s*((?:{_AGENCY})(?:\s*[/,]\s*(?:(?:{_AGENCY})|(?-i:[a-z]{{2,4}})))*)\s*\)\s*$",
    re.IGNORECASE,
)
# Only this many trailing characters are searched for a tag, so long lines stay cheap.
AGENCY_TAG_WINDOW = 80

# Live-ticker markers "+++" at the start or end of a paragraph, or between two parts.
TICKER_START = re.compile(r"\+{2,}(?:\s+|$)")
TICKER_END = re.compile(r"(?:^|\s)\+{2,}$")
TICKER_INNER = re.compile(r"(?<=\s)\+{3,}(?=\s)")

# A picture credit opens the paragraph: "© Uncredited/dpa ...", "Foto: © dpa ...".
CREDIT_START = re.compile(r"(?:(?:foto|bild)\s*:\s*)?(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)
# A credit paragraph with at most this many words is a lone credit and is dropped.
CREDIT_MAX_WORDS = 12

# Section headings and kickers: short lines that do not end like a sentence.
HEADING_MAX_CHARS = 120
HEADING_MAX_WORDS = 15
# Titles may be longer than in-body headings.
TITLE_MAX_CHARS = 250
TITLE_MAX_WORDS = 35
# German and English quote marks (low-9, left and right double, ASCII, single, guillemets).
_QUOTES = "\u201e\u201c\u201d\"'\u2018\u2019\u00bb\u00ab"
# A line ending in one of these is a sentence (or a quote), not a heading (incl. en and em dash).
CLOSING_PUNCTUATION = ".!?:;,\u2026-\u2013\u2014" + _QUOTES
# Besides a capital letter or a digit, a heading may open with a quote mark.
HEADING_OPENERS = _QUOTES
