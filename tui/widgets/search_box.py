"""The search field: results follow as you type; Enter or ↓ moves to the results."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from tui.widgets.ordered_input import OrderedInput

PLACEHOLDER = "/ search English or 中文"


class SearchBox(OrderedInput):
    HELP_GROUP: ClassVar[str] = "Search box"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back to list", show=True),
        Binding("enter", "submit", "To results", show=True),
        Binding("down", "leave", "To results", show=False),
    ]

    class Leave(Message):
        """The user is done typing; focus should go back to the list."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(
            placeholder=PLACEHOLDER,
            id=id,
            select_on_focus=False,
        )

    def action_leave(self) -> None:
        self.post_message(self.Leave())
