"""A keyboard-driven list of fixed-height records, drawn with the line API.

The library can hold thousands of documents; only the records on screen are ever turned into text,
so the first paint and every scroll cost the same whatever the list's length (the approach of
toolong's LogLines). Subclasses say how many records there are and how to draw one.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar, Generic, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from tui.widgets.snippet import ellipsize
from tui.widgets.steady_scroll import SteadyScrollView

CURSOR_MARK = "▸"  # East Asian width "N": one cell in every terminal
MIN_TITLE = 12  # cells a title keeps before the right-hand columns give way to it

RecordT = TypeVar("RecordT")


def component_style(widget: Widget, component: str) -> Style:
    """A component's style with its colours blended as Textual blends them (theme colours such as
    $text-muted are translucent), and no background unless the component sets one, so it can be
    laid over a cursor or a highlight."""
    full = widget.get_visual_style(component)
    own = widget.get_visual_style(component, partial=True)
    sets_background = own.background is not None and own.background.a > 0
    return replace(full, background=full.background if sets_background else None)


class RecordMessage(Message):
    """Something happened to record `index` of `record_list`."""

    def __init__(self, record_list: RecordList[Any], index: int) -> None:
        super().__init__()
        self.record_list = record_list
        self.index = index

    @property
    def control(self) -> RecordList[Any]:
        return self.record_list


class RecordList(SteadyScrollView, Generic[RecordT], can_focus=True):
    """Records of `item_height` lines with a cursor; Enter or a click selects the record.
    A subclass whose records differ in height says so in `heights_of`."""

    ALLOW_MAXIMIZE = False
    HELP_GROUP: ClassVar[str] = "Lists"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-list--cursor",
        "record-list--cursor-blurred",
        "record-list--mark",
        "record-list--empty",
    }

    DEFAULT_CSS = """
    RecordList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .record-list--cursor { background: $primary 25%; }
        & > .record-list--cursor-blurred { background: $primary 10%; }
        & > .record-list--mark { color: $accent; text-style: bold; }
        & > .record-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    item_height: ClassVar[int] = 1
    show_blurred_cursor: ClassVar[bool] = True  # keep marking the cursor while unfocused
    # The watcher repaints the old and new cursor records only (repaint=True would redraw the
    # whole list: a screenful of bytes per key over SSH).
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(RecordMessage):
        """The cursor is on record `index`."""

    class Selected(RecordMessage):
        """Record `index` was chosen (Enter or a click)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.records: Sequence[RecordT] = ()
        self._count = 0
        self._offsets: list[int] | None = None  # each record's first line, when heights differ
        self._cache: LRUCache[tuple[int, int], list[Content]] = LRUCache(256)
        self.empty_message: Content = Content("")
        self._after_paint: list[Callable[[], object]] = []

    # ---- what subclasses provide -----------------------------------------------------------------

    def render_item(self, index: int, width: int) -> list[Content]:
        """The `item_height` lines of record `index`, each at most `width` cells."""
        raise NotImplementedError

    def heights_of(self) -> Sequence[int] | None:
        """Each record's height in lines, when they are not all `item_height` (None)."""
        return None

    # ---- the model -------------------------------------------------------------------------------

    def show_records(self, records: Sequence[RecordT], *, cursor: int = 0) -> None:
        """Show `records`, with the cursor on the record at `cursor`."""
        before = self._screen_lines()  # drawn from the records shown until now
        self.records = records
        self.set_count(len(records), cursor=cursor, before=before)

    @property
    def current(self) -> RecordT | None:
        """The record under the cursor."""
        return self.records[self.cursor] if self.records else None

    @property
    def count(self) -> int:
        return self._count

    def set_count(self, count: int, *, cursor: int = 0, before: list[Strip] | None = None) -> None:
        """Show `count` records (their contents changed), with the cursor on `cursor`. Only the
        lines that look different are repainted: a search that changes a few of the results, or
        a tag count, sends those lines, not the whole list."""
        if before is None:
            before = self._screen_lines()
        self._count = count
        heights = self.heights_of()
        self._offsets = list(itertools.accumulate(heights, initial=0)) if heights else None
        self._cache.clear()
        self._update_virtual_size()
        self.set_reactive(RecordList.cursor, self._clamp(cursor))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self._refresh_changed(before)
        if count:
            self.post_message(self.Highlighted(self, self.cursor))

    def _screen_lines(self) -> list[Strip] | None:
        """The lines on screen as they are drawn now (None: nothing drawn yet)."""
        if not self.is_mounted or not self.display or not self.size:
            return None
        return [self.render_line(y) for y in range(self.size.height)]

    def _refresh_changed(self, before: list[Strip] | None) -> None:
        after = self._screen_lines()
        if before is None or after is None or len(before) != len(after):
            self.refresh()
            return
        width = self.size.width
        y = 0
        while y < len(after):
            if before[y] == after[y]:
                y += 1
                continue
            end = y + 1
            while end < len(after) and before[end] != after[end]:
                end += 1
            self.refresh(Region(0, y, width, end - y))
            y = end

    def _clamp(self, index: int) -> int:
        return max(0, min(index, self._count - 1)) if self._count else 0

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, self._top(self._count))

    def _top(self, index: int) -> int:
        """The first line of record `index` (of the end, for `count`)."""
        if self._offsets is None:
            return index * self.item_height
        return self._offsets[max(0, min(index, len(self._offsets) - 1))]

    def _height(self, index: int) -> int:
        return self._top(index + 1) - self._top(index)

    def _at_line(self, line: int) -> tuple[int, int]:
        """The record that shows `line`, and the line within it."""
        if self._offsets is None:
            return divmod(line, self.item_height)
        index = bisect.bisect_right(self._offsets, line) - 1
        return index, line - self._offsets[index]

    # ---- cursor ----------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return self._clamp(value)

    def watch_cursor(self, old: int, new: int) -> None:
        for index in {old, new}:
            self._refresh_item(index)
        self._scroll_cursor_into_view()
        if self._count:
            self.post_message(self.Highlighted(self, new))

    def _refresh_item(self, index: int) -> None:
        top = self._top(index) - self.scroll_offset.y
        self.refresh(Region(0, top, self.size.width, self._height(index)))

    def _scroll_cursor_into_view(self) -> None:
        if not self._count or not self.is_mounted:
            return
        region = Region(0, self._top(self.cursor), 1, self._height(self.cursor))
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    @property
    def page_items(self) -> int:
        return max(1, self.scrollable_content_region.height // self.item_height)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        if self._offsets is None:
            self.cursor += self.page_items
        else:
            page = self.scrollable_content_region.height
            self.cursor = self._at_line(self._top(self.cursor) + page)[0]

    def action_page_up(self) -> None:
        if self._offsets is None:
            self.cursor -= self.page_items
        else:
            page = self.scrollable_content_region.height
            self.cursor = self._at_line(max(0, self._top(self.cursor) - page))[0]

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._count - 1

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = self._at_line(event.y + self.scroll_offset.y)[0]
        if 0 <= index < self._count:
            self.cursor = index
            self.action_select()

    # ---- drawing ---------------------------------------------------------------------------------

    def _on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self._refresh_item(self.cursor)

    def _on_blur(self, event: events.Blur) -> None:
        self._refresh_item(self.cursor)

    def style_of(self, component: str) -> Style:
        """A component's style, to lay over the widget's own colours."""
        return component_style(self, component)

    @staticmethod
    def title_line(title: Content, right: Content, width: int) -> Content:
        """A record's first line: `title` cut short so that `right` (date, badge…) ends at the
        right edge; a line too narrow for both keeps the title alone."""
        title = ellipsize(title, max(1, width - right.cell_length - 2), pad=True)
        return title + "  " + right if width > right.cell_length + MIN_TITLE else title

    def after_first_paint(self, callback: Callable[[], object]) -> None:
        """Run `callback` once this list has been drawn (work that can wait for the first frame),
        or after half a second if it is not drawn at all (a terminal too small to show it)."""
        self._after_paint.append(callback)
        self.set_timer(0.5, self._run_after_paint)

    def _run_after_paint(self) -> None:
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            self.call_later(callback)

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        if self._after_paint:
            self._run_after_paint()
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.get_visual_style()
        line = y + self.scroll_offset.y
        index, offset = self._at_line(line)
        if self._count == 0:
            if y == 1 and self.empty_message:
                text = Content("  ") + self.empty_message.stylize(
                    self.style_of("record-list--empty")
                )
                return self._strip(text, width, base)
            return Strip.blank(width, base.rich_style)
        if index >= self._count:
            return Strip.blank(width, base.rich_style)
        key = (index, width)
        lines = self._cache.get(key)
        if lines is None:
            lines = self.render_item(index, max(1, width - 2))
            self._cache[key] = lines
        body = lines[offset] if offset < len(lines) else Content("")
        style = base
        if index == self.cursor and (self.has_focus or self.show_blurred_cursor):
            mark = self.style_of("record-list--mark")
            gutter = Content.styled(CURSOR_MARK if offset == 0 else " ", mark) + " "
            blurred = not self.has_focus
            cursor_class = "record-list--cursor-blurred" if blurred else "record-list--cursor"
            style = base + self.style_of(cursor_class)
            if self.app.no_color:  # without colours a background shows nothing
                style += Style(reverse=not blurred, underline=blurred)
        else:
            gutter = Content("  ")
        return self._strip(gutter + body, width, style)

    @staticmethod
    def _strip(content: Content, width: int, style: Style) -> Strip:
        fitted = ellipsize(content, width, pad=True)
        return Strip(fitted.render_segments(style), width)
