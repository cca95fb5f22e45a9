"""Broken, odd and hostile corpus files are reported precisely and never stop reading."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.corpus import SourceFile, discover, read_corpus, read_source
from indexer.model import Article, ReadReport

HANG_SECONDS = 120

TITLE = "Südkorea: Soldaten abgezogen"
BODY_A = "Nordkorea hat „einem Bericht zufolge“ seine Soldaten aus Kursk abgezogen."
BODY_B = "Die Regierung in Seoul äußerte sich zunächst nicht dazu. (dpa)"
ARTICLE = f"{TITLE}\n\n04.02.2025, 08:37 Uhr\n\n{BODY_A}\n\n{BODY_B}\n"


def source(path: Path, root: Path) -> SourceFile:
    info = path.stat()
    return SourceFile(path, path.relative_to(root).as_posix(), info.st_size, info.st_mtime_ns)


@contextlib.contextmanager
def finishes(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail if the block is still running after `seconds`: a hang guard against
    catastrophic regex backtracking on huge lines, not a speed goal (a 5 MB line
    takes well under a second; speed is measured in bench/)."""

    def hang(*_args) -> None:
        raise AssertionError(f"still running after {seconds} s: catastrophic backtracking?")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_one(path: Path, data: bytes) -> tuple[list[Article], ReadReport]:
    path.write_bytes(data)
    report = ReadReport()
    return list(read_source(source(path, path.parent), report)), report


def record(ident: object, **fields: object) -> str:
    base = {"id": ident, "title": "Titel", "date": None, "source": "Quelle", "url": None,
            "paragraphs": ["Ein Absatz."]}
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


# --- plain text: encodings, line ends, empty and binary files -----------------------------


def test_good_article_reads_with_header_tag_and_signature(tmp_path: Path) -> None:
    data = ARTICLE.encode()
    [article], report = read_one(tmp_path / "a.txt", data)
    assert (article.id, article.title, article.kicker, article.date) == (
        "a", TITLE, "", "2025-02-04T08:37")
    assert [(p.text, p.source) for p in article.paragraphs] == [
        (BODY_A, "dpa"), (BODY_B.removesuffix(" (dpa)"), "dpa")]
    assert article.signature == hashlib.blake2b(data, digest_size=16).hexdigest()
    assert (report.skipped, report.warnings) == ([], [])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\r\n\t\n", "file contains only whitespace"),
        (b"Nur ein Titel\n", "no article text found"),
        (b"Titel\n\nVerwandte Themen\n", "no article text found"),
        (b"Titel\x00\x00\x01 Text", "binary file (contains NUL bytes)"),
        (b"Titel\n" + b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 20,
         "binary file (contains control characters)"),
        (b"\x81\x8d\x8f\x90\x9d\xc3\x28", "not valid UTF-8 or cp1252"),
    ],
)
def test_unreadable_text_files_are_skipped(tmp_path: Path, data: bytes, reason: str) -> None:
    articles, report = read_one(tmp_path / "x.txt", data)
    assert articles == []
    assert report.skipped == [("x.txt", reason)]


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    data = random.Random(1234).randbytes(4096)
    articles, report = read_one(tmp_path / "r.txt", data)
    assert articles == [] and report.skipped == [("r.txt", "binary file (contains NUL bytes)")]


def test_random_high_bytes_are_no_known_encoding(tmp_path: Path) -> None:
    data = bytes(0x80 | b for b in random.Random(99).randbytes(4096))
    articles, report = read_one(tmp_path / "r.txt", data)
    assert articles == [] and report.skipped == [("r.txt", "not valid UTF-8 or cp1252")]


def test_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    [article], report = read_one(tmp_path / "w.txt", ARTICLE.encode("cp1252"))
    assert article.title == TITLE and article.paragraphs[0].text == BODY_A
    assert report.warnings == [("w.txt", "decoded as cp1252 (not valid UTF-8)")]
    assert report.skipped == []


