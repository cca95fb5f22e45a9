"""Turn the bytes of a plain-text article into text, or say why they are not text."""

from __future__ import annotations

import codecs

from ..model import ReadReport

# C0 control bytes that never occur in text files (tab, LF, FF, CR and ^Z are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r\x1a")
# More control bytes than this share (and at least a handful) means binary data.
_CONTROL_SHARE = 0.01
_CONTROL_MIN = 8


def decode(data: bytes, relpath: str, report: ReadReport) -> str | None:
    """Return the text with '\\n' line ends, or None after reporting why the file is skipped.

    UTF-8 is tried first (a BOM is dropped silently), then cp1252, the usual encoding
    of German texts saved on Windows; a UTF-16 file with a BOM is read with a warning.
    """
    if not data:
        report.skip(relpath, "empty file")
        return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, relpath, report)
    if b"\x00" in data:
        report.skip(relpath, "binary file (contains NUL bytes)")
        return None
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > max(_CONTROL_MIN, len(data) * _CONTROL_SHARE):
        report.skip(relpath, "binary file (contains control characters)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            report.skip(relpath, "not valid UTF-8 or cp1252")
            return None
        report.warn(relpath, "decoded as cp1252 (not valid UTF-8)")
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """Make CRLF, lone CR and Unicode line separators plain '\\n'."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return text


def _decode_utf16(data: bytes, relpath: str, report: ReadReport) -> str | None:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        report.skip(relpath, "not valid UTF-16 despite its byte order mark")
        return None
    report.warn(relpath, "decoded as UTF-16 (byte order mark)")
    return normalise_newlines(text.lstrip("\ufeff"))
