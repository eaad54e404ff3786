"""Long output through a pager when it goes to a terminal, as git does: `$PAGER`, else `less -R`
(with `LESS=FRX` unless set: one screen is just printed, colours pass, the screen is kept)."""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator

from rich.console import Console

DEFAULT_PAGER = "less -R"


def pager_command(environ: dict[str, str] | None = None) -> list[str] | None:
    """The pager to run, or None for none (`PAGER=` or `PAGER=cat`, as git reads them)."""
    env = os.environ if environ is None else environ
    text = env.get("PAGER", DEFAULT_PAGER).strip()
    try:
        argv = shlex.split(text)
    except ValueError:
        return None
    if not argv or argv == ["cat"]:
        return None
    return argv


@contextlib.contextmanager
def paged(*, disabled: bool = False) -> Iterator[Console]:
    """A console to print to: the pager's, when stdout is a terminal and a pager is wanted."""
    argv = None if disabled or not _is_terminal() else pager_command()
    if argv is None:
        yield Console(highlight=False)
        return
    width = Console().width  # the terminal's, which the pager will show
    buffer = io.StringIO()
    yield Console(file=buffer, force_terminal=True, width=width, highlight=False)
    show(buffer.getvalue(), argv)


def show(text: str, argv: list[str]) -> None:
    """Run the pager on `text`; print it straight when the pager cannot be started."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError):  # the reader quit the pager early
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
    while True:
        try:
            proc.wait()
            return
        except KeyboardInterrupt:  # the pager handles ^C itself; wait for it to end
            continue


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (ValueError, OSError):
        return False
