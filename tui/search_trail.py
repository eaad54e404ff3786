"""The search a reader was opened from, so that it can go on through the results.

From a hit, `]` and `[` open the next and previous documents of the results (in the order the
result list shows them), each at its best hit, and `n`/`N` step through the query's matches.
Plain values: the reader keeps one and hands it on to the next document it opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from index.types import Hit, SearchResults


@dataclass(frozen=True, slots=True)
class SearchTrail:
    query: str
    documents: tuple[str, ...]  # in the result list's order
    best: Mapping[str, Hit] = field(default_factory=dict)  # where each document opens

    def hit(self, doc_id: str) -> Hit | None:
        return self.best.get(doc_id)


def search_trail(results: SearchResults, *, by_document: bool) -> SearchTrail:
    """The documents of `results` as the list shows them (by document, or in the order of their
    best row), each with its best hit."""
    best: dict[str, Hit] = {}
    if by_document and results.groups:
        for group in results.groups:
            if group.hits:
                best[group.id] = group.hits[0]
    for hit in results.hits:
        best.setdefault(hit.id, hit)
    if by_document and results.groups:
        order = [group.id for group in results.groups if group.id in best]
    else:
        order = list(dict.fromkeys(hit.id for hit in results.hits))
    return SearchTrail(results.query, tuple(order), best)