def test_utf16_file_with_bom_is_read_with_a_warning(tmp_path: Path) -> None:
    [article], report = read_one(tmp_path / "u.txt", ARTICLE.encode("utf-16"))
    assert article.title == TITLE
    assert report.warnings == [("u.txt", "decoded as UTF-16 (byte order mark)")]


def test_utf8_bom_is_stripped_silently(tmp_path: Path) -> None:
    [article], report = read_one(tmp_path / "b.txt", codecs.BOM_UTF8 + ARTICLE.encode())
    assert article.title == TITLE
    assert (report.skipped, report.warnings) == ([], [])


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_read_like_lf(tmp_path: Path, newline: str) -> None:
    [expected], _ = read_one(tmp_path / "lf.txt", ARTICLE.encode())
    [article], report = read_one(tmp_path / "crlf.txt", ARTICLE.replace("\n", newline).encode())
    assert (article.title, article.date, article.paragraphs) == (
        expected.title, expected.date, expected.paragraphs)
    assert (report.skipped, report.warnings) == ([], [])


def test_five_megabyte_single_line(tmp_path: Path) -> None:
    line = "Wort " * 1_000_000 + "Ende. (dpa)"
    with finishes():
        [article], report = read_one(tmp_path / "big.txt", line.encode())
    [paragraph] = article.paragraphs
    assert paragraph.text == line.removesuffix(" (dpa)").strip() and paragraph.source == "dpa"
    assert article.title == ""
    assert report.warnings == [
        ("big.txt", "no title line found (the first line reads like body text)")]


def test_five_megabyte_line_without_spaces(tmp_path: Path) -> None:
    line = "+" * 2_500_000 + "(" * 2_500_000
    with finishes():
        [article], _ = read_one(tmp_path / "big.txt", f"Titel\n\n{line}\n".encode())
    assert article.paragraphs[0].text == line  # "+" glued to text is not a ticker marker


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_bad_lines_are_skipped_with_their_line_numbers(tmp_path: Path) -> None:
    lines = [
        record("a", date="2025-02-04T08:37:00+01:00", paragraphs=["Erster\u00a0 Absatz.", "  "]),
        '{"id": "b" "title": "kaputt"}',
        "[1, 2]",
        record("c", paragraphs=[]),
        record(None),
        record("a"),
        "",
        record("d", date="gestern"),
        '{"id": "e", "title": "\xe9"}',
        record("f", paragraphs=[1, "Zweiter Absatz."], kicker=5),
        record(7, date="2025"),
        "[" * 100_000,
    ]
    data = "\n".join(lines).encode().replace("\xe9".encode(), b"\xe9")
    articles, report = read_one(tmp_path / "m.jsonl", data)
    assert [(a.id, a.date) for a in articles] == [
        ("a", "2025-02-04T08:37"), ("m.jsonl#5", ""), ("d", ""), ("f", ""), ("7", "2025")]
    assert [p.text for p in articles[0].paragraphs] == ["Erster Absatz."]
    assert [p.text for p in articles[3].paragraphs] == ["Zweiter Absatz."]
    assert report.warnings == [
        ("m.jsonl", "line 2: malformed JSON (Expecting ',' delimiter), line skipped"),
        ("m.jsonl", "line 3: not a JSON object, line skipped"),
        ("m.jsonl", "line 4: no paragraphs, skipped"),
        ("m.jsonl", "line 5: no id, using 'm.jsonl#5'"),
        ("m.jsonl", "line 6: duplicate article id 'a' (first on line 1), skipped"),
        ("m.jsonl", "line 8: unrecognised date 'gestern', left empty"),
        ("m.jsonl", "line 9: not valid UTF-8, line skipped"),
        ("m.jsonl", "line 10: paragraph 1 is not text, ignored"),
        ("m.jsonl", "line 10: 'kicker' is not a string, ignored"),
        ("m.jsonl", "line 12: malformed JSON (nested too deeply), line skipped"),
    ]
    assert report.skipped == []


