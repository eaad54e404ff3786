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
    _print_human(documents)
    return 0


def _print_human(documents: list[Any]) -> None:
    """Per document: its path and title, then date, language, rows and tags, then each warning
    (`!`), every name and warning made safe to print."""
    from rich.console import Console
    from rich.text import Text

    from corpus.text import printable

    console = Console(highlight=False, soft_wrap=False)
    color = console.is_terminal
    badge = {"en": "EN", "zh": "中", "bilingual": "EN+中"}
    for doc in documents:
        head = Text()
        head.append(printable(doc.path), style="green" if color else "")
        head.append("  ")
        head.append(printable(doc.title), style="bold" if color else "")
        if doc.title_alt:
            head.append(f" · {printable(doc.title_alt)}", style="bold" if color else "")
        console.print(head)
        meta = [
            (doc.date or "")[:10],
            badge.get(doc.lang, doc.lang.upper()),
            f"{len(doc.rows)} rows",
        ]
        if doc.tags:
            meta.append(printable(_tags(doc.tags)))
        console.print(Text("    " + " · ".join(m for m in meta if m), style="dim" if color else ""))
        for warning in doc.warnings:
            console.print(Text(f"    ! {printable(warning)}", style="yellow" if color else ""))


def _tags(tags: tuple[str, ...], shown: int = 3) -> str:
    extra = f" +{len(tags) - shown}" if len(tags) > shown else ""
    return ", ".join(tags[:shown]) + extra
