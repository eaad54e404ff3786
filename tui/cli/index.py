"""`llama-reader index`: build or update the search index, with progress on a terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.cli.commands import add_common_arguments


def register(sub: Any) -> None:
    p = sub.add_parser("index", help="build or update the search index")
    add_common_arguments(p, subcommand=True)
    p.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus.library import resolve_library
    from index.library_index import LibraryIndex

    library = resolve_library(getattr(args, "library", None) or getattr(args, "path", None))
    index_dir = getattr(args, "index_dir", None)
    ix = LibraryIndex(library, Path(index_dir) if index_dir else None)
    if sys.stderr.isatty():
        summary = _with_progress(ix, args.rebuild)
    else:
        summary = ix.update(rebuild=args.rebuild)
    for message in summary.messages:
        print(f"llama-reader: {message}", file=sys.stderr)
    if summary.locked:
        what = "rebuild" if args.rebuild else "update"
        print(f"llama-reader: the index {what} did not happen; try again later", file=sys.stderr)
        return 1
    verb = "rebuilt" if summary.rebuilt else "updated"
    print(
        f"index {verb}: {summary.added} added, {summary.updated} updated, "
        f"{summary.removed} removed, {summary.skipped} skipped in {summary.seconds:.1f} s"
    )
    return 0


def _with_progress(ix: Any, rebuild: bool) -> Any:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from index.types import IndexProgress

    with Progress(
        TextColumn("indexing"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[files]}"),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("index", total=None, files="")

        def progress(p: IndexProgress) -> None:
            # The bar advances by bytes (that is what takes time); files are counted beside it.
            bar.update(
                task,
                total=max(p.bytes_total, 1),
                completed=p.bytes_done,
                files=f"{p.files_done}/{p.files_total} files",
            )

        return ix.update(progress=progress, rebuild=rebuild)
