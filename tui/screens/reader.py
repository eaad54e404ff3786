"""The reader: one document, English beside Chinese, with find, outline, bookmarks and modes.

The screen holds the keys and the document-level state (find matches, bookmarks, the saved
reading position); `BilingualView` does the drawing. Finding runs in a thread worker because a
long document's rows may need rendering first; the screen applies the newest result only.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from corpus.correction_store import CorrectionStore
from corpus.dictionary import Entry
from corpus.model import Document
from corpus.text import printable
from index.types import Hit
from tui.layout.find import RowFinder
from tui.layout.reading_mode import has_modes, initial_mode, mode_label
from tui.layout.rows import Mode, Side
from tui.reading_state import ReadingState
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.outline import OutlineScreen, document_headings
from tui.screens.reader_align import ALIGN_BINDINGS, AlignActions
from tui.screens.reader_hit import HitActions
from tui.screens.reader_study import SIDE_NAMES, StudyActions
from tui.search_trail import SearchTrail
from tui.settings import STUDY_HIDE_DEFAULT
from tui.widgets.bilingual_view import BilingualView
from tui.widgets.key_footer import KeyFooter
from tui.widgets.ordered_input import OrderedInput
from tui.widgets.warning_notice import WarningNotice

SAVE_DELAY = 1.0  # seconds of stillness before the reading position is written
FIND_DELAY = 0.15  # debounce of find-as-you-type
LABEL_CHARS = 80

MODE_NAMES = {  # a mode's name in the command palette, and what it shows
    Mode.SIDE_BY_SIDE: ("side by side", "English on the left, Chinese on the right"),
    Mode.INTERLEAVED: ("interleaved", "Each English block above its Chinese one"),
    Mode.ENGLISH: ("English only", "Hide the Chinese"),
    Mode.CHINESE: ("Chinese only", "Hide the English"),
}


class FindInput(OrderedInput):
    """The find box. Enter keeps the matches, Esc drops them; both close the box."""

    HELP_GROUP: ClassVar[str] = "Find box"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Keep matches"),
        Binding("escape", "cancel", "Cancel find"),
    ]

    class Closed(Message):
        def __init__(self, keep: bool) -> None:
            super().__init__()
            self.keep = keep

    def action_cancel(self) -> None:
        self.post_message(self.Closed(keep=False))


class ReaderScreen(AlignActions, HitActions, StudyActions, Screen[None]):
    """Read one document. `start_row=None` resumes where the reader left off last time; `hit`
    and `trail`: opened at a search hit, `]`/`[` going through the search's results."""

    HELP_GROUP = "Reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "cycle_mode", "Mode"),
        # Priority: "/" opens the find box as the key is read, whatever has focus, so the
        # letters typed right after it land in the box even while the app is busy.
        Binding("slash", "find", "Find", priority=True),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("o", "outline", "Outline"),
        Binding("B", "toggle_bookmark", "Bookmark"),
        Binding("apostrophe", "bookmarks", "Bookmarks"),
        Binding("left_square_bracket", "previous_document", "Previous document", show=False),
        Binding("right_square_bracket", "next_document", "Next document", show=False),
        Binding("escape,q", "back", "Back"),
        Binding("right_parenthesis", "next_sentence", "Next sentence", show=False),
        Binding("left_parenthesis", "previous_sentence", "Previous sentence", show=False),
        Binding("w", "next_word", "Next word", show=False),
        # "b" pages up, except while the word cursor is on (then it steps back a word).
        Binding(
            "b",
            "previous_word",
            "Previous word (b pages up without a word cursor)",
            show=False,
            priority=True,
        ),
        Binding("d", "define", "Dictionary: the word under the cursor", show=False),
        Binding("a", "add_card", "Save the sentence to the deck", show=False),
        Binding("p", "toggle_pinyin", "Pinyin over the row's Chinese", show=False),
        Binding("h", "study", "Study: hide the other language", show=False),
        # While study mode is on, space and enter reveal (space pages otherwise).
        Binding("space,enter", "reveal", "Reveal row", priority=True),
        Binding("H", "show_all", "Show all"),
        # Esc first takes the sentence cursor away, then goes back.
        Binding("escape", "clear_sentence", "Leave the sentence cursor", show=False, priority=True),
        *ALIGN_BINDINGS,
    ]

    DEFAULT_CSS = """
    ReaderScreen {
        layout: vertical;
        & #reader-title {
            height: 1;
            padding: 0 1;
            background: $panel;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #reader-meta-bar { height: 1; background: $panel; }
        & #reader-meta {
            width: 1fr;
            padding: 0 1;
            color: $text-muted;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
        & #reader-status {
            width: auto;
            padding: 0 1;
            color: $text-muted;
            text-wrap: nowrap;
        }
        & BilingualView { height: 1fr; }
        & FindInput, & FindInput:focus {
            dock: bottom;
            display: none;
            height: 1;
            border: none;
            padding: 0 1;
            margin-bottom: 1;
            background: $boost;
        }
        & FindInput.-open { display: block; }
    }
    """

    class OpenDocument(Message):
        """Asks the app to open another document (next/previous) in place of this one."""

        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    class _Found(Message):
        """Find results: `partial` carries only the first match met, ahead of the count."""

        def __init__(
            self, generation: int, query: str, rows: list[int], *, partial: bool = False
        ) -> None:
            super().__init__()
            self.generation = generation
            self.query = query
            self.rows = rows
            self.partial = partial

    def __init__(
        self,
        document: Document,
        *,
        start_row: int | None = None,
        terms: Sequence[str] = (),
        documents: Sequence[str] = (),
        hit: Hit | None = None,
        trail: SearchTrail | None = None,
        state: ReadingState | None = None,
        study_hide: Side = STUDY_HIDE_DEFAULT,
        corrections: CorrectionStore | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        document = self.open_corrected(document, corrections)  # the rows the reader corrected
        self.document = document
        self.hit = hit
        self.trail = trail
        self.documents = trail.documents if trail is not None else tuple(documents)
        self.state = state if state is not None else ReadingState()
        saved = self.state.position(document.id)
        row = start_row if start_row is not None else saved or 0
        self._start_row = max(0, min(row, len(document.rows) - 1)) if document.rows else 0
        self._terms = tuple(terms)
        rows = document.rows
        self.has_modes = has_modes(rows)
        self._mode = self.mode_for_hit(self._initial_mode())
        self._cursor = self._start_row
        self._save_timer: Timer | None = None
        self._find_timer: Timer | None = None
        self._find_generation = 0
        self._find_query = ""
        self._find_origin: int | None = None
        self._matches: list[int] = []
        self._counting = False  # a find is still running
        self._jumped = -1  # the find generation whose first match was already shown
        self._finder: RowFinder | None = None
        self.study_hide: Side = study_hide
        # The dictionary entry looked up in the current sentence, saved with it by `a`.
        self._looked_up: tuple[tuple[int, int], Entry] | None = None

    def _say(self, message: str, *, warn: bool = False, timeout: float = 2.0) -> None:
        """A notification. Never markup: it may quote a query, a path or an error."""
        self.notify(
            message, severity="warning" if warn else "information", timeout=timeout, markup=False
        )

    def _initial_mode(self) -> Mode:
        return initial_mode(self.document, self.state.mode(self.document.id))

    # Layout

    def compose(self) -> ComposeResult:
        yield Static(self._title_content(), id="reader-title")
        with Horizontal(id="reader-meta-bar"):
            yield Static(self._meta_content(), id="reader-meta")
            yield Static("", id="reader-status", markup=False)
        yield WarningNotice(self.document.warnings, id="reader-warnings")
        yield BilingualView(
            self.document.rows,
            mode=self._mode,
            start_row=self._start_row,
            terms=self._terms,
            bookmarks=[b.row for b in self.state.bookmarks(self.document.id)],
        )
        yield FindInput(
            placeholder="Find in document: Enter keeps the matches, Esc cancels", id="reader-find"
        )
        yield KeyFooter()

    @property
    def view(self) -> BilingualView:
        return self.query_one(BilingualView)

    def on_mount(self) -> None:
        self.view.focus()
        self.show_hit()
        self._update_status()
        self.report_dropped_corrections()
        if self.state.recovered:
            self._say(
                f"The reading-position file was unreadable; kept as {self.state.recovered}",
                warn=True,
                timeout=6,
            )
            self.state.recovered = None

    def _title_content(self) -> Content:
        doc = self.document
        parts: list[str | tuple[str, str]] = [(printable(doc.title or doc.path), "bold")]
        if doc.title_alt and doc.title_alt != doc.title:
            parts += [("  ·  ", "$text-muted"), (printable(doc.title_alt), "")]
        return Content.assemble(*parts)

    def _meta_content(self) -> Content:
        doc = self.document
        bits: list[str] = []
        if doc.date:
            bits.append(doc.date[:10])
        if doc.author:
            bits.append(doc.author)
        if doc.tags:
            bits.append("  ".join(f"#{tag}" for tag in doc.tags))
        return Content(printable("  ·  ".join(bits) if bits else doc.path))

    def _update_status(self) -> None:
        view = self.view
        rows = len(self.document.rows)
        mode = view.effective_mode if view.row_layout.configured else view.mode
        label = mode_label(self.document, mode)
        if view.mode is Mode.SIDE_BY_SIDE and mode is not Mode.SIDE_BY_SIDE:
            label += " (narrow)"
        parts = [label, f"row {view.cursor + 1 if rows else 0}/{rows}"]
        if view.hidden_side is not None:
            parts.append(f"study: {SIDE_NAMES[view.hidden_side]} hidden")
        if self._find_query and self._counting:
            parts.append("finding…")
        elif self._find_query:
            count = len(self._matches)
            if count == 0:
                parts.append("no matches")
            else:
                k = bisect.bisect_left(self._matches, view.cursor)
                if k < count and self._matches[k] == view.cursor:
                    parts.append(f"match {k + 1}/{count}")
                else:
                    parts.append(f"{count} match{'es' if count != 1 else ''}")
        self.query_one("#reader-status", Static).update(Content("  ·  ".join(parts)))

    # View events

    @on(BilingualView.CursorMoved)
    def _cursor_moved(self, event: BilingualView.CursorMoved) -> None:
        self._cursor = event.row
        self._update_status()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_position)

    @on(BilingualView.Relaid)
    def _relaid(self) -> None:
        self._update_status()

    def _save_position(self, *, quiet: bool = False) -> None:
        self._save_timer = None
        self.state.set_position(self.document.id, self._cursor, self._mode.value)
        try:
            self.state.save()
        except OSError as error:
            if not quiet:
                self._say(f"Could not save the reading position: {error}", warn=True)

    def on_unmount(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_position(quiet=True)  # the app may be closing: no one to tell

    # Command palette

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The reader's actions by name (ctrl+p); each runs what its key runs."""

        def keys(action: str, then: str = "") -> str:
            shown = [
                self.app.get_key_display(binding)
                for bindings in self._bindings.key_to_bindings.values()
                for binding in bindings
                if binding.action == action
            ]
            return f"{then} ({' / '.join(shown)})" if then else " / ".join(shown)

        if self.has_modes:
            yield SystemCommand(
                "Mode: next", keys("cycle_mode", "Cycle the reading modes"), self.action_cycle_mode
            )
            for mode, (name, shows) in MODE_NAMES.items():
                yield SystemCommand(f"Mode: {name}", shows, partial(self.set_mode, mode))
        yield SystemCommand(
            "Find in document", keys("find", "Highlight a word; n / N step"), self.action_find
        )
        yield SystemCommand("Outline", keys("outline", "Jump to a heading"), self.action_outline)
        yield SystemCommand(
            "Toggle bookmark",
            keys("toggle_bookmark", "Bookmark the cursor row, or remove its bookmark"),
            self.action_toggle_bookmark,
        )
        yield SystemCommand(
            "Bookmarks", keys("bookmarks", "List this document's bookmarks"), self.action_bookmarks
        )
        yield from self.study_commands(keys)
        yield from self.align_commands(keys)
        among = "the search's results" if self.trail is not None else "the library list"
        yield SystemCommand(
            "Next document",
            keys("next_document", f"The next one in {among}"),
            self.action_next_document,
        )
        yield SystemCommand(
            "Previous document",
            keys("previous_document", f"The previous one in {among}"),
            self.action_previous_document,
        )
        yield SystemCommand(
            "Back to the library", keys("back", "Close this document"), self.action_back
        )

    # Actions

    def action_cycle_mode(self) -> None:
        self.set_mode(self.view.mode.next())

    def set_mode(self, mode: Mode) -> None:
        """Show the document in `mode`; remembered for this document with the position."""
        view = self.view
        view.mode = self._mode = mode
        self._update_status()
        self._cursor_moved(BilingualView.CursorMoved(view, view.cursor))
        self._say(f"Mode: {view.effective_mode.value}", timeout=1.5)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_outline(self) -> None:
        headings = document_headings(self.document.rows)
        if not headings:
            self._say("This document has no headings.", timeout=2)
            return

        def jump(row: int | None) -> None:
            if row is not None:
                self.view.go_to_row(row)
            self.view.focus()

        self.app.push_screen(OutlineScreen(headings, self.view.cursor), jump)

    def action_toggle_bookmark(self) -> None:
        view = self.view
        if not self.document.rows:
            return
        row = view.cursor
        label = view.row_plain(row, "en") or view.row_plain(row, "zh")
        added = self.state.toggle_bookmark(self.document.id, row, label[:LABEL_CHARS])
        view.set_bookmarks(b.row for b in self.state.bookmarks(self.document.id))
        try:
            self.state.save()
        except OSError as error:
            self._say(f"Could not save the bookmark: {error}", warn=True)
        self._say(f"Bookmark {'added' if added else 'removed'}: row {row + 1}", timeout=1.5)

    def action_bookmarks(self) -> None:
        marks = self.state.bookmarks(self.document.id)
        if not marks:
            self._say("No bookmarks in this document yet (B adds one).", timeout=2)
            return

        def jump(row: int | None) -> None:
            if row is not None:
                self.view.go_to_row(row)
            self.view.focus()

        rows = len(self.document.rows)
        self.app.push_screen(BookmarksScreen(marks, rows, self.view.cursor), jump)

    def _neighbour(self, step: int) -> str | None:
        try:
            index = self.documents.index(self.document.id)
        except ValueError:
            return None
        target = index + step
        if 0 <= target < len(self.documents):
            return self.documents[target]
        return None

    def action_next_document(self) -> None:
        doc_id = self._neighbour(+1)
        if doc_id is None:
            self._say("This is the last document.", timeout=1.5)
            return
        self.post_message(self.OpenDocument(doc_id))

    def action_previous_document(self) -> None:
        doc_id = self._neighbour(-1)
        if doc_id is None:
            self._say("This is the first document.", timeout=1.5)
            return
        self.post_message(self.OpenDocument(doc_id))

    # Find

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle_mode":
            return self.has_modes
        # The keys that study mode and the word cursor borrow, only while those are on and the
        # text has focus (never while typing in the find box).
        if action in ("reveal", "show_all"):
            return self.view.hidden_side is not None and self.focused is self.view
        if action == "previous_word":
            return self.view.word is not None and self.focused is self.view
        if action == "clear_sentence":
            return self.view.sentence is not None and self.focused is self.view
        # In the box "/" is typed like any letter, and the Footer does not offer it.
        return not (action == "find" and isinstance(self.focused, FindInput))

    def action_find(self) -> None:
        find = self.query_one(FindInput)
        self._find_origin = self.view.cursor
        find.add_class("-open")
        find.value = self._find_query
        self.set_focus(find)  # at once, not after the queue: type-ahead goes to the box

    @on(Input.Changed, "#reader-find")
    def _find_changed(self, event: Input.Changed) -> None:
        if self._find_timer is not None:
            self._find_timer.stop()
        query = event.value
        self._find_timer = self.set_timer(FIND_DELAY, lambda: self._start_find(query))

    @on(Input.Submitted, "#reader-find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        if self._find_timer is not None:  # Enter before the debounce ran: find now
            self._find_timer.stop()
            self._find_timer = None
            if event.value != self._find_query:
                self._start_find(event.value)
        self._close_find(keep=True)

    @on(FindInput.Closed)
    def _find_closed(self, event: FindInput.Closed) -> None:
        self._close_find(keep=event.keep)

    def _close_find(self, *, keep: bool) -> None:
        find = self.query_one(FindInput)
        find.remove_class("-open")
        view = self.view
        if not keep:
            if self._find_timer is not None:
                self._find_timer.stop()
                self._find_timer = None
            self._find_generation += 1
            self._find_query = ""
            self._matches = []
            self._counting = False
            view.set_find(())
            if self._find_origin is not None:
                view.go_to_row(self._find_origin)
        self._find_origin = None
        view.focus()
        self._update_status()

    def _start_find(self, query: str) -> None:
        self._find_timer = None
        self._find_generation += 1
        query = query.strip()
        self._find_query = query
        self.view.set_find([query] if query else ())
        if not query:
            self._matches = []
            self._counting = False
            self._update_status()
            return
        if self._finder is None:
            self._finder = RowFinder(self.view.row_layout)
        self._counting = True
        start = self._find_origin if self._find_origin is not None else self.view.cursor
        self._run_find(self._finder, self._find_generation, query, start)

    @work(thread=True, exclusive=True, group="reader-find", exit_on_error=False)
    def _run_find(self, finder: RowFinder, generation: int, query: str, start: int) -> None:
        worker = get_current_worker()

        def first(row: int) -> None:
            self.post_message(self._Found(generation, query, [row], partial=True))

        rows = finder.find([query], cancelled=lambda: worker.is_cancelled, start=start, first=first)
        if rows is not None and not worker.is_cancelled:
            self.post_message(self._Found(generation, query, rows))

    @on(_Found)
    def _found(self, event: _Found) -> None:
        if event.generation != self._find_generation:
            return
        if event.partial:  # the first match after where find began: go there at once
            self._show_match(event.rows[0])
            self._jumped = event.generation
            self._update_status()
            return
        self._counting = False
        self._matches = event.rows
        if event.rows and self._jumped != event.generation:
            origin = self._find_origin if self._find_origin is not None else self.view.cursor
            k = bisect.bisect_left(event.rows, origin)
            self._show_match(event.rows[k % len(event.rows)])
        self._update_status()

    def _show_match(self, row: int) -> None:
        self.view.show_row(row)

    def action_find_next(self) -> None:
        self._step_match(+1)

    def action_find_previous(self) -> None:
        self._step_match(-1)

    def _step_match(self, step: int) -> None:
        if not self._find_query:
            self._say("Press / to find in this document.", timeout=1.5)
            return
        if not self._matches:
            self._say(f"No matches for {self._find_query!r}.", timeout=1.5)
            return
        cursor = self.view.cursor
        if step > 0:
            k = bisect.bisect_right(self._matches, cursor)
            wrapped = k >= len(self._matches)
            row = self._matches[0 if wrapped else k]
        else:
            k = bisect.bisect_left(self._matches, cursor) - 1
            wrapped = k < 0
            row = self._matches[-1 if wrapped else k]
        if wrapped:
            where = "top" if step > 0 else "bottom"
            self._say(f"Find wrapped to the {where}.", timeout=1.5)
        self._show_match(row)
        self._update_status()
