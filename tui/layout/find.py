"""Find in a document: which rows match a query, and where in each unit the matches fall.

Matching is done on the rendered text (what the reader shows), case-insensitively, with any run
of spaces in the query matching any run of whitespace. Rendering every row of a long document
costs seconds, so a cheap test on the Markdown source (markup characters and whitespace removed)
first rules out the rows that cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from corpus.model import Block
from tui.layout.markdown import Rendered
from tui.layout.rows import RowLayout, Side

Ranges = dict[int, list[tuple[int, int]]]  # unit index → (start, end) character ranges

_SQUASH = re.compile(r"[\s*_`~\\#>|\[\]()!]+")


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for any of `terms` (longest first), or None if none."""
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    parts = [r"\s+".join(re.escape(piece) for piece in word.split()) for word in words]
    return re.compile("|".join(parts), re.IGNORECASE)


def unit_ranges(rendered: Rendered, pattern: re.Pattern[str]) -> Ranges:
    out: Ranges = {}
    for unit, plain in enumerate(rendered.units):
        found = [m.span() for m in pattern.finditer(plain) if m.end() > m.start()]
        if found:
            out[unit] = found
    return out


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


class RowFinder:
    """Finds rows of one document; keeps the squashed sources between queries."""

    def __init__(self, layout: RowLayout) -> None:
        self.layout = layout
        self._squashed: dict[tuple[int, Side], str] = {}

    def find(
        self,
        terms: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[int] | None:
        """Rows whose shown text contains any of `terms`, in order; None if cancelled."""
        pattern = compile_terms(terms)
        if pattern is None:
            return []
        keys = [_squash(t) for t in terms if t.strip()]
        layout = self.layout
        rows: list[int] = []
        for index, row in enumerate(layout.rows):
            if index % 256 == 0 and cancelled():
                return None
            sides: tuple[tuple[Side, Block | None], ...] = (("en", row.en), ("zh", row.zh))
            for side, block in sides:
                if block is None:
                    continue
                key = (index, side)
                squashed = self._squashed.get(key)
                if squashed is None:
                    squashed = self._squashed[key] = _squash(block.text)
                if not any(k in squashed for k in keys):
                    continue
                rendered = layout.rendered(index, side)
                if rendered is not None and any(pattern.search(u) for u in rendered.units):
                    rows.append(index)
                    break
        return rows
