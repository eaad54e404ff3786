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
    # The share of text rows with both sides (corpus.coverage), 0–1; None: not known (an index
    # written before it was kept).
    coverage: float | None = None

    # As one JSON array, fields in this order: the index's catalog and the app's cached list
    # store thousands of these, and arrays read faster than objects.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "path", "title", "title_alt", "date", "tags", "author", "lang", "rows", "warnings",
        "files", "coverage",
    )  # fmt: skip

    def to_row(self) -> list[Any]:
        return [getattr(self, name) for name in DocInfo.FIELDS]

    @classmethod
    def from_row(cls, row: list[Any]) -> DocInfo:
        """The entry `to_row` wrote; ValueError for anything else."""
        id_, path, title, title_alt, date, tags, author, lang, rows, warnings, files, cov = row
        ok = isinstance(id_, str) and isinstance(path, str) and isinstance(rows, int)
        if not ok or not isinstance(lang, str) or not lang:
            raise ValueError(f"not a document entry: {row!r:.80}")
        if cov is not None and not isinstance(cov, int | float):
            raise ValueError(f"not a document entry: {row!r:.80}")
        return cls(
            id_, path, title, title_alt, date, tuple(tags), author, lang, rows, tuple(warnings),
            tuple(files), cov,
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
    coverage: Coverage | None = None  # set when the index answering is partial (a first build)

    groups: tuple[DocGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the library the last commit of the index answers for.

    A first build commits every few seconds, so search works long before it ends: `partial`
    until its last commit (and after a first build that was stopped, until an update finishes
    it). Counting files as well as documents is what the build knows early: a translation pair
    is two files and one document, and the pairs are only all known at the end."""

    documents: int  # documents searchable now
    files: int  # library files indexed so far (read, or found unreadable)
    files_total: int | None  # files in the library when the build started; None if not known
    partial: bool

    @property
    def share(self) -> float:
        """The indexed share of the library's files, 0..1 (1 when complete or unknown)."""
        if not self.partial or not self.files_total:
            return 1.0
        return min(1.0, self.files / self.files_total)


# The phases of an update, in order, as `IndexProgress.phase` names them.
READING = "reading files"  # listing the library and comparing it with the index
INDEXING = "indexing"  # reading, parsing and indexing files (committed every few seconds)
MERGING = "merging"  # workers finishing their last segments; pairing translations across batches
WRITING = "writing"  # the last commit: segments tidied, document list, file stamps, checksums
PHASES = (READING, INDEXING, MERGING, WRITING)


@dataclass(frozen=True, slots=True)
class IndexProgress:
    """Posted while indexing: files and bytes done out of the total to do, and the phase.

    `files_*`/`bytes_*` count the whole update; `done`/`total` count the phase's own `unit`
    ("bytes" while indexing, "files" while reading, "steps" while merging and writing), so no
    phase sits at its end while work goes on. `rate` is units per second in the phase, `eta`
    the seconds left in the phase (None when not yet known). `searchable` documents are in the
    last commit: while a first build is under way, search already answers for them."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    current: str = ""
    phase: str = INDEXING
    done: int = 0
    total: int = 0
    unit: str = "bytes"
    rate: float = 0.0
    eta: float | None = None
    searchable: int = 0


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
