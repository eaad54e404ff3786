"""`llama-reader [PATH]`: open the app on a library."""

from __future__ import annotations

import argparse
from pathlib import Path


def run_app(args: argparse.Namespace) -> int:
    """Resolve the library, send logs and warnings to the log file, and run the app."""
    from corpus.library import resolve_library
    from tui.quiet import route_logs_to_file

    library = resolve_library(getattr(args, "path", None) or getattr(args, "library", None))
    index_arg = getattr(args, "index_dir", None)
    index_dir = Path(index_arg).expanduser() if index_arg else None
    route_logs_to_file()

    from tui.app import build_app

    app = build_app(library, index_dir)
    try:
        app.run()
    finally:
        app.service.close_index()
    return app.return_code or 0
