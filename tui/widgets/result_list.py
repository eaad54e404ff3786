"""Search results: the document, then the matching row in both languages, matches highlighted.

Why Did Meta Open-Source Llama 2?                          row 3  EN
  …weights of the Llama 2 commercially available? A more in-depth…
  但是，为什么 Meta 会让 Llama 2 的重量商业化呢？更深入的分析。
                                                           row 9  EN
  …the Llama 2 license allows commercial use for most companies…
  Llama 2 的许可证允许大多数公司商用……
  12 more rows in this document  (e shows them)

By document (the default), each document's best rows come together under its title, with a line
for the rows not shown; `e` shows them all (or folds them again) and `o` switches to the rows in
plain rank order and back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.style import Style

from corpus.text import printable
from index.types import Hit, SearchResults
from tui.result_entries import ResultEntry, document_entries, row_entries
from tui.widgets.document_list import BADGE_WIDTH, badge_text
from tui.widgets.record_list import RecordList, RecordMessage
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


def hit_key(hit: Hit) -> tuple[str, int, str]:
    """What names a hit whichever search returned it: its document, row and side."""
    return hit.id, hit.row, hit.lang


class ResultList(RecordList[ResultEntry]):
    """The hits of the current query: by document, or best first."""

    HELP_GROUP: ClassVar[str] = "Search results"
    item_height: ClassVar[int] = 3

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open at hit", show=True),
        Binding("e", "expand", "All rows of the document", show=True),
        Binding("o", "toggle_order", "By document / by row", show=True),
    ]

    class Expand(RecordMessage):
        """The rows of the document of entry `index` are asked for (to show them all)."""

        def __init__(self, record_list: ResultList, index: int, doc_id: str) -> None:
            super().__init__(record_list, index)
            self.doc_id = doc_id

    class OrderChanged(Message):
        """The list switched between by document and by row."""

        def __init__(self, by_document: bool) -> None:
            super().__init__()
            self.by_document = by_document

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 (Textual's name)
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.results: SearchResults | None = None
        self.by_document = True
        self.expanded: dict[str, tuple[Hit, ...]] = {}

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--title",
        "result-list--row",
        "result-list--text",
        "result-list--other",
        "result-list--match",
        "result-list--badge",
        "result-list--more",
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
        & > .result-list--more { color: $text-muted; text-style: italic; }
    }
    """

    @property
    def hits(self) -> list[Hit]:
        """The hits the list shows, in its order."""
        return [entry.hit for entry in self.records if entry.hit is not None]

    def hit_at(self, index: int) -> Hit | None:
        return self.records[index].hit if 0 <= index < len(self.records) else None

    def show(self, results: SearchResults | None, *, again: bool = False) -> None:
        """Show `results` (None or no hits: the empty message), the cursor on the first hit.
        `again`: the same query answered with more of the library indexed; the cursor stays on
        the hit it was on, and documents listed in full stay so."""
        current = self.current if again else None
        self.results = results
        if current is None:
            self.expanded = {}
            self._arrange(cursor=0, keep_scroll=False)
            return
        self._arrange(cursor=self._index_of(current.hit, current.doc_id), keep_scroll=True)

    def show_all_rows(self, doc_id: str, hits: Sequence[Hit]) -> None:
        """List every row of `doc_id` given (all its matching rows, best first)."""
        if self.results is None or not hits:
            return
        current = self.current
        self.expanded[doc_id] = tuple(hits)
        # The cursor stays on its hit, or (on the "more" line) goes to the first row it revealed.
        target = current.hit if current is not None else None
        if target is None or current is None or current.doc_id != doc_id:
            shown = {hit_key(h) for h in self._group_hits(doc_id)}
            target = next((h for h in hits if hit_key(h) not in shown), hits[0])
        self._arrange(cursor=self._index_of(target, doc_id), keep_scroll=True)

    def _group_hits(self, doc_id: str) -> tuple[Hit, ...]:
        for group in self.results.groups if self.results is not None else ():
            if group.id == doc_id:
                return group.hits
        return ()

    def _index_of(self, hit: Hit | None, doc_id: str | None = None) -> int:
        """Where `hit` is listed; without one (a "more rows" line), that document's line for the
        rest, else its first entry; else the top."""
        key = hit_key(hit) if hit is not None else None
        fallback: int | None = None
        for n, entry in enumerate(self._entries()):
            if hit is not None and entry.hit is not None and hit_key(entry.hit) == key:
                return n
            if doc_id is not None and entry.doc_id == doc_id:
                if hit is None and entry.hit is None:
                    return n
                if fallback is None:
                    fallback = n
        return fallback or 0

    def _entries(self) -> list[ResultEntry]:
        results = self.results
        if results is None:
            return []
        if self.by_document and results.groups:
            return document_entries(results.groups, self.expanded)
        return row_entries(results.hits)

    def _arrange(self, *, cursor: int, keep_scroll: bool) -> None:
        y = self.scroll_offset.y
        self.show_records(self._entries(), cursor=cursor)
        if keep_scroll:
            self.scroll_to(y=y, animate=False, immediate=True)
            self._scroll_cursor_into_view()

    def heights_of(self) -> Sequence[int] | None:
        if not any(entry.hit is None for entry in self.records):
            return None
        return [self.item_height if entry.hit is not None else 1 for entry in self.records]

    def action_select(self) -> None:
        entry = self.current
        if entry is not None and entry.hit is None:
            self.action_expand()
        else:
            super().action_select()

    def action_expand(self) -> None:
        """Show every row of the cursor's document, or fold them back to its best rows."""
        entry = self.current
        if entry is None or not self.by_document:
            return
        if entry.doc_id in self.expanded:
            del self.expanded[entry.doc_id]
            best = {hit_key(h) for h in self._group_hits(entry.doc_id)}
            hit = entry.hit if entry.hit is not None and hit_key(entry.hit) in best else None
            self._arrange(cursor=self._index_of(hit, entry.doc_id), keep_scroll=True)
        elif any(e.doc_id == entry.doc_id and e.hit is None for e in self.records):
            self.post_message(self.Expand(self, self.cursor, entry.doc_id))

    def action_toggle_order(self) -> None:
        """By document ⇄ by row, the cursor staying on its hit."""
        current = self.current
        self.by_document = not self.by_document
        hit = current.hit if current is not None else None
        doc = current.doc_id if current is not None else None
        self._arrange(cursor=self._index_of(hit, doc), keep_scroll=False)
        self.post_message(self.OrderChanged(self.by_document))

    def render_item(self, index: int, width: int) -> list[Content]:
        entry = self.records[index]
        st = self.style_of
        hit = entry.hit
        if hit is None:
            rows = f"{entry.more} more row{'s' if entry.more != 1 else ''} in this document"
            more = Content.assemble(rows, "  (e shows them)" if width > len(rows) + 18 else "")
            return [Content("  ") + ellipsize(more.stylize(st("result-list--more")), width - 2)]
        where = "title" if hit.lang == "title" else f"row {hit.row + 1}"
        badge = "" if hit.lang not in ("en", "zh") else badge_text(hit.lang)
        right = Content.assemble(
            (where, st("result-list--row")),
            "  ",
            (badge.ljust(BADGE_WIDTH - 1), st("result-list--badge")),
        )
        if entry.first:
            name = printable(one_line(hit.title or hit.path))
            title = Content.styled(name, st("result-list--title"))
        else:  # a further row of the document above: its title is not repeated
            title = Content("")
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
