"""The bookmarks of a document in a list; Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from tui.reading_state import Bookmark
from tui.screens.outline import ListModal


class BookmarksScreen(ListModal):
    HELP_GROUP = "Bookmarks"

    def __init__(self, bookmarks: Sequence[Bookmark], row_count: int, cursor_row: int) -> None:
        marks = [b for b in bookmarks if b.row < row_count]
        current = 0
        for k, mark in enumerate(marks):
            if mark.row <= cursor_row:
                current = k
        width = len(str(row_count))
        options = [
            (
                b.row,
                Content.assemble(
                    (f"{b.row + 1:>{width}}", "$text-muted"),
                    "  ",
                    b.label or "(empty row)",
                ),
            )
            for b in marks
        ]
        super().__init__("Bookmarks", options, current)
