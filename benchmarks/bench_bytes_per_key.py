"""Bytes the app writes to the terminal per key: what a key costs over a slow SSH link.

    python benchmarks/bench_bytes_per_key.py [--size 120x40] [--library DIR] [--repeat 5]

The app runs in a pseudo-terminal of the given size on the bundled sample library (its index,
built first, and user files in a temp dir). Each key's cost is every byte the app writes in the
1.5 s after it (a search as you type included); each key is pressed `--repeat` times, undone in
between, and the table shows the median. Goals at 120×40: a `j` that does not scroll ≤ 1.5 KB
in the reader and in the library, one letter typed in the search box ≤ 8 KB, nothing while idle;
`]` (the next document) costs one frame, never a blank one first.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUIET = 1.0  # seconds without output that count as "the app has finished drawing"
WINDOW = 1.5  # seconds after a key whose output is counted as that key's (a search included)
WORD = "model"  # typed into the search box; the last letter is measured (the results change)


class Terminal:
    """The app in a pty; reads everything it writes, answering nothing."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int, lines: int) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            os.chdir(REPO)
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.screen = bytearray()  # everything written so far, to wait for text

    def read(self, timeout: float) -> int:
        """Read what arrives within `timeout` seconds; the number of bytes."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return 0
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return 0
        self.screen += data
        return len(data)

    def settle(self, quiet: float = QUIET, limit: float = 120) -> int:
        """Wait until nothing has been written for `quiet` seconds; the bytes written meanwhile."""
        total = 0
        deadline = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < deadline:
            n = self.read(0.05)
            total += n
            now = time.monotonic()
            if n:
                last = now
            elif now - last >= quiet:
                return total
        raise SystemExit("the app never went quiet")

    def wait_for(self, text: str, limit: float = 180, start: int = 0) -> None:
        """Wait until `text` has been written (after the first `start` bytes)."""
        deadline = time.monotonic() + limit
        while text.encode() not in self.screen[start:]:
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {text!r}")
            self.read(0.1)

    def press(self, keys: str) -> int:
        """Send `keys`; the bytes the app writes in the next `WINDOW` seconds."""
        os.write(self.fd, keys.encode())
        return self.idle(WINDOW)

    def idle(self, seconds: float) -> int:
        total = 0
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            total += self.read(min(0.1, max(0.0, deadline - time.monotonic())))
        return total

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
            self.read(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)


def measure(library: Path | None, columns: int, lines: int, repeat: int) -> list[tuple[str, int]]:
    with tempfile.TemporaryDirectory(prefix="bytes-per-key-") as tmp:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(REPO),
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "XDG_CACHE_HOME": f"{tmp}/cache",
            "LLAMA_READER_DATA": f"{tmp}/data",
            "LLAMA_READER_LOG": f"{tmp}/app.log",
            "ESCDELAY": "10",
        }
        argv = [sys.executable, "-m", "tui.cli.main", "--index", f"{tmp}/index"]
        if library is not None:
            argv += ["--library", str(library)]
        # The index is built first, so that no progress report is drawn while keys are measured.
        subprocess.run([*argv, "index"], env=env, cwd=REPO, check=True, capture_output=True)
        term = Terminal(argv, env, columns, lines)
        try:
            term.wait_for("documents")
            term.settle(quiet=1.5)
            rows: list[tuple[str, int]] = []

            def median_of(keys: str, undo: str | None = None) -> int:
                sizes = []
                for _ in range(repeat):
                    sizes.append(term.press(keys))
                    if undo:
                        term.press(undo)
                return int(statistics.median(sizes))

            rows.append(("library: j (cursor moves, no scroll)", median_of("j", "k")))
            rows.append(("library: idle 3 s", term.idle(3)))
            mark = len(term.screen)
            term.press("\r")  # open the document under the cursor
            term.wait_for("side by side", start=mark)
            term.settle(quiet=1.0)
            rows.append(("reader: j (cursor moves, no scroll)", median_of("j", "k")))
            rows.append(("reader: page down", median_of(" ", "b")))
            rows.append(("reader: ] (next document)", median_of("]", "[")))
            rows.append(("reader: idle 3 s", term.idle(3)))
            term.press("\x1b")  # back to the library
            term.settle(quiet=1.0)
            term.press("/")
            for letter in WORD[:-1]:
                term.press(letter)
            name = f"search box: one letter typed ({WORD[:-1]} → {WORD})"
            rows.append((name, median_of(WORD[-1], "\x7f")))
            rows.append(("search box: idle 3 s", term.idle(3)))
            return rows
        finally:
            term.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="COLUMNSxLINES (default 120x40)")
    parser.add_argument("--library", type=Path, help="library folder (default: the sample)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.lower().split("x"))
    rows = measure(args.library, columns, lines, args.repeat)
    print(f"bytes written per key at {columns}×{lines} (median of {args.repeat})")
    width = max(len(name) for name, _ in rows)
    for name, size in rows:
        print(f"  {name:<{width}}  {size:>7,} B")


if __name__ == "__main__":
    main()
