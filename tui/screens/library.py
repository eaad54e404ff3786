"""The library: every document, narrowed by tags, language and a search typed as you go.

The list comes from the index (never from the files), so it shows as soon as the index opens.
Everything the screen knows of the library comes through the `LibraryService` the app hands it,
called from thread workers that post messages back (`tui.messages`). Searching runs in an exclusive
worker: each keystroke restarts a short debounce, a newer query cancels an older one, and results
from a stale query are dropped, so typing never waits.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace as replace_fields
from functools import partial
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Static

from corpus.text import printable
from index.types import DocInfo, Hit, SearchResults
from tui import messages
from tui.library_service import log_exception
from tui.screens.library_workers import LibraryWorkers
from tui.search_trail import SearchTrail, search_trail
from tui.widgets.document_list import DocumentList
from tui.widgets.index_status import IndexStatus
from tui.widgets.key_footer import KeyFooter
from tui.widgets.language_bar import LanguageBar
from tui.widgets.library_filters import (
    LANG_NAMES,
    TRANSLATION_NAMES,
    Filters,
    SortKey,
    count_langs,
    count_tags,
    facet_counts,
    filter_documents,
    sort_documents,
    tag_rows,
)
from tui.widgets.library_status import empty_documents_text, status_content
from tui.widgets.record_list import RecordList
from tui.widgets.search_box import PLACEHOLDER, SearchBox
from tui.widgets.tag_list import TagList

M = TypeVar("M", bound=Message)

if TYPE_CHECKING:
    from corpus.model import DocLang
    from tui.library_service import LibraryService
    from tui.widgets.result_list import ResultList


SEARCH_DELAY = 0.15  # seconds of quiet typing before a query runs
NARROW = 70  # below this many columns the filter panel hides until asked for


class LibraryScreen(LibraryWorkers):
    HELP_GROUP: ClassVar[str] = "Library"

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as the key is read, before the keys behind it are handed to
        # the focused widget: "/llama" typed ahead while the app is busy all lands in the box.
        Binding("slash", "focus_search", "Search", show=True, priority=True),
        Binding("s", "toggle_sort", "Sort", show=True),
        Binding("S", "reverse_sort", "Reverse order", show=False),
        Binding("t", "focus_tags", "Tags", show=True),
        Binding("l", "cycle_lang", "Language", show=True),
        Binding("c", "clear_filters", "Clear filters", show=False),
        Binding("f", "toggle_filters", "Show/hide filters", show=False),
        Binding("r", "reindex", "Update index", show=False),
        Binding("b", "bookmarks", "Bookmarks", show=False),
        Binding("escape", "back", "Back / clear", show=False),
        Binding("q", "app.quit", "Quit", show=True),
    ]

    def __init__(self, service: LibraryService) -> None:
        super().__init__()
        self.service = service
        self.library_name = service.name
        self.all_documents: list[DocInfo] = []
        self.labels: dict[str, str] = {}
        self.filters = Filters()
        self.sort: SortKey = "date"
        self.sort_reversed = False  # oldest first, or titles Z to A
        self.query_text = ""
        self.results: SearchResults | None = None
        self.indexed = False
        self.loaded = False
        self.indexing = False
        self._generation = 0
        self._debounce: Timer | None = None
        self._open_first_hit = False  # an Enter typed ahead of the results: open when they come
        self._search_lock = threading.Lock()
        self._typing = False
        # Between "/" and the search box taking the focus, keys are letters, never commands.
        self.focusing_search = False
        self._show_filters: bool | None = None  # None: follow the width
        self.index_idle = False  # True once the index worker has nothing left to do
        self.preview_total: int | None = None  # documents in all, while only the newest are shown
        self._search_mounting = asyncio.Lock()
        self._watch: Timer | None = None  # polls for another process's commit
        self._watched: tuple[str, int | None] | None = None
        self.ready = asyncio.Event()  # set once mounted: the app holds keys pressed before that

    # ---- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="title-bar"):
            yield Static(id="title-left")
            yield Static(id="title-right")
        with Horizontal(id="body"):
            with Vertical(id="filters"):  # its lists are mounted after the first frame
                yield Static(Content("Language"), classes="section", id="language-heading")
                yield Static(Content("Tags"), classes="section", id="tags-heading")
            with Vertical(id="main"):
                # The search box (an Input, heavy to style) replaces this after the first frame.
                yield Static(Content(PLACEHOLDER), id="search-placeholder")
                yield Static(id="status")
                with ContentSwitcher(initial="documents", id="lists"):
                    yield DocumentList(id="documents")  # results are mounted on first search
        yield IndexStatus(id="index-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.doc_list.empty_message = Content("Opening the library…")
        self.query_one("#documents").focus()
        # The first frame shows the newest documents as the last launch knew them; the whole
        # list follows a frame later, and the index is opened after that (in a worker, which
        # competes with drawing for the GIL).
        head = self.service.cached_head()
        if head:
            self._show_preview(*head)
        else:  # maybe a library never indexed: its files are listed as they are read
            self.list_unindexed()
        self._update_title()
        self._update_status()
        self.doc_list.after_first_paint(self._load_cached_list)
        self.ready.set()

    def _show_preview(self, documents: list[DocInfo], total: int) -> None:
        self.preview_total = total
        self.indexed = True
        self.doc_list.show(documents)

    def _mount_the_rest(self) -> None:
        """The widgets the first frame does without: filters (they need the whole list) and
        search results. Mounting them later keeps their styles out of the first frame's work."""
        if self.query("#tags"):
            return
        self.run_worker(self._mount_search(), exclusive=False)
        filters = self.query_one("#filters")
        filters.mount(LanguageBar(id="language"), after="#language-heading")
        filters.mount(TagList(id="tags"), after="#tags-heading")
        self.result_list  # noqa: B018 (the property mounts it)

    def _load_cached_list(self) -> None:
        if self.service.closing:  # a `q` typed at launch: the screen is being torn down
            return
        self._mount_the_rest()
        cached = self.service.cached_documents()
        if cached:
            self.on_documents_loaded(messages.DocumentsLoaded(cached, indexed=True))
        self.doc_list.after_first_paint(self._open_index)
        self.doc_list.refresh()

    def _open_index(self) -> None:
        """Read the list from the index, then bring the index up to date, in the background."""
        if not self.service.closing:
            self._start_indexing(rebuild=False, list_first=True)

    def on_resize(self) -> None:
        self._apply_filter_visibility()
        self.call_after_refresh(self._update_status)  # the filters' summary fits the new width

    def _apply_filter_visibility(self) -> None:
        show = self._show_filters
        if show is None:
            show = self.size.width >= NARROW
        self.query_one("#filters").display = show

    @property
    def doc_list(self) -> DocumentList:
        return self.query_one("#documents", DocumentList)

    def _ensure_results(self) -> None:
        self.result_list.display = self.query_one(ContentSwitcher).current == "results"

    @property
    def result_list(self) -> ResultList:
        from tui.widgets.result_list import ResultList  # not needed for the first frame

        found = self.query("#results").results(ResultList)
        for results in found:
            return results
        results = ResultList(id="results")
        switcher = self.query_one(ContentSwitcher)
        results.display = switcher.current == "results"
        switcher.mount(results)
        return results

    @property
    def leaving(self) -> bool:
        """Whether the app is quitting (or this screen is already detached from it)."""
        return self.service.closing or not self.is_attached

    @property
    def searching(self) -> bool:
        return bool(self.query_text)

    # ---- the document list -----------------------------------------------------------------------

    def _refresh_documents(self, keep: str | None = None) -> None:
        shown = sort_documents(
            filter_documents(self.all_documents, self.filters),
            self.sort,
            reverse=self.sort_reversed,
        )
        self.doc_list.empty_message = Content(self._empty_documents_text())
        self.doc_list.show(shown, keep=keep)
        self._refresh_filters()
        self._update_title()
        self._update_status()

    def _empty_documents_text(self) -> str:
        return empty_documents_text(
            indexing=self.indexing,
            loaded=self.loaded,
            indexed=self.indexed,
            documents=len(self.all_documents),
        )

    def _refresh_filters(self) -> None:
        """Tag and language counts under the other filters and the current search."""
        if self.searching and self.results is not None:
            counts = facet_counts(self.results.tag_facets)
            lang_counts: dict[str, int] | None = None
        else:
            counts = count_tags(filter_documents(self.all_documents, self.filters))
            lang_counts = count_langs(
                filter_documents(self.all_documents, Filters(self.filters.tags, None))
            )
        self._mount_the_rest()
        tags = self.query_one(TagList)
        tags.empty_message = Content("no tags")
        tags.show(tag_rows(counts, self.labels, self.filters.tags))
        self.query_one(LanguageBar).update(self.filters.lang, lang_counts, self.filters.translation)

    def _update_title(self) -> None:
        total = len(self.all_documents) if self.loaded else self.preview_total
        right = f"{total:,} document{'s' if total != 1 else ''}" if total is not None else ""
        left = Content.assemble(
            ("llama-reader", "bold"), "  ", (printable(self.library_name), "$text-muted")
        )
        self.query_one("#title-left", Static).update(left)
        self.query_one("#title-right", Static).update(Content(right))

    def _update_status(self) -> None:
        shown, total = self.doc_list.count, len(self.all_documents)
        if not self.loaded and self.preview_total is not None:
            shown = total = self.preview_total
        status = self.query_one("#status", Static)
        line = status_content(
            query=self.query_text,
            indexed=self.indexed or self.indexing,
            results=self.results,
            shown=shown,
            total=total,
            sort=self.sort,
            reverse=self.sort_reversed,
            filters=self.filters,
            labels=self.labels,
            width=status.size.width,
            coverage=self.coverage_note(),
        )
        status.update(line)

    # ---- command palette -------------------------------------------------------------------------

    def palette_commands(self, *, listed: bool = True) -> Iterable[SystemCommand]:
        """The library's actions by name (ctrl+p). Each brings the library back to the front
        first; `listed=False` (another screen is showing) leaves them to be found by typing."""
        yield SystemCommand("Search the library", "Type to search (/)", self._palette_search)
        yield SystemCommand("Sort by date", "Newest first", partial(self.set_sort, "date"), listed)
        oldest = partial(self.set_sort, "date", reverse=True)
        yield SystemCommand("Sort oldest first", "By date, oldest first", oldest, listed)
        yield SystemCommand("Sort by title", "A to Z", partial(self.set_sort, "title"), listed)
        tags = partial(self._to_front, self.action_focus_tags)
        yield SystemCommand("Filter by tag…", "Choose tags in the filter panel (t)", tags, listed)
        yield SystemCommand(
            "Clear filters", "Show every document (c)", self.action_clear_filters, listed
        )
        for key, label in sorted(self.labels.items(), key=lambda kv: kv[1].casefold()):
            yield SystemCommand(
                f"Tag: {printable(label)}",
                "Toggle this tag in the filter",
                partial(self._to_front, self.toggle_tag, key),
                discover=False,
            )
        for lang, name in LANG_NAMES.items():
            yield SystemCommand(
                f"Language: {name}",
                f"Show only {name} documents",
                partial(self._to_front, self.set_lang, lang),
                discover=False,
            )
        for level, name in TRANSLATION_NAMES.items():
            yield SystemCommand(
                f"Translation: {name}",
                f"Show only bilingual documents {name}",
                partial(
                    self._to_front, self.set_filters, Filters(self.filters.tags, "bilingual", level)
                ),
                discover=False,
            )
        yield SystemCommand(
            "Bookmarks in the library",
            "Every bookmark, by document (b)",
            partial(self._to_front, self.action_bookmarks),
        )
        yield SystemCommand(
            "Update the index", "Index new and changed files (r)", self.action_reindex, listed
        )
        yield SystemCommand(
            "Rebuild the index", "Index every file again", self.action_rebuild_index, listed
        )

    def _to_front(self, action: Callable[..., object], *args: object) -> None:
        """Close the screens above this one (a reader, the help), then run `action`."""
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        action(*args)

    async def _palette_search(self) -> None:
        self._to_front(lambda: None)
        await self.action_focus_search()

    # ---- actions ---------------------------------------------------------------------------------

    async def _mount_search(self) -> None:
        async with self._search_mounting:  # `/` and the deferred mount may both get here
            if self.query(SearchBox) or self.leaving:
                return
            placeholder = self.query_one("#search-placeholder")
            await self.query_one("#main").mount(SearchBox(id="search"), before=placeholder)
            await placeholder.remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.leaving:
            return False
        if self.focusing_search:  # "/q…" typed ahead: the q is a letter of the query
            return False
        if action in ("toggle_sort", "reverse_sort"):
            return not self.searching  # results come best first; the sorted list is hidden
        # In the box "/" is typed like any letter, and the Footer does not offer it.
        return not (action == "focus_search" and isinstance(self.focused, SearchBox))

    async def action_focus_search(self) -> None:
        self.focusing_search = True
        try:
            await self._mount_search()  # in case "/" comes before the first frame is drawn
            for box in self.query(SearchBox).results(SearchBox):
                self.set_focus(box)  # at once, not after the queue
        finally:
            self.focusing_search = False

    def action_toggle_sort(self) -> None:
        self.set_sort("title" if self.sort == "date" else "date")

    def action_reverse_sort(self) -> None:
        self.set_sort(self.sort, reverse=not self.sort_reversed)

    def set_sort(self, sort: SortKey, *, reverse: bool = False) -> None:
        self.sort = sort
        self.sort_reversed = reverse
        current = self.doc_list.current
        self._refresh_documents(keep=current.id if current else None)

    def action_focus_tags(self) -> None:
        if not self.query_one("#filters").display:
            self._show_filters = True
            self._apply_filter_visibility()
        self._mount_the_rest()
        self.set_focus(self.query_one(TagList))

    def action_bookmarks(self) -> None:
        from tui.screens.bookmarks import LibraryBookmarksScreen

        titles = {d.id: d.title for d in self.all_documents}
        chooser = LibraryBookmarksScreen(self.service.reading_state.all_bookmarks(), titles)

        def chosen(index: int | None) -> None:
            if index is not None and not self.leaving:
                doc_id, mark = chooser.marks[index]
                self.point_at(doc_id)
                self.open_document(doc_id, start_row=mark.row)

        self.app.push_screen(chooser, chosen)

    def action_toggle_filters(self) -> None:
        self._show_filters = not self.query_one("#filters").display
        self._apply_filter_visibility()

    def action_cycle_lang(self) -> None:
        self.set_filters(self.filters.next_lang())

    def action_clear_filters(self) -> None:
        self.set_filters(Filters())

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        current = self.doc_list.current
        self._refresh_documents(keep=current.id if current else None)
        if self.searching:
            self._start_search()

    def toggle_tag(self, key: str) -> None:
        self.set_filters(self.filters.toggle_tag(key))

    def set_lang(self, lang: DocLang | None) -> None:
        self.set_filters(Filters(self.filters.tags, lang))

    def action_back(self) -> None:
        if isinstance(self.focused, TagList):
            self._focus_list()
        elif self.searching:
            self.query_one(SearchBox).value = ""
        elif self.filters.active:
            self.action_clear_filters()

    def _focus_list(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        target: RecordList = self.doc_list
        if switcher.current == "results":
            target = self.result_list
        self.set_focus(target)

    # ---- widget events ---------------------------------------------------------------------------

    @on(TagList.Toggled)
    def _tag_toggled(self, event: TagList.Toggled) -> None:
        self.toggle_tag(event.key)

    @on(LanguageBar.Chosen)
    def _lang_chosen(self, event: LanguageBar.Chosen) -> None:
        self.set_filters(Filters(self.filters.tags, event.lang, event.translation))

    @on(DocumentList.Selected, "#documents")
    def _open_document(self, event: RecordList.Selected) -> None:
        doc = self.doc_list.documents[event.index]
        self.open_document(doc.id)

    @on(RecordList.Selected, "#results")
    def _open_hit(self, event: RecordList.Selected) -> None:
        self._open_hit_at(event.index)

    def _open_hit_at(self, index: int) -> None:
        self._open_first_hit = False
        results = self.result_list
        hit = results.hit_at(index)
        if hit is not None and results.results is not None:
            trail = search_trail(results.results, by_document=results.by_document)
            self.open_document(hit.id, start_row=hit.row, terms=hit.terms, hit=hit, trail=trail)

    def open_document(
        self,
        doc_id: str,
        *,
        start_row: int | None = None,
        terms: Sequence[str] = (),
        replace: bool = False,
        hit: Hit | None = None,
        trail: SearchTrail | None = None,
    ) -> None:
        """Load a document in the background; the app shows it when `DocumentReady` comes up.
        `replace`: in place of the reader on screen (its next/previous document). `hit` and
        `trail`: opened from a search, whose results then give the next and previous."""
        order = tuple(d.id for d in self.doc_list.documents)  # the reader's next and previous
        found = (hit, trail)
        self._load_document(doc_id, start_row, tuple(terms), replace, order, found)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_document(
        self,
        doc_id: str,
        start_row: int | None,
        terms: tuple[str, ...],
        replace: bool,
        order: tuple[str, ...],
        found: tuple[Hit | None, SearchTrail | None] = (None, None),
    ) -> None:
        try:
            document = self.service.load_document(doc_id)
            hit, trail = found
            if hit is not None and start_row is not None:
                # The index counts rows as aligned; the reader shows them as corrected.
                start_row = self.service.shown_row(document, start_row, hit.lang)
                hit = replace_fields(hit, row=start_row)
        except Exception as exc:
            log_exception(f"opening document {doc_id} failed", exc)
            self.app.call_from_thread(
                self.notify, f"Could not open the document: {exc}", severity="error", markup=False
            )
            return
        self.post_message(
            messages.DocumentReady(
                document,
                start_row=start_row,
                terms=terms,
                replace=replace,
                documents=order,
                hit=hit,
                trail=trail,
            )
        )

    def point_at(self, doc_id: str) -> None:
        """Put the list's cursor on `doc_id` (and the results' on its best hit, if any)."""
        docs = self.doc_list
        for n, info in enumerate(docs.documents):
            if info.id == doc_id:
                docs.cursor = n
                break
        if self.query("#results"):
            results = self.result_list
            current = results.current
            if current is None or current.doc_id != doc_id:
                for n, entry in enumerate(results.records):
                    if entry.doc_id == doc_id:
                        results.cursor = n
                        break

    @on(SearchBox.Leave)
    def _leave_search(self) -> None:
        self._focus_list()

    @on(Input.Submitted, "#search")
    def _submit_search(self) -> None:
        results = self.results
        current = results is not None and results.query == self.query_text
        if self.focused is not self.query_one(SearchBox):
            # A second Enter, typed before the first one moved the focus: Textual read it with
            # the box still focused, but it was meant for the results. Open the hit now, or as
            # soon as this query's results arrive.
            if current and self.result_list.hit_at(self.result_list.cursor) is not None:
                self._open_hit_at(self.result_list.cursor)
            elif self.searching and not current:
                self._open_first_hit = True
            return
        if current and results is not None and not results.hits and results.suggestion:
            # Nothing found and a suggestion on screen: Enter takes it.
            self.query_one(SearchBox).value = results.suggestion
            self.query_one(SearchBox).cursor_position = len(results.suggestion)
            return
        if self.searching and (not current or self._typing):
            self._typing = False  # Enter makes the last word a word
            self._start_search()
        self._focus_list()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        typing = bool(query) and not event.value[-1].isspace()
        if query == self.query_text and typing == self._typing:
            return
        self.query_text = query
        self._typing = typing
        self._open_first_hit = False
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        switcher = self.query_one(ContentSwitcher)
        if not query:
            self._generation += 1  # drop any search still in flight
            self.results = None
            refocus = self.focused is not None and self.focused.id == "results"
            switcher.current = "documents"
            if refocus:
                self.set_focus(self.doc_list)
            self._refresh_filters()
            self._update_status()
            return
        self._ensure_results()
        switcher.current = "results"
        self._update_status()
        self._debounce = self.set_timer(SEARCH_DELAY, self._start_search)
