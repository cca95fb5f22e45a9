"""Each plain-text rule (boilerplate, agency tags, ticker markers, captions, headings, header)."""

from __future__ import annotations

import pytest

from indexer.corpus.body import (
    build_paragraphs,
    match_boilerplate,
    split_agency_tag,
    strip_ticker,
)
from indexer.corpus.header import Header, split_header
from indexer.corpus.layout import paragraph_lines
from indexer.model import Paragraph

LONG_A = "Die Regierung in Berlin hat am Montag neue Pläne für den Haushalt vorgestellt."
LONG_B = "Die Opposition kritisierte die Pläne scharf und verlangte eine Debatte im Bundestag."
LONG_C = "Ökonomen rechnen damit, dass die Einigung noch vor der Sommerpause zustande kommt."


def shape(lines: list[str]) -> list[tuple[str, str, str]]:
    return [(p.section, p.source, p.text) for p in build_paragraphs(lines)]


# --- agency tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_text", "tag"),
    [
        ("Das sagte der Minister. (afp)", "Das sagte der Minister.", "afp"),
        ("Das sagte der Minister. (AFP)", "Das sagte der Minister.", "afp"),
        ("Das sagte der Minister.(dpa)", "Das sagte der Minister.", "dpa"),
        ("„Wir bleiben“, sagte er. (rtr)", "„Wir bleiben“, sagte er.", "rtr"),
        ("Das sagte der Minister. (dpa/AFP)", "Das sagte der Minister.", "dpa/afp"),
        ("Das sagte der Minister. (dpa, rtr)", "Das sagte der Minister.", "dpa/rtr"),
        ("Das sagte der Minister. (dpa/lno)", "Das sagte der Minister.", "dpa/lno"),
        ("Das sagte der Minister. (Reuters)", "Das sagte der Minister.", "reuters"),
        ("Das sagte der Minister. (AP)", "Das sagte der Minister.", "ap"),
        ("Das sagte der Bischof. (epd)", "Das sagte der Bischof.", "epd"),
        ("Das sagte der Bischof. (KNA)", "Das sagte der Bischof.", "kna"),
        ("Das sagte der Kanzler. (APA)", "Das sagte der Kanzler.", "apa"),
        ("Das sagte der Trainer. (sid)", "Das sagte der Trainer.", "sid"),
        ("Das sagte die Sprecherin. (dts)", "Das sagte die Sprecherin.", "dts"),
        ("Das sagte die Sprecherin. (red)", "Das sagte die Sprecherin.", "red"),
        ("Das sagte die Sprecherin. ( dpa )", "Das sagte die Sprecherin.", "dpa"),
        ("(dpa)", "", "dpa"),
    ],
)
def test_agency_tag_is_cut_off(text: str, expected_text: str, tag: str) -> None:
    assert split_agency_tag(text) == (expected_text, tag)


@pytest.mark.parametrize(
    "text",
    [
        "Die Partei (AfD) legte zu.",
        "Das zeigt das Foto (links)",
        "Laut (dpa) Angaben ist das so.",
        "Das sagte der Minister. (dpa/XYZ)",
        "Das sagte der Minister. (Agentur)",
        "Das sagte der Minister (afp) am Montag.",
    ],
)
def test_no_agency_tag(text: str) -> None:
    assert split_agency_tag(text) == (text, "")


def test_tag_applies_to_its_entry_only() -> None:
    lines = ["Ticker", LONG_A, LONG_B + " (dpa)", LONG_C + " (afp)", LONG_A + " Noch offen."]
    assert shape(lines) == [
        ("Ticker", "dpa", LONG_A),
        ("Ticker", "dpa", LONG_B),
        ("Ticker", "afp", LONG_C),
        ("Ticker", "", LONG_A + " Noch offen."),
    ]


def test_tag_only_line_tags_the_paragraphs_before() -> None:
    assert shape([LONG_A, LONG_B, "(dpa)"]) == [("", "dpa", LONG_A), ("", "dpa", LONG_B)]


# --- live-ticker markers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+++ Nordkorea zieht Soldaten ab.", ("Nordkorea zieht Soldaten ab.", True)),
        ("+++ Nordkorea zieht Soldaten ab +++", ("Nordkorea zieht Soldaten ab", True)),
        ("Nordkorea zieht Soldaten ab. +++", ("Nordkorea zieht Soldaten ab.", True)),
        ("+++ 10:15 Uhr +++ Die Armee greift an.", ("10:15 Uhr Die Armee greift an.", True)),
        ("++++ Eilmeldung ++++", ("Eilmeldung", True)),
        ("+++", ("", True)),
        ("Programmiert wird in C++ und Java.", ("Programmiert wird in C++ und Java.", False)),
        ("Gelernt wird C++", ("Gelernt wird C++", False)),
        ("Kein Marker hier.", ("Kein Marker hier.", False)),
    ],
)
def test_ticker_markers(text: str, expected: tuple[str, bool]) -> None:
    assert strip_ticker(text) == expected


