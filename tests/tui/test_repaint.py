"""What a key repaints: over a slow link every repainted line costs, so a cursor move that does
not scroll must repaint only the lines whose look changed (the old and new cursor row, the status
line), never the whole screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App

from corpus.model import Block, Document, Row
from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    run_async,
    settle,
    wait_until,
)
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


class Painted:
    """The screen lines the app sends to the terminal (recorded from its display updates)."""

    def __init__(self, app: App[Any]) -> None:
        self.lines: set[int] = set()
        display = app._display

        def record(screen: Any, renderable: Any) -> None:
            if isinstance(renderable, ChopsUpdate):
                self.lines.update(y for y, _x1, _x2 in renderable.spans)
            elif isinstance(renderable, LayoutUpdate):
                region = renderable.region
                self.lines.update(range(region.y, region.bottom))
            display(screen, renderable)

        app._display = record  # type: ignore[method-assign]

    def clear(self) -> None:
        self.lines.clear()


def paragraph_document() -> Document:
    rows = [
        Row(
            Block("paragraph", f"Paragraph {i}: a test text about a walk by the river.", i, "en"),
            Block("paragraph", f"第{i}段：沿着河边散步的测试文字。", i, "zh"),
        )
        for i in range(60)
    ]
    return Document(id="walk", path="walk.md", title="A walk", rows=tuple(rows), lang="bilingual")


class ReaderApp(App[None]):
    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.document, start_row=0))


def row_lines(view: BilingualView, row: int) -> set[int]:
    """Screen lines (0 = top of the terminal) holding row `row`'s text."""
    top = view.region.y + view.row_layout.offset(row) - round(view.scroll_y)
    return set(range(top, top + view.row_layout.lines(row).content_height))


@run_async
async def test_a_cursor_move_in_the_reader_repaints_two_rows_and_the_status(
    tmp_path: Path,
) -> None:
    app = ReaderApp(paragraph_document())
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(BilingualView)
        await wait_until(pilot, lambda: view.row_layout.configured)
        await pilot.pause()
        status = screen.query_one("#reader-status").region.y
        painted = Painted(app)
        for key, old, new in (("j", 0, 1), ("j", 1, 2), ("k", 2, 1)):
            painted.clear()
            await pilot.press(key)
            await pilot.pause()
            assert view.cursor == new and round(view.scroll_y) == 0
            expected = row_lines(view, old) | row_lines(view, new) | {status}
            assert painted.lines, "the move was drawn"
            assert painted.lines <= expected, f"{key}: repainted {sorted(painted.lines - expected)}"


@run_async
async def test_a_scroll_in_the_reader_repaints_the_page(tmp_path: Path) -> None:
    app = ReaderApp(paragraph_document())
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(BilingualView)
        await wait_until(pilot, lambda: view.row_layout.configured)
        await pilot.pause()
        painted = Painted(app)
        await pilot.press("space")
        await pilot.pause()
        assert round(view.scroll_y) > 0
        assert set(range(view.region.y, view.region.bottom)) <= painted.lines


@run_async
async def test_a_cursor_move_in_the_library_repaints_two_documents(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        docs = app.library_screen.doc_list
        await pilot.press("j", "k")  # the first key settles what start-up left to draw
        await pilot.pause()
        painted = Painted(app)
        top = docs.region.y
        for key, old, new in (("j", 0, 1), ("j", 1, 2), ("k", 2, 1)):
            painted.clear()
            await pilot.press(key)
            await pilot.pause()
            assert docs.cursor == new
            records = {top + 2 * old, top + 2 * old + 1, top + 2 * new, top + 2 * new + 1}
            outside = {y for y in painted.lines if docs.region.y <= y < docs.region.bottom}
            assert outside <= records, f"{key}: repainted {sorted(outside - records)}"
            assert len(painted.lines) <= len(records) + 2  # and a status line or two
