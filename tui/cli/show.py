"""`llama-reader show DOC`: one document, side by side on a terminal or as JSON.

DOC is a document of the library (id, path or title prefix) or any readable file, in the library
or not. On a terminal the text goes through `$PAGER` (`less -R` when unset), as git does."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser("show", help="print one document (id, path, title prefix or any file)")
    p.add_argument(
        "doc", metavar="DOC", help="document id, path in the library, title prefix, or a file"
    )
    add_common_arguments(p, subcommand=True)
    p.add_argument("--json", action="store_true", help="print one JSON object with the rows")
    p.add_argument(
        "--no-pager", action="store_true", help="print straight to the terminal, never via $PAGER"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.cli.corrections import aligned_rows, corrected, corrections_json
    from tui.cli.output import doc_fields, print_json

    opened = corrected(_find(args))
    doc = opened.document
    if args.json:
        fields = doc_fields(doc)
        fields["rows"] = [_row_json(row) for row in doc.rows]
        if opened.corrected.changed:
            for i, row in enumerate(fields["rows"]):
                row["aligned_rows"] = aligned_rows(opened, i)
        fields.update(corrections_json(opened))
        print_json(fields)
        return 0
    from tui.cli.pager import paged

    with paged(disabled=args.no_pager) as console:
        _print_side_by_side(doc, console)
    return 0


def _find(args: argparse.Namespace) -> Any:
    """The document DOC names: a file outside the library is read on its own; anything else is
    looked for in the library (where a file may be one half of a translation pair)."""
    from pathlib import Path

    from corpus.errors import LibraryError
    from corpus.library import load_library, resolve_library
    from corpus.roots import library_root
    from corpus.text import printable
    from tui.cli.output import find_document

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    root = library_root(library).resolve()
    given = Path(args.doc).expanduser()
    if given.is_file() and not given.resolve().is_relative_to(root):
        documents, skipped = load_library(given)
        if not documents:
            reason = skipped[0].reason if skipped else "not a document"
            raise LibraryError(f"cannot show {printable(args.doc)}: {reason}")
        return documents[0]
    if given.exists() and given.is_dir():
        raise LibraryError(f"{printable(args.doc)} is a folder: name one file or document")
    documents, _ = load_library(library)
    return find_document(documents, args.doc, library_root(library))


def _row_json(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "en": row.en.text if row.en else None,
        "zh": row.zh.text if row.zh else None,
        "kind": row.kind,
    }
    if row.confidence is not None:
        out["confidence"] = round(row.confidence, 3)
    return out


def _print_side_by_side(doc: Any, console: Any) -> None:
    """The reader's own layout (CJK line breaking, equal-height rows), printed as plain lines."""
    from rich.text import Text

    from tui.layout.reading_mode import initial_mode
    from tui.layout.rows import COLUMN_RULE, RowLayout

    header = Text(doc.title, style="bold")
    if doc.title_alt:
        header.append("\n" + doc.title_alt, style="bold")
    meta = " · ".join(x for x in (doc.date and doc.date[:10], doc.author, ", ".join(doc.tags)) if x)
    if meta:
        header.append("\n" + meta, style="dim")
    console.print(header)
    console.print()

    mode = initial_mode(doc, None)  # one column for a document without pairs, as the reader
    layout = RowLayout(doc.rows)
    layout.configure(console.width, mode)
    geo = layout.geometry
    for index in range(len(layout)):
        for screen_line in layout.lines(index).lines:
            out = Text()
            ruled = geo.rule_x is None or not screen_line.content
            for cell in sorted(screen_line.cells, key=lambda c: c.x):
                if not ruled and geo.rule_x is not None and cell.x > geo.rule_x:
                    out.append(" " * max(0, geo.rule_x - out.cell_len))
                    out.append(COLUMN_RULE, style="dim")
                    ruled = True
                out.append(" " * max(0, cell.x - out.cell_len))
                out.append_text(cell.line.text)
            if not ruled and geo.rule_x is not None:
                out.append(" " * max(0, geo.rule_x - out.cell_len))
                out.append(COLUMN_RULE.rstrip(), style="dim")
            out.rstrip()
            console.print(out, soft_wrap=True)
