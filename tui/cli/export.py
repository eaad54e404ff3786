"""`llama-reader export DOC`: a document's aligned rows or sentence pairs as a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="write a document's aligned rows (or sentence pairs) as TSV, CSV, TMX or MD"
    )
    p.add_argument("doc", metavar="DOC", help="document id, path in the library, or title prefix")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--format", choices=("tsv", "csv", "tmx", "md"), default="tsv")
    p.add_argument("--sentences", action="store_true", help="one unit per sentence pair")
    p.add_argument(
        "--side", choices=("en", "zh", "both"), default="both", help="md, tsv, csv: which language"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (else standard output)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import LibraryError
    from corpus.export import export
    from corpus.library import load_library, resolve_library
    from corpus.roots import library_root
    from tui.cli.corrections import corrected
    from tui.cli.output import find_document, write_output

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    if args.format == "tmx" and args.side != "both":
        raise LibraryError("a TMX file holds both languages: --side goes with md, tsv or csv")
    documents, _ = load_library(library)
    root = library_root(library)
    doc = corrected(find_document(documents, args.doc, root)).document  # the reader's corrections
    text = export(doc, args.format, sentences=args.sentences, side=args.side)
    if args.output and args.output != "-":
        write_output(Path(args.output), text, root)
    else:
        sys.stdout.write(text)
    return 0
