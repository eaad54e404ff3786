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
        summary, interrupted = _with_progress(ix, args.rebuild)
    else:
        summary, interrupted = _cancellable(ix, args.rebuild, None)
    for message in summary.messages:
        print(f"llama-reader: {message}", file=sys.stderr)
    if interrupted:
        return 130
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


def _cancellable(ix: Any, rebuild: bool, progress: Any) -> tuple[Any, bool]:
    """Run the update on a thread so Ctrl-C stops it through its cancel event: a first build
    keeps what it committed (the next `index` continues it) and this returns at once.
    Returns (summary, whether Ctrl-C stopped it)."""
    import threading

    cancel = threading.Event()
    finished = threading.Event()
    out: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            out.append(ix.update(progress=progress, rebuild=rebuild, cancel=cancel))
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)
        finally:
            finished.set()

    # Waiting on an event, not on the thread: a join interrupted by Ctrl-C can leave the thread
    # looking finished while it still runs.
    threading.Thread(target=work, name="index-update", daemon=True).start()
    interrupted = False
    while not finished.is_set():
        try:
            finished.wait(0.1)
        except KeyboardInterrupt:
            interrupted = True
            cancel.set()
    if errors:
        raise errors[0]
    return out[0], interrupted


def _with_progress(ix: Any, rebuild: bool) -> tuple[Any, bool]:
    from rich.filesize import decimal
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    from index.types import INDEXING, IndexProgress

    with Progress(
        TextColumn("{task.description:<13}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[eta]}"),
        TextColumn("{task.fields[searchable]}"),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as bar:
        task = bar.add_task("reading files", total=None, counts="", rate="", eta="", searchable="")
        shown = [""]

        def progress(p: IndexProgress) -> None:
            # Each phase has its own bar: it starts empty instead of sitting full.
            if p.phase != shown[0]:
                shown[0] = p.phase
                bar.reset(task, description=p.phase, total=p.total or None, completed=p.done)
            if p.phase == INDEXING:
                counts = f"{p.files_done:,}/{p.files_total:,} files"
                rate = f"{decimal(int(p.rate))}/s" if p.rate else ""
            else:
                counts = f"{p.done:,}/{p.total:,} {p.unit}" if p.total else f"{p.done:,} {p.unit}"
                rate = f"{p.rate:,.1f} {p.unit}/s" if p.rate and p.unit != "steps" else ""
            eta = f"~{_clock(p.eta)} left" if p.eta is not None else ""
            searchable = f"search: {p.searchable:,} documents" if p.searchable else ""
            bar.update(
                task,
                total=p.total or None,
                completed=p.done,
                counts=counts,
                rate=rate,
                eta=eta,
                searchable=searchable,
            )

        return _cancellable(ix, rebuild, progress)


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else f"{s} s"
