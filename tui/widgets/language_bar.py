"""The language filter: All, EN, 中, EN+中, each with its count; `l` cycles, a click chooses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from tui.widgets.library_filters import LANG_BADGES, LANGS
from tui.widgets.record_list import component_style

if TYPE_CHECKING:
    from corpus.model import DocLang


class LanguageBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"language-bar--chosen", "language-bar--count"}

    DEFAULT_CSS = """
    LanguageBar {
        height: auto;  /* two lines, or three when the counts are long */
        & > .language-bar--chosen { color: $text-accent; text-style: bold reverse; }
        & > .language-bar--count { color: $text-muted; }
    }
    """

    class Chosen(Message):
        def __init__(self, lang: DocLang | None) -> None:
            super().__init__()
            self.lang = lang

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.lang: DocLang | None = None
        self.counts: Mapping[str, int] | None = None
        self._hit_boxes: list[tuple[int, int, int, DocLang | None]] = []  # (y, x0, x1, lang)

    def update(self, lang: DocLang | None, counts: Mapping[str, int] | None) -> None:
        """`counts` per language, or None when they are not known (during a search)."""
        self.lang = lang
        self.counts = counts
        self.refresh()

    def _entries(self) -> list[tuple[DocLang | None, str]]:
        entries: list[tuple[DocLang | None, str]] = [(None, "All")]
        entries += [(lang, LANG_BADGES[lang]) for lang in LANGS]
        return entries

    def render(self) -> Content:
        width = max(8, self.size.width or 20)
        chosen = component_style(self, "language-bar--chosen")
        muted = component_style(self, "language-bar--count")
        lines: list[Content] = []
        line = Content("")
        boxes: list[tuple[int, int, int, DocLang | None]] = []
        for lang, label in self._entries():
            piece = Content(f" {label}")
            if self.counts is not None:
                total = sum(self.counts.values()) if lang is None else self.counts.get(lang, 0)
                piece += Content.styled(f" {total}", muted)
            piece += " "
            if lang == self.lang:
                piece = piece.stylize(chosen)
            if line.cell_length and line.cell_length + 1 + piece.cell_length > width:
                lines.append(line)
                line = Content("")
            if line.cell_length:
                line += " "
            boxes.append((len(lines), line.cell_length, line.cell_length + piece.cell_length, lang))
            line += piece
        lines.append(line)
        self._hit_boxes = boxes
        return Content("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        for y, x0, x1, lang in self._hit_boxes:
            if event.y == y and x0 <= event.x < x1:
                self.post_message(self.Chosen(lang))
                return
