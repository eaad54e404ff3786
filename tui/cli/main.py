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
    args_list = _valid_utf8(list(sys.argv[1:] if argv is None else argv))
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
        if not _has_terminal():
            print(
                "llama-reader: the reader needs a terminal (stdin and stdout); for scripts use "
                "`llama-reader docs`, `show`, `search` or `index` (see --help)",
                file=sys.stderr,
            )
            return 2
    try:
        code = int(commands.run(args))
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `llama-reader docs | head`: the reader went away; say nothing more.
        _silence_stdout()
        sys.stderr.close()
        return 0
    except OSError as exc:  # stdout on a full or failing device
        _silence_stdout()
        print(f"llama-reader: could not write the output: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _valid_utf8(args: list[str]) -> list[str]:
    """Arguments whose bytes were not valid in the locale's encoding (lone surrogates) have them
    replaced, with a note, so every later output is valid UTF-8."""
    out = []
    for arg in args:
        fixed = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if fixed != arg:
            print(
                f"llama-reader: an argument was not valid UTF-8; read as {fixed!r}", file=sys.stderr
            )
        out.append(fixed)
    return out


def _has_terminal() -> bool:
    try:
        return bool(sys.stdin and sys.stdout and sys.stdin.isatty() and sys.stdout.isatty())
    except (ValueError, OSError):  # closed
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again."""
    import contextlib
    import os

    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _first_positional(args: list[str]) -> str | None:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("--library", "--index", "--ambiguous-width"):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


if __name__ == "__main__":
    raise SystemExit(main())
