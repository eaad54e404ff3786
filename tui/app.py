"""The app: a thin shell that moves between screens.

`build_app()` is the one way to make it; the command line, the tests and the screenshot script all
call it, so what they exercise is what a user launches. The library itself — its list, index,
searching, documents and reading positions — is a `LibraryService`, made here and handed to the
library screen, which runs the heavy work in thread workers. Screens talk to the app with messages
(see `tui.messages`): a loaded document comes up as `DocumentReady`, and the app shows the reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui import messages, themes
from tui.frame_diff import LineMemory
from tui.library_service import IndexFactory, LibraryService, default_index_factory
from tui.screens.library import LibraryScreen
from tui.settings import Settings, default_path, study_hidden_side
from tui.terminal_output import app_driver

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen as AnyScreen

    from tui.reading_state import ReadingState

KEY_WAIT = 3.0  # seconds a key pressed during start-up waits for the library screen at most


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with actions of its own for the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...


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
        self, service: LibraryService, settings: Settings, *, ambiguous_width: int = 1
    ) -> None:
        # Only the changes of style are sent (a slow link); a terminal that draws ambiguous
        # characters wide is sent one-cell equivalents.
        self.ambiguous_width = ambiguous_width
        super().__init__(
            driver_class=app_driver(self.get_driver_class(), wide=ambiguous_width == 2)
        )
        self.service = service
        self.settings = settings
        self._lines = LineMemory()  # the terminal's lines as last written
        self._library: LibraryScreen | None = None
        for theme in themes.THEMES:
            self.register_theme(theme)
        remembered = settings.load().get("theme")
        self.theme = themes.initial_theme(
            self.available_themes, remembered, self.console.color_system
        )

    def on_mount(self) -> None:
        # After a suspend (ctrl+z) the terminal shows something else: everything is written.
        self.app_resume_signal.subscribe(self, lambda _app: self._lines.forget(), immediate=True)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        """Each update as only the screen lines whose look changed (`tui.frame_diff`)."""
        driver = self._driver
        writes = self._running and not self._closed and not self.is_headless
        if (
            renderable is not None
            and writes
            and driver is not None
            and not driver.is_inline
            and not self._batch_count
        ):
            renderable = self._lines.diff(renderable, self.size)
        super()._display(screen, renderable)

    @property
    def cancel(self) -> threading.Event:
        """Set once the app is leaving: an indexing thread stops at its next step."""
        return self.service.cancel

    @property
    def reading_state(self) -> ReadingState:
        return self.service.reading_state

    # ---- screens ---------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return self._the_library()

    def _the_library(self) -> LibraryScreen:
        if self._library is None:
            self._library = LibraryScreen(self.service)
        return self._library

    @property
    def library_screen(self) -> LibraryScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, LibraryScreen)
        return screen

    def on_document_ready(self, message: messages.DocumentReady) -> None:
        from tui.screens.reader import ReaderScreen

        reader = ReaderScreen(
            message.document,
            start_row=message.start_row,  # None: where the reader left off last time
            terms=message.terms,
            documents=message.documents,
            hit=message.hit,
            trail=message.trail,
            state=self.reading_state,
            study_hide=study_hidden_side(self.settings.load()),
            corrections=self.service.corrections,
        )
        # The library's cursor follows the reader (`]`, `[`): `esc` lands on the document read.
        self.library_screen.point_at(message.document.id)
        if message.replace and isinstance(self.screen, ReaderScreen):
            self.switch_screen(reader)
        else:
            self.push_screen(reader)

    def on_reader_screen_open_document(self, message: Any) -> None:
        """The reader asks for another document (next / previous): from a search, the next
        of the results, at its best hit."""
        from tui.screens.reader import ReaderScreen

        trail = self.screen.trail if isinstance(self.screen, ReaderScreen) else None
        hit = trail.hit(message.doc_id) if trail is not None else None
        if hit is None:
            self.library_screen.open_document(message.doc_id, replace=True)
            return
        self.library_screen.open_document(
            message.doc_id, start_row=hit.row, terms=hit.terms, replace=True, hit=hit, trail=trail
        )

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = themes.opposite_theme(self.theme, dark=self.current_theme.dark)
        self.settings.save({"theme": self.theme})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit" and self._the_library().focusing_search:
            return False  # "/q…" typed ahead of the first frame: the q belongs to the query
        return not self.cancel.is_set() or action == "quit"  # nothing new once quitting

    async def on_event(self, event: events.Event) -> None:
        # A key pressed in the first frames (`/` 0.1 s after launch) waits until the library
        # screen has its widgets, then acts as if pressed a moment later: nothing is dropped.
        ready = self._the_library().ready
        if isinstance(event, events.Key) and not ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), KEY_WAIT)
        await super().on_event(event)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.cancel.set()  # let an indexing thread stop at its next step
        super().exit(*args, **kwargs)

    # ---- command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: AnyScreen[Any]) -> Iterable[SystemCommand]:
        library = self.library_screen
        if isinstance(screen, OffersCommands) and screen is not library:
            yield from screen.palette_commands()  # the reader's actions first, while reading
        yield from super().get_system_commands(screen)
        # Elsewhere the library's entries that act on its list are found by typing only.
        yield from library.palette_commands(listed=screen is library)
        yield SystemCommand("Toggle dark/light theme", "ctrl+t", self.action_toggle_theme)
        yield SystemCommand("Help: keys", "Every key of this screen (?)", self.action_help)


def build_app(
    library: Path,
    index_dir: Path | None = None,
    *,
    index_factory: IndexFactory | None = None,
    settings_path: Path | None = None,
    remember_settings: bool = True,
    use_list_cache: bool = True,
    ambiguous_width: int = 1,
) -> LlamaReaderApp:
    """The app on `library` (read only). Settings (the theme) live in the user data dir unless
    `settings_path` says otherwise or `remember_settings` is False; the last library list is
    cached in the user cache dir (see `tui.list_cache`) unless `use_list_cache` is False.
    `ambiguous_width` 2: the terminal draws ambiguous characters wide (`tui.ambiguous_width`)."""
    if settings_path is None and remember_settings:
        settings_path = default_path()
    service = LibraryService(
        library,
        index_dir,
        index_factory=index_factory or default_index_factory,
        use_list_cache=use_list_cache,
    )
    service.prepare_listing()
    return LlamaReaderApp(
        service,
        Settings(settings_path if remember_settings else None),
        ambiguous_width=ambiguous_width,
    )
