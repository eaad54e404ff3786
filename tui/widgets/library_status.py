"""What the library screen says: its status line, the empty list's text, an index update's report.

Plain functions of plain values, so what the line says in each state is read in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from textual.content import Content

from corpus.text import printable
from index.types import IndexSummary, SearchResults
from tui.widgets.library_filters import LANG_BADGES, TRANSLATION_NAMES, Filters, SortKey
from tui.widgets.snippet import ellipsize

MUTED = "$text-muted"


def empty_documents_text(*, indexing: bool, loaded: bool, indexed: bool, documents: int) -> str:
    """What the document list says when it shows nothing."""
    if indexing and not documents:
        return "Building the search index for this library…"
    if not loaded:
        return "Opening the library…"
    if not documents:
        if not indexed:
            return "Building the search index for this library…"
        return "No documents here. Markdown (.md) and text (.txt) files are read."
    return "No document matches these filters. Press c to clear them."


def status_content(
    *,
    query: str,
    indexed: bool,
    results: SearchResults | None,
    shown: int,
    total: int,
    sort: SortKey,
    filters: Filters,
    reverse: bool = False,
    width: int = 0,
    labels: Mapping[str, str],
    coverage: str | None = None,
) -> Content:
    """Counts (of matching rows while searching, else of documents), the order or the search's
    suggestion and ignored words, then the filters in force: the language, then the tags, cut
    to fit `width` cells (0: no limit) with a count of the tags left out. `coverage`: how much of
    the library the results cover, while the index is partial."""
    parts: list[Content] = []
    order_at: int | None = None  # the order gives way first when the filters need the room
    if query:
        if not indexed:
            return Content.styled("Search works once the index is built.", MUTED)
        if results is None or results.query != query:
            parts.append(Content.styled("Searching…", MUTED))
        else:
            parts.extend(_results_parts(results))
            if coverage:
                parts.append(Content.styled(coverage, "$text-warning"))
    else:
        count = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        parts.append(Content(f"{count} document{'s' if total != 1 else ''}"))
        if sort == "date":
            order = "oldest first" if reverse else "newest first"
        else:
            order = "by title, Z to A" if reverse else "by title"
        parts.append(Content.styled(order, MUTED))
        order_at = len(parts) - 1
    if filters.lang:
        lang = LANG_BADGES.get(filters.lang, filters.lang)
        if filters.translation:
            lang += f" {TRANSLATION_NAMES[filters.translation]}"
        parts.append(Content.assemble(("lang ", MUTED), (lang, "$text-accent")))
    if filters.tags:
        tags = _tags_part(filters.tags, labels, width - _width(parts) if width else 0)
        if order_at is not None and width and tags.plain.endswith("…"):
            del parts[order_at]
            tags = _tags_part(filters.tags, labels, width - _width(parts))
        parts.append(tags)
    return Content(SEPARATOR).join(parts)


SEPARATOR = "  "


def _width(parts: list[Content]) -> int:
    return sum(p.cell_length for p in parts) + len(SEPARATOR) * len(parts)


def _tags_part(tags: Sequence[str], labels: Mapping[str, str], room: int) -> Content:
    """ "tags AI + Open Source", or as many names as fit in `room` cells (0: no limit) and "+2"
    for the others; a single name too long for the room is cut with an ellipsis."""
    names = [printable(labels.get(t, t)) for t in tags]
    room -= len("tags ")
    text = " + ".join(names)
    for shown in range(len(names), 0, -1):
        more = len(names) - shown
        text = " + ".join(names[:shown]) + (f" +{more}" if more else "")
        if room <= 0 or cell_len(text) <= room:
            break
    body = Content.styled(text, "$text-secondary")
    if room > 0:
        body = ellipsize(body, max(room, 4))
    return Content.assemble(("tags ", MUTED), body)


def _results_parts(r: SearchResults) -> list[Content]:
    shown = len(r.hits)
    count = f"{r.total:,} matching row{'s' if r.total != 1 else ''}"
    if shown < r.total:
        count += f" (best {shown})"
    parts = [Content(count)]
    if r.suggestion:
        parts.append(
            Content.assemble(
                ("did you mean ", MUTED),
                (r.suggestion, "bold $text-accent"),
                ("" if r.hits else " (Enter)", MUTED),
            )
        )
    if r.ignored:
        parts.append(Content.assemble(("ignored: ", MUTED), (" ".join(r.ignored), "$text-warning")))
    return parts


def index_report(summary: IndexSummary, *, asked: bool, first_build: bool) -> str | None:
    """The note after an update: what changed, or that nothing did when the user asked for it
    (None: nothing worth a note, as after the first build, whose progress was on screen)."""
    changed = summary.added + summary.updated + summary.removed
    if not (changed or asked) or first_build:
        return None
    text = (
        f"Index updated: {summary.added} added, {summary.updated} changed, "
        f"{summary.removed} removed."
        if changed
        else "The index is up to date."
    )
    if summary.skipped:
        text += f" {summary.skipped} file{'s' if summary.skipped != 1 else ''} skipped."
    return text
