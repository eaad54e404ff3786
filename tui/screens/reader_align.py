"""The reader's alignment keys: merge a side with the next row, split a row at the sentence
cursor, move a side down or up a row, and undo. Mixed into `ReaderScreen`.

The corrections themselves are `corpus.corrections` (a pure function of the rows as read) and
are kept by `corpus.correction_store` in the user data dir; this module only turns keys into
corrections, saves them, and shows the rows they make. The reader's row numbers (its status
line, bookmarks, the reading position) count the rows as shown, corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from corpus.correction_store import CorrectedDocument, CorrectionStore, corrected_document
from corpus.corrections import (
    Correction,
    CorrectionRefused,
    Side,
    dropped_notice,
    merge,
    shift,
    split,
)
from corpus.model import Document, Row
from corpus.sentence_align import sentence_pairs
from tui.reading_state import ReadingState
from tui.widgets.bilingual_view import BilingualView

ALIGN_BINDINGS: list[BindingType] = [
    Binding("E", "align_merge('en')", "Align: merge the English with the next row's", show=False),
    Binding("C", "align_merge('zh')", "Align: merge the Chinese with the next row's", show=False),
    Binding("S", "align_split", "Align: split the row at the sentence cursor", show=False),
    Binding("J", "align_shift('en', 1)", "Align: move the English down a row", show=False),
    Binding("K", "align_shift('en', -1)", "Align: move the English up a row", show=False),
    Binding(
        "right_curly_bracket",
        "align_shift('zh', 1)",
        "Align: move the Chinese down a row",
        show=False,
    ),
    Binding(
        "left_curly_bracket",
        "align_shift('zh', -1)",
        "Align: move the Chinese up a row",
        show=False,
    ),
    Binding("U", "align_undo", "Align: undo the last correction", show=False),
]

_NAMES = {"en": "English", "zh": "Chinese"}


class AlignActions:
    """The actions behind the alignment keys; `ReaderScreen` binds them (`ALIGN_BINDINGS`)."""

    ALIGN_SAVE_ERROR: ClassVar[str] = "Could not save the correction"

    document: Document
    _terms: tuple[str, ...]
    _find_query: str
    _find_generation: int
    _matches: list[int]
    _counting: bool
    _finder: Any
    _aligned: CorrectedDocument
    _correction_store: CorrectionStore
    state: ReadingState

    if TYPE_CHECKING:

        @property
        def view(self) -> BilingualView: ...

        def _say(self, message: str, *, warn: bool = False, timeout: float = 2.0) -> None: ...

        def _update_status(self) -> None: ...

    def open_corrected(self, document: Document, store: CorrectionStore | None) -> Document:
        """The document with its corrections (call first in `__init__`, with the document as
        read); rows a search hit names are mapped by `shown_row` before this."""
        self._correction_store = store if store is not None else CorrectionStore()
        self._aligned = self._correction_store.open(document)
        return self._aligned.document

    def report_dropped_corrections(self) -> None:
        """Say which corrections no longer apply (call once mounted), and keep only the rest."""
        dropped = self._aligned.corrected.dropped
        if dropped:  # said once: the list kept is the one that applies now
            self._say(f"{dropped_notice(dropped)}.", warn=True, timeout=8)
            self._save_corrections(self._aligned.corrections, quiet=True)

    def align_commands(self, keys: Callable[[str, str], str]) -> Iterator[SystemCommand]:
        """The alignment keys in the command palette."""
        for side in ("en", "zh"):
            yield SystemCommand(
                f"Align: merge {_NAMES[side]} with the next row",
                keys(f"align_merge('{side}')", f"Join the next row's {_NAMES[side]} to this row's"),
                partial(self.action_align_merge, side),
            )
            for step, where in ((1, "down"), (-1, "up")):
                yield SystemCommand(
                    f"Align: move {_NAMES[side]} {where} a row",
                    keys(f"align_shift('{side}', {step})", "This row's and every row after it"),
                    partial(self.action_align_shift, side, step),
                )
        yield SystemCommand(
            "Align: split the row",
            keys("align_split", "Cut both sides where the sentence cursor's sentence begins"),
            self.action_align_split,
        )
        if self._aligned.corrections:
            yield SystemCommand(
                "Align: undo",
                keys("align_undo", "Take back the last alignment correction"),
                self.action_align_undo,
            )

    # Actions

    async def action_align_merge(self, side: Side) -> None:
        row = self.view.cursor
        done = f"Merged the {_NAMES[side]} of rows {row + 1} and {row + 2}."
        await self._correct(lambda rows: merge(rows, row, side), row, side, done)

    async def action_align_split(self) -> None:
        view = self.view
        here = view.sentence
        if here is None or here[0] != view.cursor:
            self._say("Put the sentence cursor on the sentence to split at: ( or ).", timeout=3)
            return
        row, pair = here
        cut = split_offsets(self.document.rows[row], pair)
        done = f"Split row {row + 1} into two."
        await self._correct(lambda rows: split(rows, row, cut), row, None, done)

    async def action_align_shift(self, side: Side, step: int) -> None:
        row = self.view.cursor
        where = "down" if step > 0 else "up"
        done = f"Moved the {_NAMES[side]} {where} a row, from row {row + 1} on."
        await self._correct(lambda rows: shift(rows, row, side, step), row, side, done)

    async def action_align_undo(self) -> None:
        corrections = self._aligned.corrections
        if not corrections:
            self._say("No alignment corrections to undo in this document.", timeout=2)
            return
        last = corrections[-1]
        await self._apply(corrections[:-1], last.row, None, f"Undone: {last.describe()}.")

    # Applying

    async def _correct(
        self,
        make: Callable[[Sequence[Row]], Correction],
        row: int,
        side: Side | None,
        done: str,
    ) -> None:
        if not self.document.rows:
            return
        try:
            correction = make(self.document.rows)
        except CorrectionRefused as refused:
            self._say(str(refused), timeout=3)
            return
        await self._apply((*self._aligned.corrections, correction), row, side, done + " U undoes.")

    async def _apply(
        self, corrections: Sequence[Correction], row: int, side: Side | None, done: str
    ) -> None:
        before = self._aligned
        follow = _origin(before, row, side)
        self._aligned = corrected_document(before.original, corrections)
        self.document = self._aligned.document
        self._save_corrections(self._aligned.corrections)
        self._move_bookmarks(before)
        target = _row_of(self._aligned, follow, side) if follow is not None else row
        await self._show_rows(min(target, max(0, len(self.document.rows) - 1)))
        self._say(done, timeout=3)

    def _move_bookmarks(self, before: CorrectedDocument) -> None:
        """Each bookmark stays on the text it marked: rows above it may have been merged or
        split."""

        def moved(row: int) -> int | None:
            origin = _origin(before, row, None)
            return _row_of(self._aligned, origin, None) if origin is not None else None

        self.state.move_bookmarks(self.document.id, moved)
        try:
            self.state.save()
        except OSError as error:
            self._say(f"Could not save the bookmarks: {error}", warn=True, timeout=5)

    def _save_corrections(self, corrections: Sequence[Correction], *, quiet: bool = False) -> None:
        try:
            self._correction_store.save(self._aligned.original, corrections)
        except OSError as error:
            if not quiet:
                self._say(f"{self.ALIGN_SAVE_ERROR}: {error}", warn=True, timeout=5)

    async def _show_rows(self, row: int) -> None:
        """A new view of the corrected rows at `row`, in the old one's mode and study mode.
        Find matches counted rows that moved: they are found again in the new rows."""
        old = self.view
        query = self._find_query
        bookmarks = [b.row for b in self.state.bookmarks(self.document.id)]
        view = BilingualView(
            self.document.rows, mode=old.mode, start_row=row, terms=self._terms, bookmarks=bookmarks
        )
        hidden = old.hidden_side
        screen: Any = self  # a Screen: `ReaderScreen` mixes this in
        await screen.mount(view, after=old)
        await old.remove()
        if hidden is not None:
            view.set_study(hidden)
        self._find_generation += 1
        self._find_query, self._matches, self._counting, self._finder = "", [], False, None
        screen.set_focus(view)
        if query:  # the search the reader was opened from (its words), or the `/` find
            hit = screen.hit
            terms = hit.terms if hit is not None and query == " ".join(hit.terms) else (query,)
            screen.find_terms(terms)
        self._update_status()


def split_offsets(row: Row, pair: int) -> tuple[int, int]:
    """Where each side of `row` is cut to split it before sentence pair `pair`: the start of the
    first sentence from that pair on (a side with none from there stays whole above)."""
    pairs = sentence_pairs(row)
    cut: list[int] = []
    for block, side in ((row.en, "en"), (row.zh, "zh")):
        text = block.text if block is not None else ""
        starts = [s.start for p in pairs[pair:] for s in (p.en if side == "en" else p.zh)]
        cut.append(starts[0] if starts else len(text))
    return cut[0], cut[1]


def _origin(opened: CorrectedDocument, row: int, side: Side | None) -> int | None:
    """The first aligner row of `row`'s `side` (either side when None), to follow it."""
    if not 0 <= row < len(opened.corrected.origins):
        return None
    en, zh = opened.corrected.origins[row]
    found = (en if side == "en" else zh) if side else (en or zh)
    return found[0] if found else None


def _row_of(opened: CorrectedDocument, origin: int, side: Side | None) -> int:
    return opened.corrected.shown_row(origin, side)