def test_ticker_entries_are_never_headings() -> None:
    lines = ["+++ Eilmeldung aus Kiew +++", LONG_A, "+++ Kurz gemeldet", LONG_B]
    assert shape(lines) == [
        ("", "", "Eilmeldung aus Kiew"),
        ("", "", LONG_A),
        ("", "", "Kurz gemeldet"),
        ("", "", LONG_B),
    ]


# --- boilerplate -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Hier können Sie Ihre Meinung zum Konflikt kundtun.", "forum"),
        ("Hier können Sie Meinung äußern", "forum"),
        ("Diskutieren Sie mit!", "discuss"),
        ("Verwandte Themen", "related-topics"),
        ("Zur Startseite", "home-link"),
        ("Kommentare", "comments"),
        ("12 Kommentare", "comments"),
        ("Kommentare (3)", "comments"),
        ("Alle Artikel zum Konflikt finden Sie hier.", "all-articles"),
        ("Mehr zum Thema", "more-on"),
        ("Mehr zum Thema: Die Lage in Kiew", "more-on"),
        ("Lesen Sie auch: Was der Gipfel bringt", "read-also"),
        ("Auch interessant", "also-interesting"),
        ("Das könnte Sie auch interessieren", "recommended"),
        ("Zum Liveblog: Alle Entwicklungen", "live-link"),
        ("Zum Newsticker", "live-link"),
        ("Teilen", "share"),
        ("Artikel teilen", "share"),
        ("Drucken", "share"),
        ("Link kopiert", "share"),
        ("Artikel anhören", "audio"),
        ("Lesezeit: 3 Min.", "reading-time"),
        ("Jetzt zum Newsletter anmelden", "newsletter"),
        ("Newsletter abonnieren und nichts verpassen", "newsletter"),
        ("Anzeige", "advert"),
        ("Werbung", "advert"),
        ("Foto: picture alliance/dpa", "photo-credit"),
        ("Bild: Reuters", "photo-credit"),
    ],
)
def test_boilerplate_rule_matches(text: str, rule: str) -> None:
    matched = match_boilerplate(text)
    assert matched is not None and matched.name == rule


@pytest.mark.parametrize(
    "text",
    [
        "Teilen Sie uns Ihre Meinung mit, sagte der Minister.",
        "Kommentar",
        "Die Zeitung druckte die Anzeige am Montag.",
        "Verwandte Themen wurden im Ausschuss beraten.",
        "Hier können Sie nichts mehr ändern, sagte sie.",
        "Der Newsletter des Ministeriums erscheint wöchentlich.",
        LONG_A,
    ],
)
def test_boilerplate_rule_leaves_text_alone(text: str) -> None:
    assert match_boilerplate(text) is None


def test_forum_paragraph_with_nbsp_and_glued_link_is_dropped_whole() -> None:
    forum = (
        "Hier können Sie Ihre\u00a0Meinung zum Konflikt in der Ukraine kundtun\u00a0oder "
        "sich austauschen. Den\u00a0Liveticker finden Sie hierAlle Artikel zum Konflikt "
        "haben wir zudem für Sie\u00a0auf einer Themenseite gesammelt."
    )
    assert shape([LONG_A, forum, LONG_B]) == [("", "", LONG_A), ("", "", LONG_B)]


def test_footer_cut_drops_the_link_list_after_it() -> None:
    lines = [LONG_A, "Verwandte Themen", "Ukraine", "Russland", "Nato"]
    assert shape(lines) == [("", "", LONG_A)]


def test_footer_marker_before_any_text_is_only_dropped() -> None:
    assert shape(["Zur Startseite", LONG_A]) == [("", "", LONG_A)]


# --- photo captions and credits -----------------------------------------------------------

CAPTION = "Dieses Foto zeigt Machthaber Kim Jong Un, der eine Artillerieübung beobachtet."


def test_repeated_caption_after_credit_is_indexed_once() -> None:
    credit = "©\u00a0Uncredited/dpa\u00a0" + CAPTION
    assert shape([CAPTION, credit, LONG_A]) == [("", "", CAPTION), ("", "", LONG_A)]


@pytest.mark.parametrize(
    "credit",
    ["© Uncredited/dpa", "©\u00a0picture alliance / dpa | Kay Nietfeld", "Foto: © IMAGO/Funke"],
)
def test_lone_credit_is_dropped(credit: str) -> None:
    assert shape([LONG_A, credit, LONG_B]) == [("", "", LONG_A), ("", "", LONG_B)]


def test_credit_with_unseen_caption_is_kept() -> None:
    credit = "© dpa Ein Bildtext, der vorher nirgends im Artikel stand, mit vielen Wörtern."
    assert shape([LONG_A, credit]) == [("", "", LONG_A), ("", "", credit)]


# --- whitespace --------------------------------------------------------------------------


def test_whitespace_is_normalised_and_quotes_kept() -> None:
    line = "  Er sagte\u00a0\u00a0„Wir   bleiben“ \u2013\tund ging.\u200b  "
    assert shape([line]) == [("", "", "Er sagte „Wir bleiben“ \u2013 und ging.")]


def test_decomposed_umlauts_become_composed() -> None:
    assert shape(["Su\u0308dkorea meldet Verluste."]) == [("", "", "Südkorea meldet Verluste.")]


