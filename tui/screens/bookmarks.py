"""Bookmarks in a list: of one document (in the reader), or of the whole library (from the
library screen or the palette); Enter jumps to one."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from corpus.text import printable
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


class LibraryBookmarksScreen(ListModal):
    """Every bookmark of the library: document title, row and the start of the row's text.
    Dismisses with the index of the chosen entry in `marks`."""

    HELP_GROUP = "Bookmarks"

    def __init__(self, marks: Sequence[tuple[str, Bookmark]], titles: dict[str, str]) -> None:
        self.marks = [(doc_id, mark) for doc_id, mark in marks if doc_id in titles]
        self.marks.sort(key=lambda m: (titles[m[0]].casefold(), m[0], m[1].row))
        options = [
            (
                k,
                Content.assemble(
                    (printable(titles[doc_id]), "bold"),
                    (f"  row {mark.row + 1}  ", "$text-muted"),
                    printable(mark.label) or "(empty row)",
                ),
            )
            for k, (doc_id, mark) in enumerate(self.marks)
        ]
        title = "Bookmarks" if options else "Bookmarks: none yet (B in the reader marks a row)"
        super().__init__(title, options, 0)
