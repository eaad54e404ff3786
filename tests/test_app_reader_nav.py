"""Leaving the reader after `]` / `[`, and the reader's footer at narrow widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    open_document,
    press,
    reader,
    run_async,
    settle,
)
from tui.screens.library import LibraryScreen
from tui.widgets.key_footer import KeyFooter


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


@run_async
async def test_escape_after_next_document_puts_the_cursor_on_the_document_read(
    tmp_path: Path,
) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        order = [d.id for d in app.library_screen.doc_list.documents]
        await open_document(pilot, order[1])
        await press(pilot, "right_square_bracket")
        await press(pilot, "right_square_bracket")
        assert reader(app).document.id == order[3]
        await press(pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)
        current = app.library_screen.doc_list.current
        assert current is not None and current.id == order[3]


@pytest.mark.parametrize("width", [60, 61, 62])
def test_the_reader_footer_at_narrow_widths_has_no_overlapping_palette_key(
    width: int, tmp_path: Path
) -> None:
    @run_async
    async def run() -> None:
        app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
        async with app.run_test(size=(width, 20)) as pilot:
            await settle(pilot)
            await open_document(pilot, app.library_screen.doc_list.documents[0].id)
            footer = app.screen.query_one(KeyFooter)
            assert not footer.show_command_palette
            await pilot.resize_terminal(100, 20)
            await pilot.pause()
            assert footer.show_command_palette

    run()
