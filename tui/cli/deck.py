"""`llama-reader deck`: the saved sentence pairs; `deck export` writes them for Anki."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser("deck", help="list the saved sentence pairs, or export them for Anki")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--json", action="store_true", help="print the cards as one JSON array")
    p.set_defaults(func=run, deck_command=None)
    actions = p.add_subparsers(dest="deck_command", metavar="ACTION")
    e = actions.add_parser("export", help="write the deck as a file Anki imports")
    add_common_arguments(e, subcommand=True)
    target = e.add_mutually_exclusive_group(required=True)
    target.add_argument("--anki", metavar="FILE", help="CSV: front, back, pinyin, source, tags")
    target.add_argument("--tsv", metavar="FILE", help="the same columns separated by tabs")
    e.set_defaults(func=run_export)


def run(args: argparse.Namespace) -> int:
    from corpus.deck import load_deck
    from tui.cli.output import print_json, terminal_safe

    cards = _load(load_deck)
    if cards is None:
        return 2
    if args.json:
        print_json([card.to_json() for card in cards])
        return 0
    if not cards:
        print("The deck is empty: save a sentence pair from the reader.", file=sys.stderr)
        return 0
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for n, card in enumerate(cards):
        if n:
            console.print()
        console.print(Text(terminal_safe(card.zh), style="bold"))
        console.print(Text(terminal_safe(card.en)))
        if card.word:
            console.print(
                Text(f"{terminal_safe(card.word)}  {terminal_safe(card.pinyin)}  ", style="cyan")
                + Text(terminal_safe(card.gloss))
            )
        source = " · ".join(x for x in (card.source, card.added[:10], card.key) if x)
        console.print(Text(terminal_safe(source), style="dim"))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from corpus.deck import anki_csv, deck_tsv, load_deck
    from corpus.errors import LibraryError
    from corpus.library import resolve_library
    from corpus.roots import library_root
    from tui.cli.output import write_output

    cards = _load(load_deck)
    if cards is None:
        return 2
    name, text = (args.anki, anki_csv(cards)) if args.anki else (args.tsv, deck_tsv(cards))
    if name == "-":
        sys.stdout.write(text)
        return 0
    try:  # the library is only read: an export may not land in it
        root: Path | None = library_root(resolve_library(getattr(args, "library", None)))
    except LibraryError:
        root = None
    write_output(Path(name), text, root)
    print(f"{len(cards)} cards written to {name}", file=sys.stderr)
    return 0


def _load(load: Any) -> list[Any] | None:
    from corpus.deck import DeckError

    try:
        return list(load())
    except DeckError as exc:
        print(f"llama-reader: {exc}", file=sys.stderr)
        return None
