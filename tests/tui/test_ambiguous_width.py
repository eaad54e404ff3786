"""Terminals that draw East Asian ambiguous characters wide: the start-up question, its overrides,
and a reader whose columns stay aligned in such a terminal."""

from __future__ import annotations

import os
import pty
import threading
import time
import unicodedata
from pathlib import Path

import pytest
import wcwidth
from textual.app import App

from corpus.errors import LibraryError
from corpus.model import Block, Document, Row
from tests.tui_fixtures import isolate_app_env, run_async, wait_until
from tui.ambiguous_width import PROBE, detect, narrow, probe
from tui.cli.app import _ambiguous_width
from tui.cli.main import build_parser
from tui.screens.reader import ReaderScreen
from tui.terminal_output import app_driver
from tui.widgets.bilingual_view import BilingualView

QUERY = b"\x1b[6n"


def wide_terminal_width(text: str) -> int:
    """Cells `text` takes in a terminal that draws ambiguous characters two cells wide."""
    total = 0
    for ch in text:
        cells = max(0, wcwidth.wcwidth(ch))
        if cells == 1 and unicodedata.east_asian_width(ch) == "A":
            cells = 2
        total += cells
    return total


class Terminal:
    """A pty whose far end answers the cursor-position query as a terminal would (or not)."""

    def __init__(self, answer: bytes | None, delay: float = 0.0) -> None:
        self.master, self.slave = pty.openpty()
        self.answer = answer
        self.delay = delay
        self.written = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        deadline = time.monotonic() + 5
        while QUERY not in self.written and time.monotonic() < deadline:
            self.written += os.read(self.master, 1024)
        if self.answer is not None:
            time.sleep(self.delay)
            os.write(self.master, self.answer)

    def close(self) -> None:
        self.thread.join(timeout=5)
        os.close(self.slave)
        os.close(self.master)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"\x1b[12;2R", 1),  # the probe took one cell
        (b"\x1b[12;3R", 2),  # two cells
        (None, None),  # no answer
        (b"\x1b[12;9R", None),  # nonsense
    ],
)
def test_the_terminal_is_asked_how_wide_it_draws_an_ambiguous_character(
    answer: bytes | None, expected: int | None
) -> None:
    term = Terminal(answer)
    try:
        started = time.monotonic()
        assert probe(term.slave, term.slave) == expected
        assert time.monotonic() - started < 1  # no answer: given up on after ~100 ms
    finally:
        term.close()
    # The probe character went out first at column 1, then was erased.
    assert term.written.startswith(f"\r{PROBE}".encode()) and QUERY in term.written


def test_an_answer_too_late_counts_as_narrow() -> None:
    term = Terminal(b"\x1b[12;3R", delay=0.5)
    try:
        assert detect(term.slave, term.slave) == 1
    finally:
        term.close()


def test_detect_asks_only_a_terminal(tmp_path: Path) -> None:
    with open(tmp_path / "out", "wb") as f:
        assert detect(f.fileno(), f.fileno()) == 1
    assert (tmp_path / "out").read_bytes() == b""  # nothing written to a file


def test_the_flag_and_the_config_file_override_the_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    asked: list[int] = []
    monkeypatch.setattr("tui.ambiguous_width.detect", lambda: asked.append(1) or 2)
    assert _ambiguous_width(None) == 2 and asked  # nothing set: the terminal is asked
    config = tmp_path / "llama-reader" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("ambiguous_width = 1\n", encoding="utf-8")
    asked.clear()
    assert _ambiguous_width(None) == 1 and not asked
    assert _ambiguous_width(2) == 2  # the flag wins over the file
    config.write_text("ambiguous_width = 3\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="ambiguous_width` must be 1 or 2"):
        _ambiguous_width(None)

    args = build_parser().parse_args(["--ambiguous-width", "2", "docs"])
    assert args.ambiguous_width == 2 and args.command == "docs"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--ambiguous-width", "3"])
    assert "invalid choice" in capsys.readouterr().err


def test_narrow_equivalents_keep_every_cell_where_the_layout_put_it() -> None:
    text = "“Open” ‘weights’ — a timeline… · ─│┌┘ ▌▕ café ← 开源“模型”"
    shown = narrow(text)
    assert shown.startswith("\"Open\" 'weights' - a timeline")
    assert "开源" in shown and "e\u0301" in shown  # Chinese kept; é as e + accent
    # As many cells in a wide terminal as the layout counted (one per ambiguous character).
    assert wide_terminal_width(shown) == wcwidth.wcswidth(text)
    assert wide_terminal_width(text) > wcwidth.wcswidth(text)
    assert narrow("plain ASCII") == "plain ASCII"


def test_the_wide_driver_writes_the_equivalents() -> None:
    written: list[str] = []

    class Recorder:
        def __init__(self) -> None:
            pass

        def write(self, data: str) -> None:
            written.append(data)

    driver = app_driver(Recorder, wide=True)()  # type: ignore[arg-type]
    driver.write("\x1b[1;1H\x1b[1m“row”\x1b[0m│")
    assert written == ['\x1b[1;1H\x1b[1m"row"\x1b[0m|']
    written.clear()
    app_driver(Recorder, wide=False)().write("“row”")  # type: ignore[arg-type]
    assert written == ["“row”"]


def typographic_document() -> Document:
    en = "“Open” models — weights, code… and ‘data’ · a timeline ─ with notes"
    zh = "“开放”模型——权重、代码……以及‘数据’·一条时间线"
    rows = [
        Row(Block("paragraph", f"{i}. {en}", i, "en"), Block("paragraph", f"{i}. {zh}", i, "zh"))
        for i in range(30)
    ]
    return Document(id="t", path="t.md", title="Typography", rows=tuple(rows), lang="bilingual")


class ReaderApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(typographic_document(), start_row=2))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@run_async
async def test_in_a_wide_terminal_every_line_of_the_reader_fills_the_screen_exactly(
    size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_app_env(monkeypatch, tmp_path)
    app = ReaderApp()
    async with app.run_test(size=size) as pilot:
        view = app.screen.query_one(BilingualView)
        await wait_until(pilot, lambda: view.row_layout.configured)
        await pilot.pause()
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
    width = size[0]
    # Sent as is, the quotes, dashes, rules and cursor bar would push lines past the edge...
    assert any(wide_terminal_width(line) > width for line in lines)
    # ...sent through the equivalents, each line takes exactly the screen's width.
    assert [wide_terminal_width(narrow(line)) for line in lines] == [width] * len(lines)
