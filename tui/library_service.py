"""The library as the app's screens see it: the document list, searching, documents to read.

No Textual here. The library screen runs `refresh` and `search` in its thread workers and is told
what happened through an `IndexEvents` it passes in (it turns each call into a message for the UI
thread); the app opens documents through `load_document`. The index is opened on first use, from a
worker (it imports Whoosh); the list the last launch read from it (`tui.list_cache`), or the
index's own catalog, fills the first frame before that.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from corpus.errors import LibraryError
from index.types import Coverage, DocInfo, IndexProgress, IndexSummary, SearchResults

if TYPE_CHECKING:
    from corpus.correction_store import CorrectionStore
    from corpus.model import DocLang, Document
    from tui.library_listing import Listing
    from tui.reading_state import ReadingState

log = logging.getLogger("llama_reader.app")

PROGRESS_INTERVAL = 0.1  # seconds between progress reports from the indexing thread
LISTING_HEAD_START = 10.0  # seconds a first build waits for the list's first screenful, at most


class LibraryIndexLike(Protocol):
    """What the app needs from `index.library_index.LibraryIndex`."""

    def is_current(self) -> bool: ...

    def update(
        self,
        *,
        progress: Callable[[IndexProgress], None] | None = ...,
        rebuild: bool = ...,
        cancel: threading.Event | None = ...,
    ) -> IndexSummary: ...

    def documents(self) -> list[DocInfo]: ...

    def search(
        self,
        query: str,
        *,
        tags: Sequence[str] = ...,
        lang: str | None = ...,
        limit: int = ...,
        typing: bool = ...,
        per_document: int = ...,
        document: str | None = ...,
    ) -> SearchResults: ...

    def load_document(self, doc_id: str) -> Document: ...

    def prepare(self) -> None: ...

    def coverage(self) -> Coverage: ...


IndexFactory = Callable[[Path, Path | None], LibraryIndexLike]


def default_index_factory(library: Path, index_dir: Path | None) -> LibraryIndexLike:
    from index.library_index import LibraryIndex  # imports Whoosh: only inside a worker

    index: LibraryIndexLike = LibraryIndex(library, index_dir=index_dir)
    return index


class IndexEvents(Protocol):
    """What `LibraryService.refresh` reports, from its thread, as it goes."""

    def documents_loaded(self, documents: list[DocInfo], *, indexed: bool) -> None: ...

    def index_started(self, *, first_build: bool) -> None: ...

    def index_progressed(self, progress: IndexProgress) -> None: ...

    def index_finished(self, summary: IndexSummary, *, first_build: bool, asked: bool) -> None: ...

    def index_failed(self, error: str) -> None: ...

    def index_idle(self) -> None: ...


class LibraryService:
    """One library's list, index and reading state, shared by the screens of one app."""

    def __init__(
        self,
        library: Path,
        index_dir: Path | None = None,
        *,
        index_factory: IndexFactory = default_index_factory,
        use_list_cache: bool = True,
    ) -> None:
        self.library = library
        self.index_dir = index_dir
        self.use_list_cache = use_list_cache
        self.cancel = threading.Event()  # set when the app leaves: long work stops at its next step
        self._index_factory = index_factory
        self._index: LibraryIndexLike | None = None
        self._index_lock = threading.Lock()
        self._cached: list[DocInfo] | None = None
        self._head_missing = False
        self._reading_state: ReadingState | None = None
        self._corrections: CorrectionStore | None = None
        self._reading_lock = threading.Lock()
        self._home: Path | None = None
        self._listing: Listing | None = None  # the list read from the files during a first build

    @property
    def name(self) -> str:
        return self.library.name or str(self.library)

    @property
    def listing_complete(self) -> bool:
        """Whether the list read from the files (while a first build runs) holds every file."""
        listing = self._listing
        return listing is not None and listing.complete

    @property
    def closing(self) -> bool:
        """Whether the app is on its way out: deferred work (after the first frame) is skipped."""
        return self.cancel.is_set()

    # ---- the index -------------------------------------------------------------------------------

    def index(self) -> LibraryIndexLike:
        """The library's index, opened on first use (from a worker thread: it imports Whoosh)."""
        with self._index_lock:
            if self._index is None:
                self._index = self._index_factory(self.library, self.index_dir)
                from tui.quiet import detach_terminal_handlers

                detach_terminal_handlers()
            return self._index

    def close_index(self) -> None:
        """Release the index's files (call once the app has exited)."""
        with self._index_lock:
            index, self._index = self._index, None
        close = getattr(index, "close", None)
        if callable(close):
            try:
                close()
            except Exception as exc:
                log_exception("closing the index failed", exc)

    def commit_mark(self) -> tuple[str, int | None] | None:
        """Which commit of the index is current (its generation and table of contents), read
        from two small files without opening the index: cheap enough to poll from a timer while
        another process builds. None: no index yet."""
        from index.storage.catalog import toc_generation
        from index.storage.store import Store, index_home

        if self._home is None:
            self._home = index_home(self.library, self.index_dir)
        gen = Store(self._home).current()
        return None if gen is None else (gen.name, toc_generation(gen))

    def search(
        self,
        query: str,
        *,
        tags: Sequence[str] = (),
        lang: DocLang | None = None,
        limit: int = 50,
        typing: bool = False,
        per_document: int = 0,
        document: str | None = None,
    ) -> SearchResults:
        """`typing`: the last word is still being typed, so it also finds the words it begins.
        `per_document`: also the hits grouped by document; `document`: only that one's rows."""
        index = self.index()
        listing = self._listing
        # While the files are still read for the list, the reading waits: the search has the
        # interpreter to itself.
        with listing.held() if listing is not None and listing.running else nullcontext():
            return index.search(
                query,
                tags=tuple(tags),
                lang=lang,
                limit=limit,
                typing=typing,
                per_document=per_document,
                document=document,
            )

    def load_document(self, doc_id: str) -> Document:
        """A document to read, as its files say (the reader applies its alignment corrections);
        also reads the reading state and the corrections from disk (off the UI thread). While a
        first build runs, a document listed from its files but not yet in the index is read from
        its files."""
        try:
            document = self.index().load_document(doc_id)
        except LibraryError:
            listed = self._listing.load(doc_id) if self._listing is not None else None
            if listed is None:
                raise
            document = listed
        self.reading_state  # noqa: B018
        self.corrections.corrections(document)
        return document

    def shown_row(self, document: Document, row: int, side: str | None = None) -> int:
        """The row the reader shows for row `row` of the index (a search hit, on `side`), once
        the document's alignment corrections are applied."""
        corrected = self.corrections.open(document).corrected
        return corrected.shown_row(row, "en" if side == "en" else "zh" if side == "zh" else None)

    # ---- the list the first frame shows ----------------------------------------------------------

    def cached_head(self) -> tuple[list[DocInfo], int] | None:
        """The newest documents of the cached list and the total: enough for a first frame."""
        if not self.use_list_cache:
            return None
        from tui import list_cache

        head = list_cache.load_head(self.library, self.index_dir)
        self._head_missing = head is None
        return head or self._peek_catalog(list_cache.HEAD)

    def cached_documents(self) -> list[DocInfo] | None:
        """The list as the last launch read it from the index (None: not known); shown on the
        first frame while the index opens."""
        if not self.use_list_cache:
            return None
        from tui import list_cache

        self._cached = list_cache.load(self.library, self.index_dir)
        if self._cached is None:
            found = self._peek_catalog(None)
            self._cached = found[0] if found else None
        return self._cached

    def _is_cached(self, documents: list[DocInfo]) -> bool:
        """Whether `documents` are the ones already shown. Order does not count: the screen sorts
        the list itself, the index lists by path and its catalog newest first."""
        cached = self._cached
        if cached is None or len(cached) != len(documents):
            return False
        return set(cached) == set(documents)

    def _peek_catalog(self, limit: int | None) -> tuple[list[DocInfo], int] | None:
        """The list in the index's own catalog (the first launch after `llama-reader index`)."""
        from index.storage.catalog import peek

        try:
            return peek(self.library, self.index_dir, limit)
        except OSError as exc:
            log.info("could not read the index catalog: %s", exc)
            return None

    def _remember(self, documents: list[DocInfo]) -> None:
        if self.use_list_cache and (not self._is_cached(documents) or self._head_missing):
            self._head_missing = False
            from tui import list_cache

            list_cache.save(self.library, self.index_dir, documents)
            self._cached = documents

    # ---- keeping the list current ----------------------------------------------------------------

    def refresh(
        self,
        events: IndexEvents,
        *,
        rebuild: bool,
        list_first: bool,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        """Read the list from the index (`list_first`), then bring the index up to date if it is
        not. Runs in a thread; `cancelled` says the caller no longer wants the outcome."""
        try:
            ix = self.index()
            documents: list[DocInfo] = []
            if list_first:
                try:
                    documents = ix.documents()
                except LibraryError as exc:  # no index yet: the first launch on this library
                    log.info("no library list yet: %s", exc)
                except Exception as exc:
                    log_exception("reading the library list from the index failed", exc)
                if documents:
                    self._stop_listing()
                    if not self._is_cached(documents):
                        events.documents_loaded(documents, indexed=True)
                    self._remember(documents)
                elif self._cached:  # the index went away: keep the list, searching must wait
                    events.documents_loaded(self._cached, indexed=False)
                current = False
                if not rebuild:
                    try:
                        current = ix.is_current()
                    except Exception as exc:
                        log_exception("checking the index failed", exc)
                if current:
                    if not documents:
                        events.documents_loaded([], indexed=True)
                    self._prepare_search(ix)
                    return
            first_build = not documents and list_first
            if cancelled() or self.cancel.is_set():
                return
            events.index_started(first_build=first_build)
            if list_first and not rebuild and (first_build or _partial(ix)):
                listing = self.list_files(events, documents)
                # The list's first screenful, and their languages, before the build's
                # processes take the CPU.
                waited = time.monotonic()
                while not listing.head_listed.wait(0.05) and not self.cancel.is_set():
                    if time.monotonic() - waited > LISTING_HEAD_START:
                        break
            summary = ix.update(
                progress=_throttled(events.index_progressed), rebuild=rebuild, cancel=self.cancel
            )
            if cancelled() or self.cancel.is_set():
                return
            if summary.locked:  # another process holds the index (maybe building its first)
                try:
                    documents = ix.documents()
                except LibraryError:
                    documents = []
                if documents:
                    self._stop_listing()
                    events.documents_loaded(documents, indexed=True)
                    self._remember(documents)
                events.index_finished(summary, first_build=first_build, asked=not list_first)
                return
            documents = ix.documents()
            self._stop_listing()
            events.documents_loaded(documents, indexed=True)
            self._remember(documents)
            events.index_finished(summary, first_build=first_build, asked=not list_first)
            self._prepare_search(ix)
        except Exception as exc:
            log_exception("indexing failed", exc)
            if not self.cancel.is_set():
                events.index_failed(one_line(f"Indexing failed: {exc}"))
        finally:
            events.index_idle()

    def list_files(self, events: IndexEvents, known: Sequence[DocInfo] = ()) -> Listing:
        """List the documents from their files while the index is built (it lists only what
        it has committed, and nothing for seconds); `known`: what the index lists already.
        A listing under way with the same `known` goes on."""
        from tui.library_listing import Listing

        listing = self._listing
        if listing is not None and listing.running and listing.known == list(known):
            return listing
        self._stop_listing()

        def report(documents: list[DocInfo]) -> None:
            events.documents_loaded(documents, indexed=False)

        listing = Listing(self.library, report, known=known, cancel=self.cancel)
        self._listing = listing.start()
        return listing

    def prepare_listing(self) -> None:
        """On a library never indexed, load what listing its files needs in a thread now, as
        the app starts, rather than after its first frame."""
        prepare_first_launch(self.library, self.index_dir)

    def list_files_if_unindexed(self, events: IndexEvents) -> None:
        """On the first launch on a library (no index at all), start listing its files at once,
        before the index is even opened."""
        try:
            unindexed = self.commit_mark() is None
        except OSError:
            return
        if unindexed and not self.cancel.is_set():
            self.list_files(events)

    def _stop_listing(self) -> None:
        if self._listing is not None:
            self._listing.stop()

    def _prepare_search(self, ix: LibraryIndexLike) -> None:
        """Open the index for searching now (about half a second on a large library), while the
        user is still reading the list, rather than on the first key typed into the search box."""
        if self.cancel.is_set():
            return
        try:
            ix.prepare()
        except Exception as exc:  # searching will report it, if it fails again
            log.info("could not prepare the index for searching: %s", exc)

    # ---- reading ---------------------------------------------------------------------------------

    @property
    def corrections(self) -> CorrectionStore:
        """The alignment corrections, read from disk once and shared by every reader."""
        with self._reading_lock:
            if self._corrections is None:
                from corpus.correction_store import CorrectionStore

                self._corrections = CorrectionStore()
            return self._corrections

    @property
    def reading_state(self) -> ReadingState:
        """Positions and bookmarks, read from disk once and shared by every reader this app
        opens: a bookmark made in one reader is in the next, even when saving it failed."""
        with self._reading_lock:
            if self._reading_state is None:
                from tui.reading_state import ReadingState

                self._reading_state = ReadingState()
            return self._reading_state


_preparing = threading.Lock()
_prepared: set[tuple[Path, Path | None]] = set()


def prepare_first_launch(library: Path, index_dir: Path | None) -> None:
    """When `library` was never indexed, import what listing its files needs (the corpus
    modules) in a thread, once. `llama-reader` calls this before it imports Textual, so the two
    overlap."""
    with _preparing:
        if (library, index_dir) in _prepared:
            return
        _prepared.add((library, index_dir))
    try:
        from index.storage.store import Store, index_home

        if Store(index_home(library, index_dir)).current() is not None:
            return
    except OSError:
        return

    def prepare() -> None:
        try:
            from index.build.listing import prepare

            prepare()
        except Exception as exc:  # the listing meets it again, and reports it
            log.info("could not prepare the listing: %s", exc)

    threading.Thread(target=prepare, name="listing-prepare", daemon=True).start()


def one_line(text: str) -> str:
    """An error's message as one line of the app (a message never shows a traceback)."""
    from corpus.text import printable

    return printable(" ".join(text.split()))


def log_exception(what: str, exc: BaseException) -> None:
    log.error("%s: %s", what, exc, exc_info=exc)


def _partial(ix: LibraryIndexLike) -> bool:
    """Whether the index is a first build's partial one (stopped, or going on elsewhere)."""
    try:
        return ix.coverage().partial
    except Exception as exc:
        log.info("could not read the index's coverage: %s", exc)
        return False


def _throttled(report: Callable[[IndexProgress], None]) -> Callable[[IndexProgress], None]:
    """`report`, at most every PROGRESS_INTERVAL seconds, and always for the last file, a new
    phase and a new commit (search then covers more: the screen runs its query again)."""
    last = 0.0
    seen: tuple[str, int] = ("", 0)

    def post(progress: IndexProgress) -> None:
        nonlocal last, seen
        now = time.monotonic()
        done = progress.files_total and progress.files_done >= progress.files_total
        news = (progress.phase, progress.searchable) != seen
        if now - last >= PROGRESS_INTERVAL or done or news:
            last = now
            seen = (progress.phase, progress.searchable)
            report(progress)

    return post
