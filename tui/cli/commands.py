"""The registry of subcommands and the arguments they all share."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from corpus.errors import LibraryError
from corpus.library import configured
from corpus.walk import ENV_FOLLOW_LINKS

# Module per command, each exposing `register(subparsers)` and `run(args) -> int`.
COMMAND_MODULES = {
    "docs": "tui.cli.docs",
    "show": "tui.cli.show",
    "search": "tui.cli.search",
    "index": "tui.cli.index",
    "define": "tui.cli.define",
    "deck": "tui.cli.deck",
    "export": "tui.cli.export",
}


def add_common_arguments(parser: argparse.ArgumentParser, *, subcommand: bool = False) -> None:
    """Add --library, --index, --ambiguous-width and --follow-links. Subcommands pass
    `subcommand=True` so that a value given before the command name (`llama-reader --library X
    docs`) is not reset by the subparser's default."""
    default = argparse.SUPPRESS if subcommand else None
    parser.add_argument(
        "--library",
        metavar="PATH",
        default=default,
        help="library folder or file (else $LLAMA_READER_LIBRARY, the config file, the sample)",
    )
    parser.add_argument(
        "--index",
        metavar="DIR",
        dest="index_dir",
        default=default,
        help="where the search index lives (else $LLAMA_READER_INDEX or the user cache dir)",
    )
    parser.add_argument(
        "--ambiguous-width",
        type=int,
        choices=(1, 2),
        default=default,
        help="cells the terminal draws “quotes”, — and box lines in (else the config file's "
        "ambiguous_width, else asked of the terminal)",
    )
    parser.add_argument(
        "--follow-links",
        action="store_true",
        default=argparse.SUPPRESS if subcommand else False,
        help="follow symbolic links that lead out of the library (else they are skipped)",
    )


def register_all(sub: Any) -> None:
    for module_name in COMMAND_MODULES.values():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)


def run(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "follow_links", False) or configured("follow_links") is True:
            os.environ[ENV_FOLLOW_LINKS] = "1"  # read by the walk, here and in index workers
        if args.command is None:
            from tui.cli.app import run_app

            return int(run_app(args))
        return int(args.func(args))
    except LibraryError as exc:
        print(f"llama-reader: {exc}", file=sys.stderr)
        return 2
