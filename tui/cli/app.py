"""`llama-reader [PATH]`: open the app on a library."""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus.errors import LibraryError
from corpus.library import config_file, configured


def run_app(args: argparse.Namespace) -> int:
    """Resolve the library, send logs and warnings to the log file, and run the app."""
    from corpus.library import resolve_library
    from tui.quiet import route_logs_to_file

    library = resolve_library(getattr(args, "path", None) or getattr(args, "library", None))
    index_arg = getattr(args, "index_dir", None)
    index_dir = Path(index_arg).expanduser() if index_arg else None
    ambiguous_width = _ambiguous_width(getattr(args, "ambiguous_width", None))
    route_logs_to_file()
    from tui.library_service import prepare_first_launch

    prepare_first_launch(library, index_dir)  # in a thread, while Textual is imported
    from tui.app import build_app

    app = build_app(library, index_dir, ambiguous_width=ambiguous_width)
    try:
        app.run()
    finally:
        app.service.close_index()
    leave_now(app.return_code or 0)
    return app.return_code or 0


def leave_now(code: int) -> None:
    """End the process once the app has restored the terminal, without the interpreter taking
    apart every object it holds (the index's tables, the language model, the library list): on
    a busy machine that took most of a second after a quit. Threads still working get a second,
    then logs and output are flushed."""
    import contextlib
    import logging
    import os
    import sys
    import threading
    import time

    # Work the quit set going is let finish first (a card being saved to the deck, the index
    # thread stopping at its next step), for a second at most.
    deadline = time.monotonic() + 1.0
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _ambiguous_width(flag: int | None) -> int:
    """The flag, else the config file's `ambiguous_width`, else the terminal's answer (asked
    before Textual takes the terminal)."""
    if flag is not None:
        return flag
    setting = configured("ambiguous_width")
    if setting is not None:
        if setting not in (1, 2) or isinstance(setting, bool):
            raise LibraryError(f"{config_file()}: `ambiguous_width` must be 1 or 2")
        return int(setting)
    from tui.ambiguous_width import detect

    return detect()
