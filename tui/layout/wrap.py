"""Line breaking for mixed English and Chinese text, measured in terminal cells.

Rich wraps only at spaces, so unspaced Chinese falls back to one break per character with no
regard for punctuation. Here a line may break at a space, between two characters when either is
double-width (Chinese, Japanese, full-width punctuation), or after a hyphen inside an English word,
and never where the usual rules forbid it: before closing punctuation or after an opening bracket.
A Latin word inside Chinese text is kept whole unless it is wider than the line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import split_graphemes
from rich.style import Style
from rich.text import Text

# May not begin a line (closing punctuation, ellipsis, dashes, closing quotes).
NO_LINE_START = frozenset(
    "，。、：；！？）」』》〉】〕〗〙〛｝］＞〟…—～’”,.;:!?)]}%"
    "\uff0e\uff1a\uff1b"  # full-width ．：；
)
# May not end a line (opening brackets and quotes).
NO_LINE_END = frozenset("（「『《〈【〔〖〘〚｛［＜〝“‘([{")

_SPACES = frozenset(" \t\u3000")


def break_lines(plain: str, width: int, *, words: bool = True) -> list[tuple[int, int]]:
    """(start, end) string offsets of each line of `plain` wrapped to `width` cells.

    "\\n" forces a break. Spaces at a soft break are dropped (they belong to neither line);
    indentation at the start of a hard line is kept. With `words=False` (code) lines are cut
    only where they overflow. Every line is at most `width` cells, except a lone grapheme wider
    than the line itself.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    offset = 0
    for hard in plain.split("\n"):
        for start, end in _break_hard_line(hard, width, words):
            lines.append((offset + start, offset + end))
        offset += len(hard) + 1
    return lines


_NARROW_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x2FF),  # Latin-1 and Latin extended
    (0x370, 0x482),  # Greek, Cyrillic
    (0x2010, 0x2027),  # dashes, curly quotes, ellipsis, bullet
    (0x2030, 0x205E),
    (0x2500, 0x25FC),  # box drawing, geometric shapes
)
_narrow: frozenset[str] | None = None


def _one_cell_each(text: str) -> bool:
    """True when every character is exactly one cell and its own grapheme."""
    global _narrow
    if _narrow is None:
        _narrow = frozenset(
            ch
            for lo, hi in _NARROW_RANGES
            for ch in map(chr, range(lo, hi + 1))
            if split_graphemes(ch)[1] == 1
        )
    return _narrow.issuperset(text)


def _break_hard_line(plain: str, width: int, words: bool) -> list[tuple[int, int]]:
    if _one_cell_each(plain):
        if len(plain) <= width:
            return [(0, len(plain.rstrip(" \t")))]
        if words:
            return _break_narrow(plain, width)
    return _break_general(plain, width, words)


def _break_narrow(plain: str, width: int) -> list[tuple[int, int]]:
    """`_break_general` for text of one cell per character (English): instead of walking
    every character it jumps to where each line overflows and looks back for the last break
    opportunity. Same lines (a property test holds them equal), several times faster."""
    n = len(plain)
    lines: list[tuple[int, int]] = []
    a = 0
    while True:
        j = a + width  # the first character that does not fit
        while j < n and plain[j] in " \t":
            j += 1
        if j >= n:
            break
        end, nxt = _last_break(plain, a, j)
        if end > a:
            lines.append((a, end))
            a = nxt
        while j + 1 - a > width and j > a:
            k = max(a + 1, min(j + 1, a + width))
            lines.append((a, k))
            a = k
    end = n
    while end > a and plain[end - 1] in " \t":
        end -= 1
    lines.append((a, end))
    return lines


def _last_break(plain: str, a: int, j: int) -> tuple[int, int]:
    """The last break opportunity at or before j in a line starting at a: (line end, next
    line's start), or (-1, -1)."""
    i = j
    while i > a:
        prev = plain[i - 1]
        cur = plain[i]
        if cur not in " \t":
            if prev in " \t":
                k = i - 1
                while k > a and plain[k - 1] in " \t":
                    k -= 1
                if k > a and cur not in NO_LINE_START and plain[k - 1] not in NO_LINE_END:
                    end = k
                    while end > a and plain[end - 1] in " \t":
                        end -= 1
                    return end, i
                i = k
                continue
            if (
                prev == "-"
                and i - 2 >= a
                and plain[i - 2].isalnum()
                and cur.isalpha()
                and cur not in NO_LINE_START
            ):
                return i, i
        i -= 1
    return -1, -1


