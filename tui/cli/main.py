"""`llama-reader`: opens the app, or runs one of the scriptable commands.

Each command lives in its own module with `register(subparsers)`; the modules import their heavy
dependencies inside `run`, so `llama-reader docs --json` never loads Textual or jieba.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui.cli import commands

COMMAND_NAMES = tuple(commands.COMMAND_MODULES)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="llama-reader",
        description="Read and search a library of English and Chinese articles, side by side.",
    )
    parser.epilog = (
        "Without a command, opens the reader on PATH or the library named by --library, "
        "$LLAMA_READER_LIBRARY, the config file, or the bundled sample library."
    )
    commands.add_common_arguments(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.register_all(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if _first_positional(args_list) in COMMAND_NAMES:
        args = parser.parse_args(args_list)
    else:
        # Bare invocation (optionally with a folder): open the app. Parsed without subcommands so
        # a library folder named like a command still works when given as `--library`.
        app_parser = argparse.ArgumentParser(prog="llama-reader", add_help=False)
        app_parser.add_argument("path", nargs="?")
        commands.add_common_arguments(app_parser)
        if any(a in ("-h", "--help") for a in args_list):
            parser.print_help()
            return 0
        args = app_parser.parse_args(args_list)
        args.command = None
    try:
        return int(commands.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `llama-reader docs | head`: the reader went away; say nothing more.
        sys.stderr.close()
        return 0


def _first_positional(args: list[str]) -> str | None:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--library", "--index"):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


if __name__ == "__main__":
    raise SystemExit(main())
