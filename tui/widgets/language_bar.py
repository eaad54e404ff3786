"""The language filter: All, EN, 中, EN+中, each with its count, then bilingual documents fully
or partly translated on a line of their own; `l` cycles, a click chooses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from tui.widgets.library_filters import (
    LANG_BADGES,
    LANGS,
    TRANSLATIONS,
    Translation,
    translation_key,
)
from tui.widgets.record_list import component_style

if TYPE_CHECKING:
    from corpus.model import DocLang


_Choice = tuple[str | None, Translation | None]  # (language, translation level)


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
        def __init__(self, lang: DocLang | None, translation: Translation | None = None) -> None:
            super().__init__()
            self.lang = lang
            self.translation = translation

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.lang: DocLang | None = None
        self.translation: Translation | None = None
        self.counts: Mapping[str, int] | None = None
        self._hit_boxes: list[tuple[int, int, int, _Choice]] = []  # (y, x0, x1, choice)

    def update(
        self,
        lang: DocLang | None,
        counts: Mapping[str, int] | None,
        translation: Translation | None = None,
    ) -> None:
        """`counts` per language (and translation level, `count_langs`), or None when they are
        not known (during a search)."""
        self.lang = lang
        self.translation = translation
        self.counts = counts
        self.refresh()

    def _entries(self) -> list[tuple[_Choice, str]]:
        entries: list[tuple[_Choice, str]] = [((None, None), "All")]
        entries += [((lang, None), LANG_BADGES[lang]) for lang in LANGS]
        entries += [(("bilingual", t), t) for t in TRANSLATIONS]
        return entries

    def _count(self, choice: _Choice) -> int:
        counts = self.counts or {}
        lang, level = choice
        if lang is None:
            return sum(n for key, n in counts.items() if ":" not in key)
        return counts.get(translation_key(level) if level else lang, 0)

    def render(self) -> Content:
        width = max(8, self.size.width or 20)
        chosen = component_style(self, "language-bar--chosen")
        muted = component_style(self, "language-bar--count")
        lines: list[Content] = []
        line = Content("")
        boxes: list[tuple[int, int, int, _Choice]] = []
        for choice, label in self._entries():
            piece = Content(f" {label}")
            if self.counts is not None:
                piece += Content.styled(f" {self._count(choice)}", muted)
            piece += " "
            if choice == (self.lang, self.translation):
                piece = piece.stylize(chosen)
            level_starts = choice[1] == TRANSLATIONS[0]  # the translation levels: a line apart
            if line.cell_length and (
                level_starts or line.cell_length + 1 + piece.cell_length > width
            ):
                lines.append(line)
                line = Content("")
            if line.cell_length:
                line += " "
            x = line.cell_length
            boxes.append((len(lines), x, x + piece.cell_length, choice))
            line += piece
        lines.append(line)
        self._hit_boxes = boxes
        return Content("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        for y, x0, x1, (lang, level) in self._hit_boxes:
            if event.y == y and x0 <= event.x < x1:
                self.post_message(self.Chosen(lang, level))
                return
