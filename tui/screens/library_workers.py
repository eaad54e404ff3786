"""The library screen's workers and what they report: indexing (and watching for another
process's commit) and searching. `LibraryScreen` builds on it; the state lives on the screen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from index.types import DocInfo, SearchResults
from tui import messages
from tui.library_service import log_exception, one_line
from tui.result_entries import PER_DOCUMENT
from tui.widgets.index_status import IndexStatus
from tui.widgets.library_filters import Filters, filter_results, tag_labels
from tui.widgets.library_status import index_report
from tui.widgets.search_coverage import coverage_note

if TYPE_CHECKING:
    from corpus.model import DocLang
    from tui.library_service import LibraryService
    from tui.widgets.document_list import DocumentList
    from tui.widgets.result_list import ResultList

M = TypeVar("M", bound=Message)

SEARCH_LIMIT = 100
WATCH_INTERVAL = 1.5  # seconds between looks at the index while another process writes it


def unless_leaving(
    handler: Callable[[LibraryWorkers, M], None],
) -> Callable[[LibraryWorkers, M], None]:
    """A worker's report handled only while the app is not quitting: after `ctrl+q` the
    screen's widgets are being torn down, and a report arriving then has nothing to update."""

    @wraps(handler)
    def handle(screen: LibraryWorkers, message: M) -> None:
        if not screen.leaving:
            handler(screen, message)

    return handle


