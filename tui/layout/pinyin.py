"""Chinese text with its pinyin above it, character by character, for the reader's `p`.

A terminal has no ruby: each Chinese character gets a slot as wide as its reading ("zhuàng" needs
six cells where the character needs two), the reading on one line and the character centred under
it on the next, one cell between slots. Lines are wrapped by slots, so the two lines always match.
Each character keeps its own piece, so find, the sentence cursor and the word cursor highlight it
as they do unannotated text. Readings come from the caller (pypinyin, in a worker): this module
only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from tui.layout.lines import BLANK, Line, Piece
from tui.layout.markdown import Para, Rendered
from tui.layout.styles import MarkdownStyles
from tui.layout.wrap import cut_cells

Readings = tuple[tuple[str, ...], ...]  # per unit of a rendered block, one reading per character


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    cells: int  # of the slot
    reading: str = ""


def ruby_lines(
    rendered: Rendered, width: int, styles: MarkdownStyles, readings: Readings
) -> list[Line] | None:
    """Lines of a block with pinyin over its Chinese; None for a block with tables or rules
    (they keep their own layout)."""
    if not all(isinstance(item, Para) for item in rendered.items):
        return None
    out: list[Line] = []
    for unit, item in enumerate(rendered.items):
        assert isinstance(item, Para)
        if item.gap and out:
            out.append(BLANK)
        reading = readings[unit] if unit < len(readings) else ()
        out.extend(_para_lines(item, width, unit, styles, reading))
    return out or [BLANK]


def _tokens(plain: str, reading: Sequence[str]) -> list[_Token | None]:
    """Slots of a paragraph: one per character with a reading, one per other word; None for a
    hard line break. White space only separates."""
    out: list[_Token | None] = []
    i = 0
    while i < len(plain):
        ch = plain[i]
        r = reading[i] if i < len(reading) else ""
        if ch == "\n":
            out.append(None)
            i += 1
        elif ch.isspace():
            i += 1
        elif r or cell_len(ch) > 1:  # a character with a reading, or wide punctuation
            out.append(_Token(i, i + 1, max(cell_len(ch), cell_len(r)), r))
            i += 1
        else:
            j = i
            while j < len(plain) and not plain[j].isspace() and cell_len(plain[j]) == 1:
                if j > i and j < len(reading) and reading[j]:
                    break
                j += 1
            out.append(_Token(i, j, cell_len(plain[i:j])))
            i = j
    return out


def _para_lines(
    para: Para, width: int, unit: int, styles: MarkdownStyles, reading: Sequence[str]
) -> list[Line]:
    prefix_cells = max(para.first.cell_len, para.rest.cell_len)
    inner = max(2, width - prefix_cells)
    rows: list[list[_Token]] = [[]]
    used = 0
    for token in _tokens(para.text.plain, reading):
        if token is None:
            rows.append([])
            used = 0
            continue
        need = token.cells + (1 if rows[-1] else 0)
        if rows[-1] and used + need > inner:
            rows.append([])
            used, need = 0, token.cells
        rows[-1].append(token)
        used += need
    lines: list[Line] = []
    for k, tokens in enumerate(rows):
        prefix = para.first if k == 0 else para.rest
        over = Text(" " * prefix.cell_len, end="")
        under = prefix.copy()
        under.end = ""
        pieces: list[Piece] = []
        for n, token in enumerate(tokens):
            if n:
                over.append(" ")
                under.append(" ")
            shown = para.text[token.start : token.end]
            left = (token.cells - shown.cell_len) // 2
            over.append(token.reading.center(token.cells) if token.reading else " " * token.cells)
            under.append(" " * left)
            pieces.append((len(under.plain), unit, token.start, token.end - token.start))
            under.append_text(shown)
            under.append(" " * (token.cells - shown.cell_len - left))
        over.stylize(styles.pinyin)
        over.rstrip()
        under.rstrip()
        if any(t.reading for t in tokens):
            lines.append(Line(_fit(over, width)))
        lines.append(Line(_fit(under, width), tuple(pieces)))
    return lines


def _fit(text: Text, width: int) -> Text:
    return text if text.cell_len <= width else cut_cells(text, width)
