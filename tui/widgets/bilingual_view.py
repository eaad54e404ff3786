"""The side-by-side reading pane: a Line API `ScrollView` over a document's rows.

Nothing here makes a widget per paragraph. `tui.layout.rows.RowLayout` knows each row's lines
and offsets; this widget asks it only for the rows on screen (plus a page either side, so the
rows a scroll reveals are already measured) and turns those lines into cached `Strip`s. Opening
and scrolling cost the same for 20 rows and for 20,000.

The cursor is a row, not a line. Find matches and search terms are highlighted on the lines that
show them, in both columns; rows whose pairing the aligner was unsure of get a dim `?` in the
gutter, bookmarked rows a flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from corpus.model import Row
from tui.layout.rows import COLUMN_RULE, Mode, RowLayout, Side
from tui.layout.sentences import SentenceMap, Span
from tui.layout.styles import MarkdownStyles
from tui.layout.wrap import pad_to
from tui.widgets.highlights import Highlights
from tui.widgets.steady_scroll import SteadyScrollView
from tui.widgets.study_cursors import StudyCursors

SCROLL_CONTEXT = 2  # lines kept visible beyond the cursor row when moving it
CURSOR_BAR = "▌"


class BilingualView(StudyCursors, SteadyScrollView, can_focus=True, inherit_bindings=False):
    """English and Chinese rows side by side (or interleaved, or one language)."""

    HELP_GROUP = "Reading"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next row", show=False),
        Binding("up,k", "cursor_up", "Previous row", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First row", show=False),
        Binding("end,G", "last", "Last row", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "bilingual-view--cursor",
        "bilingual-view--cursor-bar",
        "bilingual-view--hit",
        "bilingual-view--match",
        "bilingual-view--term",
        "bilingual-view--low-confidence",
        "bilingual-view--bookmark",
        "bilingual-view--rule",
        "bilingual-view--heading",
        "bilingual-view--code",
        "bilingual-view--code-block",
        "bilingual-view--link",
        "bilingual-view--quote",
        "bilingual-view--muted",
        "bilingual-view--sentence",
        "bilingual-view--word",
        "bilingual-view--hidden",
        "bilingual-view--pinyin",
    }

    DEFAULT_CSS = (Path(__file__).parent / "bilingual_view.tcss").read_text(encoding="utf-8")

    # The watcher repaints the old and new cursor rows only (a plain reactive repaints the whole
    # view: over SSH, a screenful of bytes per key).
    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    mode: reactive[Mode] = reactive(Mode.SIDE_BY_SIDE, init=False)

    class CursorMoved(Message):
        """The cursor row changed (to save the reading position, update the status line)."""

        def __init__(self, view: BilingualView, row: int) -> None:
            super().__init__()
            self.view = view
            self.row = row

        @property
        def control(self) -> BilingualView:
            return self.view

    class Relaid(Message):
        """The layout changed width or mode (the side-by-side fallback may have switched)."""

        def __init__(self, view: BilingualView) -> None:
            super().__init__()
            self.view = view

    def __init__(
        self,
        rows: Sequence[Row],
        *,
        mode: Mode = Mode.SIDE_BY_SIDE,
        start_row: int = 0,
        terms: Sequence[str] = (),
        bookmarks: Iterable[int] = (),
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.row_layout = RowLayout(rows)
        self.set_reactive(BilingualView.mode, mode)
        self.set_reactive(BilingualView.cursor, clamp(start_row, 0, max(0, len(rows) - 1)))
        self._pending_start: int | None = self.cursor
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._highlights = Highlights(self.row_layout, terms)
        self._generation = 0
        self._bookmarks: set[int] = set(bookmarks)
        self._settling = False
        self._line_style = Style()
        self._line_width = 0
        self.sentences = SentenceMap(self.row_layout)
        self._sentence: tuple[int, int] | None = None  # (row, pair) under the sentence cursor
        self._word: tuple[Side, Span] | None = None  # the word cursor, inside that sentence
        self._hidden: Side | None = None  # study mode: the side kept out of sight
        self._revealed: set[int] = set()  # rows whose hidden side is shown all the same
        self._hit: tuple[int, Side | None] | None = None  # the search hit opened, until moved

    # Public API

    @property
    def rows(self) -> tuple[Row, ...]:
        return self.row_layout.rows

    @property
    def effective_mode(self) -> Mode:
        """The mode actually drawn (side by side falls back to interleaved when narrow)."""
        return self.row_layout.mode

    def set_find(self, terms: Sequence[str]) -> None:
        """Highlight `terms` as find matches (empty: no find highlight)."""
        if self._highlights.set_find(terms):
            self._changed()

    def set_terms(self, terms: Sequence[str]) -> None:
        """Highlight search terms (from the search hit that opened the document)."""
        if self._highlights.set_terms(terms):
            self._changed()

    @property
    def hit_row(self) -> int | None:
        """The row of the search hit the reader opened at, while the cursor has not left it."""
        return self._hit[0] if self._hit is not None else None

    def mark_hit(self, row: int, side: Side | None) -> None:
        """Mark `row` as the search hit, with its match (on `side`) on screen; the mark goes
        when the cursor moves."""
        if not 0 <= row < len(self.rows):
            return
        self._hit = (row, side)
        self.go_to_row(row)
        if self._ready() and self.row_layout.configured:
            self._reveal_hit()
        self._refresh_rows(row)

    def _reveal_hit(self) -> None:
        """Scroll a hit in a row taller than the screen until its first match shows."""
        row, side = self._hit if self._hit is not None else (0, None)
        if side is None:
            return
        lines = self.row_layout.lines(row).lines
        k = self._highlights.first_term_line(row, side, [line.cells for line in lines])
        if k is None:
            return
        y = self.row_layout.offset(row) + k
        top, page = round(self.scroll_y), self._page_height()
        if not top <= y < top + page:
            self._scroll_y(y - page // 3)

    def set_bookmarks(self, rows: Iterable[int]) -> None:
        marks = set(rows)
        if marks != self._bookmarks:
            self._bookmarks = marks
            self._changed()

    def go_to_row(self, row: int, *, center: bool = False) -> None:
        """Move the cursor to `row` and scroll it into view (its top near the top, or centred)."""
        if not self.rows:
            return
        row = clamp(row, 0, len(self.rows) - 1)
        if not self._ready():
            self._pending_start = row
            self.cursor = row
            return
        self._settle((row, 0))
        self.cursor = row
        y = self.row_layout.offset(row)
        if center:
            y -= self._page_height() // 3
        self._scroll_y(y)

    def show_row(self, row: int) -> None:
        """Move the cursor to `row`, scrolling only if it is not already wholly on screen."""
        if not self.rows:
            return
        row = clamp(row, 0, len(self.rows) - 1)
        if not self._ready():
            self.go_to_row(row)
            return
        top = self.row_layout.offset(row)
        bottom = top + self.row_layout.lines(row).content_height
        y = round(self.scroll_y)
        if top >= y and bottom <= y + self._page_height():
            self.cursor = row
        else:
            self.go_to_row(row, center=True)

    def row_plain(self, row: int, side: Side | None = None) -> str:
        """The text a row shows (one side, or both), for bookmark labels and tests."""
        parts: list[str] = []
        for s in (side,) if side else ("en", "zh"):
            rendered = self.row_layout.rendered(row, s)
            if rendered is not None:
                parts.append(rendered.plain)
        return "\n".join(parts)

    def visible_rows(self) -> range:
        """Rows with at least one line on screen."""
        if not self.rows or not self._ready():
            return range(0)
        y = round(self.scroll_y)
        first = self.row_layout.row_at(y)
        last = self.row_layout.row_at(y + self._page_height() - 1)
        return range(first, last + 1)

    # Layout and scrolling

    def _repaint(self) -> None:
        self.refresh()

    def _ready(self) -> bool:
        return self.scrollable_content_region.width > 0 and self.is_mounted

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _changed(self) -> None:
        self._generation += 1
        self._strips.clear()
        self.refresh()

    def _anchor(self) -> tuple[int, int]:
        """The row at the top of the screen and how far into it the screen starts."""
        y = round(self.scroll_y)
        top = self.row_layout.row_at(y)
        return top, y - self.row_layout.offset(top)

    def _cursor_anchor(self) -> tuple[int, int] | None:
        """The cursor row and its line on screen, when it is on screen."""
        if not self.rows:
            return None
        screen_y = self.row_layout.offset(self.cursor) - round(self.scroll_y)
        if 0 <= screen_y < self._page_height():
            return self.cursor, screen_y
        return None

    def _relayout(self) -> None:
        """Lay out for the current width and mode, keeping what the reader was looking at."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        configured = self.row_layout.configured
        keep_cursor = self._cursor_anchor() if configured else None
        anchor = self._anchor() if configured else (0, 0)
        self._apply_styles()
        if not self.row_layout.configure(width, self.mode):
            return
        self._strips.clear()
        self._highlights.clear()
        if self._pending_start is not None:
            start, self._pending_start = self._pending_start, None
            self.go_to_row(start)
            self._reveal_hit()
        elif keep_cursor is not None:
            row, screen_y = keep_cursor
            self._settle((row, 0))
            self._scroll_y(self.row_layout.offset(row) - screen_y)
        else:
            self._settle(anchor)
        self.post_message(self.Relaid(self))
        self.refresh()

    def _settle(self, anchor: tuple[int, int] | None = None) -> None:
        """Measure the rows on screen and a page either side exactly, keeping `anchor`
        (row, line within it) at the top of the screen."""
        layout = self.row_layout
        if not layout.rows:
            self._set_virtual_height(0)
            return
        page = self._page_height()
        top, within = anchor if anchor is not None else self._anchor()
        first = layout.row_at(max(0, layout.offset(top) - page))
        layout.ensure(first, top - 1)
        limit = layout.offset(top) + within + 2 * page
        i = top
        while i < len(layout) and layout.offset(i) < limit:
            layout.lines(i)
            i += 1
        within = clamp(within, 0, max(0, layout.height(top) - 1))
        self._set_virtual_height(layout.total)
        y = clamp(layout.offset(top) + within, 0, max(0, layout.total - page))
        if y != round(self.scroll_y):
            self._scroll_y(y, settle=False)

    def _set_virtual_height(self, height: int) -> None:
        """Tell the scroll machinery how many lines there are.

        Rows of a long document get their exact heights as they come into view, so the total
        changes while paging. Assigning `virtual_size` would lay out the whole screen each time
        (a third of a page-down's cost); the scrollbars here are fixed by CSS (`overflow-y:
        scroll`), so only their range needs updating, which `_scroll_update` does.
        """
        size = Size(self.scrollable_content_region.width, height)
        if size == self.virtual_size:
            return
        if size.width != self.virtual_size.width or not self.is_mounted:
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _scroll_y(self, y: int, *, settle: bool = True) -> None:
        y = clamp(y, 0, max(0, self.row_layout.total - self._page_height()))
        before = round(self.scroll_y)
        self._settling = not settle
        try:
            self.scroll_to(y=y, animate=False, force=True)
        finally:
            self._settling = False
        if round(self.scroll_y) != before:  # staying put repaints nothing
            self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._settling and self._ready() and self.row_layout.configured:
            self._settling = True
            try:
                self._settle()
            finally:
                self._settling = False

    def watch_mode(self) -> None:
        self._relayout()

    def watch_cursor(self, old: int, new: int) -> None:
        if self._sentence is not None and self._sentence[0] != new:
            self._sentence = self._word = None
        if self._hit is not None and self._hit[0] != new:
            self._refresh_rows(self._hit[0])
            self._hit = None
        self._refresh_rows(old, new)
        self.post_message(self.CursorMoved(self, new))

    def _refresh_rows(self, *rows: int) -> None:
        """Repaint only the lines of `rows` (the old and new cursor row): over a slow link a
        cursor move then sends two rows, not the whole screen. A scroll repaints everything."""
        layout = self.row_layout
        if not self._ready() or not layout.configured or not layout.rows:
            self.refresh()
            return
        width = self.scrollable_content_region.width  # not the scrollbar: it does not change
        top = round(self.scroll_y)
        for row in rows:
            if not (0 <= row < len(layout.rows) and layout.is_exact(row)):
                self.refresh()
                return
            # The lines the cursor styles: those with content (not the spacing below a row).
            height = layout.lines(row).content_height
            self.refresh(Region(0, layout.offset(row) - top, width, height))

    def validate_cursor(self, value: int) -> int:
        return clamp(value, 0, max(0, len(self.row_layout.rows) - 1))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._relayout)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if not self.row_layout.configured and self._ready():
            # The first size comes just before the first frame is drawn, and the Resize event
            # only after it: laid out now, a document opened in place of another (`]`) is
            # drawn once, with its text, rather than blank and then again.
            self._relayout()
        return changed

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        if self.is_mounted:
            self._apply_styles()

    def _apply_styles(self) -> None:
        part = self.component_style

        heading = part("heading")
        muted = part("muted")
        base = MarkdownStyles()
        styles = MarkdownStyles(
            headings=tuple(heading + s for s in base.headings),
            emphasis=base.emphasis,
            strong=base.strong,
            strike=base.strike,
            code=part("code"),
            code_block=part("code-block"),
            link=part("link") + Style(underline=True),
            url=muted,
            image=muted + base.image,
            quote=part("quote"),
            quote_bar=part("rule") + Style(bold=True),
            bullet=part("heading") + Style(bold=True),
            rule=part("rule"),
            table_header=base.table_header,
            table_rule=part("rule"),
            html=muted,
            pinyin=part("pinyin"),
        )
        if styles != self.row_layout.styles:
            self.row_layout.set_styles(styles)
            self._strips.clear()
            self._highlights.clear()

    # Keys

    def _first_visible(self) -> int:
        y = round(self.scroll_y)
        row = self.row_layout.row_at(y)
        if self.row_layout.offset(row) < y and row + 1 < len(self.rows):
            nxt = row + 1
            if self.row_layout.offset(nxt) < y + self._page_height():
                return nxt
        return row

    def _reveal_cursor(self, upward: bool = False) -> None:
        """Scroll just enough to show the cursor row, with a little context past it when the
        row fits; a row taller than the screen shows its start (or its end, moving up)."""
        layout = self.row_layout
        row = self.cursor
        top = layout.offset(row)
        bottom = top + layout.lines(row).content_height
        y = round(self.scroll_y)
        page = self._page_height()
        context = SCROLL_CONTEXT if bottom - top + 2 * SCROLL_CONTEXT <= page else 0
        if top - context < y:
            self._scroll_y(max(top, bottom - page) if upward and not context else top - context)
        elif bottom + context > y + page:
            self._scroll_y(min(top, bottom + context - page))

    def action_cursor_down(self) -> None:
        if not self.rows:
            return
        if self.cursor not in self.visible_rows():
            self.cursor = self._first_visible()
            return
        layout = self.row_layout
        y, page = round(self.scroll_y), self._page_height()
        bottom = layout.offset(self.cursor) + layout.lines(self.cursor).content_height
        if bottom > y + page:  # the rest of a tall row is still below: read on within it
            self._scroll_y(min(y + max(1, page // 2), bottom - page))
            return
        if self.cursor + 1 < len(self.rows):
            self.cursor += 1
            self._reveal_cursor()

    def action_cursor_up(self) -> None:
        if not self.rows:
            return
        if self.cursor not in self.visible_rows():
            self.cursor = self._first_visible()
            return
        y, page = round(self.scroll_y), self._page_height()
        top = self.row_layout.offset(self.cursor)
        if top < y:  # the start of a tall row is above: scroll back within it
            self._scroll_y(max(top, y - max(1, page // 2)))
            return
        if self.cursor > 0:
            self.cursor -= 1
            self._reveal_cursor(upward=True)

    def action_page_down(self) -> None:
        if not self.rows:
            return
        y = round(self.scroll_y)
        page = self._page_height()
        self._scroll_y(y + page)
        if round(self.scroll_y) == y:
            self.cursor = len(self.rows) - 1
        else:
            self.cursor = self._first_visible()

    def action_page_up(self) -> None:
        if not self.rows:
            return
        y = round(self.scroll_y)
        self._scroll_y(y - self._page_height())
        self.cursor = 0 if round(self.scroll_y) == 0 else self._first_visible()

    def action_first(self) -> None:
        if self.rows:
            self.go_to_row(0)

    def action_last(self) -> None:
        if not self.rows:
            return
        layout = self.row_layout
        page = self._page_height()
        last = len(self.rows) - 1
        # Measure enough rows at the end to fill two pages, then scroll to the very bottom.
        i, filled = last, 0
        while i >= 0 and filled < 2 * page:
            filled += len(layout.lines(i))
            i -= 1
        self._set_virtual_height(layout.total)
        self.cursor = last
        self._scroll_y(layout.total - page)

    def on_click(self, event: events.Click) -> None:
        if not self.rows:
            return
        y = round(self.scroll_y) + event.y
        if 0 <= y < self.row_layout.total:
            self.cursor = self.row_layout.row_at(y)
        self.focus()

    # Drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per repaint rather than once per line: both walk the CSS machinery.
        self._line_style = self.rich_style
        self._line_width = self.scrollable_content_region.width
        if self.row_layout.configured and self.rows:
            # Rows scrolled into view by the mouse or a resize are measured before drawing.
            top, within = self._anchor()
            limit = self.row_layout.offset(top) + within + self._page_height()
            i = top
            while i < len(self.rows) and self.row_layout.offset(i) < limit:
                self.row_layout.lines(i)
                i += 1
            self._set_virtual_height(self.row_layout.total)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, base = self._line_width, self._line_style
        if not width:  # called outside a repaint
            width, base = self.scrollable_content_region.width, self.rich_style
        layout = self.row_layout
        line_y = round(self.scroll_y) + y
        if not layout.configured or not layout.rows or line_y >= layout.total:
            return Strip.blank(width, base)
        row = layout.row_at(line_y)
        k = line_y - layout.offset(row)
        lines = layout.lines(row)
        if k >= len(lines):
            return Strip.blank(width, base)
        is_cursor = row == self.cursor and lines.lines[k].content
        here = self._sentence is not None and self._sentence[0] == row
        focus = (self._sentence, self._word) if here else None
        key = (
            row,
            k,
            width,
            layout.mode,
            is_cursor,
            row in self._bookmarks,
            focus,
            self._hit is not None and self._hit[0] == row,
            self._generation,
        )
        strip = self._strips.get(key)
        if strip is None:
            text = self._compose_line(row, k, is_cursor)
            # Under every other style (Rich ignores `Text.style` on a line without spans).
            text.stylize_before(base)
            cells = text.cell_len
            strip = Strip(text.render(self.app.console), cells)
            if cells != width:
                strip = strip.crop_extend(0, width, base)
            self._strips[key] = strip
        return strip

    def _compose_line(self, row: int, k: int, is_cursor: bool) -> Text:
        layout = self.row_layout
        geo = layout.geometry
        lines = layout.lines(row)
        screen_line = lines.lines[k]
        text = Text(no_wrap=True, end="")
        bar = Text(CURSOR_BAR, self.component_style("cursor-bar")) if is_cursor else Text(" ")
        text.append_text(bar)
        text.append_text(self._marker(row, k, screen_line.content))
        text.append(" " * (geo.columns[0][0] - 2))
        by_x = {cell.x: cell for cell in screen_line.cells}
        style = self.component_style
        for c, (x, w) in enumerate(geo.columns):
            if c:
                text.append(COLUMN_RULE, self.component_style("rule"))
            cell = by_x.get(x)
            if cell is None:
                text.append(" " * w)
            elif self.is_hidden(row, cell.side):
                text.append_text(self._hidden_cell(row, k, lines, cell, is_cursor))
            else:
                extra = self._focus_ranges(row, cell.side)
                text.append_text(pad_to(self._highlights.decorate(row, cell, style, extra), w))
        gap = geo.width - text.cell_len
        if gap > 0:
            text.append(" " * gap)
        if self._hit is not None and self._hit[0] == row and screen_line.content:
            text.stylize_before(self.component_style("hit"))  # over the cursor's background
        if is_cursor:
            text.stylize_before(self.component_style("cursor"))
        return text

    def component_style(self, name: str) -> Style:
        """A component's own attributes and colours, its colours blended as Textual blends them
        (a partial style alone would turn "$boost", white at 4%, into solid white)."""
        key = f"bilingual-view--{name}"
        partial = self.get_component_rich_style(key, partial=True)
        full = self.get_component_rich_style(key)
        return (
            Style.from_color(
                full.color if partial.color is not None else None,
                full.bgcolor if partial.bgcolor is not None else None,
            )
            + partial.without_color
        )
