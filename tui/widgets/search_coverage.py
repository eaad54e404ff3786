"""What the library says while search answers from a first build's commits.

Plain functions of plain values: the screen calls them from its handlers.
"""

from __future__ import annotations

from index.types import Coverage


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
