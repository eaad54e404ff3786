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
        if not ok or lang not in ("en", "zh", "bilingual"):
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
    """One matching row. Spans are (start, end) character offsets into `snippet`.

    `row` is the row's index in the document (0 for its first row; people are shown `row + 1`).
    `file` and `line` say where the matching side starts in the library (`file` relative to the
    library root, `line` 1-based; 0 when an index built before lines were kept is searched)."""

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
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class DocGroup:
    """One document's hits, for a result list shown by document: its best rows, best first, and
    how many of its records match in all (rows, and its title)."""

    id: str
    path: str
    title: str
    hits: tuple[Hit, ...]
    matches: int

    @property
    def more(self) -> int:
        """Matching rows of this document not in `hits` ("12 more rows in this document")."""
        return max(0, self.matches - len(self.hits))


@dataclass(frozen=True, slots=True)
class SearchResults:
    """`hits` are the best rows in score order; `groups` (asked for with `per_document`) the
    documents of the best rows, each with its own best rows, in the order of their best row."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    tag_facets: dict[str, int] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    suggestion: str | None = None  # "did you mean", when there are no hits
    notes: tuple[str, ...] = ()  # what the user should know about the answer (a repaired index)
    groups: tuple[DocGroup, ...] = ()


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
