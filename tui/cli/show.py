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
    from corpus.library import load_library, resolve_library
    from corpus.roots import library_root
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
    """The reader's own layout (CJK line breaking, equal-height rows), printed as plain lines."""
    from rich.console import Console
    from rich.text import Text

    from tui.layout.rows import COLUMN_RULE, Mode, RowLayout

    console = Console(highlight=False)
    header = Text(doc.title, style="bold")
    if doc.title_alt:
        header.append("\n" + doc.title_alt, style="bold")
    meta = " · ".join(x for x in (doc.date and doc.date[:10], doc.author, ", ".join(doc.tags)) if x)
    if meta:
        header.append("\n" + meta, style="dim")
    console.print(header)
    console.print()

    mode = {"en": Mode.ENGLISH, "zh": Mode.CHINESE}.get(doc.lang, Mode.SIDE_BY_SIDE)
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
