"""The reader's actions by name in the command palette (ctrl+p): typed a few letters of, run with
Enter, each does what its key does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    bilingual_with_headings,
    flagged_rows,
    isolate_app_env,
    make_app,
    open_document,
    press,
    reader,
    reader_view,
    run_async,
    run_command,
    settle,
    type_text,
)
from tui.app import LlamaReaderApp
from tui.layout.rows import Mode
from tui.screens.bookmarks import BookmarksScreen
from tui.screens.library import LibraryScreen
from tui.screens.outline import OutlineScreen, document_headings
from tui.screens.reader import FindInput, ReaderScreen

HAN = range(0x4E00, 0xA000)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def shown_line(app: LlamaReaderApp, y: int) -> str:
    return reader_view(app).render_line(y).text


def shown_text(app: LlamaReaderApp) -> str:
    return "\n".join(shown_line(app, y) for y in range(reader_view(app).size.height))


def status(app: LlamaReaderApp) -> str:
    return str(reader(app).query_one("#reader-status").render())


def notes(app: LlamaReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def start_reading(pilot: Pilot[None], doc_id: str) -> None:
    await settle(pilot)
    await open_document(pilot, doc_id)
    assert isinstance(pilot.app.screen, ReaderScreen)


@run_async
async def test_modes_by_name_show_what_their_names_say(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_reading(pilot, doc_id)
        assert reader_view(app).mode is Mode.SIDE_BY_SIDE
        assert any(ord(c) in HAN for c in shown_text(app))

        await run_command(pilot, "english only", "Mode: English only")
        assert reader_view(app).mode is Mode.ENGLISH
        assert status(app).startswith("English")
        assert not any(ord(c) in HAN for c in shown_text(app))  # no Chinese on screen

        await run_command(pilot, "chinese", "Mode: Chinese only")
        assert reader_view(app).mode is Mode.CHINESE
        assert any(ord(c) in HAN for c in shown_text(app))

        await run_command(pilot, "interl", "Mode: interleaved")
        assert reader_view(app).mode is Mode.INTERLEAVED and "│" not in shown_text(app)

        await run_command(pilot, "side by", "Mode: side by side")
        assert reader_view(app).mode is Mode.SIDE_BY_SIDE and "│" in shown_text(app)

        # "Mode: next" steps as m does, and says so as m does.
        await run_command(pilot, "mode next", "Mode: next")
        assert reader_view(app).mode is Mode.INTERLEAVED
        assert "Mode: interleaved" in notes(app)
        await press(pilot, "m")
        assert reader_view(app).mode is Mode.ENGLISH
    # The mode chosen by name is remembered for the document, as the key's is.
    again = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await start_reading(pilot, doc_id)
        assert reader_view(again).mode is Mode.ENGLISH


@run_async
async def test_find_by_name_opens_the_box_and_typing_finds(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    doc = index.load_document(doc_id)
    word = "llama"
    expected = [
        n for n, row in enumerate(doc.rows) if any(word in b.text.casefold() for b in row.blocks)
    ]
    assert expected
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_reading(pilot, doc_id)
        await run_command(pilot, "find in", "Find in document")
        find = reader(app).query_one(FindInput)
        assert find.has_class("-open") and app.focused is find
        await type_text(pilot, word)
        await press(pilot, "enter", delay=0.3)
        assert reader_view(app).cursor in expected
        assert f"/{len(expected)}" in status(app) or f"{len(expected)} match" in status(app)


@run_async
async def test_outline_and_bookmarks_by_name(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    headings = document_headings(index.load_document(doc_id).rows)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_reading(pilot, doc_id)
        await run_command(pilot, "outline", "Outline")
        assert isinstance(app.screen, OutlineScreen)
        await press(pilot, "down", "down", "enter")
        assert reader_view(app).cursor == headings[2].row

        # Toggle bookmark: the cursor row gets the flag, as B gives it.
        row = reader_view(app).cursor
        await run_command(pilot, "toggle book", "Toggle bookmark")
        assert [b.row for b in reader(app).state.bookmarks(doc_id)] == [row]
        assert f"Bookmark added: row {row + 1}" in notes(app)
        assert flagged_rows(app) == {row}

        await press(pilot, "home")
        assert reader_view(app).cursor == 0
        await run_command(pilot, "bookmarks", "Bookmarks")
        assert isinstance(app.screen, BookmarksScreen)
        await press(pilot, "enter")
        assert reader_view(app).cursor == row

        await run_command(pilot, "toggle book", "Toggle bookmark")  # again: removed
        assert reader(app).state.bookmarks(doc_id) == []
        assert f"Bookmark removed: row {row + 1}" in notes(app)


@run_async
async def test_next_previous_document_and_back_by_name(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = [d.id for d in app.library_screen.doc_list.documents]
        await start_reading(pilot, order[0])
        await run_command(pilot, "next doc", "Next document")
        assert reader(app).document.id == order[1]
        await run_command(pilot, "previous doc", "Previous document")
        assert reader(app).document.id == order[0]
        await run_command(pilot, "previous doc", "Previous document")  # nothing before the first
        assert reader(app).document.id == order[0]
        assert "This is the first document." in notes(app)
        assert len(app.screen_stack) == 2  # replaced in place, as [ and ] do
        await run_command(pilot, "back to", "Back to the library")
        assert isinstance(app.screen, LibraryScreen)
        assert app.library_screen.doc_list.current is not None
        assert app.library_screen.doc_list.current.id == order[0]


@run_async
async def test_reader_entries_are_offered_only_on_the_reader(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        on_library = {c.title for c in app.get_system_commands(app.screen) if c.discover}
        assert {"Search the library", "Clear filters", "Sort by title"} <= on_library
        assert not any(t.startswith("Mode:") or t == "Toggle bookmark" for t in on_library)
        await open_document(pilot, app.library_screen.doc_list.documents[0].id)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        # Each entry names its key, read from the reader's own bindings.
        assert commands["Mode: next"].endswith("(m)")
        assert commands["Find in document"].endswith("(/)")
        assert commands["Toggle bookmark"].endswith("(B)")
        assert commands["Back to the library"].endswith("(esc / q)")
        assert "Search the library" in commands  # the library's entries stay reachable
        listed = {c.title for c in app.get_system_commands(app.screen) if c.discover}
        assert {"Mode: next", "Outline", "Bookmarks", "Search the library"} <= listed
        assert "Clear filters" in commands and "Clear filters" not in listed  # found by typing