# --- section headings --------------------------------------------------------------------


def test_headings_start_sections_and_are_not_paragraphs() -> None:
    keir, trump = "Keir Starmer trifft Donald Trump", "Trump: Kein Beitritt"
    lines = [LONG_A, keir, LONG_B, LONG_C, trump, LONG_A]
    assert build_paragraphs(lines) == [
        Paragraph(LONG_A, "", ""),
        Paragraph(LONG_B, keir, ""),
        Paragraph(LONG_C, keir, ""),
        Paragraph(LONG_A, trump, ""),
    ]


def test_heading_can_open_the_body() -> None:
    heading = "Dronenangriff auf Belgorod"
    assert shape([heading, LONG_A]) == [(heading, "", LONG_A)]


@pytest.mark.parametrize(
    "lines",
    [
        [LONG_A, "Vielen Dank.", LONG_B],  # ends like a sentence
        [LONG_A, "Was nun?", LONG_B],
        [LONG_A, "Er sagte:", LONG_B],
        [LONG_A, "kleingeschrieben ohne Punkt", LONG_B],  # not how a heading starts
        [LONG_A, "Äpfel", "Birnen", "Kirschen", LONG_B],  # a list, not a heading
        [LONG_A, "Schlusswort ohne Text danach"],  # nothing follows
        [LONG_A, " ".join(["Wort"] * 16), LONG_B],  # too many words
    ],
)
def test_not_headings(lines: list[str]) -> None:
    assert [section for section, _, _ in shape(lines)] == [""] * len(lines)


# --- header ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "header", "body_start", "warnings"),
    [
        ([" date 2025-02 Titel der Seite", "", LONG_A], Header("Titel der Seite", "", "2025-02"),
         1, []),
        (["date 2025-02-04 Titel", LONG_A], Header("Titel", "", "2025-02-04"), 1, []),
        (["date 4. Februar 2025 Titel", LONG_A], Header("Titel", "", "2025-02-04"), 1, []),
        (["date 2025 100 Tage Trump", LONG_A], Header("100 Tage Trump", "", "2025"), 1, []),
        (["date 2025-02", "", "Titel auf Zeile zwei", LONG_A],
         Header("Titel auf Zeile zwei", "", "2025-02"), 3, []),
        (["date 2025-13 Titel", LONG_A], Header("Titel", "", ""), 1,
         ["unrecognised date '2025-13' in the date line"]),
        (["Krieg gegen die Ukraine", "", "Südkorea: Soldaten abgezogen", "",
          "04.02.2025, 08:37 Uhr", LONG_A],
         Header("Südkorea: Soldaten abgezogen", "Krieg gegen die Ukraine", "2025-02-04T08:37"),
         5, []),
        (["Südkorea: Soldaten abgezogen", "04.02.2025", "", LONG_A],
         Header("Südkorea: Soldaten abgezogen", "", "2025-02-04"), 2, []),
        (["4. Februar 2025", "Südkorea: Soldaten abgezogen", LONG_A],
         Header("Südkorea: Soldaten abgezogen", "", "2025-02-04"), 2, []),
        (["04.02.2025", LONG_A], Header("", "", "2025-02-04"), 1,
         ["no title line found after the date line"]),
        (["Wie geht es weiter?", "", LONG_A], Header("Wie geht es weiter?"), 1, []),
        (["Date Night in Berlin", LONG_A], Header("Date Night in Berlin"), 1, []),
        (["Krieg gegen die Ukraine", "Südkorea: Soldaten abgezogen", LONG_A],
         Header("Krieg gegen die Ukraine"), 1, []),
        ([LONG_A, LONG_B], Header(), 0,
         ["no title line found (the first line reads like body text)"]),
        (["", "", "Nur ein Titel", ""], Header("Nur ein Titel"), 3, []),
        (["", "  "], Header(), 2, []),
    ],
)
def test_header(lines: list[str], header: Header, body_start: int, warnings: list[str]) -> None:
    assert split_header(lines) == (header, body_start, warnings)


# --- hard-wrapped text -------------------------------------------------------------------


def test_wrapped_paragraphs_are_joined_and_hyphens_mended() -> None:
    lines = [
        "Die Regierung hat am Montag neue Pläne für den Verteidi-",
        "gungshaushalt vorgestellt, wie Nord- und Südkorea sagten.",
        "",
        "Die Opposition kritisierte die Pläne scharf und verlangte",
        "eine Debatte im Bundestag.",
    ]
    assert paragraph_lines(lines) == [
        "Die Regierung hat am Montag neue Pläne für den Verteidigungshaushalt vorgestellt, "
        "wie Nord- und Südkorea sagten.",
        "Die Opposition kritisierte die Pläne scharf und verlangte eine Debatte im Bundestag.",
    ]


def test_one_paragraph_per_line_is_left_as_is() -> None:
    lines = ["04.02.2025, 08:37 Uhr", LONG_A, "", LONG_B, LONG_C]
    assert paragraph_lines(lines) == ["04.02.2025, 08:37 Uhr", LONG_A, LONG_B, LONG_C]