def _break_general(plain: str, width: int, words: bool) -> list[tuple[int, int]]:
    if _one_cell_each(plain):  # no grapheme analysis needed
        n = len(plain)
        starts = cum = list(range(n + 1))
        graphemes = list(plain)
        wide = [False] * n
    else:
        spans, total = split_graphemes(plain)
        n = len(spans)
        starts = [s for s, _, _ in spans]
        starts.append(len(plain))
        if total <= width:  # the common case for headings and short lines
            end = n
            while end > 0 and plain[starts[end - 1]] in _SPACES:
                end -= 1
            return [(0, starts[end])]
        cum = [0] * (n + 1)
        total = 0
        for i, (_, _, cells) in enumerate(spans):
            total += cells
            cum[i + 1] = total
        graphemes = [plain[s:e] for s, e, _ in spans]
        wide = [cells >= 2 for _, _, cells in spans]

    lines: list[tuple[int, int]] = []

    def emit(a: int, b: int, trim: bool) -> None:
        if trim:
            while b > a and graphemes[b - 1] in _SPACES:
                b -= 1
        lines.append((starts[a], starts[b]))

    a = 0  # grapheme index where the current line starts
    # The last break opportunity: the line would end at cand_end and the next start at cand_next.
    cand_end = cand_next = -1
    for j in range(n):
        g = graphemes[j]
        if g in _SPACES:
            continue
        if words and j > a:
            prev = graphemes[j - 1]
            if prev in _SPACES:
                k = j - 1
                while k > a and graphemes[k - 1] in _SPACES:
                    k -= 1
                if k > a and g[0] not in NO_LINE_START and graphemes[k - 1][-1] not in NO_LINE_END:
                    cand_end, cand_next = k, j
            elif (
                g[0] not in NO_LINE_START
                and prev[-1] not in NO_LINE_END
                and (
                    wide[j - 1]
                    or wide[j]
                    # English hyphenation point: "open-source" may break after the hyphen.
                    or (
                        prev == "-"
                        and j - 2 >= a
                        and graphemes[j - 2][-1].isalnum()
                        and g[0].isalpha()
                    )
                )
            ):
                cand_end, cand_next = j, j
        if cum[j + 1] - cum[a] > width:
            if cand_end > a:
                emit(a, cand_end, True)
                a = cand_next
                cand_end = cand_next = -1
            # What is left may still be one piece wider than the line: cut it by cells.
            while cum[j + 1] - cum[a] > width and j > a:
                k = a + 1
                while k < j + 1 and cum[k + 1] - cum[a] <= width:
                    k += 1
                emit(a, k, False)
                a = k
                cand_end = cand_next = -1
    emit(a, n, True)
    return lines


def wrap_text(text: Text, width: int, *, words: bool = True) -> list[Text]:
    """`text` wrapped to `width` cells; styles carry over to every piece of a span."""
    return [text[s:e] for s, e in break_lines(text.plain, width, words=words)]


def cut_cells(text: Text, width: int) -> Text:
    """`text` cut to at most `width` cells without splitting a double-width glyph."""
    spans, total = split_graphemes(text.plain)
    if total <= width:
        return text
    used = 0
    for start, _, cells in spans:
        if used + cells > width:
            return text[:start]
        used += cells
    return text


def pad_to(text: Text, width: int, style: Style | None = None) -> Text:
    """A copy of `text` padded with spaces on the right to exactly `width` cells (or cut)."""
    cells = text.cell_len
    out = (text if cells <= width else cut_cells(text, width)).copy()
    gap = width - (cells if cells <= width else out.cell_len)
    if gap > 0:
        out.append(" " * gap, style)
    return out


def max_cells(texts: Sequence[Text]) -> int:
    return max((t.cell_len for t in texts), default=0)
