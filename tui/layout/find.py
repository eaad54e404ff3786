"""Find in a document: which rows match a query, and where in each unit the matches fall.

Matching is done on the rendered text (what the reader shows), case-insensitively, with any run
of spaces in the query matching any run of whitespace. Rendering every row of a long document
costs seconds, so a cheap test on the Markdown source (markup characters and whitespace removed)
first rules out the rows that cannot match.
"""

from __future__ import annotations

import itertools
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
    """Finds rows of one document; keeps each row's shown text between queries, so only the
    first search of a long document pays for rendering it."""

    def __init__(self, layout: RowLayout) -> None:
        self.layout = layout
        self._squashed: dict[tuple[int, Side], str] = {}
        self._shown: dict[tuple[int, Side], tuple[str, ...]] = {}

    def find(
        self,
        terms: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
        *,
        start: int = 0,
        first: Callable[[int], None] | None = None,
    ) -> list[int] | None:
        """Rows whose shown text contains any of `terms`, in order; None if cancelled.

        The scan begins at row `start` and wraps around; `first` is called with the first
        match it meets, so a caller can jump there before the whole document is counted.
        """
        pattern = compile_terms(terms)
        if pattern is None:
            return []
        keys = [_squash(t) for t in terms if t.strip()]
        total = len(self.layout.rows)
        start = min(max(start, 0), max(total - 1, 0))
        rows: list[int] = []
        for n, index in enumerate(itertools.chain(range(start, total), range(start))):
            if n % 256 == 0 and cancelled():
                return None
            if self._matches(index, pattern, keys):
                if first is not None and not rows:
                    first(index)
                rows.append(index)
        rows.sort()
        return rows

    def _matches(self, index: int, pattern: re.Pattern[str], keys: list[str]) -> bool:
        row = self.layout.rows[index]
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
            shown = self._shown.get(key)
            if shown is None:
                rendered = self.layout.rendered(index, side)
                shown = self._shown[key] = rendered.units if rendered is not None else ()
            if any(pattern.search(unit) for unit in shown):
                return True
        return False
