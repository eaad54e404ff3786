"""The reader opened from a search hit: the hit's side shown and its row marked, `n`/`N` through
the query's matches, `]`/`[` through the documents of the results. Mixed into `ReaderScreen`,
which keeps the find state that `n`/`N` step through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from tui.layout.find import RowFinder
from tui.layout.rows import Mode, Side

if TYPE_CHECKING:
    from index.types import Hit
    from tui.search_trail import SearchTrail
    from tui.widgets.bilingual_view import BilingualView

SIDES: dict[str, Side] = {"en": "en", "zh": "zh"}
SIDE_NAMES = {"en": "English", "zh": "Chinese"}
HIDES = {"en": Mode.CHINESE, "zh": Mode.ENGLISH}  # the mode that hides each side


class HitActions:
    """What opening at a search hit changes in the reader."""

    hit: Hit | None
    trail: SearchTrail | None
    has_modes: bool
    _hit_note: str | None
    _find_generation: int
    _find_query: str
    _matches: list[int]
    _counting: bool
    _finder: RowFinder | None

    if TYPE_CHECKING:

        @property
        def view(self) -> BilingualView: ...

        def _say(self, message: str, *, warn: bool = False, timeout: float = 2.0) -> None: ...

        def _update_status(self) -> None: ...

        def post_message(self, message: Message) -> bool: ...

    @property
    def hit_side(self) -> Side | None:
        """The side the hit matched in (None for a title)."""
        return SIDES.get(self.hit.lang) if self.hit is not None else None

    def mode_for_hit(self, mode: Mode) -> Mode:
        """`mode`, or side by side when `mode` would hide the side the hit is in (and what to
        say about it once the reader shows)."""
        side = self.hit_side
        self._hit_note = None
        if side is not None and self.has_modes and HIDES[side] is mode:
            self._hit_note = f"Side by side: the match is in the {SIDE_NAMES[side]}."
            return Mode.SIDE_BY_SIDE
        return mode

    def show_hit(self) -> None:
        """Mark the hit's row with its match in sight, show its side if study mode hides it,
        and make the query's words what `n`/`N` find."""
        if self.hit is None:
            return
        view = self.view
        side = self.hit_side
        row = self.hit.row
        if side is not None and view.hidden_side == side and view.is_hidden(row, side):
            view.toggle_reveal(row)
            self._hit_note = f"The {SIDE_NAMES[side]} of this row is shown: the match is there."
        view.mark_hit(row, side)
        if self._hit_note:
            self._say(self._hit_note, timeout=3)
        self.find_terms(self.hit.terms)

    def find_terms(self, terms: Sequence[str]) -> None:
        """Find `terms` as `/` would, without moving the cursor: `n`/`N` then step through them."""
        terms = tuple(t for t in terms if t.strip())
        if not terms:
            return
        self._find_generation += 1
        self._find_query = " ".join(terms)
        self._matches = []
        self._counting = True
        self.view.set_find(terms)
        if self._finder is None:
            self._finder = RowFinder(self.view.row_layout)
        self._run_hit_find(self._finder, self._find_generation, self._find_query, terms)
        self._update_status()

    @work(thread=True, exclusive=True, group="reader-find", exit_on_error=False)
    def _run_hit_find(
        self, finder: RowFinder, generation: int, query: str, terms: tuple[str, ...]
    ) -> None:
        worker = get_current_worker()
        rows = finder.find(terms, cancelled=lambda: worker.is_cancelled)
        if rows is not None and not worker.is_cancelled:
            self.post_message(HitMatches(generation, rows))

    def on_hit_matches(self, message: HitMatches) -> None:
        if message.generation == self._find_generation:
            self._counting = False
            self._matches = message.rows
            self._update_status()


class HitMatches(Message):
    """The rows holding the query's words (what `n`/`N` step through)."""

    def __init__(self, generation: int, rows: list[int]) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows
