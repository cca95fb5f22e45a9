"""Hostile corpus files: the build completes, every bad file is reported, nothing crashes.

One corpus holds random bytes under every suffix, multi-megabyte single lines, odd
layouts (only headings, only tags, thousands of blank lines, 10,000 tiny paragraphs),
empty files, symbolic link loops, a dangling link, a FIFO, a folder named like a file
and names that are not UTF-8, beside one good article. Built with the library (for the
BuildSummary) and with the CLI (for its output), each within a time bound.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import BuildSummary
from tests.reliability.support import TRACEBACK, child_env, opened, repeat, run_cli

BUILD_SECONDS = 240
WORD_SECONDS = 20
GOOD = (
    "Stadtrat beschließt neue Radwege\n\n"
    "04.02.2025, 08:37 Uhr\n\n"
    "Der Stadtrat hat am Dienstag mit großer Mehrheit neue Radwege für die Innenstadt "
    "beschlossen. Die Arbeiten sollen im Frühjahr beginnen. (dpa)\n\n"
    "Die Opposition kritisierte die Kosten von mehr als zwei Millionen Euro.\n"
)
HUGE_LINE = 4 * 1024 * 1024  # bytes in one line


def must_be_reported(corpus: Path, seed: int) -> set[str]:
    """Write files that cannot be articles; return their names relative to the corpus."""
    rng = random.Random(seed)
    bad = {}
    for suffix in (".txt", ".jsonl", ".jsonl.gz"):
        bad[f"random-{seed}{suffix}"] = rng.randbytes(rng.randrange(1, 64 * 1024))
        bad[f"empty-{seed}{suffix}"] = b""
    bad[f"random-gzip-{seed}.jsonl.gz"] = gzip.compress(rng.randbytes(32 * 1024))
    words = " ".join(f"Wort{rng.randrange(10**9)}" for _ in range(5000))
    packed = gzip.compress(
        json.dumps({"id": "t", "title": "T", "paragraphs": [words]}).encode() + b"\n")
    bad[f"truncated-gzip-{seed}.jsonl.gz"] = packed[: len(packed) // 2]
    bad[f"only-whitespace-{seed}.txt"] = b"\n \t\r\n" * 5000
    bad[f"json-garbage-{seed}.jsonl"] = b"\n".join(
        [b"[1, 2]", b'"text"', b"{", b"null", b'{"id": 5}', b'{"paragraphs": 3}'] * 50)
    for name, data in bad.items():
        (corpus / name).write_bytes(data)
    return set(bad)


def odd_layouts(corpus: Path) -> set[str]:
    """Odd but not impossible files: indexed or reported, either is fine."""
    files = {
        "huge-line.txt": "Titel\n\n" + "Wort " * (HUGE_LINE // 5) + "\n",
        "huge-first-line.txt": "Überschrift " * (HUGE_LINE // 12) + "\n\nEin Absatz.\n",
        "only-headings.txt": "\n\n".join(f"Überschrift Nummer {n}" for n in range(2000)),
        "only-tags.txt": "\n\n".join(["(dpa)", "(afp)", "#Politik #Berlin", "Schlagworte:",
                                      "<p></p>", "[Anzeige]"] * 300),
        "blank-lines.txt": "Titel mit viel Luft\n" + "\n" * 5000 + "Ein Absatz nach viel Leere."
        + "\n" * 5000,
        "tiny-paragraphs.txt": "Viele Absätze\n\n" + "\n\n".join(
            f"Satz {n}." for n in range(10_000)),
        "control-chars.txt": "Titel\x07\x1b[31m\n\nText mit\x0b Steuerzeichen\x0c und \x1b[0m.",
        "huge-line.jsonl": json.dumps({"id": "huge", "title": "Riesig", "date": None,
                                       "source": "x", "url": None,
                                       "paragraphs": ["Wort " * (HUGE_LINE // 5)]}),
        "tiny-paragraphs.jsonl": json.dumps({"id": "winzig", "title": "Winzig", "date": None,
                                             "source": "x", "url": None,
                                             "paragraphs": [f"S{n}." for n in range(10_000)]}),
        "deep-json.jsonl": "[" * 100_000 + "]" * 100_000,
    }
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return set(files)


def tricky_entries(corpus: Path) -> dict[str, str]:
    """Links, loops, a FIFO, a folder named .txt, bad names: name -> expected words."""
    (corpus / "sub").mkdir()
    (corpus / "sub" / "loop").symlink_to("..")
    (corpus / "self.txt").symlink_to("self.txt")
    (corpus / "dangling.txt").symlink_to("does-not-exist.txt")
    (corpus / "ping.txt").symlink_to("pong.txt")
    (corpus / "pong.txt").symlink_to("ping.txt")
    (corpus / "folder.txt").mkdir()
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "link-to-good.txt").symlink_to("good.txt")
    bad_name = os.fsencode(corpus) + b"/caf\xe9-\xff.txt"
    with open(bad_name, "wb") as fh:
        fh.write(GOOD.replace("Radwege", "Fahrradwege").encode("utf-8"))
    return {
        "sub/loop": "loop", "self.txt": "", "dangling.txt": "", "ping.txt": "", "pong.txt": "",
        "fifo.txt": "regular", "link-to-good.txt": "same file", "caf": "UTF-8",
    }


def reported(summary, name: str) -> bool:
    return any(path.startswith(name) or path == name for path, _ in
               summary.skipped + summary.warnings)


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> dict:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    bad: set[str] = set()
    for seed in range(repeat(2)):
        bad |= must_be_reported(corpus, seed)
    return {"corpus": corpus, "bad": bad, "odd": odd_layouts(corpus),
            "tricky": tricky_entries(corpus)}


SUMMARY = """
import dataclasses, json, sys
from indexer import build_index
summary = build_index(sys.argv[1], sys.argv[2])
print(json.dumps(dataclasses.asdict(summary)))
"""


def build_in_child(corpus: Path, index: Path, timeout: float) -> BuildSummary:
    """build_index in a child process (so a hang ends at the timeout); its summary."""
    result = subprocess.run(
        [sys.executable, "-c", SUMMARY, str(corpus), str(index)], capture_output=True,
        text=True, timeout=timeout, env=child_env(), check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.splitlines()[-1])
    data["skipped"] = [tuple(x) for x in data["skipped"]]
    data["warnings"] = [tuple(x) for x in data["warnings"]]
    return BuildSummary(**data)


def test_hostile_corpus_builds_and_reports_every_bad_file(hostile_corpus, tally, tmp_path):
    corpus = hostile_corpus["corpus"]
    fault = "hostile corpus files"
    with tally.inject(fault, "library build"):
        summary = build_in_child(corpus, tmp_path / "index", BUILD_SECONDS)
        unreported = [name for name in hostile_corpus["bad"] if not reported(summary, name)]
        assert not unreported, f"not reported: {unreported}"
        for name, words in hostile_corpus["tricky"].items():
            notes = [reason for path, reason in summary.skipped + summary.warnings
                     if path.startswith(name)]
            assert notes, f"{name} not reported"
            assert any(words in note for note in notes), (name, notes)
        with opened(tmp_path / "index") as index:
            for name in hostile_corpus["odd"]:  # each odd file: indexed or reported
                stem = name.removesuffix(".txt")
                indexed = index.article(stem) is not None
                assert indexed or reported(summary, name) or name.endswith(".jsonl"), name
            assert index.search("Radwege").total >= 1  # the good article is there
            assert index.search("Fahrradwege").total >= 1  # so is the one with a bad name
    with tally.inject(fault, "CLI build"):  # the bad files only: the odd ones cost time
        small = tmp_path / "bad-only"
        small.mkdir()
        (small / "good.txt").write_text(GOOD, encoding="utf-8")
        for name in hostile_corpus["bad"]:
            (small / name).write_bytes((corpus / name).read_bytes())
        tricky_entries(small)
        result = run_cli("index", small, "--index", tmp_path / "cli-index", timeout=BUILD_SECONDS)
        assert result.returncode == 0, result.stderr[-3000:]
        assert TRACEBACK not in result.stderr + result.stdout
        for name in hostile_corpus["bad"]:
            assert f"{name}:" in result.stdout, f"{name} missing in the CLI summary"
    tally.check(fault)


@pytest.mark.fault("a 2 MB word in a corpus file")
def test_a_huge_word_does_not_stall_the_build(tmp_path: Path) -> None:
    """One 'word' of two million letters (a pasted blob) is indexed or refused in seconds.

    Bound: WORD_SECONDS for reading, analysing and writing 2 MB, which takes a few seconds
    when tokens are capped; stemming such a token is quadratic (1 MB: 10 s, 4 MB: minutes).
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blob.txt").write_text(
        "Ein Titel\n\nVorher ein Satz. " + "Ü" * 2_000_000 + " Danach ein Satz.\n",
        encoding="utf-8",
    )
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    try:
        result = run_cli("index", corpus, "--index", tmp_path / "index", timeout=WORD_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"indexing one 2 MB word took more than {WORD_SECONDS} s")
    assert result.returncode == 0, result.stderr[-2000:]
    with opened(tmp_path / "index") as index:
        assert index.search("Radwege").total >= 1
        assert index.search("Danach").total == 1 or "blob.txt" in result.stdout