def test_jsonl_fields_and_signature(tmp_path: Path) -> None:
    line = json.dumps({
        "id": "x1", "title": " Titel\u00a0eins ", "date": "04.02.2025", "source": "Quelle",
        "url": "https://example.org/a", "kicker": "Rubrik",
        "paragraphs": ["Text eins.", {"text": "Text zwei.", "section": "Teil", "source": "afp"}],
    }).encode()
    [article], report = read_one(tmp_path / "f.jsonl", codecs.BOM_UTF8 + line + b"\r\n")
    assert (article.id, article.title, article.kicker, article.date, article.source,
            article.url, article.origin) == (
        "x1", "Titel eins", "Rubrik", "2025-02-04", "Quelle", "https://example.org/a", "f.jsonl")
    assert [(p.text, p.section, p.source) for p in article.paragraphs] == [
        ("Text eins.", "", ""), ("Text zwei.", "Teil", "afp")]
    assert article.signature == hashlib.blake2b(line, digest_size=16).hexdigest()
    assert (report.skipped, report.warnings) == ([], [])


def test_jsonl_gz_is_read(tmp_path: Path) -> None:
    data = gzip.compress("\n".join(record(f"id{n}") for n in range(3)).encode())
    articles, report = read_one(tmp_path / "g.jsonl.gz", data)
    assert [a.id for a in articles] == ["id0", "id1", "id2"]
    assert (report.skipped, report.warnings) == ([], [])


def test_gzip_named_jsonl_is_decompressed_with_a_warning(tmp_path: Path) -> None:
    articles, report = read_one(tmp_path / "g.jsonl", gzip.compress(record("a").encode()))
    assert [a.id for a in articles] == ["a"]
    assert report.warnings == [("g.jsonl", "gzip-compressed although not named .gz; decompressed")]


def _many_records(count: int) -> bytes:
    rng = random.Random(7)
    lines = (record(f"id{n}", paragraphs=[rng.randbytes(300).hex()]) for n in range(count))
    return "\n".join(lines).encode()


