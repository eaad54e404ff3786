"""The installed `llama-reader` in a real terminal (tmux, 80×24): launch on the fixture layouts,
search, open a hit, read the screen, quit with exit status 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.shared_files import LAYOUTS

pytestmark = pytest.mark.slow

SCRIPT = Path(sys.executable).parent / "llama-reader"


class Tmux:
    """One private tmux server holding one 80×24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "e2e", "-l", text)

    def wait_for(self, test: Callable[[str], bool], what: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if test(text):
                return text
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{text}")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} is not installed (pip install -e .)")
    t = Tmux(f"llama-e2e-{uuid.uuid4().hex[:8]}")
    try:
        yield t
    finally:
        t.run("kill-server")


def test_search_open_a_hit_and_quit_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    library = LAYOUTS
    status = tmp_path / "status"
    env = {
        "LLAMA_READER_DATA": str(tmp_path / "data"),
        "LLAMA_READER_LOG": str(tmp_path / "app.log"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "ESCDELAY": "10",
    }
    exports = " ".join(f"{k}={v!s}" for k, v in env.items())
    command = (
        f"env {exports} {SCRIPT} --library {library} --index {tmp_path / 'index'}"
        f"; echo $? > {status}; sleep 60"
    )
    tmux.run(
        "new-session",
        "-d",
        "-s",
        "e2e",
        "-x",
        "80",
        "-y",
        "24",
        "-e",
        f"PATH={os.environ.get('PATH', '/usr/bin:/bin')}",
        command,
    )
    tmux.run("set-option", "-t", "e2e", "escape-time", "10")

    # First launch: the index is built, then the list shows the documents.
    shown = tmux.wait_for(
        lambda s: "Kestrel" in s and "documents" in s and "Building" not in s,
        "the library list",
        timeout=120,
    )
    assert "llama-reader" in shown.splitlines()[0]

    tmux.keys("/")
    tmux.type("licence")
    shown = tmux.wait_for(lambda s: "matching row" in s, "search results")
    assert "licence" in shown.casefold()

    tmux.keys("Enter")  # to the results
    tmux.keys("Enter")  # open the first hit
    # The whole frame: the reader's header, and its footer (drawn last) on the last line.
    shown = tmux.wait_for(
        lambda s: " row " in s and "Outline" in s.rstrip().splitlines()[-1], "the reader"
    )
    lines = shown.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    assert "licence" in shown.casefold()  # the hit row is on screen

    tmux.keys("q")  # back to the library
    tmux.wait_for(lambda s: "matching row" in s, "the library again")
    tmux.keys("q")  # quit
    deadline = time.monotonic() + 15
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.read_text().strip() == "0"
    # Nothing but the app wrote to the terminal (jieba's banner, warnings, tracebacks).
    after = tmux.screen()
    for noise in ("Traceback", "Building prefix dict", "Warning", "Error"):
        assert noise not in after
