"""Bytes → clean text: encoding detection, line endings, and removal of terminal control characters.

Everything a document says reaches a terminal eventually, so control characters (escape sequences,
OSC titles, clipboard writes, C1 controls) are removed here, once, before any other layer sees text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides that can make text
# display in an order other than the one it is stored in.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")

# Encodings a bilingual library realistically holds, in the order to prefer on a tie.
_CANDIDATES = ("utf_8", "gb18030", "big5", "utf_16", "cp1252", "latin_1")
_BINARY_SAMPLE = 8192


class NotText(ValueError):
    """The bytes do not look like text in any encoding we read."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def clean(text: str) -> str:
    """Normalise line endings and drop control characters; safe to print to a terminal."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", text))


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(name: str) -> str:
    """A file name, title or tag made safe to print on one line: control characters (and the
    lone surrogates that undecodable bytes of a file name become) are shown as escapes."""

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, name)


def decode(data: bytes) -> DecodedText:
    """Decode file bytes, trusting a BOM, then strict UTF-8, then a statistical detector."""
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(clean(data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")), "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedText(clean(data.decode("utf-16", "replace")), "utf-16")
    if b"\x00" in data[:_BINARY_SAMPLE]:
        raise NotText("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise NotText("binary file (mostly control characters)")
        return DecodedText(clean(text), "utf-8")
    best = from_bytes(data, cp_isolation=list(_CANDIDATES)).best()
    if best is None:
        raise NotText("not text in any supported encoding")
    text = str(best)
    if _looks_binary(text):
        raise NotText("binary file (mostly control characters)")
    return DecodedText(clean(text), best.encoding)


def _looks_binary(text: str) -> bool:
    sample = _NEWLINES.sub("\n", text[:_BINARY_SAMPLE])
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample))
    return controls / len(sample) > 0.3