class LibraryWorkers(Screen[None]):
    """The index and search workers, and their reports shown."""

    service: LibraryService
    all_documents: list[DocInfo]
    labels: dict[str, str]
    indexed: bool
    loaded: bool
    indexing: bool
    index_idle: bool
    _watch: Timer | None
    _watched: tuple[str, int | None] | None
    filters: Filters
    query_text: str
    results: SearchResults | None
    _generation: int
    _debounce: Timer | None
    _open_first_hit: bool
    _search_lock: threading.Lock
    _typing: bool  # the last word of the box is still being typed (no space or Enter after it)
    _committed: int = 0  # documents in the last commit of a first build (search covers them)

    if TYPE_CHECKING:

        @property
        def leaving(self) -> bool: ...

        @property
        def searching(self) -> bool: ...

        @property
        def doc_list(self) -> DocumentList: ...

        def _update_status(self) -> None: ...

        def _refresh_documents(self, keep: str | None = None) -> None: ...

        def _empty_documents_text(self) -> str: ...

        @property
        def result_list(self) -> ResultList: ...

        def _refresh_filters(self) -> None: ...

        def _open_hit_at(self, index: int) -> None: ...

    # ---- index lifecycle (messages from the index worker) ----------------------------------------

    def action_reindex(self) -> None:
        if not self.indexing:
            self._start_indexing(rebuild=False, list_first=False)

    def action_rebuild_index(self) -> None:
        if not self.indexing:
            self._start_indexing(rebuild=True, list_first=False)

    def _start_indexing(self, *, rebuild: bool, list_first: bool) -> None:
        self.index_idle = False
        self._index_worker(rebuild=rebuild, list_first=list_first)

    def list_unindexed(self) -> None:
        """On a library never indexed, list the documents from their files at once."""
        self.service.list_files_if_unindexed(messages.IndexEventPoster(self.post_message))

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _index_worker(self, *, rebuild: bool, list_first: bool) -> None:
        worker = get_current_worker()
        events = messages.IndexEventPoster(self.post_message)
        self.service.refresh(
            events, rebuild=rebuild, list_first=list_first, cancelled=lambda: worker.is_cancelled
        )

    @unless_leaving
    def on_documents_loaded(self, message: messages.DocumentsLoaded) -> None:
        if self.indexed and not message.indexed and not self.indexing:
            return  # the listing from the files, late: the finished index's list is shown
        # While the list grows from the files, a cursor left at the top stays at the top.
        current = self.doc_list.current
        growing = not self.indexed and not self.doc_list.cursor
        self.loaded = True
        self.indexed = message.indexed
        self.all_documents = message.documents
        self.labels = tag_labels(message.documents)
        self._refresh_documents(keep=current.id if current and not growing else None)
        if self.searching:
            self._start_search()

    def on_index_idle(self, message: messages.IndexIdle) -> None:
        self.index_idle = True

    @unless_leaving
    def on_index_started(self, message: messages.IndexStarted) -> None:
        self.indexing = True
        self.query_one(IndexStatus).start(first_build=message.first_build)
        if not self.all_documents:
            self.doc_list.empty_message = Content(self._empty_documents_text())
            self.doc_list.refresh()
        self._update_status()

    @unless_leaving
    def on_index_progressed(self, message: messages.IndexProgressed) -> None:
        self.query_one(IndexStatus).advance(message.progress)
        searchable = message.progress.searchable
        if searchable != self._committed:  # a first build committed: search covers more
            self._committed = searchable
            if self.searching:
                self._start_search()

    def coverage_note(self) -> str | None:
        """How much of the library the shown results cover, while the index is partial."""
        results = self.results
        if results is None or not self.searching:
            return None
        known = self.indexed or self.service.listing_complete
        return coverage_note(results.coverage, documents=len(self.all_documents) if known else None)

    @unless_leaving
    def on_index_finished(self, message: messages.IndexFinished) -> None:
        self.indexing = False
        self.query_one(IndexStatus).stop()
        summary = message.summary
        if summary.locked:
            # A list read from the files (the first build's listing) stays one.
            self.indexed = self.indexed and bool(self.all_documents)
            self._update_status()
            self.notify(
                "Another process is updating the index; the list follows when it is done.",
                title="Index",
                markup=False,
            )
            self._watch_for_commit()
            return
        self.indexed = True
        self._update_status()
        report = index_report(summary, asked=message.asked, first_build=message.first_build)
        if report:
            self.notify(report, markup=False)
        for text in summary.messages:
            self.notify(text, markup=False, severity="warning")

    def _watch_for_commit(self) -> None:
        """Another process holds the index: look every WATCH_INTERVAL seconds (at two small
        files, never opening the index) and read the list again once its commit lands."""
        self._watched = self.service.commit_mark()
        if self._watch is None:
            self._watch = self.set_interval(WATCH_INTERVAL, self._check_commit)

    def _check_commit(self) -> None:
        if self.leaving or self.indexing:
            return
        try:
            mark = self.service.commit_mark()
        except OSError:
            return
        if mark is not None and mark != self._watched:
            if self._watch is not None:
                self._watch.stop()
                self._watch = None
            self._start_indexing(rebuild=False, list_first=True)

    @unless_leaving
    def on_index_failed(self, message: messages.IndexFailed) -> None:
        self.indexing = False
        self.query_one(IndexStatus).stop()
        self._update_status()
        self.notify(message.error, title="Index", severity="error", markup=False, timeout=10)

    # ---- searching -------------------------------------------------------------------------------

    def _start_search(self) -> None:
        self._debounce = None
        if not self.searching:
            return
        self._generation += 1
        if not self.indexed and not self.indexing:
            self.result_list.empty_message = Content("Search works once the index is built.")
            self.result_list.show(None)
            self._update_status()
            return
        tags = tuple(self.labels.get(t, t) for t in self.filters.tags)
        self._run_search(
            self._generation, self.query_text, tags, self.filters.lang, typing=self._typing
        )

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(
        self,
        generation: int,
        query: str,
        tags: tuple[str, ...],
        lang: DocLang | None,
        *,
        typing: bool,
    ) -> None:
        worker = get_current_worker()
        with self._search_lock:  # one query at a time; a cancelled one never starts
            if worker.is_cancelled:
                return
            try:
                results = self.service.search(
                    query,
                    tags=tags,
                    lang=lang,
                    limit=SEARCH_LIMIT,
                    typing=typing,
                    per_document=PER_DOCUMENT,
                )
            except Exception as exc:  # a failed query must not take the app down
                from index.library_index import IndexDamaged, IndexUnavailable

                if not (self.indexing and type(exc) is IndexUnavailable):  # no commit yet
                    log_exception("search failed", exc)
                damaged = isinstance(exc, IndexDamaged)
                error = one_line(str(exc))
                self.post_message(messages.SearchFailed(generation, error, damaged=damaged))
                return
        if not worker.is_cancelled:
            self.post_message(messages.SearchFinished(generation, results))

    @unless_leaving
    def on_search_finished(self, message: messages.SearchFinished) -> None:
        if message.generation != self._generation or not self.searching:
            return
        # The same query answered again at a later commit: more of the library covered.
        again = self.results is not None and self.results.query == message.results.query
        results = filter_results(message.results, self.all_documents, self.filters)
        self.results = results
        if results.hits:
            self.result_list.empty_message = Content("")
        elif results.suggestion:
            self.result_list.empty_message = Content.assemble(
                "No matches. Did you mean ", (results.suggestion, "bold"), "? Enter searches it."
            )
        else:
            self.result_list.empty_message = Content("No matches.")
        self.result_list.show(results, again=again)
        self._refresh_filters()
        self._update_status()
        if self._open_first_hit and results.hits and self.is_current:
            self._open_hit_at(0)
        self._open_first_hit = False

    @unless_leaving
    def on_search_failed(self, message: messages.SearchFailed) -> None:
        if message.damaged:
            # Say it once, and rebuild: the list's reload then runs the search again.
            if not self.indexing:
                self.notify(
                    "The search index is damaged; rebuilding it.",
                    title="Index",
                    severity="warning",
                    markup=False,
                )
                self._start_indexing(rebuild=True, list_first=False)
            error = "The search index is damaged; rebuilding it…"
        elif self.indexing and not self._committed:  # no commit yet: the next one searches again
            error = "Search answers as soon as the first documents are indexed…"
        else:
            error = f"Search failed: {message.error}"
        if message.generation != self._generation:
            return
        self.result_list.empty_message = Content(error)
        self.result_list.show(None)

    # ---- one document's rows (a group of the results shown whole) -------------------------------

    def on_result_list_expand(self, event: ResultList.Expand) -> None:
        results = self.results
        if results is None or not self.indexed:
            return
        group = next((g for g in results.groups if g.id == event.doc_id), None)
        if group is None:
            return
        tags = tuple(self.labels.get(t, t) for t in self.filters.tags)
        self._group_rows(
            self._generation,
            results.query,
            tags,
            self.filters.lang,
            group.id,
            group.matches,
            typing=self._typing,
        )

    @work(thread=True, exclusive=True, group="group-rows", exit_on_error=False)
    def _group_rows(
        self,
        generation: int,
        query: str,
        tags: tuple[str, ...],
        lang: DocLang | None,
        doc_id: str,
        rows: int,
        *,
        typing: bool,
    ) -> None:
        try:
            with self._search_lock:
                found = self.service.search(
                    query, tags=tags, lang=lang, limit=rows, typing=typing, document=doc_id
                )
        except Exception as exc:
            log_exception("listing a document's rows failed", exc)
            return
        self.post_message(messages.GroupRowsFound(generation, doc_id, found.hits))

    @unless_leaving
    def on_group_rows_found(self, message: messages.GroupRowsFound) -> None:
        if message.generation == self._generation:
            self.result_list.show_all_rows(message.doc_id, message.hits)
