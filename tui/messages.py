"""Messages the app's workers post back to the UI thread.

Workers run in threads; they never touch widgets. They post one of these and the screen that owns
the work updates itself in its handler; what a screen does not handle bubbles up to the app
(`DocumentReady`: the app shows the reader).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from index.types import DocInfo, Hit, IndexProgress, IndexSummary, SearchResults

if TYPE_CHECKING:
    from corpus.model import Document
    from tui.search_trail import SearchTrail


class DocumentsLoaded(Message):
    """The library list, read from the index (possibly empty before the first build)."""

    def __init__(self, documents: list[DocInfo], *, indexed: bool) -> None:
        super().__init__()
        self.documents = documents
        self.indexed = indexed  # False: there was no usable index yet


class IndexStarted(Message):
    def __init__(self, *, first_build: bool) -> None:
        super().__init__()
        self.first_build = first_build


class IndexProgressed(Message):
    def __init__(self, progress: IndexProgress) -> None:
        super().__init__()
        self.progress = progress


class IndexFinished(Message):
    def __init__(self, summary: IndexSummary, *, first_build: bool, asked: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.first_build = first_build
        self.asked = asked  # the user asked for it (reindex key or palette): always report


class IndexFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class IndexIdle(Message):
    """The index worker is done (list read, index checked or updated, or given up)."""


class SearchFinished(Message):
    """Results for the query generation `generation`; stale generations are dropped."""

    def __init__(self, generation: int, results: SearchResults) -> None:
        super().__init__()
        self.generation = generation
        self.results = results


class SearchFailed(Message):
    def __init__(self, generation: int, error: str, *, damaged: bool = False) -> None:
        super().__init__()
        self.generation = generation
        self.error = error
        self.damaged = damaged  # the index was found damaged: the index worker rebuilds it


class DocumentReady(Message):
    """A document was loaded for reading, to open at `start_row` with `terms` highlighted."""

    def __init__(
        self,
        document: Document,
        *,
        start_row: int | None = None,
        terms: tuple[str, ...] = (),
        replace: bool = False,
        documents: tuple[str, ...] = (),
        hit: Hit | None = None,
        trail: SearchTrail | None = None,
    ) -> None:
        super().__init__()
        self.document = document
        self.hit = hit  # the search hit opened (its row and side are shown)
        self.trail = trail  # the search it came from: `]`, `[` go through its results
        self.start_row = start_row
        self.terms = terms
        self.replace = (
            replace  # swap the current reader (next/previous document) instead of pushing
        )
        self.documents = documents  # the list's ids in order, for the next/previous document


class IndexEventPoster:
    """`tui.library_service.IndexEvents` as messages: each report, from the indexing thread,
    becomes one of the messages above, posted with `post` (a screen's `post_message`)."""

    def __init__(self, post: Callable[[Message], object]) -> None:
        self.post = post

    def documents_loaded(self, documents: list[DocInfo], *, indexed: bool) -> None:
        self.post(DocumentsLoaded(documents, indexed=indexed))

    def index_started(self, *, first_build: bool) -> None:
        self.post(IndexStarted(first_build=first_build))

    def index_progressed(self, progress: IndexProgress) -> None:
        self.post(IndexProgressed(progress))

    def index_finished(self, summary: IndexSummary, *, first_build: bool, asked: bool) -> None:
        self.post(IndexFinished(summary, first_build=first_build, asked=asked))

    def index_failed(self, error: str) -> None:
        self.post(IndexFailed(error))

    def index_idle(self) -> None:
        self.post(IndexIdle())


class GroupRowsFound(Message):
    """Every matching row of one document of the results (to show its group whole)."""

    def __init__(self, generation: int, doc_id: str, hits: tuple[Hit, ...]) -> None:
        super().__init__()
        self.generation = generation
        self.doc_id = doc_id
        self.hits = hits
