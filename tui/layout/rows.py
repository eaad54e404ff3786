"""Rows → screen lines: the two columns of each row side by side (or stacked), and where each
row starts.

A row's English and Chinese sides start on the same line and the row is as tall as its taller
side, so a paragraph always sits beside its translation. Heights are measured lazily: a row starts
with an estimate and gets its exact height the first time its lines are asked for, which keeps
opening a 20,000-row document as fast as opening a 20-row one. Offsets live in a Fenwick tree so
both "where does row i start" and "which row is at line y" stay O(log n) through those updates.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from corpus.model import Block, Row
from tui.layout.cache import LRU
from tui.layout.fenwick import Fenwick
from tui.layout.lines import Line, block_lines
from tui.layout.markdown import Rendered, render_block
from tui.layout.pinyin import Readings, ruby_lines
from tui.layout.styles import MarkdownStyles

Side = Literal["en", "zh"]

MIN_SIDE_BY_SIDE = 70  # narrower than this, side by side falls back to interleaved
MARGIN = 3  # left gutter: the cursor bar, a row marker (bookmark, unsure pairing), a space
COLUMN_RULE = " │ "
EXACT_UP_TO = 400  # documents this short are measured exactly when opened
SAMPLE = 256  # rows sampled to guess the height of rows not yet measured


class Mode(enum.Enum):
    SIDE_BY_SIDE = "side by side"
    INTERLEAVED = "interleaved"
    ENGLISH = "English"
    CHINESE = "Chinese"

    def next(self) -> Mode:
        order = list(Mode)
        return order[(order.index(self) + 1) % len(order)]


def effective_mode(mode: Mode, width: int) -> Mode:
    if mode is Mode.SIDE_BY_SIDE and width < MIN_SIDE_BY_SIDE:
        return Mode.INTERLEAVED
    return mode


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the columns sit in a view `width` cells wide."""

    width: int
    mode: Mode  # after the narrow-screen fallback
    columns: tuple[tuple[int, int], ...]  # (x, width) of each text column

    @property
    def rule_x(self) -> int | None:
        if len(self.columns) < 2:
            return None
        x, w = self.columns[0]
        return x + w


