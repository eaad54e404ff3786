"""The styles Markdown is drawn with, as plain Rich styles.

The reader widget fills these from its component classes, so a theme (or `NO_COLOR`) decides the
colours; the defaults use text attributes only and suit tests and monochrome terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style


def _headings() -> tuple[Style, ...]:
    return (
        Style(bold=True, underline=True),
        Style(bold=True),
        Style(bold=True, italic=True),
        Style(italic=True),
        Style(italic=True),
        Style(italic=True),
    )


@dataclass(frozen=True, slots=True)
class MarkdownStyles:
    headings: tuple[Style, ...] = field(default_factory=_headings)  # levels 1–6
    emphasis: Style = field(default_factory=lambda: Style(italic=True))
    strong: Style = field(default_factory=lambda: Style(bold=True))
    strike: Style = field(default_factory=lambda: Style(strike=True))
    code: Style = field(default_factory=lambda: Style(bold=True))
    code_block: Style = field(default_factory=Style)
    link: Style = field(default_factory=lambda: Style(underline=True))
    url: Style = field(default_factory=lambda: Style(dim=True))
    image: Style = field(default_factory=lambda: Style(dim=True, italic=True))
    quote: Style = field(default_factory=Style)
    quote_bar: Style = field(default_factory=lambda: Style(dim=True))
    bullet: Style = field(default_factory=lambda: Style(bold=True))
    rule: Style = field(default_factory=lambda: Style(dim=True))
    table_header: Style = field(default_factory=lambda: Style(bold=True))
    table_rule: Style = field(default_factory=lambda: Style(dim=True))
    html: Style = field(default_factory=lambda: Style(dim=True))
    pinyin: Style = field(default_factory=lambda: Style(italic=True))  # readings over Chinese

    def heading(self, level: int) -> Style:
        return self.headings[min(max(level, 1), len(self.headings)) - 1]
