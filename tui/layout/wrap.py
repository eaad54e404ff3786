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


def _breakable(prev: str, cur: str, before_prev: str | None) -> bool:
    """May a line break between two adjacent non-space graphemes?"""
    if cur[0] in NO_LINE_START or prev[-1] in NO_LINE_END:
        return False
    if _wide(prev) or _wide(cur):
        return True
    # English hyphenation point: "open-source" may break after the hyphen.
    return (
        prev == "-" and before_prev is not None and before_prev[-1].isalnum() and cur[0].isalpha()
    )


_WIDE_CACHE: dict[str, bool] = {}


def _wide(grapheme: str) -> bool:
    wide = _WIDE_CACHE.get(grapheme)
    if wide is None:
        wide = split_graphemes(grapheme)[1] >= 2
        if len(_WIDE_CACHE) < 65536:
            _WIDE_CACHE[grapheme] = wide
    return wide


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


def _break_hard_line(plain: str, width: int, words: bool) -> list[tuple[int, int]]:
    spans, _ = split_graphemes(plain)
    n = len(spans)
    starts = [s for s, _, _ in spans]
    starts.append(len(plain))
    cum = [0] * (n + 1)
    total = 0
    for i, (_, _, cells) in enumerate(spans):
        total += cells
        cum[i + 1] = total
    if total <= width:  # the common case for headings and short lines
        end = n
        while end > 0 and plain[starts[end - 1]] in _SPACES:
            end -= 1
        return [(0, starts[end])]
    graphemes = [plain[s:e] for s, e, _ in spans]

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
            elif _breakable(prev, g, graphemes[j - 2] if j - 2 >= a else None):
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
    out = cut_cells(text, width).copy()
    gap = width - out.cell_len
    if gap > 0:
        out.append(" " * gap, style)
    return out


def max_cells(texts: Sequence[Text]) -> int:
    return max((t.cell_len for t in texts), default=0)
