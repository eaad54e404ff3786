"""Flows that go from the library into the reader and back, through the whole app: open a document,
search and open a hit at its row, cycle modes, find, outline, bookmarks and resume (also across
launches), next/previous document, back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.strip import Strip

from tests.tui_fixtures import (
    SAMPLE,
    FakeIndex,
    isolate_app_env,
    make_app,
    run_async,
    seeds_or_sample,
    settle,
)
from tui.app import LlamaReaderApp
from tui.layout.rows import Mode
from tui.screens.library import LibraryScreen
from tui.screens.outline import OutlineScreen, document_headings
from tui.screens.reader import ReaderScreen
from tui.widgets.bilingual_view import BilingualView


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_app_env(monkeypatch, tmp_path)


async def type_text(pilot: Pilot[None], text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def reader(app: LlamaReaderApp) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen), app.screen
    return app.screen


def view(app: LlamaReaderApp) -> BilingualView:
    return reader(app).query_one(BilingualView)


async def open_document(pilot: Pilot[None], app: LlamaReaderApp, doc_id: str) -> None:
    docs = app.library_screen.doc_list
    docs.cursor = next(i for i, d in enumerate(docs.documents) if d.id == doc_id)
    await pilot.press("enter")
    await settle(pilot)


def highlighted_runs(strip: Strip) -> list[str]:
    """Texts drawn on a background other than the line's usual one."""
    backgrounds = Counter(seg.style.bgcolor for seg in strip if seg.style and seg.text.strip())
    if len(backgrounds) < 2:
        return []
    usual = backgrounds.most_common(1)[0][0]
    return [
        seg.text for seg in strip if seg.style and seg.text.strip() and seg.style.bgcolor != usual
    ]


def bilingual_with_headings(index: FakeIndex) -> str:
    """A bilingual document of the library with at least three headings."""
    for info in index.documents():
        doc = index.load_document(info.id)
        if doc.lang == "bilingual" and len(document_headings(doc.rows)) >= 3:
            return doc.id
    raise AssertionError("no bilingual document with headings in the library")


@run_async
async def test_enter_opens_the_document_and_escape_comes_back(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first = app.library_screen.doc_list.documents[1]
        await open_document(pilot, app, first.id)
        assert reader(app).document.id == first.id
        assert view(app).cursor == 0
        title = str(reader(app).query_one("#reader-title").render())
        assert first.title in title
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        assert app.focused is app.library_screen.doc_list
        assert app.library_screen.doc_list.current == first


@run_async
async def test_search_then_enter_opens_the_hit_row_with_terms(tmp_path: Path) -> None:
    library = seeds_or_sample()
    index = FakeIndex(library)
    app = make_app(library, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "licence")
        await settle(pilot, 0.4)
        results = app.library_screen.result_list
        assert results.count > 1
        await pilot.press("enter")  # from the search box to the results
        assert app.focused is results
        await pilot.press("down")
        hit = results.hits[1]
        await pilot.press("enter")
        await settle(pilot)
        assert reader(app).document.id == hit.id
        assert view(app).cursor == hit.row
        # The hit row is on screen with the term drawn as its own highlighted run.
        shown = view(app)
        assert hit.row in shown.visible_rows()
        lines = [shown.render_line(y) for y in range(shown.size.height)]
        marked = [text for strip in lines for text in highlighted_runs(strip)]
        assert "licence" in [t.casefold() for t in marked], marked


@run_async
async def test_m_cycles_the_four_modes(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, app, doc_id)
        seen = [view(app).mode]
        for _ in range(4):
            await pilot.press("m")
            seen.append(view(app).mode)
        assert seen == [
            Mode.SIDE_BY_SIDE,
            Mode.INTERLEAVED,
            Mode.ENGLISH,
            Mode.CHINESE,
            Mode.SIDE_BY_SIDE,
        ]


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
        await open_document(pilot, app, doc_id)
        await pilot.press("slash")
        await type_text(pilot, word)
        await pilot.press("enter")
        await settle(pilot, 0.3)
        first = view(app).cursor
        assert first in expected
        await pilot.press("n")
        assert view(app).cursor == expected[(expected.index(first) + 1) % len(expected)]
        await pilot.press("N")
        assert view(app).cursor == first


@run_async
async def test_outline_jumps_to_a_heading(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    headings = document_headings(index.load_document(doc_id).rows)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, app, doc_id)
        await pilot.press("o")
        assert isinstance(app.screen, OutlineScreen)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert view(app).cursor == headings[2].row


@run_async
async def test_bookmark_and_resume_across_launches(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    doc_id = bilingual_with_headings(index)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, app, doc_id)
        await pilot.press("j", "j", "j", "j", "j")
        assert view(app).cursor == 5
        await pilot.press("B")
        await pilot.press("j", "j")
        await pilot.press("escape")  # leaving saves the position
        await pilot.press("q")
    # A new launch on the same data dir resumes at row 7 and knows the bookmark.
    again = make_app(SAMPLE, FakeIndex(SAMPLE), tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_document(pilot, again, doc_id)
        assert view(again).cursor == 7
        await pilot.press("apostrophe")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert view(again).cursor == 5


@run_async
async def test_next_and_previous_document_follow_the_library_order(tmp_path: Path) -> None:
    index = FakeIndex(SAMPLE)
    app = make_app(SAMPLE, index, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        order = [d.id for d in app.library_screen.doc_list.documents]
        await open_document(pilot, app, order[0])
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader(app).document.id == order[1]
        await pilot.press("left_square_bracket")
        await settle(pilot)
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
        await open_document(pilot, app, app.library_screen.doc_list.documents[0].id)
        await pilot.press("question_mark")
        text = app.screen.help_text()  # type: ignore[attr-defined]
        for binding in ReaderScreen.BINDINGS:
            assert binding.description in text  # type: ignore[union-attr]
        assert "Next row" in text  # the view's own keys
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