def test_truncated_gzip_keeps_the_articles_read_so_far(tmp_path: Path) -> None:
    data = gzip.compress(_many_records(2000))
    articles, report = read_one(tmp_path / "t.jsonl.gz", data[: len(data) // 2])
    count = len(articles)
    assert 0 < count < 2000
    assert [a.id for a in articles] == [f"id{n}" for n in range(count)]
    assert report.warnings == [("t.jsonl.gz", (
        f"corrupt or truncated gzip stream after line {count} (Compressed file ended before "
        "the end-of-stream marker was reached); the rest of the file is skipped"))]
    assert report.skipped == []


def test_corrupted_gzip_middle_is_reported(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(_many_records(2000)))
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    articles, report = read_one(tmp_path / "c.jsonl.gz", bytes(data))
    assert 0 < len(articles) < 2000
    assert [a.id for a in articles] == [f"id{n}" for n in range(len(articles))]
    # Damaged deflate data may still inflate to garbage lines before the CRC check fails.
    stream_problems = [m for _, m in report.warnings if "gzip stream" in m]
    assert len(stream_problems) == 1
    assert stream_problems[0].startswith("corrupt or truncated gzip stream after line ")
    assert stream_problems[0].endswith("; the rest of the file is skipped")


def test_gzip_with_invalid_deflate_data_is_skipped(tmp_path: Path) -> None:
    data = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffgarbage-after-the-header"
    articles, report = read_one(tmp_path / "d.jsonl.gz", data)
    assert articles == []
    [(path, reason)] = report.skipped
    assert path == "d.jsonl.gz"
    assert reason.startswith("corrupt or truncated gzip stream (Error -3 while decompressing")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("n.jsonl.gz", b"not gzip at all", "not a gzip file (named .gz but not compressed)"),
        ("h.jsonl.gz", b"\x1f\x8b\x08\x00",
         "corrupt or truncated gzip stream (Compressed file ended before the end-of-stream "
         "marker was reached)"),
        ("e.jsonl", b"", "empty file"),
        ("e.jsonl.gz", gzip.compress(b""), "empty file"),
        ("w.jsonl", b"\n \n\n", "no articles found"),
        ("z.jsonl", b'{"id": 1}\x00\x00\x00', "binary file (contains NUL bytes)"),
    ],
)
def test_unusable_jsonl_files_are_skipped(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    articles, report = read_one(tmp_path / name, data)
    assert articles == []
    assert report.skipped == [(name, reason)]


def test_jsonl_warnings_are_capped(tmp_path: Path) -> None:
    data = b"\n".join([b"kaputt"] * 60 + [record("ok").encode()])
    articles, report = read_one(tmp_path / "k.jsonl", data)
    assert [a.id for a in articles] == ["ok"]
    assert len(report.warnings) == 51
    assert report.warnings[-1] == ("k.jsonl", "10 more problems not listed")


def test_five_megabyte_jsonl_line(tmp_path: Path) -> None:
    text = "Wort " * 1_000_000
    with finishes():
        [article], _ = read_one(tmp_path / "big.jsonl", record("big", paragraphs=[text]).encode())
    assert article.paragraphs[0].text == text.strip()


# --- the folder walk ----------------------------------------------------------------------


def _relpaths(root: Path) -> tuple[list[str], ReadReport]:
    report = ReadReport()
    return [sf.relpath for sf in discover(root, report)], report


def test_discover_order_filters_and_hidden_names(tmp_path: Path) -> None:
    for name in ["b.txt", "a.jsonl", "c.jsonl.gz", "D.TXT", "sub/z.txt", "sub/deeper/y.txt",
                 "notes.md", "image.png", "x.txt.bak", ".hidden.txt", ".git/config.txt",
                 "sub/.cache/q.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found, report = _relpaths(tmp_path)
    assert found == ["D.TXT", "a.jsonl", "b.txt", "c.jsonl.gz", "sub/deeper/y.txt", "sub/z.txt"]
    assert (report.skipped, report.warnings) == ([], [])


def test_source_file_fields(tmp_path: Path) -> None:
    path = tmp_path / "s" / "a.txt"
    path.parent.mkdir()
    path.write_bytes(b"12345")
    [sf] = discover(tmp_path, ReadReport())
    assert sf == SourceFile(path, "s/a.txt", 5, path.stat().st_mtime_ns)


def test_symlink_loops_do_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text(ARTICLE)
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a" / "self")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "twin").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "y.txt").symlink_to(tmp_path / "a" / "b" / "x.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    found, report = _relpaths(tmp_path)
    assert found == ["a/b/x.txt"]
    assert report.skipped == [
        ("a/b/up", "symbolic link loop (points back to a parent folder), not followed"),
        ("gone.txt", "cannot read file (No such file or directory)"),
        ("loop.txt", "cannot read file (Too many levels of symbolic links)"),
        ("twin", "folder already read through another path, not read again"),
        ("y.txt", "same file as a/b/x.txt, not read again"),
    ]


def test_non_utf8_file_name_is_read_and_reported(tmp_path: Path) -> None:
    raw_path = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(raw_path, "wb") as stream:
        stream.write(ARTICLE.encode())
    raw_dir = os.fsencode(tmp_path) + b"/ordner\xfc"
    os.mkdir(raw_dir)
    with open(raw_dir + b"/n.txt", "wb") as stream:
        stream.write(ARTICLE.encode())
    report = ReadReport()
    articles = list(read_corpus(tmp_path, report))
    assert [a.id for a in articles] == ["caf\\xe9", "ordner\\xfc/n"]
    assert [a.origin for a in articles] == ["caf\\xe9.txt", "ordner\\xfc/n.txt"]
    assert articles[0].title == TITLE
    assert report.warnings == [
        ("caf\\xe9.txt", "file name is not valid UTF-8 (shown with backslash escapes)"),
        ("ordner\\xfc", "file name is not valid UTF-8 (shown with backslash escapes)"),
    ]


def test_unprintable_file_name_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "zeile\neins.txt").write_text(ARTICLE)
    found, report = _relpaths(tmp_path)
    assert found == ["zeile\\neins.txt"]
    assert report.warnings == [
        ("zeile\\neins.txt",
         "file name contains unprintable characters (shown with backslash escapes)")]


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    found, report = _relpaths(tmp_path)
    assert found == [] and report.skipped == [("pipe.txt", "not a regular file")]


NOBODY = 65534
DISCOVER_AS_NOBODY = """
import json, os, sys
from pathlib import Path
from indexer.corpus import discover
from indexer.model import ReadReport
os.setgid({uid}); os.setuid({uid})  # after the imports: Python itself lives under /root
report = ReadReport()
found = [sf.relpath for sf in discover(Path(sys.argv[1]), report)]
print(json.dumps([found, report.skipped]))
"""


def test_unreadable_folder_is_reported() -> None:
    """Root reads every folder, so as root the reader runs as user nobody in a child
    (in a folder under /tmp that nobody may enter, unlike pytest's tmp_path)."""
    root = Path(tempfile.mkdtemp(prefix="unreadable-", dir="/tmp"))
    locked = root / "locked"
    try:
        root.chmod(0o755)
        locked.mkdir()
        (locked / "a.txt").write_text(ARTICLE)
        locked.chmod(0)
        if os.geteuid() != 0:
            found, report = _relpaths(root)
            skipped = report.skipped
        else:
            code = DISCOVER_AS_NOBODY.format(uid=NOBODY)
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            out = subprocess.run([sys.executable, "-c", code, str(root)], env=env,
                                 capture_output=True, text=True, check=True).stdout
            found, skipped = json.loads(out)
            skipped = [tuple(item) for item in skipped]
        assert found == [] and skipped == [("locked", "cannot read folder (Permission denied)")]
    finally:
        if locked.exists():
            locked.chmod(0o755)
        shutil.rmtree(root)


def test_missing_root_is_reported(tmp_path: Path) -> None:
    found, report = _relpaths(tmp_path / "nope")
    assert found == []
    assert report.skipped == [
        (str(tmp_path / "nope"), "corpus folder cannot be read (No such file or directory)")]


def test_single_file_root(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(ARTICLE)
    found, _ = _relpaths(tmp_path / "one.txt")
    assert found == ["one.txt"]


def test_duplicate_ids_across_files_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.jsonl").write_text(record("a") + "\n" + record("b") + "\n")
    report = ReadReport()
    articles = list(read_corpus(tmp_path, report))
    assert [(a.id, a.origin) for a in articles] == [("a", "a.txt"), ("b", "b.jsonl")]
    assert report.warnings == [
        ("b.jsonl", "duplicate article id 'a' (first read from a.txt), skipped")]


def test_a_tree_of_bad_files_reads_the_good_ones(tmp_path: Path) -> None:
    files = {
        "1-empty.txt": b"",
        "2-binary.txt": b"\x00\x01\x02",
        "3-good.txt": ARTICLE.encode(),
        "4-bad.jsonl.gz": b"\x1f\x8b\x08\x00junk",
        "5-good.jsonl": record("j").encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = ReadReport()
    assert [a.id for a in read_corpus(tmp_path, report)] == ["3-good", "j"]
    assert [path for path, _ in report.skipped] == ["1-empty.txt", "2-binary.txt", "4-bad.jsonl.gz"]


@pytest.mark.parametrize("name", ["f.txt", "f.jsonl", "f.jsonl.gz"])
def test_mangled_files_never_raise(tmp_path: Path, name: str) -> None:
    rng = random.Random(name)
    pieces = [b"\n", b"\r", b"\xc2\xa0", b"+++", b"(dpa)", b"\xc2\xa9 ", b"date ", b"{", b'"',
              b"\x00", b"\xff", b"04.02.2025", b"Verwandte Themen\n"]
    originals = [ARTICLE.encode(), "\n".join(record(n) for n in "abc").encode()]
    for _ in range(150):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 12)):
            position = rng.randrange(len(data) + 1)
            data[position : position + rng.randint(0, 8)] = rng.choice(pieces)
        if name.endswith(".gz") and rng.random() < 0.5:
            data = bytearray(gzip.compress(bytes(data)))
        articles, report = read_one(tmp_path / name, bytes(data))
        assert articles or report.skipped
        for article in articles:
            assert article.paragraphs and all(p.text == p.text.strip() for p in article.paragraphs)
