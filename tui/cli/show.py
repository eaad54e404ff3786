"""`llama-reader show DOC`: one document, side by side on a terminal or as JSON."""

from __future__ import annotations

import argparse
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser("show", help="print one document (id, path or title prefix)")
    p.add_argument("doc", metavar="DOC", help="document id, path in the library, or title prefix")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--json", action="store_true", help="print one JSON object with the rows")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from corpus.library import library_root, load_library, resolve_library
    from tui.cli.output import doc_fields, find_document, print_json

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    documents, _ = load_library(library)
    doc = find_document(documents, args.doc, library_root(library))
    if args.json:
        fields = doc_fields(doc)
        fields["rows"] = [_row_json(row) for row in doc.rows]
        print_json(fields)
        return 0
    _print_side_by_side(doc)
    return 0


def _row_json(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "en": row.en.text if row.en else None,
        "zh": row.zh.text if row.zh else None,
        "kind": row.kind,
    }
    if row.confidence is not None:
        out["confidence"] = round(row.confidence, 3)
    return out


def _print_side_by_side(doc: Any) -> None:
    from rich.console import Console, RenderableType
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    from corpus.loader import plain

    console = Console(highlight=False)

    def cell(block: Any) -> RenderableType:
        if block is None:
            return Text("")
        if block.kind == "text" or block.lang in ("zh", "mixed"):
            # Rich's Markdown cuts unspaced Chinese lines with an ellipsis; fold them instead.
            return Text(block.text if block.kind == "text" else plain(block.text), overflow="fold")
        return Markdown(block.text, hyperlinks=False)

    header = Text(doc.title, style="bold")
    if doc.title_alt:
        header.append("\n" + doc.title_alt, style="bold dim")
    meta = " · ".join(x for x in (doc.date and doc.date[:10], doc.author, ", ".join(doc.tags)) if x)
    if meta:
        header.append("\n" + meta, style="dim")
    console.print(header)
    console.print()
    two_columns = doc.lang == "bilingual" and console.width >= 70
    table = Table(box=None, show_header=False, padding=(0, 1, 1, 0), expand=True)
    if two_columns:
        table.add_column(ratio=1)
        table.add_column(ratio=1)
        for row in doc.rows:
            table.add_row(cell(row.en), cell(row.zh))
    else:
        table.add_column(ratio=1)
        for row in doc.rows:
            for block in row.blocks:
                table.add_row(cell(block))
    console.print(table)
