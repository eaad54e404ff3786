"""Keep everything but the app off the terminal while it runs.

Textual draws on stderr, so any log line or warning a library prints there lands on top of the
screen. jieba in particular attaches its own `StreamHandler(sys.stderr)` when imported. Before the
app starts, `route_logs_to_file()` sends the root logger and Python warnings to a file in the user's
state dir; `detach_terminal_handlers()` takes stray terminal handlers off loggers that were set up
on import (call it again after importing such a library).
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from corpus.userfiles import log_file

_MARK = "_llama_reader_log"


def route_logs_to_file(level: int = logging.INFO) -> Path | None:
    """Send logging and warnings to the log file; returns its path, or None if it can't be written.

    When the file can't be opened, records are dropped rather than printed: a read-only home must
    not turn into a corrupted screen.
    """
    root = logging.getLogger()
    path: Path | None = log_file()
    handler: logging.Handler
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=1, encoding="utf-8", delay=True
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError:
        path = None
        handler = logging.NullHandler()
    setattr(handler, _MARK, True)
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # the warnings Python shows by default go to the file too
    detach_terminal_handlers()
    return path


def detach_terminal_handlers() -> int:
    """Remove handlers that write to the terminal from every known logger; returns how many.

    The records still reach the root logger (and so the log file) through propagation.
    """
    terminal = {sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__}
    removed = 0
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    for logger in loggers:
        for handler in list(logger.handlers):
            if not isinstance(handler, logging.StreamHandler) or isinstance(
                handler, logging.FileHandler
            ):
                continue
            if getattr(handler, "stream", None) in terminal:
                logger.removeHandler(handler)
                logger.propagate = True
                removed += 1
    # A logger that was set to DEBUG by its library (jieba does) should not flood the file.
    jieba_logger = logging.getLogger("jieba")
    if jieba_logger.level and jieba_logger.level < logging.WARNING:
        jieba_logger.setLevel(logging.WARNING)
    return removed
