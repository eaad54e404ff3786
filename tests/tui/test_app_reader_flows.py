"""Flows that go from the library into the reader and back, through the whole app: open a document,
search and open a hit at its row, find (also typed ahead), outline, bookmarks and resume (across
documents and launches), next/previous document, back. Modes: test_reader_screen and the palette
tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from textual.strip import Strip

from tests.shared_files import LAYOUTS
from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    bilingual_with_headings,
    flagged_rows,
    footer_keys,
    isolate_app_env,
    make_app,
    open_document,
    press,
    reader,
    reader_view,
    run_async,
    search,
    send_keys_at_once,
    settle,
    type_text,
)
from tui.layout.rows import Mode
from tui.screens.library import LibraryScreen
from tui.screens.outline import OutlineScreen, document_headings
from tui.screens.reader import FindInput, ReaderScreen


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


def highlighted_runs(strip: Strip) -> list[str]:
    """Texts drawn on a background other than the line's usual one."""
    backgrounds = Counter(seg.style.bgcolor for seg in strip if seg.style and seg.text.strip())
    if len(backgrounds) < 2:
        return []
    usual = backgrounds.most_common(1)[0][0]
    return [
        seg.text for seg in strip if seg.style and seg.text.strip() and seg.style.bgcolor != usual
    ]


@run_async
async def test_enter_opens_the_document_and_escape_comes_back(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = app.library_screen.doc_list.documents[1]
        await open_document(pilot, first.id)
        assert reader(app).document.id == first.id
        assert reader_view(app).cursor == 0
        title = str(reader(app).query_one("#reader-title").render())
        assert first.title in title
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        assert app.focused is app.library_screen.doc_list
        assert app.library_screen.doc_list.current == first


@run_async
async def test_search_then_enter_opens_the_hit_row_with_terms(tmp_path: Path) -> None:
    library = LAYOUTS
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await search(pilot, "licence")
        results = app.library_screen.result_list
        assert results.count > 1
        await pilot.press("enter")  # from the search box to the results
        assert app.focused is results
        await pilot.press("down")
        hit = results.hits[1]
        await press(pilot, "enter")
        assert reader(app).document.id == hit.id
        assert reader_view(app).cursor == hit.row
        # The hit row is on screen with the term drawn as its own highlighted run.
        shown = reader_view(app)
        assert hit.row in shown.visible_rows()
        lines = [shown.render_line(y) for y in range(shown.size.height)]
        marked = [text for strip in lines for text in highlighted_runs(strip)]
        assert "licence" in [t.casefold() for t in marked], marked


@run_async
async def test_find_in_document_moves_between_matches(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    doc = index.load_document(doc_id)
    app = make_app(SAMPLE, index, tmp_path)
    word = "llama"
    expected = [
        n for n, row in enumerate(doc.rows) if any(word in b.text.casefold() for b in row.blocks)
    ]
    assert len(expected) >= 2
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        await pilot.press("slash")
        await type_text(pilot, word)
        await press(pilot, "enter", delay=0.3)
        first = reader_view(app).cursor
        assert first in expected
        await pilot.press("n")
        assert reader_view(app).cursor == expected[(expected.index(first) + 1) % len(expected)]
        await pilot.press("N")
        assert reader_view(app).cursor == first


@run_async
async def test_outline_jumps_to_a_heading(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    headings = document_headings(index.load_document(doc_id).rows)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        await pilot.press("o")
        assert isinstance(app.screen, OutlineScreen)
        await press(pilot, "down", "down", "enter")
        assert reader_view(app).cursor == headings[2].row


@run_async
async def test_bookmark_and_resume_across_documents_and_launches(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    other = next(d.id for d in index.documents() if d.id != doc_id)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        await pilot.press("j", "j", "j", "j", "j")
        assert reader_view(app).cursor == 5
        await pilot.press("B")
        assert flagged_rows(app) == {5}
        await pilot.press("j", "j")
        await press(pilot, "escape")  # leaving saves the position
        await open_document(pilot, other)
        assert reader(app).state is app.reading_state  # one state for every reader
        await press(pilot, "escape")
        await open_document(pilot, doc_id)
        assert reader_view(app).cursor == 7
        await pilot.press("k", "k")
        assert flagged_rows(app) == {5}
        await pilot.press("j", "j", "q", "q")
    # A new launch on the same data dir resumes at row 7 and knows the bookmark.
    again = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        assert reader_view(again).cursor == 7
        await press(pilot, "apostrophe")
        await press(pilot, "enter")
        assert reader_view(again).cursor == 5


@run_async
async def test_a_bookmark_that_could_not_be_saved_stays_for_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app keeps one reading state: when the data dir cannot be written the bookmark and the
    position still follow the reader from document to document, and the user is told once."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be", encoding="utf-8")
    monkeypatch.setenv("LLAMA_READER_DATA", str(blocker / "data"))
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    other = next(d.id for d in index.documents() if d.id != doc_id)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        await pilot.press("j", "j", "j", "B", "j")
        assert any("Could not save the bookmark" in n.message for n in app._notifications)
        await press(pilot, "escape")
        await open_document(pilot, other)
        await press(pilot, "escape")
        await open_document(pilot, doc_id)
        assert reader_view(app).cursor == 4
        await pilot.press("k")
        assert flagged_rows(app) == {3}


@run_async
async def test_slash_opens_find_whatever_has_focus_and_keys_typed_ahead_land_in_it(
    tmp_path: Path,
) -> None:
    """ "/" and the letters after it arrive together when the app is busy: they all go to the find
    box (the "m" of "llama" must not switch the mode)."""

    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, doc_id)
        find = reader(app).query_one(FindInput)
        for focus in (reader_view(app), None):
            reader(app).set_focus(focus)
            await pilot.pause()
            send_keys_at_once(app, [("slash", "/"), *((c, c) for c in "llama")])
            await settle(pilot, 0.3)
            assert find.value == "llama" and app.focused is find
            assert reader_view(app).mode is Mode.SIDE_BY_SIDE
            assert "match" in str(reader(app).query_one("#reader-status").render())
            await press(pilot, "escape")  # close the find box, drop the matches
            assert find.value == "llama"  # kept for the next "/", but no longer shown
            assert not find.has_class("-open")


@run_async
async def test_backspace_typed_ahead_in_the_find_box_deletes_where_it_was_typed(
    tmp_path: Path,
) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, app.library_screen.doc_list.documents[0].id)
        keys = [("slash", "/"), *((c, c) for c in "llx"), ("backspace", None), ("a", "a")]
        send_keys_at_once(app, keys)
        await settle(pilot, 0.3)
        assert reader(app).query_one(FindInput).value == "lla"


@run_async
async def test_a_slash_can_still_be_typed_in_the_find_box(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, app.library_screen.doc_list.documents[0].id)
        assert footer_keys(app)["slash"] == "Find"
        await pilot.press("slash")
        # In the box the Footer offers what Enter and Esc do, not "/".
        assert footer_keys(app) == {"enter": "Keep matches", "escape": "Cancel find"}
        await type_text(pilot, "tcp/ip")
        assert reader(app).query_one(FindInput).value == "tcp/ip"


@run_async
async def test_next_and_previous_document_follow_the_library_order(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        order = [d.id for d in app.library_screen.doc_list.documents]
        await open_document(pilot, order[0])
        await press(pilot, "right_square_bracket")
        assert reader(app).document.id == order[1]
        await press(pilot, "left_square_bracket")
        assert reader(app).document.id == order[0]
        assert len(app.screen_stack) == 2  # replaced, not stacked
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


@run_async
async def test_help_from_the_reader_lists_the_reader_keys(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_document(pilot, app.library_screen.doc_list.documents[0].id)
        await pilot.press("question_mark")
        text = app.screen.help_text()  # type: ignore[attr-defined]
        for binding in ReaderScreen.BINDINGS:
            assert binding.description in text  # type: ignore[union-attr]
        assert "Next row" in text  # the view's own keys
        assert "Find box" in text and "Keep matches" in text and "Cancel find" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


@run_async
async def test_enter_twice_quickly_opens_the_first_hit(tmp_path: Path) -> None:
    """Two Enters arriving together (a fast typist, or a busy app): the first leaves the search
    box, the second opens the hit under the cursor instead of being lost on the box."""
    library = LAYOUTS
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await search(pilot, "licence")
        hit = app.library_screen.result_list.hits[0]
        send_keys_at_once(app, [("enter", "\r"), ("enter", "\r")])
        await settle(pilot, 0.2)
        assert isinstance(app.screen, ReaderScreen)
        assert reader(app).document.id == hit.id
        assert reader_view(app).cursor == hit.row


@run_async
async def test_query_and_enter_twice_typed_ahead_open_the_first_hit_once_it_arrives(
    tmp_path: Path,
) -> None:
    """`/licence⏎⏎` typed before the debounced search ran: the hit opens when the results come."""
    library = LAYOUTS
    app = make_app(library, FakeIndex(library), tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = [("slash", "/"), *((c, c) for c in "licence"), ("enter", "\r"), ("enter", "\r")]
        send_keys_at_once(app, keys)
        await settle(pilot, 0.6)
        assert isinstance(app.screen, ReaderScreen)
        results = app.library_screen.result_list
        assert results.hits and reader(app).document.id == results.hits[0].id
        assert reader_view(app).cursor == results.hits[0].row
