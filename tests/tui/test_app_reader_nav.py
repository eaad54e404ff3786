"""Leaving the reader after `]` / `[`, and the reader's footer at narrow widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    open_document,
    press,
    reader,
    run_async,
    run_command,
    settle,
)
from tui.screens.bookmarks import LibraryBookmarksScreen
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


@run_async
async def test_the_library_lists_every_bookmark_and_opens_one(tmp_path: Path) -> None:
    app = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        docs = app.library_screen.doc_list.documents
        first, second = docs[0], docs[2]
        for info, downs in ((first, 2), (second, 3)):
            await open_document(pilot, info.id)
            await press(pilot, "g", *["j"] * downs, "B")
            await press(pilot, "escape")
        await press(pilot, "b")
        chooser = app.screen
        assert isinstance(chooser, LibraryBookmarksScreen)
        assert sorted(doc_id for doc_id, _mark in chooser.marks) == sorted([first.id, second.id])
        assert all(mark.row > 0 for _doc, mark in chooser.marks)  # the rows moved to, not row 0
        lines = [str(o.prompt) for o in chooser.query_one(OptionList).options]
        assert any(first.title in line and "row " in line for line in lines), lines
        target = next(k for k, (d, _m) in enumerate(chooser.marks) if d == second.id)
        chooser.query_one(OptionList).highlighted = target
        await press(pilot, "enter")
        shown = reader(app)
        assert shown.document.id == second.id
        assert shown.view.cursor == chooser.marks[target][1].row
        await press(pilot, "escape")
        # The same list from the command palette, typed from the reader too.
        await open_document(pilot, first.id)
        await run_command(pilot, "bookmarks in the lib", "Bookmarks in the library")
        assert isinstance(app.screen, LibraryBookmarksScreen)


@run_async
async def test_control_characters_in_names_titles_and_tags_are_shown_escaped(
    tmp_path: Path,
) -> None:
    """A file name holding a colour code and a window-title sequence, a title and a tag with
    escape codes: the list, the tag panel and the reader show them escaped, never raw."""
    library = tmp_path / "lib"
    library.mkdir()
    (library / "bad\x1b[31mred\x1b]0;PWNED\x07name.md").write_text("Body text.\n", "utf-8")
    (library / "t.md").write_text(
        '---\ntitle: "Plain \\e[31m title"\ntags: ["t\\e[32mg"]\n---\n\nSome text.\n', "utf-8"
    )
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        screen = app.library_screen
        lines = [screen.doc_list.render_line(y).text for y in range(4)]
        lines.append(screen.query_one("#tags").render_line(0).text)  # type: ignore[attr-defined]
        shown = "\n".join(lines)
        assert "\x1b" not in shown and "\x07" not in shown, shown
        assert "bad\\x1b[31mred\\x1b]0;PWNED\\x07name" in shown
        assert "t\\x1b[32mg" in shown
        named = next(d for d in screen.doc_list.documents if d.path.startswith("bad"))
        await open_document(pilot, named.id)
        title = reader(app).query_one("#reader-title").render()  # type: ignore[attr-defined]
        assert "\x1b" not in str(title) and "\\x1b" in str(title)
