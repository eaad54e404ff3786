"""What the index hands to its callers (CLI and app): plain values, no Whoosh objects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from corpus.model import DocLang


@dataclass(frozen=True, slots=True)
class DocInfo:
    """A document's library-list entry, read from the index so launching never re-parses files."""

    id: str
    path: str
    title: str
    title_alt: str | None
    date: str | None
    tags: tuple[str, ...]
    author: str | None
    lang: DocLang
    rows: int
    warnings: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    # As one JSON array, fields in this order: the index's catalog and the app's cached list
    # store thousands of these, and arrays read faster than objects.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "path", "title", "title_alt", "date", "tags", "author", "lang", "rows", "warnings",
        "files",
    )  # fmt: skip

    def to_row(self) -> list[Any]:
        return [getattr(self, name) for name in DocInfo.FIELDS]

    @classmethod
    def from_row(cls, row: list[Any]) -> DocInfo:
        """The entry `to_row` wrote; ValueError for anything else."""
        id_, path, title, title_alt, date, tags, author, lang, rows, warnings, files = row
        ok = isinstance(id_, str) and isinstance(path, str) and isinstance(rows, int)
        if not ok or not isinstance(lang, str) or not lang:
            raise ValueError(f"not a document entry: {row!r:.80}")
        return cls(
            id_, path, title, title_alt, date, tuple(tags), author, lang, rows, tuple(warnings),
            tuple(files),
        )  # fmt: skip


def newest_first(docs: Iterable[DocInfo]) -> list[DocInfo]:
    """The library's default order: newest first, undated last, ties by title then path."""
    items = sorted(docs, key=lambda d: (d.title.casefold(), d.path))
    dated = sorted((d for d in items if d.date), key=lambda d: d.date or "", reverse=True)
    return dated + [d for d in items if not d.date]


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching row. Spans are (start, end) character offsets into `snippet`."""

    id: str
    path: str
    title: str
    row: int
    lang: str  # language of the matching side: "en" | "zh" | "title"...
    en: str | None
    zh: str | None
    snippet: str
    score: float
    spans: tuple[tuple[int, int], ...] = ()
    terms: tuple[str, ...] = ()  # the literal strings to highlight in the reader


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    tag_facets: dict[str, int] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    suggestion: str | None = None  # "did you mean", when there are no hits
    notes: tuple[str, ...] = ()  # what the user should know about the answer (a repaired index)


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """Posted while indexing: files and bytes done out of the total to do."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str = ""


@dataclass(frozen=True, slots=True)
class IndexSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    messages: tuple[str, ...] = ()
    locked: bool = False  # another process held the index: nothing was done
