"""Search results: the document, then the matching row in both languages, matches highlighted.

Why Did Meta Open-Source Llama 2?                          row 3  EN
  …weights of the Llama 2 commercially available? A more in-depth…
  但是，为什么 Meta 会让 Llama 2 的重量商业化呢？更深入的分析。
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.style import Style

from corpus.text import printable
from index.types import Hit
from tui.widgets.document_list import BADGE_WIDTH, badge_text
from tui.widgets.record_list import RecordList
from tui.widgets.snippet import ellipsize, fit_snippet, one_line, split_at_cells, term_spans


def hit_lines(
    hit: Hit,
) -> tuple[tuple[str, list[tuple[int, int]]], tuple[str, list[tuple[int, int]]]]:
    """The two text lines of a hit with their highlight spans: the matching text, then the other
    language of the same row (or, for a title match, the row's English and Chinese)."""
    snippet_spans = list(hit.spans)
    if hit.lang == "en":
        other = hit.zh or ""
    elif hit.lang == "zh":
        other = hit.en or ""
    else:
        other = hit.en or hit.zh or ""
    first = hit.snippet or (hit.en if hit.lang == "en" else hit.zh) or ""
    if not hit.snippet:
        snippet_spans = term_spans(first, hit.terms)
    return (first, snippet_spans), (other, term_spans(other, hit.terms))


class ResultList(RecordList[Hit]):
    """The hits of the current query, best first."""

    HELP_GROUP: ClassVar[str] = "Search results"
    item_height: ClassVar[int] = 3

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open at hit", show=True),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--title",
        "result-list--row",
        "result-list--text",
        "result-list--other",
        "result-list--match",
        "result-list--badge",
    }

    DEFAULT_CSS = """
    ResultList {
        & > .result-list--title { text-style: bold; }
        & > .result-list--row { color: $text-muted; }
        & > .result-list--text { color: $foreground; }
        & > .result-list--other { color: $text-muted; }
        & > .result-list--match {
            color: $text-warning;
            background: $warning-muted;
            text-style: bold;
        }
        & > .result-list--badge { color: $text-accent; text-style: bold; }
    }
    """

    @property
    def hits(self) -> Sequence[Hit]:
        return self.records

    def show(self, hits: Sequence[Hit]) -> None:
        self.show_records(hits)

    def render_item(self, index: int, width: int) -> list[Content]:
        hit = self.records[index]
        st = self.style_of
        where = "title" if hit.lang == "title" else f"row {hit.row + 1}"
        badge = "" if hit.lang not in ("en", "zh") else badge_text(hit.lang)
        right = Content.assemble(
            (where, st("result-list--row")),
            "  ",
            (badge.ljust(BADGE_WIDTH - 1), st("result-list--badge")),
        )
        title = Content.styled(printable(one_line(hit.title or hit.path)), st("result-list--title"))
        first = self.title_line(title, right, width)
        (text, spans), (other, other_spans) = hit_lines(hit)
        match = st("result-list--match")
        if self.app.no_color:
            match += Style(underline=True)
        inner = max(1, width - 2)
        if not other.strip():  # one language only: let the matching text use both lines
            text_style = st("result-list--text")
            both = fit_snippet(text, spans, inner * 2, style=text_style, highlight=match)
            line2, line3 = split_at_cells(both, inner)
            line3 = ellipsize(line3, inner)
            return [first, Content("  ") + line2, Content("  ") + line3]
        line2 = fit_snippet(text, spans, inner, style=st("result-list--text"), highlight=match)
        line3 = fit_snippet(
            other, other_spans, inner, style=st("result-list--other"), highlight=match
        )
        return [first, Content("  ") + line2, Content("  ") + line3]
