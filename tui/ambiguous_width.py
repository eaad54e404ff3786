"""Terminals that draw East Asian "ambiguous" characters two cells wide.

Quotes, dashes, the ellipsis, the middle dot, box drawing and block elements are "ambiguous" in
Unicode's East Asian Width: one cell in most terminals, two where the user asked for CJK widths
(iTerm2's option, PuTTY's and Windows Terminal's CJK settings, CJK locales). The app lays text
out one cell per such character, so in a wide terminal every one of them pushes the rest of its
line right and the columns, borders and markers shift.

The width is found as vim finds it: write one ambiguous character, ask the terminal where the
cursor went (CSI 6n), and take narrow when no answer comes within 100 ms. `ambiguous_width = 1 | 2`
in the config file or `--ambiguous-width` overrides it. In wide mode everything the app writes goes
through `NARROW`: each ambiguous character becomes a one-cell, non-ambiguous equivalent (straight
quotes, ASCII dashes and box lines, half-width arrows), so the layout's count of cells is what the
terminal draws. Greek and Cyrillic letters (also ambiguous) have no such equivalent and are kept.
"""

from __future__ import annotations

import contextlib
import os
import select
import time
import unicodedata
from functools import cache

NARROW_WIDTH = 1
WIDE_WIDTH = 2
PROBE = "\u25bd"  # ▽, ambiguous: the character vim writes to find the width
PROBE_TIMEOUT = 0.1  # seconds to wait for the terminal's answer

# Ambiguous characters and what a wide terminal is shown instead (one cell in every terminal).
_EQUIVALENTS = {
    "‘’‚‛′": "'",
    "“”„‟″": '"',
    "‐‑–—―": "-",
    "…": "⋯",
    "·": "･",
    "•◦": "∙",
    "×": "x",
    "÷": "/",
    "←": "￩",
    "↑": "￪",
    "→": "￫",
    "↓": "￬",
    "▶►": "▸",
    "◀": "◂",
    "▲△": "^",
    "▼▽": "v",
    "●◆■": "▪",
    "○◇□": "▫",
    "▒▓": "░",
    "▌▍▎▏▋▊▉▕█": "▐",
    "▀▁▂▃▄▅▆▇▔": " ",
}


def _box_equivalent(name: str) -> str:
    """A box-drawing character as ASCII: lines as - and |, corners and joints as +."""
    words = set(name.removeprefix("BOX DRAWINGS ").split())
    if "AND" in words or ("HORIZONTAL" in words) == ("VERTICAL" in words):
        return "+"
    return "-" if "HORIZONTAL" in words else "|"


@cache
def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for chars, equivalent in _EQUIVALENTS.items():
        for ch in chars:
            table[ord(ch)] = equivalent
    for code in range(0xA0, 0x10000):
        ch = chr(code)
        if code in table or unicodedata.east_asian_width(ch) != "A":
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("BOX DRAWINGS "):
            table[code] = _box_equivalent(name)
            continue
        # An accented letter: its base letter and combining accents (é → e + ◌́), one cell.
        decomposed = unicodedata.normalize("NFD", ch)
        if (
            len(decomposed) > 1
            and unicodedata.east_asian_width(decomposed[0]) in ("Na", "N")
            and all(unicodedata.combining(c) for c in decomposed[1:])
        ):
            table[code] = decomposed
    return table


def narrow(text: str) -> str:
    """`text` as a terminal that draws ambiguous characters wide should be sent it."""
    if text.isascii():
        return text
    return text.translate(_table())


def probe(fd_in: int, fd_out: int, timeout: float = PROBE_TIMEOUT) -> int | None:
    """Ask the terminal how wide it draws an ambiguous character: 1, 2, or None without an
    answer in `timeout` seconds. The probe character is erased again."""
    import termios
    import tty

    if select.select([fd_in], [], [], 0)[0]:
        return None  # keys typed ahead: asking would read them, and they are the user's
    saved = termios.tcgetattr(fd_in)
    try:
        tty.setcbreak(fd_in, termios.TCSANOW)  # no echo, no waiting for Enter
        os.write(fd_out, f"\r{PROBE}\x1b[6n".encode())
        reply = _read_reply(fd_in, timeout)
        os.write(fd_out, b"\r\x1b[K")
    finally:
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)  # typed-ahead input is kept
    _give_back(fd_in, _keys_around(reply))
    return _width_from_reply(reply)


def _keys_around(reply: bytes) -> bytes:
    """What the user typed while the probe waited: the bytes around the position report."""
    start = reply.rfind(b"\x1b[")
    if start < 0 or not reply.endswith(b"R"):
        return reply
    return reply[:start]


def _give_back(fd: int, keys: bytes) -> None:
    """Put keys read during the probe back into the terminal's input, where the kernel allows."""
    if not keys:
        return
    import fcntl
    import termios

    with contextlib.suppress(OSError):
        for byte in keys:
            fcntl.ioctl(fd, termios.TIOCSTI, bytes([byte]))


def _read_reply(fd: int, timeout: float) -> bytes:
    """Bytes read until a cursor position report ends ("R") or `timeout` passes."""
    reply = b""
    deadline = time.monotonic() + timeout
    while not reply.endswith(b"R"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        reply += chunk
    return reply


def _width_from_reply(reply: bytes) -> int | None:
    """The probe's width from a report `ESC [ row ; column R` (it was written at column 1)."""
    start = reply.rfind(b"\x1b[")
    if start < 0 or not reply.endswith(b"R"):
        return None
    _row, _, column = reply[start + 2 : -1].partition(b";")
    if not column.isdigit():
        return None
    width = int(column) - 1
    return width if width in (NARROW_WIDTH, WIDE_WIDTH) else None


def detect(fd_in: int = 0, fd_out: int = 1) -> int:
    """The terminal's width for ambiguous characters; narrow when it cannot be asked or does not
    answer."""
    with contextlib.suppress(OSError, ValueError, ImportError):
        if os.isatty(fd_in) and os.isatty(fd_out):
            return probe(fd_in, fd_out) or NARROW_WIDTH
    return NARROW_WIDTH
