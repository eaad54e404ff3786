"""The compacted terminal output draws the same cells as Textual's own, in fewer bytes: checked by
feeding both to a terminal emulator (pyte) and comparing every cell."""

from __future__ import annotations

from pathlib import Path

import pyte
import pytest
from textual.app import App

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    open_document,
    run_async,
    settle,
)
from tui.terminal_output import compact_sgr

SIZE = (120, 40)


def screen_after(data: str, size: tuple[int, int] = SIZE) -> list[list[pyte.screens.Char]]:
    screen = pyte.Screen(*size)
    pyte.Stream(screen).feed(data)
    return [[screen.buffer[y][x] for x in range(size[0])] for y in range(size[1])]


def assert_same_cells(original: str, size: tuple[int, int] = SIZE) -> str:
    compact = compact_sgr(original)
    assert screen_after(compact, size) == screen_after(original, size)
    return compact


def full_frame(app: App[object]) -> str:
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    return update.render_segments(app.console)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@run_async
async def test_the_library_and_the_reader_draw_the_same_in_fewer_bytes(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        frames = [full_frame(app)]
        await pilot.press("j", "j")
        frames.append(full_frame(app))
        first = app.library_screen.doc_list.documents[0].id
        await open_document(pilot, first)
        frames.append(full_frame(app))
        await pilot.press("ctrl+t")  # the light theme
        await pilot.pause()
        frames.append(full_frame(app))
    for frame in frames:
        compact = assert_same_cells(frame)
        assert len(compact.encode()) < 0.8 * len(frame.encode()), len(compact) / len(frame)


@pytest.mark.parametrize(
    "data",
    [
        # styled runs, then unstyled text and an erase that must see the attributes reset
        "\x1b[1;38;2;1;2;3;48;2;4;5;6mab\x1b[0m\x1b[38;2;9;9;9;48;2;4;5;6mcd\x1b[0mef\x1b[K",
        # the same style twice in a row, across a cursor move, then attributes dropped
        "\x1b[4;31mab\x1b[0m\x1b[4;31mcd\x1b[0m\x1b[2;1H\x1b[31mx\x1b[0m\x1b[1mz\x1b[0m",
        # 256 colours, default colours, reverse, codes it does not follow passed through
        "\x1b[38;5;200;7mq\x1b[0m\x1b[39;49mr\x1b[58;5;3ms\x1b[0mt\x1b[1;34mu\x1b[0m",
        # an erase of the whole screen in a background colour
        "\x1b[48;2;9;8;7m\x1b[2J\x1b[0m\x1b[3;3Hw",
        # attributes dropped one by one, bold and dim sharing their "off" code
        "\x1b[1;4mab\x1b[0m\x1b[4mcd\x1b[0m\x1b[2mef\x1b[0m\x1b[1mg\x1b[0m\x1b[1;2;7mh\x1b[0m\x1b[2mi",
        "plain text only",
    ],
)
def test_edge_cases_draw_the_same(data: str) -> None:
    assert_same_cells(data, (20, 4))
