"""The library list: two lines per document, drawn only for the documents on screen.

Why Did Meta Open-Source Llama 2?                2023-07-25  EN+中  87%
  为什么元开源骆驼 2？  Matt Rickard  42 rows  Tech  AI

A bilingual document's badge is followed by its translation coverage (the share of its text rows
with both sides); the column is there only while the list holds a bilingual document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.content import Content

from corpus.text import printable
from index.types import DocInfo
from tui.widgets.library_filters import LANG_BADGES, coverage_percent
from tui.widgets.record_list import RecordList
from tui.widgets.snippet import ellipsize
from tui.widgets.warning_notice import warning_mark

DATE_WIDTH = 10
BADGE_WIDTH = 5  # "EN+中"
WARNING_WIDTH = 40  # of the second line, so the tags after it stay in sight
COVERAGE_WIDTH = 4  # "100%"
NARROW_ITEM = 56  # below this many cells a document's date goes on its second line


def badge_text(lang: str) -> str:
    return LANG_BADGES.get(lang, lang[:BADGE_WIDTH].upper())


class DocumentList(RecordList[DocInfo]):
    """Documents of the library, in the order the screen sorted and filtered them."""

    HELP_GROUP: ClassVar[str] = "Document list"
    item_height: ClassVar[int] = 2

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-list--title",
        "document-list--alt",
        "document-list--meta",
        "document-list--tag",
        "document-list--date",
        "document-list--badge",
        "document-list--warning",
        "document-list--coverage",
    }

    DEFAULT_CSS = """
    DocumentList {
        & > .document-list--title { text-style: bold; }
        & > .document-list--alt { color: $text-muted; }
        & > .document-list--meta { color: $text-muted; }
        & > .document-list--tag { color: $text-secondary; }
        & > .document-list--date { color: $text-muted; }
        & > .document-list--badge { color: $text-accent; text-style: bold; }
        & > .document-list--warning { color: $text-warning; }
        & > .document-list--coverage { color: $text-muted; }
    }
    """

    _coverage_column = False  # set by `show`: some document shown is bilingual

    @property
    def documents(self) -> Sequence[DocInfo]:
        return self.records

    def show(self, documents: Sequence[DocInfo], *, keep: str | None = None) -> None:
        """Show `documents`, keeping the cursor on the document with id `keep` if it is there."""
        self._coverage_column = any(d.lang == "bilingual" for d in documents)
        cursor = 0
        if keep is not None:
            cursor = next((i for i, d in enumerate(documents) if d.id == keep), 0)
        self.show_records(documents, cursor=cursor)

    def render_item(self, index: int, width: int) -> list[Content]:
        doc = self.records[index]
        st = self.style_of
        date = (doc.date or "")[:DATE_WIDTH]
        narrow = width < NARROW_ITEM  # the date moves to the second line, the title keeps room
        badge = badge_text(doc.lang)
        coverage = ""
        if self._coverage_column:
            badge += " " * max(0, BADGE_WIDTH - cell_len(badge))
            coverage = " " + (coverage_percent(doc) or "").rjust(COVERAGE_WIDTH)
        else:
            badge = badge.ljust(BADGE_WIDTH - 1)
        right = Content.assemble(
            ("" if narrow else date.rjust(DATE_WIDTH), st("document-list--date")),
            "" if narrow else "  ",
            (badge, st("document-list--badge")),
            (coverage, st("document-list--coverage")),
        )
        title = Content.styled(printable(doc.title or doc.path), st("document-list--title"))
        first = self.title_line(title, right, width)

        parts: list[Content] = []
        if narrow and date:
            parts.append(Content.styled(date, st("document-list--date")))
        if doc.title_alt:
            parts.append(Content.styled(printable(doc.title_alt), st("document-list--alt")))
        if doc.author:
            parts.append(Content.styled(printable(doc.author), st("document-list--meta")))
        rows = "1 row" if doc.rows == 1 else f"{doc.rows} rows"
        parts.append(Content.styled(rows, st("document-list--meta")))

        if doc.warnings:
            mark = warning_mark(doc.warnings, WARNING_WIDTH)
            parts.append(mark.stylize(st("document-list--warning")))
        if doc.tags:
            parts.append(
                Content("  ").join(
                    Content.styled(printable(t), st("document-list--tag")) for t in doc.tags
                )
            )
        second = Content("  ") + Content("  ").join(parts)
        return [first, ellipsize(second, width)]