def geometry(width: int, mode: Mode) -> Geometry:
    """Even column widths (a double-width glyph never leaves a stray cell), a rule between."""
    mode = effective_mode(mode, width)
    if mode is Mode.SIDE_BY_SIDE:
        column = max(2, (width - MARGIN - len(COLUMN_RULE) - 1) // 2)
        column -= column % 2
        right_x = MARGIN + column + len(COLUMN_RULE)
        return Geometry(width, mode, ((MARGIN, column), (right_x, column)))
    column = max(2, width - MARGIN - 1)
    column -= column % 2
    return Geometry(width, mode, ((MARGIN, column),))


@dataclass(frozen=True, slots=True)
class Cell:
    """What one column shows on one screen line."""

    side: Side
    line: Line
    x: int
    width: int


@dataclass(frozen=True, slots=True)
class ScreenLine:
    cells: tuple[Cell, ...]
    content: bool = True  # False: the blank line that separates a row from the next


SPACER = ScreenLine((), content=False)


@dataclass(frozen=True, slots=True)
class RowLines:
    lines: tuple[ScreenLine, ...]
    content_height: int  # lines before the spacer

    def __len__(self) -> int:
        return len(self.lines)


class RowLayout:
    """Lines and offsets of a document's rows for one width and mode at a time."""

    def __init__(
        self,
        rows: Sequence[Row],
        styles: MarkdownStyles | None = None,
        *,
        exact_up_to: int = EXACT_UP_TO,
    ) -> None:
        self.rows = tuple(rows)
        self.styles = styles or MarkdownStyles()
        self.exact_up_to = exact_up_to
        # Keyed by the styles' generation too: the find worker may render while a theme changes.
        self._rendered: LRU[tuple[int, Side, int], Rendered] = LRU(8192)
        self._styles_generation = 0
        self._lines: LRU[tuple[int, int, Mode, bool], RowLines] = LRU(4096)
        self._pinyin: dict[int, Readings] = {}  # rows showing pinyin over their Chinese
        self._exact: dict[tuple[int, Mode], set[int]] = {}
        self._heights = Fenwick(0)
        self.geometry = geometry(80, Mode.SIDE_BY_SIDE)
        self._configured = False

    def __len__(self) -> int:
        return len(self.rows)

    # Configuration

    def configure(self, width: int, mode: Mode) -> bool:
        """Lay out for `width` cells in `mode`; True when that changed anything."""
        geo = geometry(width, mode)
        if self._configured and geo == self.geometry:
            return False
        self.geometry = geo
        self._configured = True
        self._heights = heights = Fenwick(len(self.rows), self._estimate())
        exact = self._exact.setdefault((geo.width, geo.mode), set())
        for i in list(exact):
            cached = self._lines.get((i, geo.width, geo.mode, i in self._pinyin))
            if cached is None:
                exact.discard(i)
            else:
                heights.set(i, len(cached))
        if len(self.rows) <= self.exact_up_to:
            self.ensure(0, len(self.rows) - 1)
        return True

    def set_styles(self, styles: MarkdownStyles) -> None:
        """New styles (a theme change): forget everything drawn with the old ones."""
        if styles == self.styles:
            return
        self.styles = styles
        self._styles_generation += 1
        self._rendered.clear()
        self._lines.clear()
        self._exact.clear()
        if self._configured:
            self._configured = False
            self.configure(self.geometry.width, self.geometry.mode)

    @property
    def configured(self) -> bool:
        return self._configured

    @property
    def mode(self) -> Mode:
        return self.geometry.mode

    @property
    def width(self) -> int:
        return self.geometry.width

    # Geometry of rows

    @property
    def total(self) -> int:
        return self._heights.total

    def offset(self, index: int) -> int:
        return self._heights.prefix(index)

    def height(self, index: int) -> int:
        return self._heights[index]

    def row_at(self, y: int) -> int:
        return self._heights.find(y)

    def is_exact(self, index: int) -> bool:
        return index in self._exact.get((self.geometry.width, self.geometry.mode), ())

    @property
    def all_exact(self) -> bool:
        exact = self._exact.get((self.geometry.width, self.geometry.mode), set())
        return len(exact) == len(self.rows)

    def ensure(self, first: int, last: int) -> int:
        """Measure rows first..last exactly; returns the change in height of those rows."""
        delta = 0
        for i in range(max(0, first), min(last, len(self.rows) - 1) + 1):
            before = self._heights[i]
            self.lines(i)
            delta += self._heights[i] - before
        return delta

    # Content

    def rendered(self, index: int, side: Side) -> Rendered | None:
        block = self.block(index, side)
        if block is None:
            return None
        generation = self._styles_generation  # before the styles: set_styles bumps it after
        styles = self.styles
        return self._rendered.get_or_make(
            (index, side, generation), lambda: render_block(block, styles)
        )

    def block(self, index: int, side: Side) -> Block | None:
        """The block a side shows. A one-line paragraph translating a heading is shown as that
        heading (translation tools often drop the `#` on the copy they add)."""
        row = self.rows[index]
        block, other = (row.en, row.zh) if side == "en" else (row.zh, row.en)
        return heading_partner(block, other)

    def sides(self, index: int) -> tuple[Side, ...]:
        """The sides a row shows in the current mode (a monolingual row shows what it has)."""
        row = self.rows[index]
        mode = self.geometry.mode
        en: tuple[Side, ...] = ("en",) if row.en is not None else ()
        zh: tuple[Side, ...] = ("zh",) if row.zh is not None else ()
        present = en + zh
        if mode is Mode.ENGLISH:
            return ("en",) if row.en is not None else present
        if mode is Mode.CHINESE:
            return ("zh",) if row.zh is not None else present
        return present

    def set_pinyin(self, index: int, readings: Readings | None) -> None:
        """Show pinyin over the Chinese of row `index` (`readings`: per unit, one per character),
        or stop (None). The row is measured again at once."""
        if readings is None:
            self._pinyin.pop(index, None)
        else:
            self._pinyin[index] = readings
        for exact in self._exact.values():
            exact.discard(index)
        if self._configured:
            self.lines(index)

    def has_pinyin(self, index: int) -> bool:
        return index in self._pinyin

    def lines(self, index: int) -> RowLines:
        geo = self.geometry
        key = (index, geo.width, geo.mode, index in self._pinyin)
        cached = self._lines.get(key)
        if cached is None:
            cached = self._make_lines(index)
            self._lines.put(key, cached)
        exact = self._exact.setdefault((geo.width, geo.mode), set())
        if index not in exact:
            exact.add(index)
            self._heights.set(index, len(cached))
        return cached

    def _side_lines(self, index: int, side: Side, width: int) -> list[Line]:
        rendered = self.rendered(index, side)
        if rendered is None:
            return []
        readings = self._pinyin.get(index) if side == "zh" else None
        if readings is not None:
            ruby = ruby_lines(rendered, width, self.styles, readings)
            if ruby is not None:
                return ruby
        return block_lines(rendered, width, self.styles)

    def _make_lines(self, index: int) -> RowLines:
        geo = self.geometry
        out: list[ScreenLine] = []
        if geo.mode is Mode.SIDE_BY_SIDE:
            (lx, lw), (rx, rw) = geo.columns
            left = self._side_lines(index, "en", lw)
            right = self._side_lines(index, "zh", rw)
            for k in range(max(len(left), len(right), 1)):
                cells: list[Cell] = []
                if k < len(left):
                    cells.append(Cell("en", left[k], lx, lw))
                if k < len(right):
                    cells.append(Cell("zh", right[k], rx, rw))
                out.append(ScreenLine(tuple(cells)))
        else:
            x, w = geo.columns[0]
            for side in self.sides(index):
                out.extend(
                    ScreenLine((Cell(side, line, x, w),))
                    for line in self._side_lines(index, side, w)
                )
            if not out:
                out.append(ScreenLine(()))
        content = len(out)
        if self._spaced(index):
            out.append(SPACER)
        return RowLines(tuple(out), content)

    def _spaced(self, index: int) -> bool:
        """A blank line follows each row, except between items of one list (unless the
        items are interleaved, where it is what tells one pair from the next)."""
        if index + 1 >= len(self.rows) or self.geometry.mode is Mode.INTERLEAVED:
            return True
        return not (self.rows[index].kind == "list_item" == self.rows[index + 1].kind)

    def _estimate(self) -> int:
        """The height every row is assumed to have until it is measured: the mean guess over a
        sample of rows spread through the document (their cells over the column width, at least
        their line count). Opening costs the same for 20 rows or 200,000."""
        n = len(self.rows)
        if n == 0:
            return 1
        step = max(1, n // SAMPLE)
        geo = self.geometry
        w = max(1, geo.columns[0][1] - 4)
        total = 0
        count = 0
        for i in range(0, n, step):
            row = self.rows[i]
            ec, el = _size(row.en)
            zc, zl = _size(row.zh)
            en_h, zh_h = max(el, -(-ec // w)), max(zl, -(-zc // w))
            if geo.mode is Mode.SIDE_BY_SIDE:
                h = max(en_h, zh_h)
            elif geo.mode is Mode.INTERLEAVED:
                h = en_h + zh_h
            elif geo.mode is Mode.ENGLISH:
                h = en_h or zh_h
            else:
                h = zh_h or en_h
            total += max(h, 1) + (1 if self._spaced(i) else 0)
            count += 1
        return max(1, round(total / count))


def heading_partner(block: Block | None, other: Block | None) -> Block | None:
    """`block` as a heading when it is a single-line paragraph beside a heading."""
    if (
        block is None
        or other is None
        or block.kind not in ("paragraph", "text")
        or other.kind != "heading"
        or "\n" in block.text.strip()
    ):
        return block
    marks = len(other.text.lstrip()) - len(other.text.lstrip().lstrip("#"))
    level = other.level or min(max(marks, 1), 6)
    text = block.text.strip()
    if block.kind == "text":  # plain text stays literal once it is read as Markdown
        text = _escape_markdown(text)
    return replace(block, kind="heading", text=f"{'#' * level} {text}", level=level)


def _escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!<>|~&" else ch for ch in text)


def _size(block: Block | None) -> tuple[int, int]:
    """(estimated cells, source lines) of a block; (0, 0) for a missing side."""
    if block is None:
        return 0, 0
    text = block.text
    return len(text) * (2 if block.lang in ("zh", "mixed") else 1), text.count("\n") + 1
