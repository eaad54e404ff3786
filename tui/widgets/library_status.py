"""What the library screen says: its status line, the empty list's text, an index update's report.

Plain functions of plain values, so what the line says in each state is read in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from index.types import IndexSummary, SearchResults
from tui.widgets.library_filters import LANG_BADGES, Filters, SortKey

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
    labels: Mapping[str, str],
) -> Content:
    """Counts (of matching rows while searching, else of documents), the order or the search's
    suggestion and ignored words, then the filters in force."""
    parts: list[Content] = []
    if query:
        if not indexed:
            return Content.styled("Search works once the index is built.", MUTED)
        if results is None or results.query != query:
            parts.append(Content.styled("Searching…", MUTED))
        else:
            parts.extend(_results_parts(results))
    else:
        count = f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
        parts.append(Content(f"{count} document{'s' if total != 1 else ''}"))
        order = "newest first" if sort == "date" else "by title"
        parts.append(Content.styled(order, MUTED))
    if filters.tags:
        names = " + ".join(labels.get(t, t) for t in filters.tags)
        parts.append(Content.assemble(("tags ", MUTED), (names, "$text-secondary")))
    if filters.lang:
        parts.append(
            Content.assemble(("lang ", MUTED), (LANG_BADGES[filters.lang], "$text-accent"))
        )
    return Content("  ").join(parts)


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
