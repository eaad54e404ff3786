"""What the app writes to the terminal, made smaller for slow links.

Textual renders every styled run of text as `ESC[<all attributes and colours>m text ESC[0m`: a
line of the reader, a handful of runs over one background, repeats that background and resets
after each run, about 40 bytes a run. `compact_sgr` sends only what changes from one run to the
next (a new foreground colour: ~19 bytes) and resets once, before anything that is not a styled
run. The cells drawn are the same; only the escape codes are fewer.

`app_driver` wraps Textual's driver so that everything it writes goes through `compact_sgr` (and,
for terminals that draw ambiguous characters wide, through `tui.ambiguous_width.narrow` first).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from textual.driver import Driver

from tui.ambiguous_width import narrow

_TOKEN = re.compile(
    r"\x1b\[(?P<sgr>[0-9;]*)m"  # select graphic rendition
    r"|(?P<move>\x1b\[[0-9;]*[HfABCDGd])"  # cursor movement: draws nothing
    r"|\x1b\[[0-9;?<=>]*[ -/]*[@-~]"  # any other control sequence
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # operating system command (title, hyperlink)
    r"|\x1b[^\[\]]?"  # any other escape
    r"|[^\x1b]+",  # text
)


class _Sgr(NamedTuple):
    attributes: frozenset[str]
    fg: str | None
    bg: str | None


_PLAIN = _Sgr(frozenset(), None, None)
_UNKNOWN = _Sgr(frozenset({"?"}), None, None)  # after codes we could not follow


def _parse(codes: str, base: _Sgr) -> _Sgr | None:
    """`base` with the SGR `codes` applied, or None for codes this does not follow."""
    attributes, fg, bg = set(base.attributes), base.fg, base.bg
    parts = codes.split(";") if codes else ["0"]
    if "?" in attributes and parts[0] != "0":
        return None  # on top of codes not followed: pass on as they are
    i = 0
    while i < len(parts):
        code = parts[i]
        if not code.isdigit():
            return None
        n = int(code)
        if n in (38, 48):
            kind = parts[i + 1] if i + 1 < len(parts) else ""
            size = {"2": 5, "5": 3}.get(kind)
            if size is None or i + size > len(parts):
                return None
            color = ";".join(parts[i : i + size])
            fg, bg = (color, bg) if n == 38 else (fg, color)
            i += size
            continue
        if n == 0:
            attributes, fg, bg = set(), None, None
        elif 30 <= n <= 37 or 90 <= n <= 97:
            fg = code
        elif 40 <= n <= 47 or 100 <= n <= 107:
            bg = code
        elif n == 39:
            fg = None
        elif n == 49:
            bg = None
        elif n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53):
            attributes.add(code)
        else:
            return None
        i += 1
    return _Sgr(frozenset(attributes), fg, bg)


# The code that turns each attribute off (22 turns off bold and dim alike, 24 both underlines).
_OFF = {
    "1": "22",
    "2": "22",
    "3": "23",
    "4": "24",
    "21": "24",
    "5": "25",
    "6": "25",
    "7": "27",
    "8": "28",
    "9": "29",
    "51": "54",
    "52": "54",
    "53": "55",
}


def _transition(current: _Sgr, wanted: _Sgr) -> str:
    """The shortest SGR that takes the terminal from `current` to `wanted`."""
    if current == wanted:
        return ""
    full = [*sorted(wanted.attributes), *(c for c in (wanted.fg, wanted.bg) if c)]
    reset = f"\x1b[{';'.join(['0', *full])}m"
    if "?" in current.attributes:
        return reset
    codes: list[str] = []
    add = set(wanted.attributes - current.attributes)
    for attribute in sorted(current.attributes - wanted.attributes):
        off = _OFF[attribute]
        if off not in codes:
            codes.append(off)
        # An attribute still wanted that the same code turns off is set again.
        add |= {a for a in wanted.attributes if _OFF[a] == off}
    codes.extend(sorted(add))
    if wanted.fg != current.fg:
        codes.append(wanted.fg or "39")
    if wanted.bg != current.bg:
        codes.append(wanted.bg or "49")
    changes = f"\x1b[{';'.join(codes)}m"
    return changes if len(changes) <= len(reset) else reset


def compact_sgr(data: str) -> str:
    """`data` with its SGR codes reduced to the changes; ends with the attributes reset."""
    if "\x1b[" not in data:
        return data
    out: list[str] = []
    current = wanted = _PLAIN
    for match in _TOKEN.finditer(data):
        token = match.group()
        codes = match.group("sgr")
        if codes is not None:
            parsed = _parse(codes, wanted)
            if parsed is not None:
                wanted = parsed
                continue
            out.append(_transition(current, wanted))  # codes not followed: pass them on
            out.append(token)
            current = wanted = _UNKNOWN
            continue
        if match.group("move") is None:  # text, or a sequence that may draw (erase, ...)
            out.append(_transition(current, wanted))
            current = wanted
        out.append(token)
    out.append(_transition(current, _PLAIN))
    return "".join(out)


def app_driver(base: type[Driver], *, wide: bool) -> type[Driver]:
    """`base` writing through `compact_sgr` (and `narrow` for a wide-ambiguous terminal)."""

    class CompactDriver(base):  # type: ignore[valid-type,misc]
        def write(self, data: str) -> None:
            super().write(compact_sgr(narrow(data) if wide else data))

    CompactDriver.__name__ = f"Compact{base.__name__}"
    return CompactDriver
