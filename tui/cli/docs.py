"""`llama-reader docs`: list the library's documents."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser("docs", help="list the documents of the library")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from corpus.library import load_library, resolve_library
    from corpus.text import printable
    from tui.cli.output import doc_fields, print_json

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    documents, skipped = load_library(library)
    for item in skipped:
        print(f"llama-reader: skipped {printable(item.path)}: {item.reason}", file=sys.stderr)
    documents.sort(key=lambda d: (d.path,))
    if args.json:
        print_json([doc_fields(d) for d in documents])
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("title", ratio=3, overflow="fold")
    table.add_column("date", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("tags", ratio=1, overflow="fold")
    table.add_column("rows", justify="right", no_wrap=True)
    badge = {"en": "EN", "zh": "中", "bilingual": "EN+中"}
    for doc in documents:
        title = Text(printable(doc.title))
        if doc.title_alt:
            title.append("\n" + doc.title_alt, style="dim")
        table.add_row(
            title,
            Text((doc.date or "")[:10]),
            Text(badge.get(doc.lang, doc.lang.upper())),
            Text(_tags(doc.tags), style="cyan"),
            Text(str(len(doc.rows))),
        )
    Console(highlight=False).print(table)
    return 0


def _tags(tags: tuple[str, ...], shown: int = 3) -> str:
    extra = f" +{len(tags) - shown}" if len(tags) > shown else ""
    return ", ".join(tags[:shown]) + extra
