"""The lines the app writes after `tui.frame_diff` leave the terminal showing exactly what the
updates Textual asked for would have shown, for less; and the compositor shapes it reads."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pyte
import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.driver import Driver
from textual.geometry import Region, Size
from textual.strip import Strip

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    press,
    run_async,
    settle,
    type_text,
)
from tui.frame_diff import ChangedLines, LineMemory


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def test_the_compositor_updates_still_have_the_shapes_read() -> None:
    assert list(inspect.signature(LayoutUpdate.__init__).parameters) == ["self", "strips", "region"]
    assert list(inspect.signature(ChopsUpdate.__init__).parameters) == [
        "self",
        "chops",
        "spans",
        "chop_ends",
    ]
    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    assert issubclass(ChangedLines, CompositorUpdate)
    update = LayoutUpdate([[Strip.blank(3)]], Region(0, 0, 3, 1))
    assert update.region == Region(0, 0, 3, 1) and len(update.strips) == 1
    # What `LlamaReaderApp._display` reads on the app and its driver before diffing: headless
    # tests never take that branch, so a rename would first show in a real terminal.
    app = App()
    assert all(hasattr(app, name) for name in ("_running", "_closed", "_batch_count", "_driver"))
    assert isinstance(app._batch_count, int)
    assert isinstance(inspect.getattr_static(Driver, "is_inline"), property)


class Terminals:
    """Two emulated terminals: one is sent every update as Textual wrote it, the other what
    `LineMemory` makes of it."""

    def __init__(self, width: int, height: int) -> None:
        self.size = Size(width, height)
        self.console = Console(
            force_terminal=True, color_system="truecolor", width=width, height=height
        )
        self.screens = [pyte.Screen(width, height), pyte.Screen(width, height)]
        self.streams = [pyte.Stream(screen) for screen in self.screens]
        self.memory = LineMemory()
        self.sent = [0, 0]
        self.updates = 0

    def feed(self, update: Any) -> None:
        if not isinstance(update, CompositorUpdate):
            return
        self.updates += 1
        diffed = self.memory.diff(update, self.size)
        raw = update.render_segments(self.console)
        less = diffed.render_segments(self.console) if isinstance(diffed, CompositorUpdate) else ""
        for n, data in enumerate((raw, less)):
            self.streams[n].feed(data)
            self.sent[n] += len(data.encode())
        assert self.shown(0) == self.shown(1), f"the screens differ after update {self.updates}"

    def shown(self, n: int) -> list[list[tuple[object, ...]]]:
        screen = self.screens[n]
        return [
            [tuple(screen.buffer[y][x]) for x in range(screen.columns)] for y in range(screen.lines)
        ]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_the_terminal_shows_the_same_after_reading_and_searching(
    size: tuple[int, int], tmp_path: Path
) -> None:
    @run_async
    async def run() -> None:
        terminals = Terminals(*size)
        app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
        display = app._display

        def record(screen: Any, renderable: Any) -> None:
            terminals.feed(renderable)
            display(screen, renderable)

        app._display = record  # type: ignore[method-assign]
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await press(pilot, "j", "j", "enter")
            await press(pilot, "j", "space", "m", "right_square_bracket", "j")
            await press(pilot, "left_square_bracket", "escape")
            await pilot.press("slash")
            await type_text(pilot, "model")
            await settle(pilot, 0.4)
            await press(pilot, "backspace", "backspace")
            await press(pilot, "enter", "j", "o", "question_mark")
            await press(pilot, "escape")
        assert terminals.updates > 20
        assert terminals.sent[1] < terminals.sent[0] * 0.6, terminals.sent

    run()


def test_a_new_size_or_an_unknown_update_forgets_what_was_written() -> None:
    memory = LineMemory()
    line = [Strip.blank(4)]
    first = memory.diff(LayoutUpdate([line, line], Region(0, 0, 4, 2)), Size(4, 2))
    assert isinstance(first, ChangedLines) and len(first.pieces) == 2
    assert memory.diff(LayoutUpdate([line, line], Region(0, 0, 4, 2)), Size(4, 2)) is None
    again = memory.diff(LayoutUpdate([line, line, line], Region(0, 0, 4, 3)), Size(4, 3))
    assert isinstance(again, ChangedLines) and len(again.pieces) == 3  # resized: all of it
    memory.diff("something else", Size(4, 3))
    after = memory.diff(LayoutUpdate([line, line, line], Region(0, 0, 4, 3)), Size(4, 3))
    assert isinstance(after, ChangedLines) and len(after.pieces) == 3


@run_async
async def test_the_next_document_is_drawn_with_its_text_in_its_first_frame(tmp_path: Path) -> None:
    """`]` draws no blank frame: the first update that shows the next document's title shows
    its first row too."""
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    frames: list[str] = []
    display = app._display

    def record(screen: Any, renderable: Any) -> None:
        if isinstance(renderable, LayoutUpdate):
            frames.append("\n".join(Strip.join(line).text for line in renderable.strips))
        display(screen, renderable)

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        frames.clear()
        await press(pilot, "right_square_bracket")
        from tui.screens.reader import ReaderScreen

        shown = app.screen
        assert isinstance(shown, ReaderScreen)
        title = shown.document.title
        first_row = shown.view.row_plain(0).split()[0]
        with_title = [f for f in frames if title[:30] in f]
        assert with_title, "the next document was never drawn whole"
        assert first_row in with_title[0].split("\n", 2)[2], with_title[0][:400]
