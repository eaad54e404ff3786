"""What the library says while search answers from a first build's commits, and keeping the
selected hit selected when the results come again with more of the library behind them.

Plain functions of plain values: the screen calls them from its handlers.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.types import Coverage, Hit


def coverage_note(coverage: Coverage | None, *, documents: int | None) -> str | None:
    """ "search covers 1,200 of 5,000 documents" while the index is partial (None once it is
    complete). `documents`: the library's documents when all are known, else None: the share
    of its files indexed is said instead."""
    if coverage is None or not coverage.partial:
        return None
    found = f"{coverage.documents:,}"
    if documents is not None and documents >= coverage.documents:
        return f"search covers {found} of {documents:,} documents"
    if coverage.files_total:
        share = min(99, int(100 * coverage.share))
        said = f"{share}%" if share else "under 1%"
        return f"search covers {found} documents so far ({said} of the files)"
    return f"search covers {found} documents so far"


def hit_key(hit: Hit) -> tuple[str, int, str]:
    """What names a hit across two answers to the same query: its document, row and side."""
    return (hit.id, hit.row, hit.lang)


def kept_cursor(hits: Sequence[Hit], selected: Hit | None) -> int | None:
    """Where the cursor goes in new `hits` so the hit it was on stays selected (None: that hit
    is not among them)."""
    if selected is None:
        return None
    key = hit_key(selected)
    return next((n for n, hit in enumerate(hits) if hit_key(hit) == key), None)
