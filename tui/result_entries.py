"""The lines of the search result list, by document or in plain row order.

By document, each document's best rows come together (the best document first) and a line says
how many of its rows are not shown ("12 more rows in this document"); expanding the document
puts all its rows in place of that line. In row order, the hits come best first, as the index
ranked them. Plain values, so the arrangement is tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index.types import DocGroup, Hit

PER_DOCUMENT = 3  # rows shown for each document before "N more rows in this document"


@dataclass(frozen=True, slots=True)
class ResultEntry:
    """A hit of the list (`hit`), or the line saying `more` rows of document `doc_id` are not
    shown (`hit` is None). `first`: the first hit of its document in the list, which shows the
    document's title."""

    doc_id: str
    hit: Hit | None = None
    first: bool = True
    more: int = 0


def row_entries(hits: Sequence[Hit]) -> list[ResultEntry]:
    """Every hit in rank order, each with its document's title."""
    return [ResultEntry(hit.id, hit) for hit in hits]


def document_entries(
    groups: Sequence[DocGroup], expanded: Mapping[str, Sequence[Hit]]
) -> list[ResultEntry]:
    """Each document's best rows, then its "more" line; an `expanded` document lists the rows
    it was given instead (its best rows first, as the index ranks a document's rows)."""
    entries: list[ResultEntry] = []
    for group in groups:
        hits = expanded.get(group.id)
        more = 0
        if hits is None:
            hits, more = group.hits, group.more
        for n, hit in enumerate(hits):
            entries.append(ResultEntry(group.id, hit, first=n == 0))
        if more:
            entries.append(ResultEntry(group.id, None, first=not hits, more=more))
    return entries
