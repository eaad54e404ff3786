"""The tag filter: each tag with the number of documents that have it under the current filters
and search. Space or Enter toggles a tag; chosen tags are combined with AND."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from corpus.text import printable
from tui.widgets.library_filters import TagCount
from tui.widgets.record_list import RecordList
from tui.widgets.snippet import ellipsize

CHECK = "✓"  # East Asian width "N"


class TagList(RecordList[TagCount]):
    HELP_GROUP: ClassVar[str] = "Tag filter"
    item_height: ClassVar[int] = 1
    show_blurred_cursor: ClassVar[bool] = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "select", "Toggle", show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tag-list--count",
        "tag-list--selected",
    }

    DEFAULT_CSS = """
    TagList {
        & > .tag-list--count { color: $text-muted; }
        & > .tag-list--selected { color: $text-accent; text-style: bold; }
    }
    """

    class Toggled(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.empty_message = Content("no tags")

    @property
    def tags(self) -> Sequence[TagCount]:
        return self.records

    def show(self, tags: Sequence[TagCount]) -> None:
        current = self.current.key if self.current else None
        cursor = next((i for i, t in enumerate(tags) if t.key == current), 0)
        self.show_records(tags, cursor=cursor)

    def on_record_list_selected(self, event: RecordList.Selected) -> None:
        if event.record_list is self and self.tags:
            event.stop()
            self.post_message(self.Toggled(self.tags[event.index].key))

    def render_item(self, index: int, width: int) -> list[Content]:
        tag = self.records[index]
        count = Content.styled(str(tag.count), self.style_of("tag-list--count"))
        if tag.selected:
            label = Content.styled(
                f"{CHECK} {printable(tag.label)}", self.style_of("tag-list--selected")
            )
        else:
            label = Content(f"  {printable(tag.label)}")
        label = ellipsize(label, max(1, width - count.cell_length - 1), pad=True)
        return [label + " " + count]
