"""A document's warnings in words, under the reader's header: what was guessed or lost when the
file was read (frontmatter recovered line by line, no title found, a translation that follows its
original loosely). Shown only for a document that has them."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

from corpus.text import printable
from tui.widgets.snippet import ellipsize

MAX_LINES = 3  # warnings: more than this and the last line says how many are not shown


def warning_lines(warnings: Sequence[str], max_lines: int = MAX_LINES) -> list[str]:
    """One line per warning, the last of `max_lines` saying how many more there are."""
    lines = [f"! {printable(' '.join(w.split()))}" for w in warnings]
    if len(lines) > max_lines:
        rest = len(lines) - (max_lines - 1)
        lines = [*lines[: max_lines - 1], f"! and {rest} more (llama-reader docs lists them)"]
    return lines


def warning_mark(warnings: Sequence[str], width: int) -> Content:
    """The library list's mark in at most `width` cells: the first warning in words (cut with an
    ellipsis), and how many others."""
    more = len(warnings) - 1
    suffix = f" (+{more} more)" if more else ""
    first = Content(f"! {printable(' '.join(warnings[0].split()))}")
    return ellipsize(first, max(8, width - len(suffix))) + suffix


class WarningNotice(Static):
    DEFAULT_CSS = """
    WarningNotice {
        height: auto;
        max-height: 4;  /* the text wraps: a warning's whole sentence is read at 80 columns */
        padding: 0 1;
        background: $panel;
        color: $text-warning;
    }
    """

    def __init__(self, warnings: Sequence[str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(Content("\n".join(warning_lines(warnings))), id=id)
        self.warnings = tuple(warnings)
        self.display = bool(warnings)
