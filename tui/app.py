"""The app: a thin shell that owns the library's index and moves between screens.

`build_app()` is the one way to make it; the command line, the tests and the screenshot script all
call it, so what they exercise is what a user launches. Heavy work — opening the index, indexing,
loading a document — runs in thread workers that post messages back (see `tui.messages`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import get_current_worker

from corpus.errors import LibraryError
from index.types import DocInfo, IndexProgress, IndexSummary, SearchResults
from tui import messages
from tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from textual.screen import Screen as AnyScreen

    from corpus.model import Document
    from tui.reading_state import ReadingState

log = logging.getLogger("llama_reader.app")

APP_NAME = "llama-reader"
DATA_ENV = "LLAMA_READER_DATA"
THEME_ENV = "LLAMA_READER_THEME"
ANSI_DARK, ANSI_LIGHT = "ansi-dark", "ansi-light"  # Textual's themes in the terminal's palette
PROGRESS_INTERVAL = 0.1  # seconds between progress messages from the indexing thread

DARK = Theme(
    name="llama-dark",
    primary="#E0A458",
    secondary="#7FB7BE",
    accent="#F2C14E",
    foreground="#E6E1D6",
    background="#1C1B19",
    surface="#23211E",
    panel="#302C27",
    warning="#F2A541",
    error="#E5625E",
    success="#8DB580",
    dark=True,
)
LIGHT = Theme(
    name="llama-light",
    primary="#9A5B13",
    secondary="#2F6F73",
    accent="#A0521A",
    foreground="#2A2620",
    background="#FBF8F1",
    surface="#F4EFE4",
    panel="#E6DDCA",
    warning="#A8650F",
    error="#B83A3A",
    success="#3F7D3F",
    dark=False,
)


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
        self, query: str, *, tags: Sequence[str] = ..., lang: str | None = ..., limit: int = ...
    ) -> SearchResults: ...

    def load_document(self, doc_id: str) -> Document: ...

    def prepare(self) -> None: ...


IndexFactory = Callable[[Path, Path | None], LibraryIndexLike]


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with actions of its own for the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...


def default_index_factory(library: Path, index_dir: Path | None) -> LibraryIndexLike:
    from index.library_index import LibraryIndex  # imports Whoosh: only inside a worker

    index: LibraryIndexLike = LibraryIndex(library, index_dir=index_dir)
    return index


def data_dir() -> Path:
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


class LlamaReaderApp(App[None]):
    """Library list, reader and help; the index is opened and kept current in the background."""

    CSS_PATH = "app.tcss"
    TITLE = "llama-reader"
    HELP_GROUP: ClassVar[str] = "Everywhere"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", show=True),
        Binding("ctrl+t", "toggle_theme", "Dark/light", show=False),
    ]

    def __init__(
        self,
        library: Path,
        index_dir: Path | None = None,
        *,
        index_factory: IndexFactory = default_index_factory,
        settings_path: Path | None = None,
        use_list_cache: bool = True,
    ) -> None:
        super().__init__()
        self.use_list_cache = use_list_cache
        self._cached: list[DocInfo] | None = None
        self._head_missing = False
        self.library = library
        self.index_dir = index_dir
        self._index_factory = index_factory
        self._index: LibraryIndexLike | None = None
        self._index_lock = threading.Lock()
        self.cancel = threading.Event()
        self.settings_path = settings_path
        self._reading_state: ReadingState | None = None
        self._reading_lock = threading.Lock()
        self.register_theme(DARK)
        self.register_theme(LIGHT)
        self.theme = self._initial_theme()

    # ---- screens ---------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return LibraryScreen(self.library.name or str(self.library))

    @property
    def library_screen(self) -> LibraryScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, LibraryScreen)
        return screen

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def _initial_theme(self) -> str:
        """$LLAMA_READER_THEME, else the theme last chosen, else ours — or, on a terminal of 16
        colours, the terminal's own palette (our colours would be rounded to a patchwork)."""
        chosen = os.environ.get(THEME_ENV) or self._load_settings().get("theme")
        if isinstance(chosen, str) and chosen in self.available_themes:
            return chosen
        if self.console.color_system in ("standard", "windows"):
            return ANSI_DARK
        return DARK.name

    def action_toggle_theme(self) -> None:
        opposite = {DARK.name: LIGHT.name, LIGHT.name: DARK.name}
        opposite |= {ANSI_DARK: ANSI_LIGHT, ANSI_LIGHT: ANSI_DARK}
        fallback = LIGHT.name if self.current_theme.dark else DARK.name
        self.theme = opposite.get(self.theme, fallback)
        self._save_settings({"theme": self.theme})

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.cancel.set()  # let an indexing thread stop at its next step
        super().exit(*args, **kwargs)

    @property
    def quitting(self) -> bool:
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

    def close_index(self) -> None:
        """Release the index's files (call once the app has exited)."""
        with self._index_lock:
            index, self._index = self._index, None
        close = getattr(index, "close", None)
        if callable(close):
            try:
                close()
            except Exception as exc:
                self.log_exception("closing the index failed", exc)

    def load_library(self) -> None:
        """Read the list from the index, then bring the index up to date, in the background."""
        self._start_index_worker(rebuild=False, list_first=True)

    def action_reindex(self) -> None:
        if not self.library_screen.indexing:
            self._start_index_worker(rebuild=False, list_first=False)

    def action_rebuild_index(self) -> None:
        if not self.library_screen.indexing:
            self._start_index_worker(rebuild=True, list_first=False)

    def _start_index_worker(self, *, rebuild: bool, list_first: bool) -> None:
        self.library_screen.index_idle = False
        self._index_worker(rebuild=rebuild, list_first=list_first)

    def _remember(self, documents: list[DocInfo]) -> None:
        if self.use_list_cache and (not self._is_cached(documents) or self._head_missing):
            self._head_missing = False
            from tui import list_cache

            list_cache.save(self.library, self.index_dir, documents)
            self._cached = documents

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _index_worker(self, *, rebuild: bool, list_first: bool) -> None:
        worker = get_current_worker()
        screen = self.library_screen
        try:
            ix = self.index()
            documents: list[DocInfo] = []
            if list_first:
                try:
                    documents = ix.documents()
                except LibraryError as exc:  # no index yet: the first launch on this library
                    log.info("no library list yet: %s", exc)
                except Exception as exc:
                    self.log_exception("reading the library list from the index failed", exc)
                if documents:
                    if not self._is_cached(documents):
                        screen.post_message(messages.DocumentsLoaded(documents, indexed=True))
                    self._remember(documents)
                elif self._cached:  # the index went away: keep the list, searching must wait
                    screen.post_message(messages.DocumentsLoaded(self._cached, indexed=False))
                current = False
                if not rebuild:
                    try:
                        current = ix.is_current()
                    except Exception as exc:
                        self.log_exception("checking the index failed", exc)
                if current:
                    if not documents:
                        screen.post_message(messages.DocumentsLoaded([], indexed=True))
                    self._prepare_search(ix)
                    return
            first_build = not documents and list_first
            if worker.is_cancelled or self.cancel.is_set():
                return
            screen.post_message(messages.IndexStarted(first_build=first_build))
            summary = ix.update(
                progress=self._progress_poster(screen), rebuild=rebuild, cancel=self.cancel
            )
            if worker.is_cancelled or self.cancel.is_set():
                return
            documents = ix.documents()
            screen.post_message(messages.DocumentsLoaded(documents, indexed=True))
            self._remember(documents)
            screen.post_message(
                messages.IndexFinished(summary, first_build=first_build, asked=not list_first)
            )
            self._prepare_search(ix)
        except Exception as exc:
            self.log_exception("indexing failed", exc)
            if not self.cancel.is_set():
                screen.post_message(messages.IndexFailed(f"Indexing failed: {exc}"))
        finally:
            screen.post_message(messages.IndexIdle())

    def _prepare_search(self, ix: LibraryIndexLike) -> None:
        """Open the index for searching now (about half a second on a large library), while the
        user is still reading the list, rather than on the first key typed into the search box."""
        if self.cancel.is_set():
            return
        try:
            ix.prepare()
        except Exception as exc:  # searching will report it, if it fails again
            log.info("could not prepare the index for searching: %s", exc)

    def _progress_poster(self, screen: LibraryScreen) -> Callable[[IndexProgress], None]:
        last = 0.0

        def post(progress: IndexProgress) -> None:
            nonlocal last
            now = time.monotonic()
            done = progress.files_total and progress.files_done >= progress.files_total
            if now - last >= PROGRESS_INTERVAL or done:
                last = now
                screen.post_message(messages.IndexProgressed(progress))

        return post

    def search(
        self, query: str, *, tags: Sequence[str] = (), lang: str | None = None, limit: int = 50
    ) -> SearchResults:
        """Run a query (called from the library screen's search worker)."""
        return self.index().search(query, tags=tuple(tags), lang=lang, limit=limit)

    def log_exception(self, what: str, exc: BaseException) -> None:
        log.error("%s: %s", what, exc, exc_info=exc)

    # ---- reading ---------------------------------------------------------------------------------

    @property
    def reading_state(self) -> ReadingState:
        """Positions and bookmarks, read from disk once and shared by every reader this app
        opens: a bookmark made in one reader is in the next, even when saving it failed."""
        with self._reading_lock:
            if self._reading_state is None:
                from tui.reading_state import ReadingState

                self._reading_state = ReadingState()
            return self._reading_state

    def open_document(
        self,
        doc_id: str,
        *,
        start_row: int | None = None,
        terms: Sequence[str] = (),
        replace: bool = False,
    ) -> None:
        self._load_document(doc_id, start_row, tuple(terms), replace)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _load_document(
        self, doc_id: str, start_row: int | None, terms: tuple[str, ...], replace: bool
    ) -> None:
        try:
            document = self.index().load_document(doc_id)
            self.reading_state  # noqa: B018 (read from disk here, not on the UI thread)
        except Exception as exc:
            self.log_exception(f"opening document {doc_id} failed", exc)
            self.call_from_thread(
                self.notify, f"Could not open the document: {exc}", severity="error", markup=False
            )
            return
        self.post_message(
            messages.DocumentReady(document, start_row=start_row, terms=terms, replace=replace)
        )

    def on_document_ready(self, message: messages.DocumentReady) -> None:
        from tui.screens.reader import ReaderScreen

        reader = ReaderScreen(
            message.document,
            start_row=message.start_row,  # None: where the reader left off last time
            terms=message.terms,
            documents=tuple(d.id for d in self.library_screen.visible_documents()),
            state=self.reading_state,
        )
        if message.replace and isinstance(self.screen, ReaderScreen):
            self.switch_screen(reader)
        else:
            self.push_screen(reader)

    def on_reader_screen_open_document(self, message: Any) -> None:
        """The reader asks for another document (next / previous)."""
        self.open_document(message.doc_id, replace=True)

    # ---- command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: AnyScreen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, OffersCommands):  # the reader's actions first, while reading
            yield from screen.palette_commands()
        yield from super().get_system_commands(screen)
        library = self.library_screen
        listed = screen is library  # elsewhere the list's own entries are found by typing only
        yield SystemCommand("Search the library", "Type to search (/)", self._palette_search)
        yield SystemCommand(
            "Sort by date", "Newest first", lambda: library.set_sort("date"), listed
        )
        yield SystemCommand("Sort by title", "A to Z", lambda: library.set_sort("title"), listed)
        yield SystemCommand(
            "Filter by tag…", "Choose tags in the filter panel (t)", self._palette_tags, listed
        )
        yield SystemCommand(
            "Clear filters", "Show every document (c)", library.action_clear_filters, listed
        )
        for key, label in sorted(library.labels.items(), key=lambda kv: kv[1].casefold()):
            yield SystemCommand(
                f"Tag: {label}",
                "Toggle this tag in the filter",
                partial(self._palette_toggle_tag, key),
                discover=False,
            )
        for lang, name in (("en", "English"), ("zh", "Chinese"), ("bilingual", "bilingual")):
            yield SystemCommand(
                f"Language: {name}",
                f"Show only {name} documents",
                partial(self._palette_lang, lang),
                discover=False,
            )
        yield SystemCommand(
            "Update the index", "Index new and changed files (r)", self.action_reindex, listed
        )
        yield SystemCommand(
            "Rebuild the index", "Index every file again", self.action_rebuild_index, listed
        )
        yield SystemCommand("Toggle dark/light theme", "ctrl+t", self.action_toggle_theme)
        yield SystemCommand("Help: keys", "Every key of this screen (?)", self.action_help)

    def _to_library(self) -> LibraryScreen:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.library_screen

    async def _palette_search(self) -> None:
        await self._to_library().action_focus_search()

    def _palette_tags(self) -> None:
        self._to_library().action_focus_tags()

    def _palette_toggle_tag(self, key: str) -> None:
        self._to_library().toggle_tag(key)

    def _palette_lang(self, lang: Any) -> None:
        library = self._to_library()
        from tui.widgets.library_filters import Filters

        library.set_filters(Filters(library.filters.tags, lang))

    # ---- settings --------------------------------------------------------------------------------

    def _load_settings(self) -> dict[str, Any]:
        if self.settings_path is None:
            return {}
        try:
            value = json.loads(self.settings_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def _save_settings(self, changes: dict[str, Any]) -> None:
        if self.settings_path is None:
            return
        settings = {**self._load_settings(), **changes}
        try:
            self.settings_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.settings_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(settings, indent=2), encoding="utf-8")
            tmp.replace(self.settings_path)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)


def build_app(
    library: Path,
    index_dir: Path | None = None,
    *,
    index_factory: IndexFactory | None = None,
    settings_path: Path | None = None,
    remember_settings: bool = True,
    use_list_cache: bool = True,
) -> LlamaReaderApp:
    """The app on `library` (read only). Settings (the theme) live in the user data dir unless
    `settings_path` says otherwise or `remember_settings` is False; the last library list is
    cached in the user cache dir (see `tui.list_cache`) unless `use_list_cache` is False."""
    if settings_path is None and remember_settings:
        settings_path = data_dir() / "ui.json"
    return LlamaReaderApp(
        library,
        index_dir,
        index_factory=index_factory or default_index_factory,
        settings_path=settings_path if remember_settings else None,
        use_list_cache=use_list_cache,
    )
