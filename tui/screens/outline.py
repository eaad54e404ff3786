"""The outline of a document: its headings in a list; Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from corpus.model import Row
from tui.layout.markdown import inline_plain
from tui.layout.rows import heading_partner


@dataclass(frozen=True, slots=True)
class Heading:
    row: int
    level: int
    title: str


def document_headings(rows: Sequence[Row]) -> list[Heading]:
    """Every heading row, titled by both of its sides when it has two."""
    out: list[Heading] = []
    for index, row in enumerate(rows):
        if row.kind != "heading":
            continue
        pair = (heading_partner(row.en, row.zh), heading_partner(row.zh, row.en))
        sides = [b for b in pair if b is not None and b.kind == "heading"]
        if not sides:
            continue
        titles = [inline_plain(b.text.strip().lstrip("#").strip()) for b in sides]
        title = " · ".join(t for t in titles if t) or "(untitled)"
        out.append(Heading(index, max(1, sides[0].level), title))
    return out


class ListModal(ModalScreen[int | None]):
    """A titled list of rows to jump to; dismisses with the chosen row, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
    ]

    DEFAULT_CSS = """
    ListModal {
        align: center middle;
        & > Vertical {
            width: 80%;
            max-width: 100;
            height: auto;
            max-height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        & Label { width: 100%; text-style: bold; padding: 0 0 1 0; }
        & OptionList, & OptionList:focus {
            height: auto;
            max-height: 100%;
            border: none;
            padding: 0;
            background: $surface;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    def __init__(self, title: str, options: Sequence[tuple[int, Content]], current: int) -> None:
        super().__init__()
        self._title = title
        self._rows = [row for row, _ in options]
        self._options = [Option(prompt) for _, prompt in options]
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self._title))
            yield OptionList(*self._options)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self._rows:
            options.highlighted = self._current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._rows[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class OutlineScreen(ListModal):
    """Headings of the document, indented by level; opens on the section the cursor is in."""

    HELP_GROUP = "Outline"

    def __init__(self, headings: Sequence[Heading], cursor_row: int) -> None:
        current = 0
        for k, heading in enumerate(headings):
            if heading.row <= cursor_row:
                current = k
        options = [
            (
                h.row,
                Content.assemble(
                    "  " * (h.level - 1),
                    (h.title, "bold" if h.level <= 2 else ""),
                ),
            )
            for h in headings
        ]
        super().__init__("Outline", options, current)
