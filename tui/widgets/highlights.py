"""Find matches and search terms on the reader's lines.

A pattern is matched against a row's rendered text once (per side), not per screen line: the
ranges it covers are cached by row and side, and each screen line styles the pieces of them it
shows. Both columns are matched, so a term shows in the English and the Chinese alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache

from tui.layout.find import Ranges, compile_terms, unit_ranges
from tui.layout.rows import Cell, RowLayout, Side


class Highlights:
    """The find pattern and the search terms of one document's view."""

    def __init__(self, layout: RowLayout, terms: Sequence[str] = ()) -> None:
        self.layout = layout
        self.find: re.Pattern[str] | None = None
        self.terms: re.Pattern[str] | None = compile_terms(terms)
        self._ranges: LRUCache[tuple[int, Side, str], Ranges] = LRUCache(512)

    def set_find(self, terms: Sequence[str]) -> bool:
        """Highlight `terms` as find matches (empty: none); True when that changes anything."""
        pattern = compile_terms(terms)
        if _same(pattern, self.find):
            return False
        self.find = pattern
        self.clear()
        return True

    def set_terms(self, terms: Sequence[str]) -> bool:
        """Highlight search terms; True when that changes anything."""
        pattern = compile_terms(terms)
        if _same(pattern, self.terms):
            return False
        self.terms = pattern
        self.clear()
        return True

    def clear(self) -> None:
        """Forget the ranges found (the rows were rendered again)."""
        self._ranges.clear()

    def decorate(
        self,
        row: int,
        cell: Cell,
        style: Callable[[str], Style],
        extra: Sequence[tuple[Ranges, Style]] = (),
    ) -> Text:
        """The cell's text with terms and matches styled (`style("term")`, `style("match")`),
        and any `extra` ranges (the sentence cursor) under them."""
        text = cell.line.text
        highlights: list[tuple[Ranges, Style]] = list(extra) if cell.line.pieces else []
        for which, pattern in (("term", self.terms), ("match", self.find)):
            if pattern is None or not cell.line.pieces:
                continue
            ranges = self._row_ranges(row, cell.side, which, pattern)
            if ranges:
                highlights.append((ranges, style(which)))
        if not highlights:
            return text
        text = text.copy()
        for ranges, part in highlights:
            for offset, unit, start, length in cell.line.pieces:
                for a, b in ranges.get(unit, ()):
                    lo, hi = max(a, start), min(b, start + length)
                    if lo < hi:
                        text.stylize(part, offset + lo - start, offset + hi - start)
        return text

    def first_term_line(self, row: int, side: Side, lines: Sequence[Sequence[Cell]]) -> int | None:
        """The first of a row's screen `lines` (each its cells) showing a search term on `side`."""
        if self.terms is None:
            return None
        ranges = self._row_ranges(row, side, "term", self.terms)
        if not ranges:
            return None
        for k, cells in enumerate(lines):
            for cell in cells:
                if cell.side != side:
                    continue
                for _offset, unit, start, length in cell.line.pieces:
                    if any(a < start + length and b > start for a, b in ranges.get(unit, ())):
                        return k
        return None

    def _row_ranges(self, row: int, side: Side, which: str, pattern: re.Pattern[str]) -> Ranges:
        key = (row, side, which)
        ranges = self._ranges.get(key)
        if ranges is None:
            rendered = self.layout.rendered(row, side)
            ranges = unit_ranges(rendered, pattern) if rendered is not None else {}
            self._ranges[key] = ranges
        return ranges


def _same(a: re.Pattern[str] | None, b: re.Pattern[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.pattern == b.pattern
