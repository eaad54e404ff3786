"""`llama-reader define TEXT`: look a word up in the offline dictionary (CC-CEDICT)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser(
        "define",
        help="look up a Chinese word (pinyin, English glosses) or an English word (Chinese)",
    )
    p.add_argument("text", metavar="TEXT", nargs="+", help="a Chinese word or phrase, or English")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--json", action="store_true", help='print {"query", "entries": [...]}')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from corpus.dictionary import define
    from tui.cli.output import print_json, terminal_safe

    query = " ".join(args.text)
    result = define(query)
    if args.json:
        print_json(result.as_json())
        return 0 if result.entries else 1
    if not result.entries:
        print(f"llama-reader: no entry for {terminal_safe(query)!r}", file=sys.stderr)
        return 1
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for n, entry in enumerate(result.entries):
        if n:
            console.print()
        head = Text(entry.simplified, style="bold")
        if entry.traditional != entry.simplified:
            head.append(f" ({entry.traditional})")
        head.append("  " + entry.pinyin, style="cyan")
        console.print(head)
        for i, gloss in enumerate(entry.glosses, 1):
            console.print(Text(f"  {i}. {terminal_safe(gloss)}"))
    return 0
